/**
 * The hash kept on an order's record (`OrderHash`), so that a second order under the same orderId
 * can be told apart from a resubmission of the same one (ORDER_CONFLICT against DUPLICATE_ORDER).
 *
 * It hashes only the card-free contents the workflow acts on: the orderId, the items (id, price in
 * cents, description), the total in cents and the customer. Nothing card-derived goes in (not even
 * the masked method or the last four digits), so the hash cannot be searched back to a card number;
 * fields the workflow ignores do not count, and neither does key order or how a price is written.
 */
import { createHash } from "crypto";
import { canonicalJson } from "./json";
import { toMinorUnits } from "./money";
import type { ValidOrder } from "./validation";

function minor(amount: number): number {
  const converted = toMinorUnits(amount);
  if (!converted.ok) {
    throw new Error(`The value ${amount} is not an amount of money.`);
  }
  return converted.minor;
}

/**
 * `sha256:` and the hex SHA-256 of the order's card-free contents, canonically serialized. Node.js's
 * own `crypto` (a module every Lambda runtime has, tests/engine/bundles.test.ts), hashed at once: Web
 * Crypto's `subtle.digest` gives the same hash but costs a job on the thread pool, ~40 us against ~5.
 */
export function orderHash(order: ValidOrder, orderId: string): string {
  const contents = {
    orderId,
    items: order.items.map((item) => ({
      itemId: item.itemId,
      priceMinor: minor(item.price),
      itemDescription: item.itemDescription,
    })),
    totalMinor: order.totalMinor,
    customerId: order.customerId,
  };
  return `sha256:${createHash("sha256").update(canonicalJson(contents), "utf8").digest("hex")}`;
}
