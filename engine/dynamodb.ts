/**
 * DynamoDB for the local engine: dynalite on a loopback port (in memory, or on disk), and the
 * orders table created with the stack's key schema.
 */
import type { Server } from "http";
import type { AddressInfo } from "net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ORDERS_TABLE_KEY } from "../handlers/contract";
import { guardServer, markGuarded } from "./iam/callers";

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

/** A DynamoDB (in memory, or on disk under `path`) on a free loopback port; IAM decides each Lambda's request first. */
export async function startDynalite(path?: string): Promise<{ endpoint: string; close: () => Promise<void> }> {
  // dynalite ships no type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require("dynalite") as Dynalite;
  // With a path, the tables are in LevelDB on disk (what a SIGKILL cannot lose); without, in memory.
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // Keep idle connections longer than the SDK's pool does, or a reused socket is reset mid-request.
  server.keepAliveTimeout = 10 * 60_000;
  guardServer(server as unknown as Server);
  await new Promise<void>((resolve, reject) => server.listen(0, "127.0.0.1", (e) => (e ? reject(e) : resolve())));
  const { port } = server.address() as AddressInfo;
  markGuarded(`http://127.0.0.1:${port}`);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Creates the orders table, keyed as the stack declares it, unless it exists. */
export async function ensureTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  } catch {
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: ORDERS_TABLE_KEY, AttributeType: "S" }],
        KeySchema: [{ AttributeName: ORDERS_TABLE_KEY, KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  }
}
