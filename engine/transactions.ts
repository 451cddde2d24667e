/**
 * DynamoDB's TransactWriteItems for the local engine. dynalite has no transactions, so this layer in
 * front of it (engine/wire.ts) runs each one itself: the requests it passes on and the transactions it runs take turns
 * (one at a time), each action is applied with its own condition, and if one is refused those already
 * applied are put back as they were, so that no other request ever sees part of a transaction. A
 * refused transaction is answered as DynamoDB answers it: TransactionCanceledException with one
 * cancellation reason per action (ConditionalCheckFailed for the refused one).
 *
 * As DynamoDB, it refuses more than 100 actions, and two actions on one item (ValidationException).
 * Divergence (docs/fidelity.md): DynamoDB evaluates every action's condition and reports each one; this
 * stops at the first refused action and reports "None" for the actions after it. Put, Update and
 * Delete are supported (ConditionCheck is not: the workflow uses none).
 */
import type { AttributeValue, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { serveFront, servedWire } from "./front";
import { Wire, WireResponse, awsError, call, httpWire, jsonResponse } from "./wire";

/** DynamoDB's limit of actions in one transaction. */
export const MAX_TRANSACTION_ACTIONS = 100;

type Key = Record<string, AttributeValue>;
type Item = Record<string, AttributeValue>;
interface Applied {
  readonly tableName: string;
  readonly key: Key;
  readonly before: Item | undefined;
}

class Transactions {
  private readonly keys = new Map<string, string[]>();

  constructor(private readonly table: Wire) {}

  private async keyOf(tableName: string, item: Item): Promise<Key> {
    let names = this.keys.get(tableName);
    if (names === undefined) {
      const { Table } = await call<{ Table?: { KeySchema?: { AttributeName: string }[] } }>(
        this.table,
        "DescribeTable",
        { TableName: tableName },
      );
      names = (Table?.KeySchema ?? []).map((k) => k.AttributeName);
      this.keys.set(tableName, names);
    }
    return Object.fromEntries(names.map((name) => [name, item[name]]));
  }

  /**
   * Applies one action on condition; false when its condition refused it. The item as it was is kept
   * for a roll-back, unless this is the transaction's last action (nothing after it can be refused).
   */
  private async apply(action: TransactWriteItem, applied: Applied[], last: boolean): Promise<boolean> {
    const op = action.Put ?? action.Update ?? action.Delete;
    if (op === undefined || action.ConditionCheck !== undefined) {
      throw Object.assign(new Error("the local engine runs Put, Update and Delete actions only"), {
        name: "ValidationException",
      });
    }
    const tableName = op.TableName as string;
    const key = action.Put ? await this.keyOf(tableName, action.Put.Item ?? {}) : (op as { Key: Key }).Key;
    const { Item } = last
      ? { Item: undefined }
      : await call<{ Item?: Item }>(this.table, "GetItem", { TableName: tableName, Key: key, ConsistentRead: true });
    try {
      if (action.Put) await call(this.table, "PutItem", action.Put);
      else if (action.Update) await call(this.table, "UpdateItem", action.Update);
      else await call(this.table, "DeleteItem", action.Delete);
    } catch (error) {
      if ((error as Error).name === "ConditionalCheckFailedException") return false;
      throw error;
    }
    if (!last) applied.push({ tableName, key, before: Item });
    return true;
  }

  /** Whether two actions target the same item (DynamoDB refuses such a transaction). */
  private async twoOnOneItem(items: TransactWriteItem[]): Promise<boolean> {
    const seen = new Set<string>();
    for (const action of items) {
      const op = action.Put ?? action.Update ?? action.Delete ?? action.ConditionCheck;
      if (op === undefined) continue;
      const key = action.Put
        ? await this.keyOf(op.TableName as string, action.Put.Item ?? {})
        : (op as { Key: Key }).Key;
      const id = `${op.TableName}\u0000${JSON.stringify(Object.entries(key).sort())}`;
      if (seen.has(id)) return true;
      seen.add(id);
    }
    return false;
  }

  /** Puts back, newest first, what the applied actions changed. */
  private async rollBack(applied: Applied[]): Promise<void> {
    for (const { tableName, key, before } of applied.reverse()) {
      if (before === undefined) await call(this.table, "DeleteItem", { TableName: tableName, Key: key });
      else await call(this.table, "PutItem", { TableName: tableName, Item: before });
    }
  }

  /** Runs one TransactWriteItems request; answers the HTTP status and body DynamoDB would. */
  async run(items: TransactWriteItem[]): Promise<WireResponse> {
    const [status, body] = await this.answer(items);
    return jsonResponse(status, body);
  }

  private async answer(items: TransactWriteItem[]): Promise<[number, string]> {
    if (items.length === 0 || items.length > MAX_TRANSACTION_ACTIONS) {
      return [400, awsError("ValidationException", `TransactItems must have 1 to ${MAX_TRANSACTION_ACTIONS} actions`)];
    }
    if (await this.twoOnOneItem(items)) {
      return [
        400,
        awsError("ValidationException", "Transaction request cannot include multiple operations on one item"),
      ];
    }
    const applied: Applied[] = [];
    const reasons: { Code: string; Message?: string }[] = items.map(() => ({ Code: "None" }));
    try {
      for (let i = 0; i < items.length; i++) {
        if (await this.apply(items[i], applied, i === items.length - 1)) continue;
        await this.rollBack(applied);
        reasons[i] = { Code: "ConditionalCheckFailed", Message: "The conditional request failed" };
        const codes = reasons.map((r) => r.Code).join(", ");
        const message = `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`;
        return [400, awsError("TransactionCanceledException", message, { CancellationReasons: reasons })];
      }
      return [200, "{}"];
    } catch (error) {
      await this.rollBack(applied);
      return [400, awsError((error as Error).name, (error as Error).message)];
    }
  }
}

/**
 * Who may reach the table when: other requests together, a transaction alone (once those under way
 * have answered, and before any that came after it), so that no request sees a transaction half-applied.
 */
class Turns {
  private last: Promise<void> = Promise.resolve();
  private waiting = 0;
  private running = false;
  private inFlight = 0;
  private drained: (() => void)[] = [];

  async together<T>(work: () => Promise<T>): Promise<T> {
    while (this.running || this.waiting > 0) await this.last;
    this.inFlight++;
    try {
      return await work();
    } finally {
      if (--this.inFlight === 0) for (const resume of this.drained.splice(0)) resume();
    }
  }

  alone<T>(work: () => Promise<T>): Promise<T> {
    this.waiting++;
    const run = this.last.then(async () => {
      this.waiting--;
      this.running = true;
      try {
        if (this.inFlight > 0) await new Promise<void>((resume) => this.drained.push(resume));
        return await work();
      } finally {
        this.running = false;
      }
    });
    this.last = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}

/** DynamoDB with transactions, in front of `table` (dynalite): TransactWriteItems run here, the rest passed on. */
export function transactionLayer(table: Wire): Wire {
  const transactions = new Transactions(table);
  const turns = new Turns();
  return (request) => {
    if (request.operation !== "TransactWriteItems") return turns.together(() => table(request));
    return turns.alone(async () => {
      let items: TransactWriteItem[] | undefined;
      try {
        items = (JSON.parse(request.body) as { TransactItems?: TransactWriteItem[] }).TransactItems;
      } catch {
        return jsonResponse(400, JSON.stringify({ __type: "com.amazon.coral.service#SerializationException" }));
      }
      return transactions.run(items ?? []);
    });
  };
}

/** Serves DynamoDB with transactions (transactionLayer) in front of the DynamoDB at `target`. */
export async function startTransactionProxy(target: string): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const ours = servedWire(target);
  const upstream = ours === undefined ? httpWire(target) : { wire: ours, close: () => undefined };
  const front = await serveFront(transactionLayer(upstream.wire));
  return {
    endpoint: front.endpoint,
    close: async () => {
      await front.close();
      upstream.close();
    },
  };
}
