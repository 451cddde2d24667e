/** What IAM authorizes for each kind of call: the actions and resources read off the request. */
import * as assert from "assert";
import {
  dynamodbRequirements,
  integrationOf,
  publishRequirements,
  taskRequirements,
} from "../../../engine/iam/requests";

const SCOPE = {
  partition: "aws",
  region: "us-east-1",
  account: "123456789012",
  resolve: (name: string) => (name === "Local" ? "Orders-abc" : name),
};
const TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/";

describe("IAM requirements of a call", function () {
  it("a single-item DynamoDB call: its action on the table, under the stack's name", function () {
    assert.deepStrictEqual(dynamodbRequirements(SCOPE, "PutItem", { TableName: "Local", Item: {} }), [
      { action: "dynamodb:PutItem", resource: `${TABLE}Orders-abc` },
    ]);
  });

  it("a query on an index: the index's ARN", function () {
    assert.deepStrictEqual(dynamodbRequirements(SCOPE, "Query", { TableName: "T", IndexName: "ByState" }), [
      { action: "dynamodb:Query", resource: `${TABLE}T/index/ByState` },
    ]);
  });

  it("TransactWriteItems: each item as its own action on its own table", function () {
    const body = {
      TransactItems: [
        { Put: { TableName: "Local", Item: {} } },
        { Update: { TableName: "Inventory", Key: {} } },
        { ConditionCheck: { TableName: "Inventory", Key: {} } },
        { Delete: { TableName: "Local", Key: {} } },
      ],
    };
    assert.deepStrictEqual(dynamodbRequirements(SCOPE, "TransactWriteItems", body), [
      { action: "dynamodb:PutItem", resource: `${TABLE}Orders-abc` },
      { action: "dynamodb:UpdateItem", resource: `${TABLE}Inventory` },
      { action: "dynamodb:ConditionCheckItem", resource: `${TABLE}Inventory` },
      { action: "dynamodb:DeleteItem", resource: `${TABLE}Orders-abc` },
    ]);
  });

  it("BatchWriteItem: the batch action on every table it writes", function () {
    const body = { RequestItems: { Local: [], Inventory: [] } };
    assert.deepStrictEqual(dynamodbRequirements(SCOPE, "BatchWriteItem", body), [
      { action: "dynamodb:BatchWriteItem", resource: `${TABLE}Orders-abc` },
      { action: "dynamodb:BatchWriteItem", resource: `${TABLE}Inventory` },
    ]);
  });

  it("a call that names no table is refused rather than guessed", function () {
    assert.throws(() => dynamodbRequirements(SCOPE, "PutItem", { Item: {} }), /names no table/);
  });

  it("publishing to an encrypted topic: sns:Publish, and GenerateDataKey and Decrypt on its key for that topic", function () {
    const [publish, generate, decrypt] = publishRequirements(SCOPE, "arn:aws:sns:us-east-1:123456789012:t", "K");
    assert.deepStrictEqual(publish, { action: "sns:Publish", resource: "arn:aws:sns:us-east-1:123456789012:t" });
    assert.deepStrictEqual(
      [
        generate.action,
        decrypt.action,
        generate.resource,
        generate.context?.["kms:EncryptionContext:aws:sns:topicArn"],
      ],
      ["kms:GenerateDataKey", "kms:Decrypt", "K", "arn:aws:sns:us-east-1:123456789012:t"],
    );
  });

  it("reads optimized and AWS SDK integrations, with or without a pattern suffix", function () {
    assert.deepStrictEqual(integrationOf("arn:aws:states:::dynamodb:putItem"), {
      service: "dynamodb",
      operation: "PutItem",
      sdk: false,
    });
    assert.deepStrictEqual(integrationOf("arn:aws:states:::aws-sdk:dynamodb:transactWriteItems"), {
      service: "dynamodb",
      operation: "TransactWriteItems",
      sdk: true,
    });
    assert.deepStrictEqual(integrationOf("arn:aws:states:::lambda:invoke.waitForTaskToken"), {
      service: "lambda",
      operation: "Invoke",
      sdk: false,
    });
  });

  it("lambda:invoke by name: the function's ARN in the stack's account", function () {
    const requirements = taskRequirements(
      SCOPE,
      { service: "lambda", operation: "Invoke", sdk: false },
      {
        FunctionName: "fn",
      },
      () => undefined,
    );
    assert.deepStrictEqual(requirements, [
      { action: "lambda:InvokeFunction", resource: "arn:aws:lambda:us-east-1:123456789012:function:fn" },
    ]);
  });

  it("an integration the engine cannot map to IAM is an error, not an unchecked call", function () {
    const sqs = { service: "sqs", operation: "SendMessage", sdk: true };
    assert.throws(() => taskRequirements(SCOPE, sqs, {}, () => undefined), /cannot say what IAM authorizes/);
  });
});
