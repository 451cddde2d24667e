/**
 * The sample order (samples/order.json, what `npm start` runs with no file), typed as the handlers'
 * contract types a well-formed order, and what tests derive from it: bad orders, its card data, a
 * date within its card's validity.
 */

import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { OrderInput } from "../../handlers/contract";

const SAMPLE_ORDER_FILE = path.join(__dirname, "..", "..", "samples", "order.json");

const readSample = (): unknown => JSON.parse(readFileSync(SAMPLE_ORDER_FILE, "utf8"));

/** A fresh copy of the sample order, with an `orderId` when one is given. */
export function sampleOrder(orderId?: string): OrderInput {
  const order = readSample() as OrderInput;
  return orderId === undefined ? order : { ...order, orderId };
}

/** An order as tests edit it, to make a bad one: any field may be set to anything, or deleted. */
export interface EditableOrder {
  [key: string]: unknown;
  orderContents: { [key: string]: unknown; items: { [key: string]: unknown }[] };
  paymentDetails: { [key: string]: unknown };
}

/** A fresh copy of the sample order after `edit`. */
export function orderWith(edit: (order: EditableOrder) => void): EditableOrder {
  const order = readSample() as EditableOrder;
  edit(order);
  return order;
}

/** The sample's card data (number as written and as digits, expiry, name), which no output may contain. */
export const CARD_SECRETS = ["5555 5555 5555 4444", "5555555555554444", "12/30", "John Doe"];

/** A date within the sample card's validity (and after the original workflow's 08/26 expiry). */
export const NOW = new Date("2026-11-27T05:00:00.000Z");
