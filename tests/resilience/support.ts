/**
 * What the resilience tests share: an engine over a DynamoDB they can read themselves, the sample
 * order, and the check that no card data leaks.
 *
 * The harness reads records with its own client (the SDK's default retries, errors thrown rather than
 * taken for "no record"), so "not recorded" is asserted on a read that worked.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DynamoDBClient, GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { ORDERS_TABLE_KEY } from "../../handlers/contract";
import { PlainValue, itemToPlain } from "../../handlers/order/records";
import { EngineOptions, ExecutionReport, LocalWorkflow, startDynalite } from "../../engine/engine";

export type PlainRecord = { [key: string]: PlainValue };

/** The simulation switched off: only the input and the injected faults decide an outcome. */
export const NO_SIMULATED_FAILURES = { payment: 0, stock: 0, charge: 0 } as const;

export interface SampleOrder {
  orderId?: string;
  orderContents: { items: Array<{ itemId: string; price: number; itemDescription: string }> };
  orderTotal: number;
  customerId: string;
  paymentDetails: { name: string; cardType: string; cardNumber: string; expiration: string };
}

/** samples/order.json, fresh each time, with an `orderId` when one is given. */
export function sampleOrder(orderId?: string): SampleOrder {
  const order = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "samples", "order.json"), "utf8")) as SampleOrder;
  return orderId === undefined ? order : { ...order, orderId };
}

type DynamoItem = Parameters<typeof itemToPlain>[0];

/** Reads a table directly, never through an injected fault. */
export class TableReader {
  private readonly client: DynamoDBClient;

  constructor(
    endpoint: string,
    private readonly tableName: string,
  ) {
    this.client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  }

  async record(orderId: string): Promise<PlainRecord | null> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { [ORDERS_TABLE_KEY]: { S: orderId } }, ConsistentRead: true }),
    );
    return Item === undefined ? null : itemToPlain(Item as DynamoItem);
  }

  async all(): Promise<PlainRecord[]> {
    const records: PlainRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey: start as never }),
      );
      records.push(...(page.Items ?? []).map((item) => itemToPlain(item as DynamoItem)));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return records;
  }

  close(): void {
    this.client.destroy();
  }
}

/** One dynalite, and engines started against it; everything stops with `close()`. */
export class Harness {
  private readonly engines: LocalWorkflow[] = [];

  private constructor(
    readonly endpoint: string,
    readonly tableName: string,
    readonly table: TableReader,
    private readonly stopDynamo: () => Promise<void>,
  ) {}

  static async start(tableName = `CustomerOrders-resilience-${process.pid}`): Promise<Harness> {
    const dynamo = await startDynalite();
    return new Harness(dynamo.endpoint, tableName, new TableReader(dynamo.endpoint, tableName), dynamo.close);
  }

  /** An engine on this harness' table; rates default to no simulated failures. */
  async engine(options: Omit<EngineOptions, "dynamodbEndpoint" | "tableName"> = {}): Promise<LocalWorkflow> {
    const engine = await LocalWorkflow.start({ rates: NO_SIMULATED_FAILURES, ...options, dynamodbEndpoint: this.endpoint, tableName: this.tableName });
    this.engines.push(engine);
    return engine;
  }

  async close(): Promise<void> {
    for (const engine of this.engines.splice(0)) await engine.close();
    this.table.close();
    await this.stopDynamo();
  }
}

/** The notifications of a report, typed as the workflow publishes them. */
export interface PublishedNotice {
  readonly orderId: string;
  readonly state: "PROCESSED" | "FAILED";
  readonly reason?: string;
  readonly customerId?: string;
  readonly orderTotal?: number;
  readonly message: string;
}

export function notices(report: ExecutionReport): PublishedNotice[] {
  return report.notifications as PublishedNotice[];
}

/**
 * The failure path every failed order takes after its reason state: from RecordFailedOrder, `Next` by
 * `Next`, to the Fail state, as the engine's definition has it.
 */
export function failureTail(engine: LocalWorkflow): string[] {
  const { States } = JSON.parse(engine.definition) as { States: Record<string, { Type: string; Next?: string }> };
  const tail: string[] = [];
  for (let name: string | undefined = "RecordFailedOrder"; name !== undefined && tail.length < 10; name = States[name]?.Next) {
    tail.push(name);
  }
  assert.strictEqual(States[tail[tail.length - 1]]?.Type, "Fail", `the failure path does not end in a Fail state: ${tail.join(" → ")}`);
  return tail;
}

export function endsWith(states: readonly string[], tail: readonly string[]): boolean {
  return tail.every((state, i) => states[states.length - tail.length + i] === state);
}

/**
 * What must never leave the payment step: the card number (as written and as bare digits), the
 * expiry and the name on the card, wherever the input put them. The card type is not secret (the
 * masked payment method shows it), nor are the last four digits.
 */
export function cardSecrets(input: unknown): string[] {
  const secrets = new Set<string>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(collect);
    } else if (typeof value === "object" && value !== null) {
      const details = value as Record<string, unknown>;
      ["cardNumber", "expiration", "name"].forEach((field) => collect(details[field]));
    } else if (typeof value === "string" || typeof value === "number") {
      const text = String(value).trim();
      if (text.length >= 5) secrets.add(text);
      const digits = text.replace(/\D/g, "");
      if (digits.length >= 12) secrets.add(digits);
    }
  };
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    collect((input as Record<string, unknown>).paymentDetails);
  } else if (Array.isArray(input)) {
    input.forEach((element) => {
      if (typeof element === "object" && element !== null) collect((element as Record<string, unknown>).paymentDetails);
    });
  }
  return [...secrets];
}

/** The first secret found in any of `places`, with where; undefined when none leaks. */
export function leakedSecret(secrets: readonly string[], places: Record<string, unknown>): string | undefined {
  for (const [where, value] of Object.entries(places)) {
    const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
    const found = secrets.find((secret) => text.includes(secret));
    if (found !== undefined) return `${JSON.stringify(found)} in ${where}`;
  }
  return undefined;
}

/** Lines a run's Lambdas logged that name an order or execution. */
export function logLinesAbout(engine: LocalWorkflow, id: string): string[] {
  return engine.lambdaLogs.filter((line) => line.includes(id));
}
