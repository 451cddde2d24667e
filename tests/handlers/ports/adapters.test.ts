import { strict as assert } from "node:assert";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { ENV } from "../../../handlers/contract";
import { adaptersFor } from "../../../handlers/ports/adapters";
import { SimulatedInventory } from "../../../handlers/ports/inventory";
import { SimulatedPaymentGateway } from "../../../handlers/ports/payments";
import { sampleOrder } from "../../support/sampleOrder";

const { paymentDetails: card, orderContents } = sampleOrder();
const charge = (orderId: string) => ({ idempotencyKey: orderId, amountMinor: 225000, paymentToken: "tok", customerId: "c" });

describe("adaptersFor (the one choice of adapters)", () => {
  it("reads no setting until an adapter is asked for, then names the one that is missing", () => {
    const adapters = adaptersFor({});
    assert.throws(() => adapters.paymentGateway("verify"), /SIMULATED_PAYMENT_FAILURE_RATE is not set/);
    assert.throws(() => adapters.paymentGateway("charge"), /SIMULATED_CHARGE_FAILURE_RATE is not set/);
    assert.throws(() => adapters.inventory(), /SIMULATED_STOCK_FAILURE_RATE is not set/);
    assert.throws(() => adapters.orderStore(), /ORDERS_TABLE_NAME is not set/);
  });

  it("gives a verifying Lambda a gateway at the payment rate that never declines a charge", async () => {
    const gateway = adaptersFor({ [ENV.paymentFailureRate]: "1", [ENV.chargeFailureRate]: "1" }).paymentGateway("verify");
    assert.ok(gateway instanceof SimulatedPaymentGateway);
    assert.equal((await gateway.verify(card, { orderId: "o-1" })).verified, false);
    assert.equal((await gateway.charge(charge("o-1"))).approved, true);
  });

  it("gives a charging Lambda a gateway at the charge rate that never declines a card", async () => {
    const gateway = adaptersFor({ [ENV.paymentFailureRate]: "1", [ENV.chargeFailureRate]: "1" }).paymentGateway("charge");
    assert.equal((await gateway.verify(card, { orderId: "o-1" })).verified, true);
    assert.equal((await gateway.charge(charge("o-1"))).approved, false);
  });

  it("gives the simulated inventory at the stock rate", async () => {
    const items = orderContents.items;
    const empty = adaptersFor({ [ENV.stockFailureRate]: "1" }).inventory();
    assert.ok(empty instanceof SimulatedInventory);
    assert.deepEqual(await empty.stockLevels(items, { orderId: "o-1" }), [0, 0, 0]);
    const stocked = await adaptersFor({ [ENV.stockFailureRate]: "0" }).inventory().stockLevels(items, { orderId: "o-1" });
    assert.ok(stocked.every((level) => level > 0), String(stocked));
  });

  it("draws every adapter's randomness from the one seed", async () => {
    const answers = async (seed: string) => {
      const rates = { [ENV.paymentFailureRate]: "0.5", [ENV.chargeFailureRate]: "0.5", [ENV.stockFailureRate]: "0.5" };
      const adapters = adaptersFor({ ...rates, [ENV.randomSeed]: seed });
      const orderIds = Array.from({ length: 20 }, (_, index) => `o-${index}`);
      return Promise.all(
        orderIds.map(async (orderId) => [
          await adapters.paymentGateway("verify").verify(card, { orderId }),
          await adapters.paymentGateway("charge").charge(charge(orderId)),
          await adapters.inventory().stockLevels(orderContents.items, { orderId }),
        ]),
      );
    };
    assert.deepEqual(await answers("s"), await answers("s"));
    assert.notDeepEqual(await answers("s"), await answers("t"));
  });

  describe("the order store", () => {
    // Every DynamoDBClient is mocked while this runs, so the client the adapter builds itself is seen.
    let dynamo: ReturnType<typeof mockClient>;
    before(() => {
      dynamo = mockClient(DynamoDBClient);
    });
    after(() => dynamo.restore());

    it("is the DynamoDB store on the table ORDERS_TABLE_NAME names", async () => {
      dynamo.on(GetItemCommand).resolves({});
      const store = adaptersFor({ [ENV.tableName]: "orders-from-env" }).orderStore();
      assert.equal(await store.read("o-1"), undefined);
      const sent = dynamo.commandCalls(GetItemCommand).map((call) => call.args[0].input);
      assert.deepEqual(sent, [{ TableName: "orders-from-env", Key: { OrderId: { S: "o-1" } }, ConsistentRead: true }]);
    });
  });
});
