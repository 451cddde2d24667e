/**
 * The retrieve-stock-levels Lambda: the quantity in stock of each item of a well-formed order. A
 * malformed order gets no items (the verification Lambda reports why).
 */

import type { ParallelInput, StockResult } from "./contract";
import { checkParallelInput, resolveOrderId, validateOrder } from "./order/validation";
import { inventoryFor } from "./ports/adapters";
import type { Env } from "./ports/config";
import type { Inventory } from "./ports/inventory";

export interface StockDeps {
  readonly inventory: Inventory;
}

export async function retrieveStockLevels(input: ParallelInput, deps: StockDeps): Promise<StockResult> {
  const { order, executionName } = checkParallelInput(input);
  const validation = validateOrder(order);
  if (!validation.ok) {
    return { quantitiesInStock: [] };
  }
  const { items } = validation.order;
  const levels = await deps.inventory.stockLevels(items, { orderId: resolveOrderId(order, executionName) });
  if (levels.length !== items.length || !levels.every((level) => Number.isSafeInteger(level) && level >= 0)) {
    throw new Error(
      `The inventory answered ${levels.length} stock levels for ${items.length} items, or a level that is not a count.`,
    );
  }
  // Only the counts: the items travel in the verification's record item (contract.ts StockResult).
  return { quantitiesInStock: [...levels] };
}

/** The Lambda: settings and inventory are made once per container, at its first start. */
export function retrieveStockLevelsFactory(env: Env = process.env): (event: ParallelInput) => Promise<StockResult> {
  const deps: StockDeps = { inventory: inventoryFor(env) };
  return async (event) => {
    const result = await retrieveStockLevels(event, deps);
    const orderId = resolveOrderId(event.order, event.executionName);
    const outOfStock = result.quantitiesInStock.filter((quantity) => quantity === 0).length;
    console.log(
      JSON.stringify({ handler: "retrieveStockLevels", orderId, items: result.quantitiesInStock.length, outOfStock }),
    );
    return result;
  };
}
