/**
 * A dynalite of the test's own, with one orders-keyed table, started before each test and closed
 * after it (`dynaliteEach`), and a DynamoDB client that makes one attempt, so that a test sees every
 * answer its requests get (`singleAttemptClient`).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable, startDynalite } from "../../engine/dynamodb";
import { localDynamoClient } from "../../scripts/localTable";

export type LocalDynamo = Awaited<ReturnType<typeof startDynalite>>;

/** Registers beforeEach/afterEach hooks; the returned function gives the current test's dynalite. */
export function dynaliteEach(table: string): () => LocalDynamo {
  let db: LocalDynamo | undefined;
  beforeEach(async () => {
    db = await startDynalite();
    const client = localDynamoClient(db.endpoint);
    await ensureTable(client, table);
    client.destroy();
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });
  return () => {
    if (db === undefined) throw new Error("dynaliteEach: no dynalite outside a test");
    return db;
  };
}

/** A client of `endpoint` with local credentials and no retries. */
export const singleAttemptClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
