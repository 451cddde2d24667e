/**
 * dynalite's condition parses, cached by shape (engine/expressionCache.ts): a request sent again is
 * decided as the first was, its names and values counted as used, an unused value still refused, a
 * syntax error still reported; a request with other values of the same types is decided by its own
 * values, one with a value of another type parsed with that type, and BETWEEN's bounds read each time.
 */
import * as assert from "assert";
import { call } from "../../engine/wire";
import { dynaliteEach } from "../support/localDynamo";

const TABLE = "Orders";
const put = (values: Record<string, { S: string }>, condition = "attribute_not_exists(#id) OR #s = :failed") => ({
  TableName: TABLE,
  Item: { OrderId: { S: "o-1" }, State: { S: "PROCESSING" } },
  ConditionExpression: condition,
  ExpressionAttributeNames: { "#id": "OrderId", "#s": "State" },
  ExpressionAttributeValues: values,
});

describe("dynalite's cached condition parses", function () {
  this.timeout(20_000);
  const db = dynaliteEach(TABLE);

  it("a repeated request is decided as the first: written, then refused", async () => {
    await call(db().wire, "PutItem", put({ ":failed": { S: "FAILED" } }));
    await assert.rejects(call(db().wire, "PutItem", put({ ":failed": { S: "FAILED" } })), {
      name: "ConditionalCheckFailedException",
    });
  });

  it("a value left unused is refused every time", async () => {
    const unused = put({ ":failed": { S: "FAILED" }, ":other": { S: "X" } });
    for (let i = 0; i < 2; i++)
      await assert.rejects(call(db().wire, "PutItem", unused), { name: "ValidationException", message: /:other/ });
  });

  it("a syntax error is reported every time", async () => {
    const broken = put({ ":failed": { S: "FAILED" } }, "attribute_not_exists(#id) OR OR #s = :failed");
    for (let i = 0; i < 2; i++)
      await assert.rejects(call(db().wire, "PutItem", broken), {
        name: "ValidationException",
        message: /Syntax error/,
      });
  });

  it("other values are parsed with their own: the condition holds for the value the record has", async () => {
    await call(db().wire, "PutItem", put({ ":failed": { S: "FAILED" } }));
    await assert.rejects(call(db().wire, "PutItem", put({ ":failed": { S: "FAILED" } })), {
      name: "ConditionalCheckFailedException",
    });
    await call(db().wire, "PutItem", put({ ":failed": { S: "PROCESSING" } }));
  });

  it("a value of another type is parsed with its own type: begins_with refuses a number", async () => {
    const prefix = (value: { S: string } | { N: string }) => ({
      ...put({}, "begins_with(#s, :p)"),
      ExpressionAttributeNames: { "#s": "State" },
      ExpressionAttributeValues: { ":p": value },
    });
    await assert.rejects(call(db().wire, "PutItem", prefix({ S: "X" })), { name: "ConditionalCheckFailedException" });
    await assert.rejects(call(db().wire, "PutItem", prefix({ N: "1" })), {
      name: "ValidationException",
      message: /Incorrect operand type/,
    });
  });

  it("BETWEEN reads its bounds: reversed bounds are refused after ordered ones passed", async () => {
    const between = (low: string, high: string) => ({
      ...put({}, "#s BETWEEN :low AND :high"),
      ExpressionAttributeNames: { "#s": "State" },
      ExpressionAttributeValues: { ":low": { S: low }, ":high": { S: high } },
    });
    await assert.rejects(call(db().wire, "PutItem", between("A", "B")), { name: "ConditionalCheckFailedException" });
    await assert.rejects(call(db().wire, "PutItem", between("B", "A")), {
      name: "ValidationException",
      message: /upper bound to be greater than or equal to lower bound/,
    });
  });
});
