/** The adapters a Lambda runs with, chosen in one place from its environment. */
import { strict as assert } from "node:assert";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { ENV } from "../../../handlers/contract";
import { inventoryFor, paymentGatewayFor, reservationsFor } from "../../../handlers/ports/adapters";
import { SimulatedInventory } from "../../../handlers/ports/inventory";
import { SimulatedPaymentGateway } from "../../../handlers/ports/payments";
import { TableInventory } from "../../../handlers/ports/tableInventory";
import { sampleOrder } from "../../support/sampleOrder";

const { paymentDetails: card, orderContents } = sampleOrder();
/** A stock Lambda's settings: the simulated inventory at `rate`. */
const stockEnv = (rate: string) => ({
  [ENV.stockFailureRate]: rate,
  [ENV.inventoryMode]: "simulated",
  [ENV.inventoryTableName]: "inventory",
});
const charge = (orderId: string) => ({
  idempotencyKey: orderId,
  amountMinor: 225000,
  paymentToken: "tok",
  customerId: "c",
});

describe("the adapters a Lambda runs with (handlers/ports/adapters.ts)", () => {
  it("each read only its own setting, and name it when it is missing", () => {
    const others = {
      [ENV.paymentFailureRate]: "0",
      [ENV.chargeFailureRate]: "0",
      [ENV.stockFailureRate]: "0",
      [ENV.tableName]: "t",
      [ENV.inventoryMode]: "simulated",
      [ENV.inventoryTableName]: "i",
    };
    const without = (name: string) => Object.fromEntries(Object.entries(others).filter(([key]) => key !== name));
    assert.throws(
      () => paymentGatewayFor(without(ENV.paymentFailureRate), "verify"),
      /SIMULATED_PAYMENT_FAILURE_RATE is not set/,
    );
    assert.throws(
      () => paymentGatewayFor(without(ENV.chargeFailureRate), "charge"),
      /SIMULATED_CHARGE_FAILURE_RATE is not set/,
    );
    assert.throws(() => inventoryFor(without(ENV.stockFailureRate)), /SIMULATED_STOCK_FAILURE_RATE is not set/);
    assert.throws(() => reservationsFor(without(ENV.tableName)), /ORDERS_TABLE_NAME is not set/);
    assert.doesNotThrow(() => paymentGatewayFor({ [ENV.paymentFailureRate]: "0" }, "verify"));
    assert.doesNotThrow(() => paymentGatewayFor({ [ENV.chargeFailureRate]: "0" }, "charge"));
    assert.throws(() => inventoryFor(without(ENV.inventoryMode)), /INVENTORY_MODE is not set/);
    assert.throws(() => inventoryFor(without(ENV.inventoryTableName)), /INVENTORY_TABLE_NAME is not set/);
    assert.doesNotThrow(() => inventoryFor(stockEnv("0")));
  });

  it("give the table inventory in inventoryMode table, and refuse a mode that is neither", () => {
    assert.ok(inventoryFor({ ...stockEnv("0"), [ENV.inventoryMode]: "table" }) instanceof TableInventory);
    assert.throws(
      () => inventoryFor({ ...stockEnv("0"), [ENV.inventoryMode]: "tables" }),
      /INVENTORY_MODE must be one of/,
    );
  });

  it("give a verifying Lambda a gateway at the payment rate that never declines a charge", async () => {
    const gateway = paymentGatewayFor({ [ENV.paymentFailureRate]: "1", [ENV.chargeFailureRate]: "1" }, "verify");
    assert.ok(gateway instanceof SimulatedPaymentGateway);
    assert.equal((await gateway.verify(card, { orderId: "o-1" })).verified, false);
    assert.equal((await gateway.charge(charge("o-1"))).approved, true);
  });

  it("give a charging Lambda a gateway at the charge rate that never declines a card", async () => {
    const gateway = paymentGatewayFor({ [ENV.paymentFailureRate]: "1", [ENV.chargeFailureRate]: "1" }, "charge");
    assert.equal((await gateway.verify(card, { orderId: "o-1" })).verified, true);
    assert.equal((await gateway.charge(charge("o-1"))).approved, false);
  });

  it("give the simulated inventory at the stock rate", async () => {
    const items = orderContents.items;
    const empty = inventoryFor(stockEnv("1"));
    assert.ok(empty instanceof SimulatedInventory);
    assert.deepEqual(await empty.stockLevels(items, { orderId: "o-1" }), [0, 0, 0]);
    const stocked = await inventoryFor(stockEnv("0")).stockLevels(items, { orderId: "o-1" });
    assert.ok(
      stocked.every((level) => level > 0),
      String(stocked),
    );
  });

  it("draw their randomness from SIMULATION_SEED", async () => {
    const answers = async (seed: string) => {
      const rates = { [ENV.paymentFailureRate]: "0.5", [ENV.chargeFailureRate]: "0.5", [ENV.stockFailureRate]: "0.5" };
      const env = { ...stockEnv("0.5"), ...rates, [ENV.randomSeed]: seed };
      const orderIds = Array.from({ length: 20 }, (_, index) => `o-${index}`);
      return Promise.all(
        orderIds.map(async (orderId) => [
          await paymentGatewayFor(env, "verify").verify(card, { orderId }),
          await paymentGatewayFor(env, "charge").charge(charge(orderId)),
          await inventoryFor(env).stockLevels(orderContents.items, { orderId }),
        ]),
      );
    };
    assert.deepEqual(await answers("s"), await answers("s"));
    assert.notDeepEqual(await answers("s"), await answers("t"));
  });

  describe("the reservations", () => {
    // Every DynamoDBClient is mocked while this runs, so the client the adapter builds itself is seen.
    let dynamo: AwsClientStub<DynamoDBClient>;
    before(() => {
      dynamo = mockClient(DynamoDBClient);
    });
    after(() => dynamo.restore());

    it("is the DynamoDB store on the table ORDERS_TABLE_NAME names", async () => {
      dynamo.on(GetItemCommand).resolves({});
      const store = reservationsFor({ [ENV.tableName]: "orders-from-env" });
      assert.equal(await store.read("o-1"), undefined);
      const sent = dynamo.commandCalls(GetItemCommand).map((call) => call.args[0].input);
      assert.deepEqual(sent, [{ TableName: "orders-from-env", Key: { OrderId: { S: "o-1" } }, ConsistentRead: true }]);
    });
  });
});
