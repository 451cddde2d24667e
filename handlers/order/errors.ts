/**
 * Errors the Lambdas throw on purpose. Step Functions sees a Lambda error by its `name`, so these are
 * plain Errors with the names in contract.ts (functions rather than subclasses: nothing to serialize
 * but the function).
 */

import {
  ALREADY_PROCESSED_ERROR,
  DUPLICATE_ORDER_ERROR,
  ORDER_CONFLICT_ERROR,
  OUT_OF_STOCK_ERROR,
  PAYMENT_ERROR,
  type ChargeResult,
} from "../contract";

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** The charge was declined. */
export function paymentError(message: string): Error {
  return namedError(PAYMENT_ERROR, message);
}

/** The order is held by another execution. */
export function duplicateOrderError(orderId: string, heldBy: string, state: string): Error {
  return namedError(
    DUPLICATE_ORDER_ERROR,
    `Order ${orderId} was already submitted by execution ${heldBy} (state ${state}); ` +
      "this execution charged nothing and changed no record.",
  );
}

/** The order's id is held by an order whose contents differ from this one's. */
export function orderConflictError(orderId: string, heldBy: string, state: string): Error {
  return namedError(
    ORDER_CONFLICT_ERROR,
    `Order ${orderId} is already recorded by execution ${heldBy} (state ${state}) with other contents; ` +
      "this execution charged nothing and changed no record.",
  );
}

/** A unit of the order could not be reserved; nothing was taken from stock. */
export function outOfStockError(message: string): Error {
  return namedError(OUT_OF_STOCK_ERROR, message);
}

/** This execution already processed this order: the answer it gave then, as the error's message (JSON). */
export function alreadyProcessedError(answer: ChargeResult): Error {
  return namedError(ALREADY_PROCESSED_ERROR, JSON.stringify(answer));
}
