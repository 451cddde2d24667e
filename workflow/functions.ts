/**
 * The workflow's Lambda functions, each declared once: the Task state that invokes it, its key (in
 * stack outputs, the local engine and the definition's resources), its Pulumi resource name, its
 * handler factory, and what it needs from the settings and the account. The component, the
 * definition's resources, the local engine, the diagram and the deployed runner all read this.
 *
 * Adding a function: declare it here, write its handler (handlers/), and invoke it from the
 * definition (workflow/definition.ts, as `r.<key>Function` in a Task state named `state`).
 */
import { ENV } from "../handlers/contract";
import { chargePaymentFactory } from "../handlers/chargePayment";
import { refundPaymentFactory } from "../handlers/refundPayment";
import { releaseStockFactory } from "../handlers/releaseStock";
import { reserveStockFactory } from "../handlers/reserveStock";
import { FailureRates, RATE_ENV, RateKey } from "../handlers/ports/config";
import { retrieveStockLevelsFactory } from "../handlers/retrieveStockLevels";
import { verifyPaymentDetailsFactory } from "../handlers/verifyPaymentDetails";

/** What the workflow needs to know of one function. */
export interface FunctionSpec {
  /** The Task state of the definition that invokes it. */
  readonly state: string;
  /** Its Pulumi resource name after the component's: `orders-verify-payment-details`. */
  readonly resourceName: string;
  /** What it does, for the console. */
  readonly description: string;
  /** Builds the handler once per container (called with no argument, it reads `process.env`). */
  readonly factory: () => (event: never) => Promise<unknown>;
  /** The simulated failure rate it reads, if any, from the environment variable `RATE_ENV[failureRate]`. */
  readonly failureRate?: RateKey;
  /**
   * What it may do on the orders table, when it uses the table at all: these actions are granted on
   * the table's ARN, and the table's name is in its environment (`ENV.tableName`).
   */
  readonly ordersTable?: readonly string[];
  /**
   * What it may do on the inventory table, when it uses stock at all: granted on the table's ARN; its
   * environment has the table's name (`ENV.inventoryTableName`) and the stack's `ENV.inventoryMode`.
   */
  readonly inventoryTable?: readonly string[];
}

export const WORKFLOW_FUNCTIONS = {
  verifyPaymentDetails: {
    state: "VerifyPaymentDetails",
    resourceName: "verify-payment-details",
    description: "Validates the order and verifies its payment details",
    factory: verifyPaymentDetailsFactory,
    failureRate: "payment",
  },
  retrieveStockLevels: {
    state: "RetrieveStockLevels",
    resourceName: "retrieve-stock-levels",
    description: "Adds each item's stock level to the order",
    factory: retrieveStockLevelsFactory,
    failureRate: "stock",
    // In table mode, GetItem reads each item's units available.
    inventoryTable: ["dynamodb:GetItem"],
  },
  reserveStock: {
    state: "ReserveStock",
    resourceName: "reserve-stock",
    description: "Claims the order and reserves all of its units in one transaction",
    factory: reserveStockFactory,
    // The transaction's Put claims the record; GetItem reads it back when the claim was refused.
    ordersTable: ["dynamodb:PutItem", "dynamodb:GetItem"],
    // The transaction's Updates take the units (table mode).
    inventoryTable: ["dynamodb:UpdateItem"],
  },
  chargePayment: {
    state: "ChargePayment",
    resourceName: "charge-payment",
    description: "Charges the customer once per order (the gateway's idempotency key is the order id)",
    factory: chargePaymentFactory,
    failureRate: "charge",
  },
  refundPayment: {
    state: "RefundPayment",
    resourceName: "refund-payment",
    description: "Refunds the order's approved charge once, when the order could not be finished",
    factory: refundPaymentFactory,
    failureRate: "charge",
  },
  releaseStock: {
    state: "ReleaseStock",
    resourceName: "release-stock",
    description: "Gives an order's reserved units back to stock, once",
    factory: releaseStockFactory,
    // GetItem reads the reservation; the transaction's Update marks it RELEASED.
    ordersTable: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
    // The transaction's Updates give the units back (table mode).
    inventoryTable: ["dynamodb:UpdateItem"],
  },
} as const satisfies Record<string, FunctionSpec>;

/** A function's key: `verifyPaymentDetails`. */
export type FunctionKey = keyof typeof WORKFLOW_FUNCTIONS;

/** Every function's key, in declaration order (the order of outputs and grants). */
export const FUNCTION_KEYS = Object.keys(WORKFLOW_FUNCTIONS) as FunctionKey[];

/** A function's declaration, as the common shape. */
export function functionSpec(key: FunctionKey): FunctionSpec {
  return WORKFLOW_FUNCTIONS[key];
}

/** The function a Task state invokes, by the state's name; undefined for any other state. */
export function functionOfState(state: string): FunctionKey | undefined {
  return FUNCTION_KEYS.find((key) => WORKFLOW_FUNCTIONS[key].state === state);
}

/** A record with one value per function, in declaration order. */
export function perFunction<T>(value: (key: FunctionKey, spec: FunctionSpec) => T): Record<FunctionKey, T> {
  return Object.fromEntries(FUNCTION_KEYS.map((key) => [key, value(key, functionSpec(key))])) as Record<FunctionKey, T>;
}

/** The Pulumi resource name of a function of the component named `component`. */
export function functionResourceName(component: string, key: FunctionKey): string {
  return `${component}-${functionSpec(key).resourceName}`;
}

/** What a function's environment is made of: the rates (as strings), the tables' names, the inventory mode. */
export interface FunctionSettings<T> {
  readonly rates: FailureRates<T>;
  readonly tableName: T;
  readonly inventory: { readonly mode: T; readonly tableName: T };
}

/**
 * A function's environment variables: its failure rate and the table's name, each if it uses them.
 * `T` is `string` locally and a Pulumi input in the component.
 */
export function functionEnvironment<T>(key: FunctionKey, settings: FunctionSettings<T>): Record<string, T> {
  const spec = functionSpec(key);
  return {
    ...(spec.failureRate === undefined ? {} : { [RATE_ENV[spec.failureRate]]: settings.rates[spec.failureRate] }),
    ...(spec.ordersTable === undefined ? {} : { [ENV.tableName]: settings.tableName }),
    ...(spec.inventoryTable === undefined
      ? {}
      : { [ENV.inventoryMode]: settings.inventory.mode, [ENV.inventoryTableName]: settings.inventory.tableName }),
  };
}
