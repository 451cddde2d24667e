/**
 * What AWS receives runs: the archive each CallbackFunction registers (under mocks) is loaded as a
 * fresh module beside nothing but the AWS SDK, as in the Lambda runtime, and invoked.
 */
import { builtinModules } from "module";
import { strict as assert } from "assert";
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { ENV, INVENTORY_TABLE_KEY, VerificationResult } from "../../handlers/contract";
import { ensureTable, startDynalite } from "../../engine/dynamodb";
import { startTransactionProxy } from "../../engine/transactions";
import { FUNCTION_KEYS, functionResourceName, functionSpec } from "../../workflow/functions";
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
    for (const key of FUNCTION_KEYS)
      bundles[functionSpec(key).resourceName] = await archiveOf(functionResourceName("orders", key));
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
    const handler = loadBundle(bundles["retrieve-stock-levels"]["__index.js"], {
      [ENV.stockFailureRate]: "0",
      [ENV.inventoryMode]: "simulated",
      [ENV.inventoryTableName]: "inventory",
    });
    const result = (await handler({ order, executionName: "exec-1" })) as { quantitiesInStock: number[] };
    assert.equal(result.quantitiesInStock.length, 3);
    for (const quantity of result.quantitiesInStock) assert.ok(Number.isInteger(quantity) && quantity > 0);
  });

  describe("reserve-stock and release-stock against DynamoDB (dynalite, its transactions in the engine's proxy)", function () {
    let stops: (() => Promise<void>)[] = [];
    let client: DynamoDBClient;
    let reserve: LambdaHandler;
    let release: LambdaHandler;
    const saved = { ...process.env };

    before(async function () {
      const db = await startDynalite();
      const proxy = await startTransactionProxy(db.endpoint);
      stops = [proxy.close, db.close];
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
      });
      client = new DynamoDBClient({});
      await ensureTable(client, "orders");
      await ensureTable(client, "inventory", INVENTORY_TABLE_KEY);
      for (const { itemId } of order.orderContents.items) {
        await client.send(
          new PutItemCommand({ TableName: "inventory", Item: { ItemId: { S: itemId }, Available: { N: "1" } } }),
        );
      }
      const env = { [ENV.tableName]: "orders", [ENV.inventoryMode]: "table", [ENV.inventoryTableName]: "inventory" };
      reserve = loadBundle(bundles["reserve-stock"]["__index.js"], env);
      release = loadBundle(bundles["release-stock"]["__index.js"], env);
    });

    after(async function () {
      client.destroy();
      for (const stop of stops) await stop();
      process.env = saved;
    });

    const available = async () =>
      Promise.all(
        order.orderContents.items.map(async ({ itemId }) => {
          const key = { ItemId: { S: itemId } };
          const { Item } = await client.send(new GetItemCommand({ TableName: "inventory", Key: key }));
          return Number(Item?.Available?.N);
        }),
      );

    it("reserves every unit once, refuses a second execution of the order, and gives the units back once", async function () {
      const verify = loadBundle(bundles["verify-payment-details"]["__index.js"], { [ENV.paymentFailureRate]: "0" });
      const verified = (await verify({
        order: { ...order, orderId: "bundle-1" },
        executionName: "exec-a",
      })) as VerificationResult;
      const input = { orderId: "bundle-1", executionName: "exec-a", item: verified.item, charge: verified.charge };
      const reserved = { record: { StockState: { S: "RESERVED" } } };
      assert.deepEqual(await reserve(input), reserved);
      assert.deepEqual(await available(), [0, 0, 0]);
      assert.deepEqual(await reserve(input), reserved, "a retry of the same execution takes nothing twice");
      assert.deepEqual(await available(), [0, 0, 0]);
      await assert.rejects(
        reserve({ ...input, executionName: "exec-b" }),
        (e: Error) => e.name === "DuplicateOrderError",
      );

      const releaseInput = { orderId: "bundle-1", executionName: "exec-a", refundedChargeId: "none" };
      const released = { record: { StockState: { S: "RELEASED" } } };
      assert.deepEqual(await release(releaseInput), released);
      assert.deepEqual(await release(releaseInput), released, "a retried release gives nothing back twice");
      assert.deepEqual(await available(), [1, 1, 1]);
    });
  });
});
