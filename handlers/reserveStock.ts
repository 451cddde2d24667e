/**
 * The reserve Lambda: the saga's first step. In one DynamoDB transaction it claims the order's record
 * (State PROCESSING, StockState RESERVED: the reservation of its Items) and takes every unit from stock
 * (reservations.ts), so the order holds all of its units or none:
 *
 * - a unit that cannot be taken is an OutOfStockError, and nothing was reserved;
 * - a record already held is read: this same execution's PROCESSING claim of the same contents is a
 *   retry, answered with the reservation it made (stock is not taken twice); its PROCESSED record of
 *   the same contents is a redelivery (EXPRESS runs at least once), an AlreadyProcessedError carrying
 *   the answer it gave then, charging nothing; a record of other contents is an OrderConflictError
 *   (its own execution name included: a rerun must not announce the first's charge); anything else a
 *   DuplicateOrderError.
 *
 * In simulated mode the inventory takes nothing: only the record's claim is written.
 */

import {
  ALREADY_PROCESSED_ERROR,
  type ChargeRequest,
  type DynamoItem,
  type ReserveInput,
  type SagaStepResult,
} from "./contract";
import { alreadyProcessedError, duplicateOrderError, orderConflictError, outOfStockError } from "./order/errors";
import { buildNotification } from "./order/notification";
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
  const { orderId, executionName, item, charge } = (input ?? {}) as Partial<Record<keyof ReserveInput, unknown>>;
  const { customerId, amountMinor } = (charge ?? {}) as Partial<Record<keyof ChargeRequest, unknown>>;
  if (
    typeof orderId !== "string" ||
    typeof executionName !== "string" ||
    typeof item !== "object" ||
    item === null ||
    typeof customerId !== "string" ||
    !Number.isSafeInteger(amountMinor)
  ) {
    throw new Error("reserveStock needs orderId, executionName, item and charge {customerId, amountMinor}");
  }
  return input as ReserveInput;
}

/** What to answer when the record is held: this execution's own claim, or why the order cannot go on. */
function heldAnswer(held: DynamoItem | undefined, input: ReserveInput, hash?: string): SagaStepResult {
  const { orderId, executionName, charge } = input;
  if (held === undefined) throw new Error(`Order ${orderId} could not be claimed, yet has no record; try again.`);
  const [owner, state, heldHash] = [text(held, ATTR.executionName), text(held, ATTR.state), text(held, ATTR.orderHash)];
  const own = owner === executionName && heldHash === hash;
  if (own && state === "PROCESSING" && text(held, ATTR.stockState) === "RESERVED") {
    return { record: { [ATTR.stockState]: { S: "RESERVED" } } };
  }
  const chargeId = text(held, ATTR.chargeId);
  if (own && state === "PROCESSED" && chargeId !== undefined) {
    const notification = buildNotification({ orderId, customerId: charge.customerId, amountMinor: charge.amountMinor });
    throw alreadyProcessedError({ orderId, charged: false, chargeId, notification });
  }
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
  return heldAnswer(await deps.reservations.read(orderId), input, text(inputItem, ATTR.orderHash));
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
      const name = error instanceof Error ? error.name : "error";
      const outcome = name === ALREADY_PROCESSED_ERROR ? "already processed" : name;
      console.log(JSON.stringify({ handler: "reserveStock", orderId: event?.orderId, outcome }));
      throw error;
    }
  };
}
