/**
 * The CustomerOrders record in DynamoDB's wire format: the one place that knows its attribute names.
 * A record never holds the card number, the expiry or the name on the card.
 */

import type { AttributeValue, DynamoItem, OrderItem, RecordState } from "../contract";
import { minorToDecimal, toMinorUnits } from "./money";

/** Attribute names of the record. */
export const ATTR = {
  orderId: "OrderId",
  executionName: "ExecutionName",
  state: "State",
  customerId: "CustomerId",
  orderTotal: "OrderTotal",
  items: "Items",
  paymentMethod: "PaymentMethod",
  createdAt: "CreatedAt",
  chargeId: "ChargeId",
  failureReason: "FailureReason",
  orderIdProblem: "OrderIdProblem",
  orderHash: "OrderHash",
  /** RESERVED, COMMITTED or RELEASED: where the reservation of the order's Items stands (the saga). */
  stockState: "StockState",
  refundId: "RefundId",
  /** What a compensation that failed left for a person to do. */
  leftToDo: "LeftToDo",
} as const;

/** Where an order's reservation stands. */
export type StockState = "RESERVED" | "COMMITTED" | "RELEASED";

/** What is known of an order before its outcome; absent fields were missing or invalid in the input. */
export interface BaseRecordFields {
  readonly orderId: string;
  /** The execution that owns the record (the idempotency protocol compares it). */
  readonly executionName: string;
  readonly customerId?: string;
  /** In major units, as the order gave it. */
  readonly orderTotal?: number;
  readonly items?: readonly OrderItem[];
  /** Masked, e.g. "MASTERCARD ****4444". */
  readonly paymentMethod?: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** Why the input's orderId was not used as the key (validation.ts orderIdProblem). */
  readonly orderIdProblem?: string;
  /** The hash of the order's card-free contents (orderHash.ts), for a valid order. */
  readonly orderHash?: string;
}

/** A DynamoDB number for an amount in major units, written without float noise or exponents. */
function amount(value: number): AttributeValue {
  const converted = toMinorUnits(value);
  if (!converted.ok) {
    throw new Error(`The value ${value} is not an amount of money.`);
  }
  return { N: minorToDecimal(converted.minor) };
}

export function baseItem(fields: BaseRecordFields): DynamoItem {
  const item: DynamoItem = {
    [ATTR.orderId]: { S: fields.orderId },
    [ATTR.executionName]: { S: fields.executionName },
    [ATTR.createdAt]: { S: fields.createdAt },
  };
  if (fields.customerId !== undefined) {
    item[ATTR.customerId] = { S: fields.customerId };
  }
  if (fields.orderTotal !== undefined) {
    item[ATTR.orderTotal] = amount(fields.orderTotal);
  }
  if (fields.items !== undefined) {
    item[ATTR.items] = {
      L: fields.items.map((orderItem) => ({
        M: {
          itemId: { S: orderItem.itemId },
          price: amount(orderItem.price),
          itemDescription: { S: orderItem.itemDescription },
        },
      })),
    };
  }
  if (fields.paymentMethod !== undefined) {
    item[ATTR.paymentMethod] = { S: fields.paymentMethod };
  }
  if (fields.orderIdProblem !== undefined) {
    item[ATTR.orderIdProblem] = { S: fields.orderIdProblem };
  }
  if (fields.orderHash !== undefined) {
    item[ATTR.orderHash] = { S: fields.orderHash };
  }
  return item;
}

/** A base item with its state (and, once charged, the charge's id). */
export function withState(item: DynamoItem, state: RecordState, chargeId?: string): DynamoItem {
  return {
    ...item,
    [ATTR.state]: { S: state },
    ...(chargeId === undefined ? {} : { [ATTR.chargeId]: { S: chargeId } }),
  };
}

export type PlainValue = string | number | PlainValue[] | { [key: string]: PlainValue };

function attributeToPlain(value: AttributeValue): PlainValue {
  if ("S" in value) {
    return value.S;
  }
  if ("N" in value) {
    return Number(value.N);
  }
  if ("L" in value) {
    return value.L.map(attributeToPlain);
  }
  return itemToPlain(value.M);
}

/** An item as plain JSON (strings, numbers, arrays, objects), for reports and tests. */
export function itemToPlain(item: DynamoItem): { [key: string]: PlainValue } {
  return Object.fromEntries(Object.entries(item).map(([key, value]) => [key, attributeToPlain(value)]));
}
