/** The throughput measurement's decisions (scripts/bench/throughput.ts): whether the large batch runs, and when a batch is accounted for. */
import { strict as assert } from "assert";
import { allAccountedFor, planLargeBatch } from "../../../scripts/bench/throughput";

describe("the bench's throughput", function () {
  describe("the large batch", function () {
    it("does not exist when --large-batch is 0", function () {
      assert.equal(planLargeBatch({ largeBatch: 0, forceLargeBatch: true }, 50), null);
    });

    it("runs when the first batch's rate says it ends within 2 minutes, the limit included", function () {
      assert.equal(planLargeBatch({ largeBatch: 2000, forceLargeBatch: false }, 20), "run"); // 100 s
      assert.equal(planLargeBatch({ largeBatch: 2400, forceLargeBatch: false }, 20), "run"); // 120 s exactly
    });

    it("is skipped beyond 2 minutes, with its projected time, unless forced", function () {
      assert.deepEqual(planLargeBatch({ largeBatch: 2000, forceLargeBatch: false }, 12.5), {
        orders: 2000,
        skipped: true,
        projectedWallMs: 160_000,
      });
      assert.equal(planLargeBatch({ largeBatch: 2000, forceLargeBatch: true }, 12.5), "run");
    });

    it("projects whole milliseconds", function () {
      const plan = planLargeBatch({ largeBatch: 2000, forceLargeBatch: false }, 3);
      assert.ok(plan !== null && plan !== "run");
      assert.equal(plan.projectedWallMs, 666_667);
    });
  });

  describe("a batch accounted for", function () {
    const orders = 4;
    const all = {
      succeeded: 4,
      charged: 4,
      notifiedOnce: 4,
      notifications: 4,
      distinctNotifiedOrders: 4,
      recordsProcessed: 4,
      tableItems: 4,
    };

    it("is one where every count equals the orders", function () {
      assert.equal(allAccountedFor(orders, all), true);
    });

    for (const key of Object.keys(all) as Array<keyof typeof all>) {
      it(`is not one with ${key} off by one, either way`, function () {
        assert.equal(allAccountedFor(orders, { ...all, [key]: 3 }), false);
        assert.equal(allAccountedFor(orders, { ...all, [key]: 5 }), false);
      });
    }
  });
});
