/** Test doubles for the handlers' ports: a scripted payment gateway, a fixed inventory, the reservations in memory. */

import type { DynamoItem, OrderItem } from "../../handlers/contract";
import { ATTR } from "../../handlers/order/records";
import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import type { Inventory } from "../../handlers/ports/inventory";
import type { ReserveOutcome, Reservations } from "../../handlers/ports/reservations";
import type {
  ChargeOrder,
  ChargeOutcome,
  PaymentGateway,
  RefundOutcome,
  Verification,
} from "../../handlers/ports/payments";

/** A gateway that answers as told and remembers what it was asked. */
export class ScriptedGateway implements PaymentGateway {
  readonly charges: ChargeOrder[] = [];
  verifications = 0;

  constructor(
    private readonly verification: Verification = { verified: true, token: "tok_test" },
    private readonly outcome: ChargeOutcome = { approved: true, chargeId: "ch_test" },
  ) {}

  async verify(): Promise<Verification> {
    this.verifications++;
    return this.verification;
  }

  async charge(order: ChargeOrder): Promise<ChargeOutcome> {
    this.charges.push(order);
    return this.outcome;
  }

  readonly refunds: string[] = [];

  /** Refunds the scripted charge, if it was approved and charged under the key. */
  async refund(idempotencyKey: string): Promise<RefundOutcome> {
    this.refunds.push(idempotencyKey);
    const charged = this.charges.some((c) => c.idempotencyKey === idempotencyKey);
    if (!charged || !this.outcome.approved) return { refunded: false };
    return { refunded: true, refundId: `re_${this.outcome.chargeId}`, chargeId: this.outcome.chargeId };
  }
}

/** A stand-in for a stock write: the item and the units it changes by. */
function fakeWrite(itemId: string, change: number) {
  return {
    TableName: "Inventory",
    Key: { ItemId: { S: itemId } },
    UpdateExpression: "ADD Available :n",
    ExpressionAttributeValues: { ":n": { N: String(change) } },
  };
}

/** An inventory with fixed levels, remembering what it was asked. */
export function fixedInventory(
  levels: number[],
): Inventory & { asked: { items: readonly OrderItem[]; orderId: string }[] } {
  const asked: { items: readonly OrderItem[]; orderId: string }[] = [];
  return {
    asked,
    stockLevels: async (items, ctx) => {
      asked.push({ items, orderId: ctx.orderId });
      return levels;
    },
    takeWrites: (units) => [...units].map(([itemId, n]) => ({ Update: fakeWrite(itemId, -n) })),
    giveBackWrites: (units) => [...units].map(([itemId, n]) => ({ Update: fakeWrite(itemId, n) })),
  };
}

/**
 * The orders table's reservations in memory, with the same conditions as the DynamoDB transactions
 * (handlers/ports/reservations.ts). Stock writes are not applied (a fake inventory's are none), but
 * every one handed over is kept, so a test sees what would have been taken or given back.
 */
export class MemoryReservations implements Reservations {
  readonly records = new Map<string, DynamoItem>();
  readonly stockWrites: TransactWriteItem[][] = [];
  /** The index of a stock write to refuse on the next reserve (a unit another order took). */
  refuseStock: number | undefined;

  private static text(item: DynamoItem | undefined, name: string): string | undefined {
    const value = item?.[name];
    return value !== undefined && "S" in value ? value.S : undefined;
  }

  async reserve(item: DynamoItem, stockWrites: TransactWriteItem[]): Promise<ReserveOutcome> {
    const orderId = MemoryReservations.text(item, ATTR.orderId) as string;
    const held = this.records.get(orderId);
    const free =
      held === undefined ||
      (MemoryReservations.text(held, ATTR.state) === "FAILED" &&
        held[ATTR.leftToDo] === undefined &&
        held[ATTR.refundId] === undefined);
    if (!free) return { kind: "held" };
    if (this.refuseStock !== undefined) return { kind: "outOfStock", index: this.refuseStock };
    this.records.set(orderId, structuredClone(item));
    this.stockWrites.push(stockWrites);
    return { kind: "reserved" };
  }

  async release(orderId: string, executionName: string, from: string, stockWrites: TransactWriteItem[]) {
    const held = this.records.get(orderId);
    if (
      held === undefined ||
      MemoryReservations.text(held, ATTR.executionName) !== executionName ||
      MemoryReservations.text(held, ATTR.stockState) !== from
    ) {
      return false;
    }
    this.records.set(orderId, { ...held, [ATTR.stockState]: { S: "RELEASED" } });
    this.stockWrites.push(stockWrites);
    return true;
  }

  async read(orderId: string): Promise<DynamoItem | undefined> {
    return this.records.get(orderId);
  }

  stateOf(orderId: string, name: string = ATTR.state): string | undefined {
    return MemoryReservations.text(this.records.get(orderId), name);
  }
}
