/**
 * The proxy in front of DynamoDB (engine/dynamoProxy.ts): a fault before the effect leaves the table
 * as it was; a lost answer leaves the write applied while the SDK sees DynamoDB's 500
 * (InternalServerError), and only once the table has answered; the order a request is about is found
 * in its body.
 */
import * as assert from "assert";
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { ensureTable, startDynalite } from "../../engine/dynamodb";
import { ProxyFault, faultLayer, orderIdIn, startDynamoProxy } from "../../engine/dynamoProxy";
import { Wire, WireResponse, jsonResponse } from "../../engine/wire";
import { singleAttemptClient } from "../support/localDynamo";

const TABLE = "Orders";

async function withProxy(
  fault: ProxyFault | undefined,
  test: (via: DynamoDBClient, direct: DynamoDBClient) => Promise<void>,
) {
  const dynamo = await startDynalite();
  const direct = singleAttemptClient(dynamo.endpoint);
  await ensureTable(direct, TABLE);
  const proxy = await startDynamoProxy(dynamo.endpoint, (request) =>
    request.operation === "PutItem" ? fault : undefined,
  );
  const via = singleAttemptClient(proxy.endpoint);
  try {
    await test(via, direct);
  } finally {
    via.destroy();
    direct.destroy();
    await proxy.close();
    await dynamo.close();
  }
}

const put = new PutItemCommand({ TableName: TABLE, Item: { OrderId: { S: "o-1" }, State: { S: "PROCESSED" } } });
const stored = async (direct: DynamoDBClient) =>
  (await direct.send(new GetItemCommand({ TableName: TABLE, Key: { OrderId: { S: "o-1" } }, ConsistentRead: true })))
    .Item;

describe("the DynamoDB fault proxy", function () {
  this.timeout(20_000);

  it("a throttle before the effect: ProvisionedThroughputExceededException, nothing written", async () => {
    const fault = {
      kind: "before",
      status: 400,
      type: "ProvisionedThroughputExceededException",
      message: "x",
    } as const;
    await withProxy(fault, async (via, direct) => {
      await assert.rejects(via.send(put), { name: "ProvisionedThroughputExceededException" });
      assert.strictEqual(await stored(direct), undefined);
    });
  });

  it("an answer lost: InternalServerError, and the item written", async () => {
    const fault = { kind: "lost", status: 500, type: "InternalServerError", message: "x" } as const;
    await withProxy(fault, async (via, direct) => {
      await assert.rejects(via.send(put), { name: "InternalServerError" });
      assert.deepStrictEqual(await stored(direct), { OrderId: { S: "o-1" }, State: { S: "PROCESSED" } });
    });
  });

  it("forwards what it does not fail", async () => {
    await withProxy(undefined, async (via, direct) => {
      await via.send(put);
      assert.notStrictEqual(await stored(direct), undefined);
    });
  });

  it("finds the order in a key, an item or a transaction's actions", () => {
    assert.strictEqual(orderIdIn({ Key: { OrderId: { S: "a" } } }), "a");
    assert.strictEqual(
      orderIdIn({
        TransactItems: [{ Update: { Key: { ItemId: { S: "i" } } } }, { Put: { Item: { OrderId: { S: "b" } } } }],
      }),
      "b",
    );
    assert.strictEqual(orderIdIn({ Key: { ItemId: { S: "i" } } }), undefined);
  });

  it("a lost answer is sent only once the table has answered the request", async () => {
    const events: string[] = [];
    let answer: (response: WireResponse) => void = () => undefined;
    const table: Wire = () => new Promise<WireResponse>((resolve) => (answer = resolve));
    const fault = { kind: "lost", status: 500, type: "InternalServerError", message: "x" } as const;
    const sent = faultLayer(
      () => fault,
      table,
    )({ operation: "PutItem", headers: {}, body: "{}" }).then((r) => {
      events.push(`answered ${r.status}`);
    });
    await new Promise((resolve) => setImmediate(resolve));
    events.push("table applies");
    answer(jsonResponse(200, "{}"));
    await sent;
    assert.deepStrictEqual(events, ["table applies", "answered 500"]);
  });
});
