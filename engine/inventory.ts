/**
 * The local inventory table as a plain object, `{ "<itemId>": <units available> }`: what
 * `npm start -- --inventory FILE` loads and `--inventory-out FILE` writes, read and written directly
 * (never through an injected fault).
 */
import { DynamoDBClient, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { INVENTORY_AVAILABLE, INVENTORY_TABLE_KEY } from "../handlers/contract";

/** Units available by item id. */
export type Stock = Readonly<Record<string, number>>;

/** What is wrong with a stock file's contents, or undefined when it is `{ "<itemId>": <units> }`. */
export function stockProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return 'the inventory must be a JSON object of item id to units, e.g. {"item-c9f4x": 5}';
  }
  for (const [itemId, units] of Object.entries(value)) {
    if (itemId === "") return "an item id of the inventory is empty";
    if (!Number.isSafeInteger(units) || (units as number) < 0) {
      return `the units of ${JSON.stringify(itemId)} must be a whole number of 0 or more (got ${JSON.stringify(units)})`;
    }
  }
  return undefined;
}

/** Writes each item's units; with `keepExisting`, an item the table already holds is left as it is. */
export async function writeStock(
  dynamo: DynamoDBClient,
  tableName: string,
  stock: Stock,
  options: { readonly keepExisting?: boolean } = {},
): Promise<void> {
  for (const [itemId, units] of Object.entries(stock)) {
    try {
      await dynamo.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { [INVENTORY_TABLE_KEY]: { S: itemId }, [INVENTORY_AVAILABLE]: { N: String(units) } },
          ...(options.keepExisting ? { ConditionExpression: `attribute_not_exists(${INVENTORY_TABLE_KEY})` } : {}),
        }),
      );
    } catch (error) {
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
    }
  }
}

/** The whole table, sorted by item id. */
export async function readStock(dynamo: DynamoDBClient, tableName: string): Promise<Stock> {
  const stock: [string, number][] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start as never }),
    );
    for (const item of page.Items ?? []) {
      const id = item[INVENTORY_TABLE_KEY]?.S;
      if (id !== undefined) stock.push([id, Number(item[INVENTORY_AVAILABLE]?.N ?? "0")]);
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return Object.fromEntries(stock.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
