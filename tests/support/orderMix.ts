/**
 * Mixed orders for chaos runs, drawn from a seed: mostly valid orders of one to four units from a
 * small catalogue (so orders compete for the same items), some invalid ones (each a different
 * mistake), and some resubmissions of an earlier order (same id, same contents). Declines and stock
 * shortages come from the simulation's rates or from the inventory given to the run.
 */
import { seededRandom } from "../../handlers/ports/random";
import { sampleOrder } from "./sampleOrder";

export const CATALOGUE = [
  { itemId: "item-c9f4x", price: 1000, itemDescription: "Macbook" },
  { itemId: "item-g7b2q", price: 500, itemDescription: "iPhone" },
  { itemId: "item-p4c97", price: 750, itemDescription: "iPad" },
  { itemId: "item-k2m8d", price: 120, itemDescription: "Keyboard" },
  { itemId: "item-w5n3z", price: 45, itemDescription: "Mouse" },
  { itemId: "item-h8r1t", price: 300, itemDescription: "Headphones" },
] as const;

export type OrderKind = "valid" | "invalid" | "resubmitted";

export interface MixedOrder {
  readonly orderId: string;
  readonly kind: OrderKind;
  readonly input: Record<string, unknown>;
}

/** The mistakes an invalid order makes, one each (the card data stays the sample's). */
const MISTAKES: ReadonlyArray<(order: Record<string, unknown>) => void> = [
  (o) => (o.orderTotal = (o.orderTotal as number) + 1),
  (o) => delete o.customerId,
  (o) => (o.orderContents = { items: [] }),
  (o) => (o.paymentDetails = { ...(o.paymentDetails as object), cardNumber: "5555 5555 5555 4445" }),
];

function validOrder(orderId: string, draw: () => number): Record<string, unknown> {
  const count = 1 + Math.floor(draw() * 4);
  const items = Array.from({ length: count }, () => ({ ...CATALOGUE[Math.floor(draw() * CATALOGUE.length)] }));
  const total = items.reduce((sum, item) => sum + item.price, 0);
  return { ...sampleOrder(orderId), orderContents: { items }, orderTotal: total };
}

/** `count` orders drawn from `seed`: about 80% valid, 12% invalid, 8% resubmissions of an earlier order. */
export function mixedOrders(seed: string, count: number): MixedOrder[] {
  const random = seededRandom(`orders ${seed}`);
  const draw = () => random.next();
  const orders: MixedOrder[] = [];
  for (let i = 0; i < count; i++) {
    const orderId = `chaos-${seed}-${String(i).padStart(4, "0")}`;
    const roll = draw();
    const earlier = orders.filter((o) => o.kind === "valid");
    if (roll < 0.08 && earlier.length > 0) {
      const first = earlier[Math.floor(draw() * earlier.length)];
      orders.push({ orderId: first.orderId, kind: "resubmitted", input: structuredClone(first.input) });
    } else if (roll < 0.2) {
      const input = validOrder(orderId, draw);
      MISTAKES[Math.floor(draw() * MISTAKES.length)](input);
      orders.push({ orderId, kind: "invalid", input });
    } else {
      orders.push({ orderId, kind: "valid", input: validOrder(orderId, draw) });
    }
  }
  return orders;
}

/** Units of each item each valid order asks for, by order id (one entry of the items is one unit). */
export function unitsByOrder(orders: readonly MixedOrder[]): Record<string, Record<string, number>> {
  const units: Record<string, Record<string, number>> = {};
  for (const order of orders) {
    if (order.kind !== "valid") continue;
    const mine: Record<string, number> = {};
    for (const item of (order.input.orderContents as { items: Array<{ itemId: string }> }).items) {
      mine[item.itemId] = (mine[item.itemId] ?? 0) + 1;
    }
    units[order.orderId] = mine;
  }
  return units;
}

/** Stock for a run: `fraction` of the units the valid orders ask for, per item, so that some run out. */
export function scarceStock(orders: readonly MixedOrder[], fraction: number): Record<string, number> {
  const wanted: Record<string, number> = {};
  for (const units of Object.values(unitsByOrder(orders))) {
    for (const [item, n] of Object.entries(units)) wanted[item] = (wanted[item] ?? 0) + n;
  }
  return Object.fromEntries(CATALOGUE.map((c) => [c.itemId, Math.floor((wanted[c.itemId] ?? 0) * fraction)]));
}
