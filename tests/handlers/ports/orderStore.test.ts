/** The DynamoDB order store, against a mocked DynamoDB client. */
import { strict as assert } from "node:assert";
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { dynamoOrderStore } from "../../../handlers/ports/orderStore";
import { withState } from "../../../handlers/order/records";

const item = withState(
  { OrderId: { S: "order-1" }, ExecutionName: { S: "exec-1" }, CreatedAt: { S: "t" } },
  "PROCESSING",
);
const conditionFailed = new ConditionalCheckFailedException({
  message: "The conditional request failed",
  $metadata: {},
});

describe("dynamoOrderStore (against a mocked DynamoDB client)", () => {
  // Only this client is mocked: other suites use real DynamoDBClients (against dynalite) in the same process.
  const client = new DynamoDBClient({ region: "eu-west-1" });
  const dynamo = mockClient(client);
  const store = () => dynamoOrderStore("orders-table", client);
  const sentPut = (): PutItemCommandInput => dynamo.commandCalls(PutItemCommand)[0].args[0].input;

  beforeEach(() => dynamo.reset());
  after(() => dynamo.restore());

  it("claims with a put conditional on a new, FAILED, or own PROCESSING record", async () => {
    dynamo.on(PutItemCommand).resolves({});
    assert.equal(await store().claim(item, "exec-1"), true);
    assert.deepEqual(sentPut(), {
      TableName: "orders-table",
      Item: item,
      ConditionExpression: "attribute_not_exists(#id) OR #s = :failed OR (#e = :me AND #s = :processing)",
      ExpressionAttributeNames: { "#id": "OrderId", "#s": "State", "#e": "ExecutionName" },
      ExpressionAttributeValues: {
        ":failed": { S: "FAILED" },
        ":processing": { S: "PROCESSING" },
        ":me": { S: "exec-1" },
      },
    });
  });

  it("reports a failed condition as not claimed", async () => {
    dynamo.on(PutItemCommand).rejects(conditionFailed);
    assert.equal(await store().claim(item, "exec-1"), false);
    assert.equal(await store().complete(item, "exec-1"), false);
  });

  it("lets any other error through, for the state machine to retry", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ProvisionedThroughputExceededException" });
    dynamo.on(PutItemCommand).rejects(throttled);
    await assert.rejects(store().claim(item, "exec-1"), { name: "ProvisionedThroughputExceededException" });
    dynamo.on(GetItemCommand).rejects(throttled);
    await assert.rejects(store().read("order-1"), { name: "ProvisionedThroughputExceededException" });
  });

  it("completes with a put conditional on still owning the record", async () => {
    dynamo.on(PutItemCommand).resolves({});
    const processed = withState(item, "PROCESSED", "ch_1");
    assert.equal(await store().complete(processed, "exec-1"), true);
    assert.deepEqual(sentPut(), {
      TableName: "orders-table",
      Item: processed,
      ConditionExpression: "#e = :me",
      ExpressionAttributeNames: { "#e": "ExecutionName" },
      ExpressionAttributeValues: { ":me": { S: "exec-1" } },
    });
  });

  it("reads who holds a record, consistently", async () => {
    dynamo.on(GetItemCommand).resolves({ Item: withState(item, "PROCESSED", "ch_1") });
    assert.deepEqual(await store().read("order-1"), { state: "PROCESSED", executionName: "exec-1", chargeId: "ch_1" });
    assert.deepEqual(dynamo.commandCalls(GetItemCommand)[0].args[0].input, {
      TableName: "orders-table",
      Key: { OrderId: { S: "order-1" } },
      ConsistentRead: true,
    });
  });

  it("reads no record as undefined, and a record without a charge as such", async () => {
    dynamo.on(GetItemCommand).resolves({});
    assert.equal(await store().read("order-1"), undefined);
    dynamo.on(GetItemCommand).resolves({ Item: item });
    assert.deepEqual(await store().read("order-1"), { state: "PROCESSING", executionName: "exec-1" });
  });
});
