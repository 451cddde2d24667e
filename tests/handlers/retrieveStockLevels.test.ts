/** The stock handler: one stock level per item, from the simulated inventory. */
import { strict as assert } from "node:assert";
import { ENV, type StockResult } from "../../handlers/contract";
import { retrieveStockLevels, retrieveStockLevelsFactory } from "../../handlers/retrieveStockLevels";
import { captureLogs } from "../support/consoleCapture";
import { fixedInventory } from "../support/fakePorts";
import { orderWith, sampleOrder } from "../support/sampleOrder";

const executionName = "exec-1";

describe("retrieveStockLevels", () => {
  it("answers each item's quantity in stock, in item order, and nothing else (the items travel once, in the record)", async () => {
    const inventory = fixedInventory([3, 0, 9]);
    const order = orderWith((o) => (o.orderContents.items[0].warehouse = "not for the workflow"));
    const result = await retrieveStockLevels({ order, executionName }, { inventory });
    assert.deepEqual(result, { quantitiesInStock: [3, 0, 9] });
    assert.equal(inventory.asked[0].orderId, executionName);
  });

  it("asks the inventory under the order's own id when it has one", async () => {
    const inventory = fixedInventory([1, 1, 1]);
    await retrieveStockLevels({ order: orderWith((o) => (o.orderId = "order-9")), executionName }, { inventory });
    assert.equal(inventory.asked[0].orderId, "order-9");
  });

  it("answers a malformed order with no items, without asking the inventory", async () => {
    const inventory = fixedInventory([1, 1, 1]);
    for (const order of [
      null,
      "x",
      [],
      {},
      orderWith((o) => (o.orderTotal = 1)),
      orderWith((o) => (o.orderContents.items = [])),
    ]) {
      assert.deepEqual(await retrieveStockLevels({ order, executionName }, { inventory }), { quantitiesInStock: [] });
    }
    assert.equal(inventory.asked.length, 0);
  });

  it("stocks an order whose payment details would fail (that is the other Lambda's concern)", async () => {
    const order = orderWith((o) => (o.paymentDetails.cardNumber = "5192 7402 9672 1055"));
    const result = await retrieveStockLevels({ order, executionName }, { inventory: fixedInventory([1, 2, 3]) });
    assert.equal(result.quantitiesInStock.length, 3);
  });

  it("throws on a fault: an inventory answering the wrong number of levels, or not a count", async () => {
    for (const levels of [
      [1, 2],
      [1, 2, 3, 4],
      [1, -1, 2],
      [1, 0.5, 2],
    ]) {
      await assert.rejects(
        retrieveStockLevels({ order: sampleOrder(), executionName }, { inventory: fixedInventory(levels) }),
        /inventory/,
      );
    }
    await assert.rejects(
      retrieveStockLevels({ executionName: 5 } as never, { inventory: fixedInventory([]) }),
      /executionName/,
    );
  });
});

describe("retrieveStockLevelsFactory", () => {
  it("stocks every item at rate 0 and none at rate 1, reproducibly with a seed", async () => {
    const run = async (rate: string): Promise<StockResult> => {
      const handler = retrieveStockLevelsFactory({
        [ENV.stockFailureRate]: rate,
        [ENV.randomSeed]: "seed-1",
        [ENV.inventoryMode]: "simulated",
        [ENV.inventoryTableName]: "Inventory",
      });
      return handler({ order: sampleOrder(), executionName });
    };
    let logs: string[] = [];
    let stocked: StockResult | undefined;
    logs = await captureLogs(async () => {
      stocked = await run("0");
      assert.deepEqual(await run("0"), stocked);
      assert.deepEqual((await run("1")).quantitiesInStock, [0, 0, 0]);
    });
    assert.ok(stocked?.quantitiesInStock.every((quantity) => quantity >= 1 && quantity <= 9));
    assert.deepEqual(JSON.parse(logs[0]), {
      handler: "retrieveStockLevels",
      orderId: executionName,
      items: 3,
      outOfStock: 0,
    });
  });

  it("fails to start without its rate", () => {
    assert.throws(
      () => retrieveStockLevelsFactory({ [ENV.paymentFailureRate]: "0" }),
      /SIMULATED_STOCK_FAILURE_RATE is not set/,
    );
  });
});
