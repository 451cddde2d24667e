/**
 * The reserve Lambda: the saga's first step. In one DynamoDB transaction it claims the order's record
 * (State PROCESSING, StockState RESERVED: the reservation of its Items) and takes every unit from stock
 * (reservations.ts), so the order holds all of its units or none:
 *
 * - a unit that cannot be taken is an OutOfStockError, and nothing was reserved;
 * - a record already held is read: this same execution's PROCESSING claim of the same contents is a
 *   retry, answered with the reservation it made (stock is not taken twice); a record of other
 *   contents is an OrderConflictError; anything else a DuplicateOrderError.
 *
 * In simulated mode the inventory takes nothing: only the record's claim is written.
 */

import type { DynamoItem, ReserveInput, SagaStepResult } from "./contract";
import { duplicateOrderError, orderConflictError, outOfStockError } from "./order/errors";
import { ATTR, withState } from "./order/records";
import { unitsOfItem } from "./order/units";
import { inventoryFor, reservationsFor } from "./ports/adapters";
import type { Env } from "./ports/config";
import type { Inventory } from "./ports/inventory";
import type { Reservations } from "./ports/reservations";

export interface ReserveDeps {
  readonly reservations: Reservations;
  readonly inventory: Inventory;
}

const text = (item: DynamoItem | undefined, name: string): string | undefined => {
  const value = item?.[name];
  return value !== undefined && "S" in value ? value.S : undefined;
};

/** The state machine assembles the input; a malformed one is a fault in the workflow, not in the order. */
function checkReserveInput(input: unknown): ReserveInput {
  const { orderId, executionName, item } = (input ?? {}) as Partial<Record<keyof ReserveInput, unknown>>;
  if (typeof orderId !== "string" || typeof executionName !== "string" || typeof item !== "object" || item === null) {
    throw new Error("reserveStock needs orderId, executionName and item");
  }
  return input as ReserveInput;
}

/** What to answer when the record is held: this execution's own claim, or why the order cannot go on. */
function heldAnswer(held: DynamoItem | undefined, orderId: string, executionName: string, hash?: string) {
  if (held === undefined) throw new Error(`Order ${orderId} could not be claimed, yet has no record; try again.`);
  const [owner, state, heldHash] = [text(held, ATTR.executionName), text(held, ATTR.state), text(held, ATTR.orderHash)];
  const ownClaim = owner === executionName && state === "PROCESSING" && heldHash === hash;
  if (ownClaim && text(held, ATTR.stockState) === "RESERVED") return { record: { [ATTR.stockState]: { S: "RESERVED" } } };
  if (hash !== undefined && heldHash !== undefined && heldHash !== hash) {
    throw orderConflictError(orderId, owner ?? "", state ?? "");
  }
  throw duplicateOrderError(orderId, owner ?? "", state ?? "");
}

export async function reserveStock(input: ReserveInput, deps: ReserveDeps): Promise<SagaStepResult> {
  const { orderId, executionName, item: inputItem } = checkReserveInput(input);
  const units = unitsOfItem(inputItem);
  const stock: DynamoItem = { [ATTR.stockState]: { S: "RESERVED" } };
  // The record's key and owner come from the input's identity, whatever the item says.
  const identity = { [ATTR.orderId]: { S: orderId }, [ATTR.executionName]: { S: executionName } };
  const item = { ...withState({ ...inputItem, ...identity }, "PROCESSING"), ...stock };
  const outcome = await deps.reservations.reserve(item, deps.inventory.takeWrites(units));
  if (outcome.kind === "reserved") return { record: stock };
  if (outcome.kind === "outOfStock") {
    const [itemId, needed] = [...units][outcome.index];
    throw outOfStockError(
      `Item ${itemId} is out of stock: order ${orderId} needs ${needed} unit(s) and fewer are available, so nothing was reserved.`,
    );
  }
  return heldAnswer(await deps.reservations.read(orderId), orderId, executionName, text(inputItem, ATTR.orderHash));
}

/** The Lambda: settings, clients and inventory are made once per container, at its first start. */
export function reserveStockFactory(env: Env = process.env): (event: ReserveInput) => Promise<SagaStepResult> {
  const deps: ReserveDeps = { reservations: reservationsFor(env), inventory: inventoryFor(env, "writes") };
  return async (event) => {
    try {
      const result = await reserveStock(event, deps);
      console.log(JSON.stringify({ handler: "reserveStock", orderId: event.orderId, outcome: "reserved" }));
      return result;
    } catch (error) {
      const outcome = error instanceof Error ? error.name : "error";
      console.log(JSON.stringify({ handler: "reserveStock", orderId: event?.orderId, outcome }));
      throw error;
    }
  };
}
