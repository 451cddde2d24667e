/** Test doubles for the handlers' edges, and the sample order. */

import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { DynamoItem } from "../../handlers/contract";
import type { OrderStore, StoredOrder } from "../../handlers/ports/orderStore";
import type { ChargeOrder, ChargeOutcome, PaymentGateway, Verification } from "../../handlers/ports/payments";
import type { RandomFactory } from "../../handlers/ports/random";
import { ATTR } from "../../handlers/order/records";

/** An order as tests edit it: any field may be set to anything. */
export interface EditableOrder {
  [key: string]: unknown;
  orderContents: { [key: string]: unknown; items: { [key: string]: unknown }[] };
  paymentDetails: { [key: string]: unknown };
}

/** A fresh copy of samples/order.json (a valid order). */
export function sampleOrder(): EditableOrder {
  return JSON.parse(readFileSync(path.join(__dirname, "../../samples/order.json"), "utf8")) as EditableOrder;
}

/** The sample order after `edit`. */
export function orderWith(edit: (order: EditableOrder) => void): EditableOrder {
  const order = sampleOrder();
  edit(order);
  return order;
}

/** The sample's card data, which no handler output may contain. */
export const CARD_SECRETS = ["5555 5555 5555 4444", "5555555555554444", "12/30", "John Doe"];

/** A date within the sample card's validity (and after the seed's 08/26 expiry). */
export const NOW = new Date("2026-11-27T05:00:00.000Z");

/** Every decision draws `value`. */
export function fixedRandom(value: number): RandomFactory {
  return () => ({ next: () => value });
}

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
    return {
      state: MemoryOrderStore.text(item, ATTR.state) ?? "",
      executionName: MemoryOrderStore.text(item, ATTR.executionName) ?? "",
      ...(chargeId === undefined ? {} : { chargeId }),
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

/** Runs `body` with console.log captured; returns what was logged. */
export async function captureLogs(body: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  };
  try {
    await body();
  } finally {
    console.log = original;
  }
  return lines;
}
