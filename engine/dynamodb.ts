/**
 * DynamoDB for the local engine: dynalite on a loopback port (in memory, or on disk; in this thread, or
 * in a worker thread of its own), and the orders and inventory tables created with the stack's key schemas.
 */
import type { Server } from "http";
import type { AddressInfo } from "net";
import { Worker } from "worker_threads";
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

/**
 * The server, run in a worker thread: dynalite answers requests (parsing, validating, LevelDB) on its own
 * thread, as DynamoDB is another machine, instead of taking turns with the engine and the Lambdas on the
 * main thread. The worker posts its port once it listens, and closes the server when told to.
 */
const SERVER = `
const { parentPort, workerData } = require("worker_threads");
const dynalite = require(workerData.module);
// With a path, the tables are in LevelDB on disk (what a SIGKILL cannot lose); without, in memory.
const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
// Keep idle connections longer than the SDK's pool does, or a reused socket is reset mid-request.
server.keepAliveTimeout = 10 * 60000;
server.listen(0, "127.0.0.1", (error) => {
  if (error) throw error;
  parentPort.postMessage({ port: server.address().port });
});
parentPort.on("message", () => server.close(() => process.exit(0)));
`;

/**
 * startDynalite's DynamoDB, served from a worker thread (SERVER above). What the engine's clients see is
 * the same endpoint and the same tables; the main thread no longer spends a fifth of each order answering
 * its own DynamoDB requests (docs/bench.md).
 */
export async function startDynaliteWorker(path?: string): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const worker = new Worker(SERVER, { eval: true, workerData: { module: require.resolve("dynalite"), path } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", (m: { port: number }) => resolve(m.port));
    worker.once("error", reject);
  });
  // The engine's handles end the process when it is done; the worker does not keep it alive.
  worker.unref();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        worker.once("exit", () => resolve());
        worker.postMessage("close");
      }),
  };
}

/** Creates a table (the orders table unless another key is given), keyed as the stack declares it, unless it exists. */
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
}
