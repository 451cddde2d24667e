/**
 * The shape rules of an order (the INVALID_ORDER outcome). Any JSON value is accepted as input; the
 * first problem found, in a fixed field order, is reported in plain words naming the field and item.
 * Payment-detail values are never repeated in a cause; other values are, shortened, and amounts in the
 * one money format (money.ts). Every cause is a full sentence (sentence.ts).
 */

import { paymentMethodOf } from "./card";
import type { OrderItem, ParallelInput, PaymentDetails } from "../contract";
import { jsonByteLength, jsonDepth } from "./json";
import { formatAmount, formatMinor, MAX_MINOR, toMinorUnits } from "./money";
import { sentence } from "./sentence";

export const MAX_ITEMS = 100;
/**
 * Different itemIds in one order: the order reserves its stock in one DynamoDB transaction of at most
 * 100 writes (one per different item, and the order's record), so at most 99.
 */
export const MAX_DIFFERENT_ITEMS = 99;
export const MAX_ID_LENGTH = 128;
export const MAX_DESCRIPTION_LENGTH = 500;

/** Step Functions' limit on every state's input and output, in UTF-8 bytes of JSON (States.DataLimitExceeded, which no Catch handles). */
export const STATE_LIMIT_BYTES = 262_144;
/** Kept free in every state of an accepted order, for what AWS adds that the local engine cannot know. */
export const STATE_HEADROOM_BYTES = 16_384;
/**
 * What a state carries besides the order's own text, at most: the ids, the customer and a cause
 * repeated in the notice, the charge, the failure and its message (an OUT_OF_STOCK cause quotes an
 * item's id and description, 768 + 3,000 bytes when every character is escaped, three times), the
 * Lambda response's metadata and the definition's own fields. tests/workflow/stateSizes.test.ts
 * measures the worst accepted order on every path against it.
 */
export const FIXED_STATE_BYTES = 16_384;
/** What the record's DynamoDB wire format adds to an item: `{"M":…}`, `{"S":…}` twice, `{"N":"…"}` (26), and a price's text (14). */
export const RECORD_BYTES_PER_ITEM = 40;
/**
 * The largest order accepted, in UTF-8 bytes of its JSON: the items travel once (workflow/definition.ts),
 * so the largest state is this much, plus the record format's per-item bytes, plus the fixed bytes,
 * with the headroom still free: 262,144 - 16,384 - 16,384 - 100 x 40 = 225,376.
 */
export const ORDER_BYTE_BUDGET =
  STATE_LIMIT_BYTES - STATE_HEADROOM_BYTES - FIXED_STATE_BYTES - MAX_ITEMS * RECORD_BYTES_PER_ITEM;
/** How deeply an order may nest arrays and objects (a well-formed one nests 4). */
export const MAX_ORDER_DEPTH = 32;
/** How much of a value a cause repeats. */
const ECHO_LENGTH = 40;

export interface ValidOrder {
  readonly orderId?: string;
  readonly items: OrderItem[];
  readonly orderTotal: number;
  /** `orderTotal` in cents, equal to the sum of the items' prices in cents. */
  readonly totalMinor: number;
  readonly customerId: string;
  readonly paymentDetails: PaymentDetails;
}

export type Validation =
  { readonly ok: true; readonly order: ValidOrder } | { readonly ok: false; readonly cause: string };

/** The outcome of one field's rule. */
type Check<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly cause: string };

const pass = <T>(value: T): Check<T> => ({ ok: true, value });
/** A refusal; its cause is made a full sentence here, the one place every rule's cause passes through. */
const fail = (cause: string): { readonly ok: false; readonly cause: string } => ({ ok: false, cause: sentence(cause) });

/** How a cause names a field of the order (field names keep their case, so the sentence cannot start with one). */
const field = (path: string): string => `the field ${path}`;

/** An amount as a cause repeats it. */
const describeAmount = (value: unknown): string => formatAmount(value, describeValue);

/** A value as a cause repeats it: short, and only its kind for objects and arrays. */
export function describeValue(value: unknown): string {
  if (value === undefined) {
    return "nothing";
  }
  if (typeof value === "string") {
    const head = Array.from(value.slice(0, ECHO_LENGTH * 2))
      .slice(0, ECHO_LENGTH)
      .join("");
    return JSON.stringify(head.length < value.length ? `${head}…` : value);
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? "an empty array" : `an array of ${value.length}`;
  }
  if (typeof value === "object" && value !== null) {
    return "an object";
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" || value === null) {
    return String(value);
  }
  return `a ${typeof value}`;
}

