/**
 * DynamoDB's TransactWriteItems for the local engine. dynalite has no transactions, so this proxy in
 * front of it runs each one itself: the requests it forwards and the transactions it runs take turns
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
import * as http from "http";
import {
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type TransactWriteItem,
} from "@aws-sdk/client-dynamodb";

const JSON_10 = "application/x-amz-json-1.0";
/** DynamoDB's limit of actions in one transaction. */
export const MAX_TRANSACTION_ACTIONS = 100;

type Key = Record<string, AttributeValue>;
interface Applied {
  readonly tableName: string;
  readonly key: Key;
  readonly before: Record<string, AttributeValue> | undefined;
}

function awsError(type: string, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message, ...extra });
}

class Transactions {
  private readonly keys = new Map<string, string[]>();

  constructor(private readonly dynamo: DynamoDBClient) {}

  private async keyOf(tableName: string, item: Record<string, AttributeValue>): Promise<Key> {
    let names = this.keys.get(tableName);
    if (names === undefined) {
      const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: tableName }));
      names = (Table?.KeySchema ?? []).map((k) => k.AttributeName as string);
      this.keys.set(tableName, names);
    }
    return Object.fromEntries(names.map((name) => [name, item[name]]));
  }

  /** Applies one action on condition; false when its condition refused it. */
  private async apply(action: TransactWriteItem, applied: Applied[]): Promise<boolean> {
    const op = action.Put ?? action.Update ?? action.Delete;
    if (op === undefined || action.ConditionCheck !== undefined) {
      throw Object.assign(new Error("the local engine runs Put, Update and Delete actions only"), {
        name: "ValidationException",
      });
    }
    const tableName = op.TableName as string;
    const key = action.Put ? await this.keyOf(tableName, action.Put.Item ?? {}) : (op as { Key: Key }).Key;
    const { Item } = await this.dynamo.send(
      new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    try {
      if (action.Put) await this.dynamo.send(new PutItemCommand(action.Put));
      else if (action.Update) await this.dynamo.send(new UpdateItemCommand(action.Update as never));
      else await this.dynamo.send(new DeleteItemCommand(action.Delete as never));
    } catch (error) {
      if ((error as Error).name === "ConditionalCheckFailedException") return false;
      throw error;
    }
    applied.push({ tableName, key, before: Item });
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
      if (before === undefined) await this.dynamo.send(new DeleteItemCommand({ TableName: tableName, Key: key }));
      else await this.dynamo.send(new PutItemCommand({ TableName: tableName, Item: before }));
    }
  }

  /** Runs one TransactWriteItems request; answers the HTTP status and body DynamoDB would. */
  async run(items: TransactWriteItem[]): Promise<[number, string]> {
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
        if (await this.apply(items[i], applied)) continue;
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

  together(work: () => Promise<void>): void {
    void (async () => {
      while (this.running || this.waiting > 0) await this.last;
      this.inFlight++;
      try {
        await work();
      } finally {
        if (--this.inFlight === 0) for (const resume of this.drained.splice(0)) resume();
      }
    })().catch(() => undefined);
  }

  alone(work: () => Promise<void>): void {
    this.waiting++;
    const run = this.last.then(async () => {
      this.waiting--;
      this.running = true;
      try {
        if (this.inFlight > 0) await new Promise<void>((resume) => this.drained.push(resume));
        await work();
      } finally {
        this.running = false;
      }
    });
    this.last = run.catch(() => undefined);
  }
}

/** Starts the proxy in front of dynalite at `target`; everything else it forwards unchanged. */
export async function startTransactionProxy(target: string): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const dynamo = new DynamoDBClient({
    endpoint: target,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const transactions = new Transactions(dynamo);
  const url = new URL(target);
  const turns = new Turns();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (String(req.headers["x-amz-target"] ?? "").endsWith(".TransactWriteItems")) {
        turns.alone(async () => {
          const { TransactItems } = JSON.parse(body.toString("utf8")) as { TransactItems?: TransactWriteItem[] };
          const [status, answer] = await transactions.run(TransactItems ?? []);
          res.writeHead(status, { "content-type": JSON_10 });
          res.end(answer);
        });
        return;
      }
      turns.together(
        () =>
          new Promise<void>((done) => {
            const forward = http.request(
              { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers },
              (upstream) => {
                res.writeHead(upstream.statusCode ?? 500, upstream.headers);
                upstream.pipe(res);
                upstream.on("end", () => done());
                upstream.on("error", () => done());
              },
            );
            forward.on("error", () => {
              res.destroy();
              done();
            });
            forward.end(body);
          }),
      );
    });
  });
  // Keep idle connections longer than the SDK's pool does, or a reused socket is reset mid-request.
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      dynamo.destroy();
    },
  };
}
