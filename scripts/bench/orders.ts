/** The orders the bench runs: the sample order (samples/order.json) with as many items as a measurement needs. */
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./common";

/** Order sizes, in items, the handlers and the per-order figures are measured at. */
export const ORDER_SIZES = [1, 3, 50] as const;

/** Every order takes the success path: no simulated failure. */
export const RATES_OFF = { payment: 0, stock: 0, charge: 0 };

export interface OrderItem {
  readonly itemId: string;
  readonly price: number;
  readonly itemDescription: string;
}

export interface Order {
  readonly orderId?: string;
  readonly orderContents: { readonly items: readonly OrderItem[] };
  readonly orderTotal: number;
  readonly customerId: string;
  readonly paymentDetails: Record<string, string>;
}

const SAMPLE = JSON.parse(fs.readFileSync(path.join(ROOT, "samples/order.json"), "utf8")) as Order;

/** The sample order with `count` items: its own three for 3, else its items repeated under new ids. */
export function orderOf(count: number, orderId: string): Order {
  const base = SAMPLE.orderContents.items;
  const items =
    count === base.length
      ? base
      : Array.from({ length: count }, (_, i) => ({
          ...base[i % base.length],
          itemId: `item-${String(i + 1).padStart(5, "0")}`,
        }));
  const totalMinor = items.reduce((sum, item) => sum + Math.round(item.price * 100), 0);
  return { ...SAMPLE, orderId, orderContents: { items }, orderTotal: totalMinor / 100 };
}
