/**
 * The saga's stock guarantees, through the local engine in inventoryMode `table` (the real
 * definition, bundles and reserve/release transactions): concurrent orders never oversell, and an
 * order that is not fulfilled gives its units back, whatever made it fail.
 */
import * as assert from "assert";
import type { OrderInput } from "../../handlers/contract";
import type { LocalWorkflow } from "../../engine/engine";
import { COMPENSATION_FAILED } from "../../workflow/execution/outcomes";
import { Harness, NO_SIMULATED_FAILURES, notices } from "../support/engineHarness";
import { startDynamoProxy, writesProcessed } from "../support/dynamoProxy";
import { sampleOrder } from "../support/sampleOrder";

/** An order of `units` units of one item, under `orderId`. */
function orderOf(orderId: string, itemId: string, units: number): OrderInput {
  const items = Array.from({ length: units }, () => ({ itemId, price: 10, itemDescription: "Widget" }));
  return { ...sampleOrder(orderId), orderContents: { items }, orderTotal: 10 * units };
}

describe("the saga's stock (inventoryMode table)", function () {
  this.timeout(300_000);
  let harness: Harness;
  let engine: LocalWorkflow;

  let closeProxy: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await harness.close();
    await closeProxy?.();
    closeProxy = undefined;
  });

  async function start(charge = 0): Promise<void> {
    harness = await Harness.start(`CustomerOrders-stock-${process.pid}`);
    engine = await harness.engine({ rates: { ...NO_SIMULATED_FAILURES, charge }, inventoryMode: "table" });
  }

  it("twenty concurrent orders for the last 5 units: 5 SUCCEEDED, 15 OUT_OF_STOCK, the item at 0", async () => {
    await start();
    await engine.loadInventory({ "item-last": 5 });
    const reports = await Promise.all(
      Array.from({ length: 20 }, (_, i) => engine.run(orderOf(`last-${i}`, "item-last", 1), `last-exec-${i}`)),
    );
    const ends = reports.map((r) => (r.status === "SUCCEEDED" ? "SUCCEEDED" : r.error));
    assert.strictEqual(ends.filter((e) => e === "SUCCEEDED").length, 5, ends.join(" "));
    assert.strictEqual(ends.filter((e) => e === "OUT_OF_STOCK").length, 15, ends.join(" "));
    assert.deepStrictEqual(await engine.readInventory(), { "item-last": 0 });
  });

  it("takes two units for the same itemId twice, and refuses the order when only one is left", async () => {
    await start();
    await engine.loadInventory({ "item-pair": 3 });
    const first = await engine.run(orderOf("pair-1", "item-pair", 2), "pair-exec-1");
    const second = await engine.run(orderOf("pair-2", "item-pair", 2), "pair-exec-2");
    assert.strictEqual(first.status, "SUCCEEDED");
    assert.strictEqual(second.error, "OUT_OF_STOCK");
    assert.match(String(second.cause), /item-pair/);
    assert.deepStrictEqual(await engine.readInventory(), { "item-pair": 1 });
  });

  it("three orders whose charges are all declined leave the stock as it was", async () => {
    await start(1);
    await engine.loadInventory({ "item-c9f4x": 4, "item-g7b2q": 4, "item-p4c97": 4 });
    for (const i of [1, 2, 3]) {
      const report = await engine.run(sampleOrder(`declined-${i}`), `declined-exec-${i}`);
      assert.strictEqual(report.error, "PAYMENT_FAILED");
      assert.strictEqual(report.record?.["StockState"], "RELEASED");
    }
    assert.deepStrictEqual(await engine.readInventory(), { "item-c9f4x": 4, "item-g7b2q": 4, "item-p4c97": 4 });
  });

  it("a release that keeps failing ends COMPENSATION_FAILED (the alarm's error), the record saying what is left to do", async () => {
    harness = await Harness.start(`CustomerOrders-stock-${process.pid}`);
    const faults = { lambda: { releaseStock: { transientFailures: Number.POSITIVE_INFINITY } } };
    engine = await harness.engine({ rates: { ...NO_SIMULATED_FAILURES, charge: 1 }, inventoryMode: "table", faults });
    await engine.loadInventory({ "item-c9f4x": 1, "item-g7b2q": 1, "item-p4c97": 1 });
    const report = await engine.run(sampleOrder("stuck"), "stuck-exec");
    assert.strictEqual(report.error, COMPENSATION_FAILED);
    assert.strictEqual(report.record?.["State"], "FAILED");
    assert.strictEqual(report.record?.["FailureReason"], COMPENSATION_FAILED);
    assert.strictEqual(report.record?.["StockState"], "RESERVED");
    assert.match(report.record?.["LeftToDo"] as string, /give the units of its Items back/);
    assert.deepStrictEqual(
      notices(report).map((n) => n.reason),
      [COMPENSATION_FAILED],
    );
  });

  it("an order whose PROCESSED write keeps failing is refunded and gives its units back", async () => {
    harness = await Harness.start(`CustomerOrders-stock-${process.pid}`);
    const proxy = await startDynamoProxy(harness.endpoint, (request) => (writesProcessed(request) ? "fail" : "pass"));
    closeProxy = () => proxy.close();
    engine = await harness.engine({
      rates: NO_SIMULATED_FAILURES,
      inventoryMode: "table",
      viaEndpoint: proxy.endpoint,
    });
    await engine.loadInventory({ "item-c9f4x": 1, "item-g7b2q": 1, "item-p4c97": 1 });
    const report = await engine.run(sampleOrder("unrecorded"), "unrecorded-exec");
    assert.strictEqual(report.error, "INTERNAL_ERROR");
    assert.strictEqual(report.record?.["State"], "FAILED");
    assert.strictEqual(report.record?.["StockState"], "RELEASED");
    assert.match(report.record?.["RefundId"] as string, /^re_/);
    assert.deepStrictEqual(await engine.readInventory(), { "item-c9f4x": 1, "item-g7b2q": 1, "item-p4c97": 1 });
  });
});