/** A value's kind only (for payment details, whose values must not be repeated). */
function describeKind(value: unknown): string {
  if (value === undefined) {
    return "nothing";
  }
  if (value === null) {
    return "null";
  }
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkId(path: string, value: unknown): Check<string> {
  if (typeof value !== "string" || value.trim() === "" || value.length > MAX_ID_LENGTH) {
    return fail(
      `${field(path)} must be a non-empty string of at most ${MAX_ID_LENGTH} characters (got ${describeValue(value)})`,
    );
  }
  return pass(value);
}

/** What is wrong with an orderId, in words that a sentence can go on from; undefined when it is valid. */
function orderIdRule(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > MAX_ID_LENGTH || !/^[A-Za-z0-9._:-]+$/.test(value)) {
    return `${field("orderId")} must be 1 to ${MAX_ID_LENGTH} characters from A-Z, a-z, 0-9, ".", "_", ":" and "-" (got ${describeValue(value)})`;
  }
  return undefined;
}

function checkOrderId(value: unknown): Check<string> {
  const problem = orderIdRule(value);
  return problem === undefined ? pass(value as string) : fail(problem);
}

/** An amount greater than 0, in cents. */
function checkAmount(path: string, value: unknown): Check<number> {
  const converted = toMinorUnits(value);
  if (!converted.ok && converted.problem === "too-many-decimals") {
    return fail(`${field(path)} must have at most 2 decimal places (got ${describeAmount(value)})`);
  }
  if (!converted.ok && converted.problem === "too-large") {
    return fail(`${field(path)} must be at most ${formatMinor(MAX_MINOR)} (got ${describeAmount(value)})`);
  }
  if (!converted.ok || converted.minor <= 0) {
    return fail(`${field(path)} must be a number greater than 0 (got ${describeAmount(value)})`);
  }
  return pass(converted.minor);
}

interface PricedItem {
  readonly item: OrderItem;
  readonly priceMinor: number;
}

function checkItem(index: number, value: unknown): Check<PricedItem> {
  const path = `orderContents.items[${index}]`;
  if (!isObject(value)) {
    return fail(`${field(path)} must be an object (got ${describeValue(value)})`);
  }
  const itemId = checkId(`${path}.itemId`, value.itemId);
  if (!itemId.ok) {
    return itemId;
  }
  const price = checkAmount(`${path}.price`, value.price);
  if (!price.ok) {
    return price;
  }
  const description = value.itemDescription;
  if (typeof description !== "string" || description.trim() === "" || description.length > MAX_DESCRIPTION_LENGTH) {
    return fail(
      `${field(`${path}.itemDescription`)} must be a non-empty string of at most ${MAX_DESCRIPTION_LENGTH} characters (got ${describeValue(description)})`,
    );
  }
  // A fresh object: nothing but these three fields travels on from the input.
  return pass({
    item: { itemId: itemId.value, price: value.price as number, itemDescription: description },
    priceMinor: price.value,
  });
}

/** The items with the sum of their prices in cents. */
function checkItems(orderContents: unknown): Check<{ readonly items: OrderItem[]; readonly sumMinor: number }> {
  if (!isObject(orderContents)) {
    return fail(`${field("orderContents")} must be an object (got ${describeValue(orderContents)})`);
  }
  const list = orderContents.items;
  if (!Array.isArray(list)) {
    return fail(`${field("orderContents.items")} must be an array (got ${describeValue(list)})`);
  }
  if (list.length === 0) {
    return fail(`${field("orderContents.items")} must contain at least 1 item (got none)`);
  }
  if (list.length > MAX_ITEMS) {
    return fail(`${field("orderContents.items")} must contain at most ${MAX_ITEMS} items (got ${list.length})`);
  }
  const items: OrderItem[] = [];
  let sumMinor = 0;
  for (let index = 0; index < list.length; index++) {
    const checked = checkItem(index, list[index]);
    if (!checked.ok) {
      return checked;
    }
    items.push(checked.value.item);
    sumMinor += checked.value.priceMinor;
  }
  const different = new Set(items.map((item) => item.itemId)).size;
  if (different > MAX_DIFFERENT_ITEMS) {
    return fail(
      `${field("orderContents.items")} must hold at most ${MAX_DIFFERENT_ITEMS} different itemIds, one stock reservation each (got ${different})`,
    );
  }
  if (sumMinor > MAX_MINOR) {
    return fail(`the item prices in orderContents.items add up to more than ${formatMinor(MAX_MINOR)}`);
  }
  return pass({ items, sumMinor });
}

function checkPaymentDetailsShape(value: unknown): Check<PaymentDetails> {
  if (!isObject(value)) {
    return fail(`${field("paymentDetails")} must be an object (got ${describeKind(value)})`);
  }
  for (const name of ["name", "cardType", "cardNumber", "expiration"] as const) {
    if (typeof value[name] !== "string") {
      return fail(`${field(`paymentDetails.${name}`)} must be a string (got ${describeKind(value[name])})`);
    }
  }
  const { name, cardType, cardNumber, expiration } = value as Record<keyof PaymentDetails, string>;
  return pass({ name, cardType, cardNumber, expiration });
}

