/**
 * The one place that chooses what backs each port, from a Lambda's configuration (its environment).
 * Every handler factory takes its adapters from `adaptersFor`. To replace the simulated payment gateway
 * (or inventory), implement `PaymentGateway` (or `Inventory`) and change what `paymentGateway` (or
 * `inventory`) returns below; the handlers, the workflow and the component do not change.
 *
 * It runs inside the Lambda, when its container starts: a handler factory calls it from the callback
 * factory the component serializes, so SDK clients and providers are constructed there, never
 * captured. Each adapter reads only the settings it needs, when it is asked for.
 */

import { ENV } from "../contract";
import { readRate, readSeed, readTableName, type Env } from "./config";
import { SimulatedInventory, type Inventory } from "./inventory";
import { dynamoOrderStore, type OrderStore } from "./orderStore";
import { SimulatedPaymentGateway, type PaymentGateway } from "./payments";
import { randomFactory } from "./random";

/** What a Lambda does with the payment gateway; each reads only the failure rate of what it does. */
export type PaymentUse = "verify" | "charge";

export interface Adapters {
  /** The payment gateway, for a Lambda that only verifies cards or only charges them. */
  paymentGateway(use: PaymentUse): PaymentGateway;
  inventory(): Inventory;
  orderStore(): OrderStore;
}

export function adaptersFor(env: Env): Adapters {
  const random = randomFactory(readSeed(env));
  return {
    paymentGateway: (use) =>
      new SimulatedPaymentGateway(
        use === "verify"
          ? { paymentFailureRate: readRate(env, ENV.paymentFailureRate), chargeFailureRate: 0 }
          : { paymentFailureRate: 0, chargeFailureRate: readRate(env, ENV.chargeFailureRate) },
        random,
      ),
    inventory: () => new SimulatedInventory(readRate(env, ENV.stockFailureRate), random),
    orderStore: () => dynamoOrderStore(readTableName(env)),
  };
}
