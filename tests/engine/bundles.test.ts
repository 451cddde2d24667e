/**
 * What AWS receives runs: the archive each CallbackFunction registers (under mocks) is loaded as a
 * fresh module beside nothing but the AWS SDK, as in the Lambda runtime, and invoked.
 */
import { builtinModules } from "module";
import { strict as assert } from "assert";
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { ENV, ORDERS_TABLE_KEY, VerificationResult } from "../../handlers/contract";
import { startDynalite } from "../../engine/dynamodb";
import { LambdaHandler, loadBundle } from "../../engine/bundles";
import { archiveFiles } from "../../program/archives";
import { devStack } from "../support/devStack";
import { sampleOrder } from "../support/sampleOrder";

/** The files of a function's deployment package, as the program registered them. */
async function archiveOf(functionName: string): Promise<Record<string, string>> {
  const stack = await devStack();
  const fn = stack.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === functionName);
  assert.ok(fn, `no function ${functionName}`);
  return archiveFiles(fn);
}

const order = sampleOrder();

describe("the bundled Lambdas", function () {
  this.timeout(60_000);
  const bundles: Record<string, Record<string, string>> = {};

  before(async function () {
    for (const fn of ["verify-payment-details", "retrieve-stock-levels", "charge-payment"]) {
      bundles[fn] = await archiveOf(`orders-${fn}`);
    }
  });

  it("ship only the serialized handler: no Pulumi, no AWS SDK, no other package", function () {
    for (const [fn, files] of Object.entries(bundles)) {
      assert.deepEqual(Object.keys(files), ["__index.js"], fn);
      const required = [...files["__index.js"].matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      // The runtime has the AWS SDK and Node.js's own modules (the simulated gateway's ledger uses fs).
      for (const name of required)
        assert.ok(
          /^@aws-sdk\//.test(name) || builtinModules.includes(name),
          `${fn} requires ${name}, which the Lambda runtime lacks`,
        );
      assert.doesNotMatch(files["__index.js"], /@pulumi\//, fn);
    }
  });

  it("verify-payment-details answers an order, with no card data in its answer", async function () {
    const handler = loadBundle(bundles["verify-payment-details"]["__index.js"], { [ENV.paymentFailureRate]: "0" });
    const result = (await handler({ order, executionName: "exec-1" })) as VerificationResult;
    assert.equal(result.paymentVerified, true);
    assert.equal(result.orderId, "exec-1");
    assert.equal(result.charge?.amountMinor, 225000);
    const text = JSON.stringify(result);
    const card = order.paymentDetails;
    for (const secret of [card.cardNumber, card.cardNumber.replace(/\s/g, ""), card.expiration, card.name]) {
      assert.ok(!text.includes(secret), `the answer contains ${secret}`);
    }
  });

  it("verify-payment-details honours its simulated failure rate", async function () {
    const handler = loadBundle(bundles["verify-payment-details"]["__index.js"], { [ENV.paymentFailureRate]: "1" });
    const result = (await handler({ order, executionName: "exec-2" })) as VerificationResult;
    assert.equal(result.paymentVerified, false);
    assert.equal(result.rejection?.error, "PAYMENT_NOT_VERIFIED");
  });

  it("retrieve-stock-levels answers a stock level for every item", async function () {
    const handler = loadBundle(bundles["retrieve-stock-levels"]["__index.js"], { [ENV.stockFailureRate]: "0" });
    const result = (await handler({ order, executionName: "exec-1" })) as { quantitiesInStock: number[] };
    assert.equal(result.quantitiesInStock.length, 3);
    for (const quantity of result.quantitiesInStock) assert.ok(Number.isInteger(quantity) && quantity > 0);
  });

  describe("charge-payment against DynamoDB (dynalite)", function () {
    let db: { endpoint: string; close: () => Promise<void> };
    let client: DynamoDBClient;
    let charge: LambdaHandler;
    const saved = { ...process.env };

    before(async function () {
      db = await startDynalite();
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
      });
      client = new DynamoDBClient({});
      await client.send(
        new CreateTableCommand({
          TableName: "orders",
          AttributeDefinitions: [{ AttributeName: ORDERS_TABLE_KEY, AttributeType: "S" }],
          KeySchema: [{ AttributeName: ORDERS_TABLE_KEY, KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      );
      charge = loadBundle(bundles["charge-payment"]["__index.js"], {
        [ENV.chargeFailureRate]: "0",
        [ENV.tableName]: "orders",
      });
    });

    after(async function () {
      client.destroy();
      await db.close();
      process.env = saved;
    });

    it("charges once, records the order PROCESSED, and refuses a second execution of the same order", async function () {
      const verify = loadBundle(bundles["verify-payment-details"]["__index.js"], { [ENV.paymentFailureRate]: "0" });
      const verified = (await verify({
        order: { ...order, orderId: "bundle-1" },
        executionName: "exec-a",
      })) as VerificationResult;
      const input = {
        orderId: "bundle-1",
        executionName: "exec-a",
        item: verified.item,
        notice: verified.notice,
        charge: verified.charge,
      };
      const first = (await charge(input)) as { charged: boolean; chargeId: string };
      assert.equal(first.charged, true);
      const { Item } = await client.send(
        new GetItemCommand({ TableName: "orders", Key: { OrderId: { S: "bundle-1" } } }),
      );
      assert.equal(Item?.State?.S, "PROCESSED");
      assert.equal(Item?.ChargeId?.S, first.chargeId);

      const retry = (await charge(input)) as { charged: boolean; chargeId: string };
      assert.deepEqual(
        [retry.charged, retry.chargeId],
        [false, first.chargeId],
        "a retry of the same execution must not charge again",
      );

      await assert.rejects(
        charge({ ...input, executionName: "exec-b" }),
        (e: Error) => e.name === "DuplicateOrderError",
      );
    });
  });
});
