/**
 * Where stock comes from: the original workflow's simulation, or the `Inventory` table (tableInventory.ts). Each
 * answers the stock levels the workflow checks, and the writes that take an order's units from stock
 * (or give them back) inside the order's one stock transaction (reservations.ts). A real inventory
 * replaces these by implementing `Inventory` and being chosen in adapters.ts.
 */

import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import type { OrderItem } from "../contract";
import type { Units } from "../order/units";
import type { RandomFactory } from "./random";

export interface InventoryContext {
  readonly orderId: string;
}

export interface Inventory {
  /** The quantity in stock of each item, in the items' order. */
  stockLevels(items: readonly OrderItem[], ctx: InventoryContext): Promise<number[]>;
  /** The writes that take `units` from stock, each on condition that enough is available. */
  takeWrites(units: Units): TransactWriteItem[];
  /** The writes that give `units` back to stock. */
  giveBackWrites(units: Units): TransactWriteItem[];
}

/**
 * The original workflow's inventory: each item is out of stock (0) with probability `stockFailureRate`, else 1–9.
 * It keeps no stock, so a reservation takes nothing and a release gives nothing back: in simulated
 * mode the saga's stock steps only move the order record's StockState, and dev behaves as the original workflow did.
 */
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

  takeWrites(): TransactWriteItem[] {
    return [];
  }

  giveBackWrites(): TransactWriteItem[] {
    return [];
  }
}
