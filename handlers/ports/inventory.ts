/**
 * Where stock levels come from, and the original workflow's simulation of it. A real inventory replaces the
 * simulation by implementing `Inventory` and being chosen in adapters.ts.
 */

import type { OrderItem } from "../contract";
import type { RandomFactory } from "./random";

export interface InventoryContext {
  readonly orderId: string;
}

export interface Inventory {
  /** The quantity in stock of each item, in the items' order. */
  stockLevels(items: readonly OrderItem[], ctx: InventoryContext): Promise<number[]>;
}

/** The simulated inventory: each item is out of stock (0) with probability `stockFailureRate`, else 1–9. */
export class SimulatedInventory implements Inventory {
  constructor(
    private readonly stockFailureRate: number,
    private readonly random: RandomFactory,
  ) {}

  async stockLevels(items: readonly OrderItem[], ctx: InventoryContext): Promise<number[]> {
    return items.map((_item, index) => {
      const source = this.random(ctx.orderId, "stock", String(index));
      return source.next() < this.stockFailureRate ? 0 : 1 + Math.floor(source.next() * 9);
    });
  }
}
