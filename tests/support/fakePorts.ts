/** Test doubles for the handlers' ports: a scripted payment gateway, a fixed inventory, the orders table in memory. */

import type { DynamoItem, OrderItem } from "../../handlers/contract";
import { ATTR } from "../../handlers/order/records";
import type { Inventory } from "../../handlers/ports/inventory";
import type { OrderStore, StoredOrder } from "../../handlers/ports/orderStore";
import type { ChargeOrder, ChargeOutcome, PaymentGateway, Verification } from "../../handlers/ports/payments";

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
  };
}

/** The orders table in memory, with the same conditions as the DynamoDB store. */
export class MemoryOrderStore implements OrderStore {
  readonly records = new Map<string, DynamoItem>();
  /** Makes the next `read` find nothing (a record deleted between the writes). */
  vanishOnRead = false;

  private static text(item: DynamoItem | undefined, name: string): string | undefined {
    const value = item?.[name];
    return value !== undefined && "S" in value ? value.S : undefined;
  }

  private put(item: DynamoItem, allowed: (existing: DynamoItem | undefined) => boolean): boolean {
    const orderId = MemoryOrderStore.text(item, ATTR.orderId);
    if (orderId === undefined) {
      throw new Error("an item without OrderId");
    }
    if (!allowed(this.records.get(orderId))) {
      return false;
    }
    this.records.set(orderId, structuredClone(item));
    return true;
  }

  async claim(item: DynamoItem, executionName: string): Promise<boolean> {
    return this.put(item, (existing) => {
      const state = MemoryOrderStore.text(existing, ATTR.state);
      const owner = MemoryOrderStore.text(existing, ATTR.executionName);
      return existing === undefined || state === "FAILED" || (owner === executionName && state === "PROCESSING");
    });
  }

  async complete(item: DynamoItem, executionName: string): Promise<boolean> {
    return this.put(item, (existing) => MemoryOrderStore.text(existing, ATTR.executionName) === executionName);
  }

  async read(orderId: string): Promise<StoredOrder | undefined> {
    const item = this.vanishOnRead ? undefined : this.records.get(orderId);
    if (item === undefined) {
      return undefined;
    }
    const chargeId = MemoryOrderStore.text(item, ATTR.chargeId);
    const orderHash = MemoryOrderStore.text(item, ATTR.orderHash);
    return {
      state: MemoryOrderStore.text(item, ATTR.state) ?? "",
      executionName: MemoryOrderStore.text(item, ATTR.executionName) ?? "",
      ...(chargeId === undefined ? {} : { chargeId }),
      ...(orderHash === undefined ? {} : { orderHash }),
    };
  }

  /** A record written directly, as another execution or the state machine would have. */
  seed(orderId: string, executionName: string, state: string, chargeId?: string): void {
    this.records.set(orderId, {
      [ATTR.orderId]: { S: orderId },
      [ATTR.executionName]: { S: executionName },
      [ATTR.state]: { S: state },
      ...(chargeId === undefined ? {} : { [ATTR.chargeId]: { S: chargeId } }),
    });
  }

  stateOf(orderId: string): string | undefined {
    return MemoryOrderStore.text(this.records.get(orderId), ATTR.state);
  }
}
