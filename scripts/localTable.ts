/**
 * The local orders table, read back by the scripts that run many orders (npm run load, npm run bench):
 * a client for dynalite, and a scan that follows every page.
 */
import { DynamoDBClient, ScanCommand, ScanCommandInput, ScanCommandOutput } from "@aws-sdk/client-dynamodb";

/** A client for a local DynamoDB (dynalite): any credentials do. */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

/** Scans the whole table, a page at a time, handing each page on (consistent reads). */
export async function scanAll(
  client: DynamoDBClient,
  input: Omit<ScanCommandInput, "ExclusiveStartKey" | "ConsistentRead">,
  onPage: (page: ScanCommandOutput) => void,
): Promise<void> {
  let start: ScanCommandOutput["LastEvaluatedKey"];
  do {
    const page = await client.send(new ScanCommand({ ...input, ConsistentRead: true, ExclusiveStartKey: start }));
    onPage(page);
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
}

/** How many items the table holds. */
export async function countItems(client: DynamoDBClient, tableName: string): Promise<number> {
  let count = 0;
  await scanAll(client, { TableName: tableName, Select: "COUNT" }, (page) => (count += page.Count ?? 0));
  return count;
}
