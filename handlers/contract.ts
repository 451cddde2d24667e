/**
 * The data contract between the state machine and its Lambdas.
 *
 * The state machine's JSONPath expressions (workflow/definition.ts) read exactly these fields, and
 * the Lambdas guarantee them for *any* input, however malformed, so that no path can fail at run
 * time (`States.Runtime` cannot be caught).
 */

/** Reason codes of WORKFLOW.md; each failed execution ends with one of them as its error. */
export const REASON_CODES = [
  "INVALID_ORDER",
  "PAYMENT_NOT_VERIFIED",
  "OUT_OF_STOCK",
  "PAYMENT_FAILED",
  "INTERNAL_ERROR",
  /** The orderId is already recorded for an order with other contents: nothing charged, the first record kept. */
  "ORDER_CONFLICT",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Error name of an execution that found its order already taken by another execution. */
export const DUPLICATE_ORDER = "DUPLICATE_ORDER";

/** Error names the Lambdas throw on purpose (the state machine catches them by name). */
export const PAYMENT_ERROR = "PaymentError";
export const DUPLICATE_ORDER_ERROR = "DuplicateOrderError";
/** The order's id is held by an order with other contents (the records' OrderHash differ). */
export const ORDER_CONFLICT_ERROR = "OrderConflictError";
/** A unit of the order could not be reserved (the stock reservation was refused; nothing was taken). */
export const OUT_OF_STOCK_ERROR = "OutOfStockError";
/**
 * This same execution already processed this same order (an EXPRESS redelivery): its message is the
 * JSON of the ChargeResult it answered then (`charged: false`), for the state machine to announce again.
 */
export const ALREADY_PROCESSED_ERROR = "AlreadyProcessedError";
/**
 * The payment provider was briefly unavailable (its client's error for an HTTP 503, or no answer): the
 * charge may or may not have been made, and the gateway's idempotency key (the order id) makes a
 * retry safe, so the state machine retries the charge on it.
 */
export const GATEWAY_UNAVAILABLE_ERROR = "PaymentGatewayUnavailable";

/** `State` of a record: PROCESSING from the reservation (its claim) until the outcome is recorded. */
export type RecordState = "PROCESSING" | "PROCESSED" | "FAILED";

/** A DynamoDB attribute value, limited to the kinds the record uses. */
export type AttributeValue =
  { S: string } | { N: string } | { L: AttributeValue[] } | { M: Record<string, AttributeValue> };

/** A record (or part of one) in the DynamoDB wire format that `dynamodb:putItem` takes. */
export type DynamoItem = Record<string, AttributeValue>;

/** The payment details of an order, once known to be four strings. */
export interface PaymentDetails {
  readonly name: string;
  readonly cardType: string;
  readonly cardNumber: string;
  readonly expiration: string;
}

/**
 * A well-formed execution input, as samples/order.json holds one. The Lambdas accept any JSON value
 * (`ParallelInput.order` is `unknown`) and report what is wrong; this is the shape they accept.
 */
export interface OrderInput {
  /** The client's id for the order; without one, the execution's name stands in. */
  readonly orderId?: string;
  readonly orderContents: { readonly items: readonly OrderItem[] };
  /** In major units (dollars), equal to the sum of the items' prices. */
  readonly orderTotal: number;
  readonly customerId: string;
  readonly paymentDetails: PaymentDetails;
}

/** What both parallel Lambdas receive: the raw execution input, untouched, and the execution's name. */
export interface ParallelInput {
  readonly order: unknown;
  readonly executionName: string;
}

/** An item as the rest of the workflow sees it, after validation. */
export interface OrderItem {
  readonly itemId: string;
  readonly price: number;
  readonly itemDescription: string;
}

/** Why an order was turned away before the charge. */
export interface Rejection {
  readonly error: "INVALID_ORDER" | "PAYMENT_NOT_VERIFIED";
  /** Plain words: which field, which item, what is wrong. Never card data. */
  readonly cause: string;
}

/** What the charge Lambda needs; no card number, expiry or name on card. */
export interface ChargeRequest {
  readonly customerId: string;
  /** The order total in minor units (cents). */
  readonly amountMinor: number;
  /** Token issued by the payment gateway at verification, standing in for the card. */
  readonly paymentToken: string;
}

/** The notification's fields known before the outcome (only those the input gave validly). */
export interface NoticeBase {
  readonly orderId: string;
  /** Why the input's own orderId was not used (the execution's name stands in); absent when it was, or none was given. */
  readonly orderIdProblem?: string;
  readonly customerId?: string;
  readonly orderTotal?: number;
}

/** Output of the verify-payment-details Lambda. */
export interface VerificationResult {
  /** The input's `orderId` when it is a valid id, else the execution's name. */
  readonly orderId: string;
  readonly paymentVerified: boolean;
  /** Non-null exactly when `paymentVerified` is false. */
  readonly rejection: Rejection | null;
  /** The record's attributes known so far (no State, no FailureReason), card data masked. */
  readonly item: DynamoItem;
  readonly notice: NoticeBase;
  /** Non-null exactly when `paymentVerified` is true. */
  readonly charge: ChargeRequest | null;
}

/**
 * Output of the retrieve-stock-levels Lambda: each item's quantity in stock, in the order's item order
 * (`[]` when the order is malformed). The items themselves travel once, in the verification's record
 * item, so that no state carries them twice (Step Functions' 256 KiB state limit).
 */
export interface StockResult {
  readonly quantitiesInStock: number[];
}

/** Input of the charge Lambda (assembled by the state machine). */
export interface ChargeInput {
  readonly orderId: string;
  readonly charge: ChargeRequest;
}

/** The SNS message body (JSON), one per execution. */
export interface Notification {
  readonly orderId: string;
  readonly state: "PROCESSED" | "FAILED";
  readonly reason?: ReasonCode;
  readonly customerId?: string;
  readonly orderTotal?: number;
  /** Why the input's own orderId was not used; see NoticeBase. */
  readonly orderIdProblem?: string;
  /** A sentence for people. */
  readonly message: string;
}

/** Output of the charge Lambda: the gateway approved the charge (a decline is a PaymentError). */
export interface ChargeResult {
  readonly orderId: string;
  /** Always true: the gateway approved this order's charge (a retry gets the same charge back). */
  readonly charged: boolean;
  readonly chargeId: string;
  readonly notification: Notification;
}

/** How stock is kept: the original workflow's simulation (nothing to reserve) or the `Inventory` table. */
export type InventoryMode = "simulated" | "table";
export const INVENTORY_MODES: readonly InventoryMode[] = ["simulated", "table"];

/** Input of the reserve Lambda: the order's record item (its Items are the units) and who claims it. */
export interface ReserveInput {
  readonly orderId: string;
  readonly executionName: string;
  readonly item: DynamoItem;
  /** What the order is charged: the answer of a redelivery names it again (no card data in it). */
  readonly charge: ChargeRequest;
}

/** Input of the release Lambda. */
export interface ReleaseInput {
  readonly orderId: string;
  readonly executionName: string;
  /**
   * The charge just refunded ("none" when none was): a reservation already COMMITTED is given back
   * only for the charge that was refunded (a PROCESSED write that landed though it answered an error).
   */
  readonly refundedChargeId: string;
}

/** Input of the refund Lambda. */
export interface RefundInput {
  readonly orderId: string;
}

/**
 * What the reserve, release and refund Lambdas answer: the attributes their step adds to the order's
 * record (StockState; RefundId), which the state machine merges into the record it
 * writes, and for a refund the charge it refunded ("none" when there was no approved charge).
 */
export interface SagaStepResult {
  readonly record: DynamoItem;
  readonly refundedChargeId?: string;
}

/** Environment variables the Lambdas read (set by the component, and by the local engine). */
export const ENV = {
  tableName: "ORDERS_TABLE_NAME",
  paymentFailureRate: "SIMULATED_PAYMENT_FAILURE_RATE",
  stockFailureRate: "SIMULATED_STOCK_FAILURE_RATE",
  chargeFailureRate: "SIMULATED_CHARGE_FAILURE_RATE",
  randomSeed: "SIMULATION_SEED",
  inventoryMode: "INVENTORY_MODE",
  inventoryTableName: "INVENTORY_TABLE_NAME",
} as const;

/**
 * Errors the AWS SDK raises inside a Lambda for a store that is throttling or briefly unavailable;
 * the state machine retries the Lambda on these (a Lambda error's name is its `errorType`).
 */
export const TRANSIENT_STORE_ERRORS = [
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  /** A stock transaction met another one on the same item (handlers/ports/reservations.ts). */
  "TransactionConflictException",
] as const;

/** The orders table's partition key (type S): the stack and the local engine create the table with it. */
export const ORDERS_TABLE_KEY = "OrderId";
/** The inventory table's partition key (type S); `Available` (N) is each item's units in stock. */
export const INVENTORY_TABLE_KEY = "ItemId";
export const INVENTORY_AVAILABLE = "Available";
