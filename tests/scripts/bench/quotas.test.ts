/** The quota model (scripts/bench/quotas.ts): what binds first, at what order rate, for each workflow type. */
import { strict as assert } from "assert";
import { DEFAULT_ASSUMPTIONS, QUOTAS, quotaModel } from "../../../scripts/bench/quotas";

// A 3-item order on the success path, as the bench measures it.
const USAGE = { transitions: 20, lambdaInvocations: 3, snsPublishes: 1 };

describe("the quota model", function () {
  it("STANDARD: 1,500 transitions/s at 20 per order bind at 75 orders/s, before StartExecution's 300", function () {
    const model = quotaModel(100, USAGE);
    const row = (key: string) => model.rows.find((r) => r.key === key);
    assert.deepEqual(
      [row("standardStateTransitions")?.bindsAtOrdersPerSecond, row("standardStartExecution")?.bindsAtOrdersPerSecond],
      [75, 300],
    );
    assert.deepEqual(model.binding.STANDARD, {
      key: "standardStateTransitions",
      bindsAtOrdersPerSecond: 75,
      exceeded: true,
    });
    assert.equal(row("standardStateTransitions")?.utilisation, 1.333);
    assert.equal(row("standardStateTransitions")?.demandAtRate, 2000);
  });

  it("EXPRESS: no transition quota, so the hot item's 1,000 writes/s bind first; Lambda at 3 x 100 ms binds at 3,333", function () {
    const model = quotaModel(100, USAGE);
    assert.deepEqual(model.binding.EXPRESS, { key: "dynamodbHotItem", bindsAtOrdersPerSecond: 1000, exceeded: false });
    assert.equal(model.rows.find((r) => r.key === "lambdaConcurrency")?.bindsAtOrdersPerSecond, 3333.33);
    assert.ok(!model.rows.some((r) => r.key === "standardStateTransitions" && r.appliesTo.includes("EXPRESS")));
  });

  it("follows the usage and the assumptions: longer invocations make Lambda bind sooner", function () {
    const slow = quotaModel(10, USAGE, { ...DEFAULT_ASSUMPTIONS, lambdaMsPerInvocation: 1000 });
    assert.equal(slow.rows.find((r) => r.key === "lambdaConcurrency")?.bindsAtOrdersPerSecond, 333.33);
    assert.equal(slow.binding.EXPRESS.key, "lambdaConcurrency");
    assert.equal(quotaModel(10, { ...USAGE, snsPublishes: 2 }).rows.find((r) => r.key === "kmsRequests")?.perOrder, 3);
  });

  it("names a source and a way to lift every quota, and refuses a rate of 0", function () {
    for (const q of QUOTAS) assert.ok(q.source.length > 0 && q.lift.length > 0, q.key);
    assert.throws(() => quotaModel(0, USAGE), /orders per second must be more than 0/);
  });
});