/** The whole order (whatever fields it also holds): nested at most MAX_ORDER_DEPTH deep, and within the byte budget. */
function checkSize(input: Record<string, unknown>): Check<number> {
  const depth = jsonDepth(input);
  if (depth > MAX_ORDER_DEPTH) {
    return fail(
      `the order must nest arrays and objects at most ${MAX_ORDER_DEPTH} levels deep (got ${depth.toLocaleString("en-US")} levels)`,
    );
  }
  const bytes = jsonByteLength(input);
  if (bytes > ORDER_BYTE_BUDGET) {
    return fail(
      `the order must be at most ${ORDER_BYTE_BUDGET.toLocaleString("en-US")} bytes of JSON (UTF-8), so that every step of the workflow stays ` +
        `under Step Functions' ${STATE_LIMIT_BYTES.toLocaleString("en-US")}-byte limit (got ${bytes.toLocaleString("en-US")} bytes)`,
    );
  }
  return pass(bytes);
}

/** Checks an order against every shape rule; reports the first problem found. */
export function validateOrder(input: unknown): Validation {
  if (!isObject(input)) {
    return fail(`the order must be a JSON object (got ${describeValue(input)})`);
  }
  const orderId = input.orderId === undefined ? undefined : checkOrderId(input.orderId);
  if (orderId !== undefined && !orderId.ok) {
    return orderId;
  }
  const items = checkItems(input.orderContents);
  if (!items.ok) {
    return items;
  }
  const total = checkAmount("orderTotal", input.orderTotal);
  if (!total.ok) {
    return total;
  }
  if (total.value !== items.value.sumMinor) {
    return fail(
      `${field("orderTotal")} must equal the sum of the item prices, ${formatMinor(items.value.sumMinor)} (got ${describeAmount(input.orderTotal)})`,
    );
  }
  const customerId = checkId("customerId", input.customerId);
  if (!customerId.ok) {
    return customerId;
  }
  const paymentDetails = checkPaymentDetailsShape(input.paymentDetails);
  if (!paymentDetails.ok) {
    return paymentDetails;
  }
  const size = checkSize(input);
  if (!size.ok) {
    return size;
  }
  return {
    ok: true,
    order: {
      ...(orderId === undefined ? {} : { orderId: orderId.value }),
      items: items.value.items,
      orderTotal: input.orderTotal as number,
      totalMinor: total.value,
      customerId: customerId.value,
      paymentDetails: paymentDetails.value,
    },
  };
}

/**
 * The order's id: its `orderId` when that is valid, else the execution's name. The one rule: every
 * Lambda resolves the id with it, and a report of an execution (workflow/execution/orderId.ts) falls
 * back on it when no notification says the id.
 */
export function resolveOrderId(order: unknown, executionName: string): string {
  if (isObject(order)) {
    const orderId = checkOrderId(order.orderId);
    if (orderId.ok) {
      return orderId.value;
    }
  }
  return executionName;
}

/**
 * Why the order's own `orderId` cannot key its record (the execution's name stands in), or undefined
 * when it can, or when the order gives none: the record and the failure notification say so.
 */
export function orderIdProblem(order: unknown): string | undefined {
  if (!isObject(order) || order.orderId === undefined) {
    return undefined;
  }
  const problem = orderIdRule(order.orderId);
  return problem === undefined
    ? undefined
    : sentence(`${problem}, so the order is recorded under its execution's name`);
}

/** The fields of an order that are valid on their own, for the record and the notification of any order. */
export interface KnownFields {
  readonly customerId?: string;
  readonly orderTotal?: number;
  readonly items?: OrderItem[];
  readonly paymentMethod?: string;
}

export function knownFields(order: unknown): KnownFields {
  if (!isObject(order)) {
    return {};
  }
  const customerId = checkId("customerId", order.customerId);
  const total = checkAmount("orderTotal", order.orderTotal);
  const items = checkItems(order.orderContents);
  const paymentMethod = paymentMethodOf(order.paymentDetails);
  return {
    ...(customerId.ok ? { customerId: customerId.value } : {}),
    ...(total.ok ? { orderTotal: order.orderTotal as number } : {}),
    ...(items.ok ? { items: items.value.items } : {}),
    ...(paymentMethod === undefined ? {} : { paymentMethod }),
  };
}

/** The state machine passes `{order, executionName}`; anything else is a fault in the workflow. */
export function checkParallelInput(input: unknown): ParallelInput {
  if (
    typeof input !== "object" ||
    input === null ||
    typeof (input as Record<string, unknown>).executionName !== "string"
  ) {
    throw new Error("The Lambda needs {order, executionName} with executionName a string.");
  }
  return input as ParallelInput;
}
