/**
 * The release Lambda: the compensation that gives an order's reserved units back to stock. It reads
 * the order's record and, when this execution holds a reservation there, gives its units back and
 * marks it RELEASED in one transaction, on condition that it still stands as read (reservations.ts).
 * A retry finds it RELEASED and gives nothing back twice; a record of another execution is left alone.
 * A COMMITTED reservation is given back only for the charge that was just refunded (its PROCESSED
 * write landed though it answered an error).
 */

import type { DynamoItem, ReleaseInput, SagaStepResult } from "./contract";
import { ATTR, type StockState } from "./order/records";
import { unitsOfItem } from "./order/units";
import { inventoryFor, reservationsFor } from "./ports/adapters";
import type { Env } from "./ports/config";
import type { Inventory } from "./ports/inventory";
import type { Reservations } from "./ports/reservations";

export interface ReleaseDeps {
  readonly reservations: Reservations;
  readonly inventory: Inventory;
}

const text = (item: DynamoItem, name: string): string | undefined => {
  const value = item[name];
  return value !== undefined && "S" in value ? value.S : undefined;
};

function checkReleaseInput(input: unknown): ReleaseInput {
  const { orderId, executionName, refundedChargeId } = (input ?? {}) as Partial<Record<keyof ReleaseInput, unknown>>;
  if (typeof orderId !== "string" || typeof executionName !== "string" || typeof refundedChargeId !== "string") {
    throw new Error("releaseStock needs orderId, executionName and refundedChargeId");
  }
  return input as ReleaseInput;
}

/** Reads, releases on condition, and reads again if the record changed in between (at most three times). */
export async function releaseStock(input: ReleaseInput, deps: ReleaseDeps): Promise<SagaStepResult> {
  const { orderId, executionName, refundedChargeId } = checkReleaseInput(input);
  for (let attempt = 0; attempt < 3; attempt++) {
    const held = await deps.reservations.read(orderId);
    if (held === undefined || text(held, ATTR.executionName) !== executionName) return { record: {} };
    const state = text(held, ATTR.stockState) as StockState | undefined;
    const released = { record: { [ATTR.stockState]: { S: "RELEASED" } } };
    if (state === "RELEASED") return released;
    const refunded = state === "COMMITTED" && text(held, ATTR.chargeId) === refundedChargeId;
    if (state !== "RESERVED" && !refunded) return { record: {} };
    // The record that holds the reservation holds the order's Items: its units are what is given back.
    const writes = deps.inventory.giveBackWrites(unitsOfItem(held));
    if (await deps.reservations.release(orderId, executionName, state, writes)) return released;
  }
  throw new Error(`The reservation of order ${orderId} kept changing while it was being released; try again.`);
}

export function releaseStockFactory(env: Env = process.env): (event: ReleaseInput) => Promise<SagaStepResult> {
  const deps: ReleaseDeps = { reservations: reservationsFor(env), inventory: inventoryFor(env, "writes") };
  return async (event) => {
    const result = await releaseStock(event, deps);
    const outcome = ATTR.stockState in result.record ? "released" : "nothing held";
    console.log(JSON.stringify({ handler: "releaseStock", orderId: event.orderId, outcome }));
    return result;
  };
}
