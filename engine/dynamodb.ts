/**
 * DynamoDB for the local engine: dynalite on a loopback port (in memory, or on disk), its listener also
 * called directly, in this thread (docs/bench.md: a worker thread cost more in messages than it saved),
 * and the orders and inventory tables created with the stack's key schemas.
 */
import type { Server } from "http";
import type { AddressInfo } from "net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ORDERS_TABLE_KEY } from "../handlers/contract";
import { cacheConditionParses } from "./expressionCache";
import { answerInProcess } from "./front";
import { Wire, listenerWire } from "./wire";

interface DynaliteServer {
  keepAliveTimeout: number;
  listen(port: number, host: string, callback: (error?: Error) => void): void;
  close(callback: (error?: Error) => void): void;
  address(): AddressInfo | string | null;
}
type Dynalite = (options: {
  path?: string;
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}) => DynaliteServer;

/**
 * A DynamoDB (in memory, or on disk under `path`) on a free loopback port, and as a wire (its request
 * listener, called directly: engine/wire.ts), which also answers this process's SDK requests to the port.
 */
export async function startDynalite(
  path?: string,
): Promise<{ endpoint: string; wire: Wire; close: () => Promise<void> }> {
  // dynalite ships no type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require("dynalite") as Dynalite;
  cacheConditionParses();
  // With a path, the tables are in LevelDB on disk (what a SIGKILL cannot lose); without, in memory.
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // Keep idle connections longer than the SDK's pool does, or a reused socket is reset mid-request.
  server.keepAliveTimeout = 10 * 60_000;
  const [listener] = (server as unknown as Server).listeners("request") as Parameters<typeof listenerWire>;
  const wire = listenerWire(listener);
  await new Promise<void>((resolve, reject) => server.listen(0, "127.0.0.1", (e) => (e ? reject(e) : resolve())));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const stopAnswering = answerInProcess(endpoint, wire);
  return {
    endpoint,
    wire,
    close: () =>
      new Promise<void>((resolve) => {
        stopAnswering();
        server.close(() => resolve());
      }),
  };
}

/**
 * Creates a table (the orders table unless another key is given), keyed as the stack declares it, unless
 * it exists; resolves once it is ACTIVE (as in AWS, a table being created refuses item requests).
 */
export async function ensureTable(dynamo: DynamoDBClient, tableName: string, key = ORDERS_TABLE_KEY): Promise<void> {
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  } catch {
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: key, AttributeType: "S" }],
        KeySchema: [{ AttributeName: key, KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  }
  for (;;) {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
