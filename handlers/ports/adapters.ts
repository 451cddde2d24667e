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

import { ENV, INVENTORY_MODES, type InventoryMode } from "../contract";
import { readRate, readSeed, readTableName, type Env } from "./config";
import { SimulatedInventory, type Inventory } from "./inventory";
import { dynamoReservations, type Reservations } from "./reservations";
import { TableInventory } from "./tableInventory";
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

/** `simulated` (the original workflow's) or `table` (the Inventory table named in the environment). */
export function readInventoryMode(env: Env): InventoryMode {
  const mode = env[ENV.inventoryMode]?.trim();
  if (mode === undefined || mode === "") {
    throw new Error(`${ENV.inventoryMode} is not set; it must be one of ${INVENTORY_MODES.join(", ")}`);
  }
  if (!(INVENTORY_MODES as readonly string[]).includes(mode)) {
    throw new Error(`${ENV.inventoryMode} must be one of ${INVENTORY_MODES.join(", ")} (got ${JSON.stringify(mode)})`);
  }
  return mode as InventoryMode;
}

/**
 * The inventory: `levels` for the stock Lambda (the simulation reads its failure rate), `writes` for
 * the Lambdas that only reserve and release (a simulated inventory writes nothing, so needs no rate).
 */
export function inventoryFor(env: Env, use: "levels" | "writes" = "levels"): Inventory {
  const rate = use === "levels" ? readRate(env, ENV.stockFailureRate) : 0;
  const mode = readInventoryMode(env);
  const name = env[ENV.inventoryTableName]?.trim();
  if (name === undefined || name === "")
    throw new Error(`${ENV.inventoryTableName} is not set; it must name the inventory table`);
  if (mode === "table") return new TableInventory(name);
  return new SimulatedInventory(rate, randomFactory(readSeed(env)));
}

export function reservationsFor(env: Env): Reservations {
  return dynamoReservations(readTableName(env));
}
