/** DynamoDB's TransactWriteItems as the local engine runs it in front of dynalite (engine/transactions.ts). */
import * as assert from "assert";
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  type TransactWriteItem,
} from "@aws-sdk/client-dynamodb";
import { ensureTable, startDynalite } from "../../engine/dynamodb";
import { MAX_TRANSACTION_ACTIONS, startTransactionProxy } from "../../engine/transactions";

const TABLE = "Inventory";
const take = (itemId: string, n: number): TransactWriteItem => ({
  Update: {
    TableName: TABLE,
    Key: { ItemId: { S: itemId } },
    UpdateExpression: "SET Available = Available - :n",
    ConditionExpression: "Available >= :n",
    ExpressionAttributeValues: { ":n": { N: String(n) } },
  },
});

describe("the local engine's TransactWriteItems", function () {
  this.timeout(60_000);
  let stops: (() => Promise<void>)[] = [];
  let client: DynamoDBClient;

  beforeEach(async () => {
    const dynamo = await startDynalite();
    const proxy = await startTransactionProxy(dynamo.endpoint);
    client = new DynamoDBClient({
      endpoint: proxy.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    stops = [async () => client.destroy(), proxy.close, dynamo.close];
    await ensureTable(client, TABLE, "ItemId");
    for (const [itemId, units] of [
      ["a", 2],
      ["b", 1],
    ] as const) {
      await client.send(
        new PutItemCommand({ TableName: TABLE, Item: { ItemId: { S: itemId }, Available: { N: String(units) } } }),
      );
    }
  });
  afterEach(async () => {
    for (const stop of stops) await stop();
  });

  const available = async (itemId: string) =>
    Number(
      (
        await client.send(
          new GetItemCommand({ TableName: TABLE, Key: { ItemId: { S: itemId } }, ConsistentRead: true }),
        )
      ).Item?.Available?.N,
    );

  it("applies every action when every condition holds", async () => {
    await client.send(new TransactWriteItemsCommand({ TransactItems: [take("a", 2), take("b", 1)] }));
    assert.deepStrictEqual([await available("a"), await available("b")], [0, 0]);
  });

  it("applies none when one is refused, answering TransactionCanceledException with a reason per action", async () => {
    await assert.rejects(
      client.send(new TransactWriteItemsCommand({ TransactItems: [take("a", 1), take("b", 2)] })),
      (error: Error & { CancellationReasons?: { Code?: string }[] }) => {
        assert.strictEqual(error.name, "TransactionCanceledException");
        assert.deepStrictEqual(
          error.CancellationReasons?.map((r) => r.Code),
          ["None", "ConditionalCheckFailed"],
        );
        assert.match(error.message, /\[None, ConditionalCheckFailed\]$/);
        return true;
      },
    );
    assert.deepStrictEqual([await available("a"), await available("b")], [2, 1], "item a was put back");
  });

  it("refuses two actions on one item, as DynamoDB does", async () => {
    await assert.rejects(client.send(new TransactWriteItemsCommand({ TransactItems: [take("a", 1), take("a", 1)] })), {
      name: "ValidationException",
    });
    assert.strictEqual(await available("a"), 2);
  });

  it(`refuses more than ${MAX_TRANSACTION_ACTIONS} actions, as DynamoDB does`, async () => {
    const items = Array.from({ length: MAX_TRANSACTION_ACTIONS + 1 }, (_, i) => take(`x${i}`, 1));
    await assert.rejects(client.send(new TransactWriteItemsCommand({ TransactItems: items })), {
      name: "ValidationException",
    });
  });
});
