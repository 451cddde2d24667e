/**
 * DynamoDB's wire as a function (engine/wire.ts): dynalite's listener called directly answers as its
 * HTTP server does, the engine's own requests resolve to the parsed answer or reject with the error
 * named as the SDK names it, and an endpoint over HTTP is the same wire.
 */
import * as assert from "assert";
import { call, errorOf, httpWire, jsonResponse } from "../../engine/wire";
import { dynaliteEach } from "../support/localDynamo";

const TABLE = "Orders";
const item = { OrderId: { S: "o-1" }, State: { S: "PROCESSING" } };

describe("the DynamoDB wire", function () {
  this.timeout(20_000);
  const db = dynaliteEach(TABLE);

  it("dynalite's listener, called directly, writes and reads back an item", async () => {
    await call(db().wire, "PutItem", { TableName: TABLE, Item: item });
    const { Item } = await call<{ Item?: unknown }>(db().wire, "GetItem", {
      TableName: TABLE,
      Key: { OrderId: item.OrderId },
    });
    assert.deepStrictEqual(Item, item);
  });

  it("a refused condition rejects with the SDK's name for it", async () => {
    const put = { TableName: TABLE, Item: item, ConditionExpression: "attribute_not_exists(OrderId)" };
    await call(db().wire, "PutItem", put);
    await assert.rejects(call(db().wire, "PutItem", put), { name: "ConditionalCheckFailedException" });
  });

  it("names a validation error after its type's last part", () => {
    const error = errorOf(
      jsonResponse(400, JSON.stringify({ __type: "com.amazon.coral.validate#ValidationException", message: "bad" })),
    );
    assert.deepStrictEqual([error.name, error.message], ["ValidationException", "bad"]);
  });

  it("over HTTP, the same endpoint answers the same", async () => {
    await call(db().wire, "PutItem", { TableName: TABLE, Item: item });
    const remote = httpWire(db().endpoint);
    try {
      const { Item } = await call<{ Item?: unknown }>(remote.wire, "GetItem", {
        TableName: TABLE,
        Key: { OrderId: item.OrderId },
      });
      assert.deepStrictEqual(Item, item);
    } finally {
      remote.close();
    }
  });
});
