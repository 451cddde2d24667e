/**
 * The one place that chooses what backs each port, from a Lambda's configuration (its environment).
 * Every handler factory takes its adapters here. To replace the simulated payment gateway (or
 * inventory), implement `PaymentGateway` (or `Inventory`) and change what `paymentGatewayFor` (or
 * `inventoryFor`) returns; the handlers, the workflow and the component do not change.
 *
 * These run inside the Lambda, when its container starts: a handler factory calls them from the
 * callback factory the component serializes, so SDK clients and providers are constructed there,
 * never captured. They are separate functions, each reading only its own settings, so that a
 * Lambda's archive holds only the adapters that Lambda uses.
 */

import { ENV } from "../contract";
import { readRate, readSeed, readTableName, type Env } from "./config";
import { SimulatedInventory, type Inventory } from "./inventory";
import { dynamoOrderStore, type OrderStore } from "./orderStore";
import { CHARGE_LEDGER_ENV, ChargeLedger } from "./chargeLedger";
import { SimulatedPaymentGateway, type PaymentGateway } from "./payments";
import { randomFactory } from "./random";
import { chaosGateway, readChaos } from "./chaos";

/** What a Lambda does with the payment gateway; each reads only the failure rate of what it does. */
export type PaymentUse = "verify" | "charge";

/**
 * The payment gateway, for a Lambda that only verifies cards or only charges them. A charging
 * gateway keeps a ledger only where `CHARGE_LEDGER_ENV` names one: the local engine with
 * --state-dir sets it; a deployed stack never does.
 */
export function paymentGatewayFor(env: Env, use: PaymentUse): PaymentGateway {
  const rates =
    use === "verify"
      ? { paymentFailureRate: readRate(env, ENV.paymentFailureRate), chargeFailureRate: 0 }
      : { paymentFailureRate: 0, chargeFailureRate: readRate(env, ENV.chargeFailureRate) };
  const ledgerFile = use === "charge" ? env[CHARGE_LEDGER_ENV] : undefined;
  const ledger = ledgerFile === undefined || ledgerFile === "" ? undefined : ChargeLedger.open(ledgerFile);
  const gateway = new SimulatedPaymentGateway(rates, randomFactory(readSeed(env)), ledger);
  // Only the local engine's chaos sets this (handlers/ports/chaos.ts); a deployed stack's gateway is never wrapped.
  const chaos = readChaos(env);
  return chaos === undefined ? gateway : chaosGateway(gateway, chaos, (line) => console.log(JSON.stringify(line)));
}

export function inventoryFor(env: Env): Inventory {
  return new SimulatedInventory(readRate(env, ENV.stockFailureRate), randomFactory(readSeed(env)));
}

export function orderStoreFor(env: Env): OrderStore {
  return dynamoOrderStore(readTableName(env));
}
