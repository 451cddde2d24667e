/**
 * The local engine as tests drive it: engines over one DynamoDB the tests read themselves, and what
 * they read off a run (its notifications, its failure path, its Lambdas' log lines).
 *
 * The harness reads records with its own client (the SDK's default retries, errors thrown rather than
 * taken for "no record"), so "not recorded" is asserted on a read that worked.
 */
import * as assert from "assert";
import { DynamoDBClient, GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { ORDERS_TABLE_KEY, type Notification } from "../../handlers/contract";
import { PlainValue, itemToPlain } from "../../handlers/order/records";
import { EngineOptions, LocalWorkflow } from "../../engine/engine";
import type { ExecutionReport } from "../../workflow/execution/report";
import { startDynalite } from "../../engine/dynamodb";

export type PlainRecord = { [key: string]: PlainValue };

/** The simulation switched off: only the input and the injected faults decide an outcome. */
export const NO_SIMULATED_FAILURES = { payment: 0, stock: 0, charge: 0 } as const;

type DynamoItem = Parameters<typeof itemToPlain>[0];

/** Reads a table directly, never through an injected fault. */
export class TableReader {
  private readonly client: DynamoDBClient;

  constructor(
    endpoint: string,
    private readonly tableName: string,
  ) {
    this.client = new DynamoDBClient({
      endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  }

  async record(orderId: string): Promise<PlainRecord | null> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { [ORDERS_TABLE_KEY]: { S: orderId } },
        ConsistentRead: true,
      }),
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

  /**
   * An engine on this harness' tables; rates default to no simulated failures. With `viaEndpoint`, the
   * engine reaches the harness' DynamoDB through that endpoint (a test's proxy in front of it).
   */
  async engine(
    options: Omit<EngineOptions, "dynamodbEndpoint" | "tableName" | "inventoryTableName"> & {
      readonly viaEndpoint?: string;
    } = {},
  ): Promise<LocalWorkflow> {
    const { viaEndpoint, ...engineOptions } = options;
    const engine = await LocalWorkflow.start({
      rates: NO_SIMULATED_FAILURES,
      ...engineOptions,
      dynamodbEndpoint: viaEndpoint ?? this.endpoint,
      tableName: this.tableName,
      inventoryTableName: `Inventory-${this.tableName}`,
    });
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
export function notices(report: ExecutionReport): Notification[] {
  return report.notifications as Notification[];
}

/**
 * The failure path every failed order takes after its reason state: from RecordFailedOrder, `Next` by
 * `Next`, to the Fail state, as the engine's definition has it.
 */
export function failureTail(engine: LocalWorkflow): string[] {
  const { States } = JSON.parse(engine.definition) as { States: Record<string, { Type: string; Next?: string }> };
  const tail: string[] = [];
  for (
    let name: string | undefined = "RecordFailedOrder";
    name !== undefined && tail.length < 10;
    name = States[name]?.Next
  ) {
    tail.push(name);
  }
  assert.strictEqual(
    States[tail[tail.length - 1]]?.Type,
    "Fail",
    `the failure path does not end in a Fail state: ${tail.join(" → ")}`,
  );
  return tail;
}

export function endsWith(states: readonly string[], tail: readonly string[]): boolean {
  return tail.every((state, i) => states[states.length - tail.length + i] === state);
}

/** Lines a run's Lambdas logged that name an order or execution. */
export function logLinesAbout(engine: LocalWorkflow, id: string): string[] {
  return engine.lambdaLogs.filter((line) => line.includes(id));
}
