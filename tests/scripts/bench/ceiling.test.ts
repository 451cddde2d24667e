/**
 * aws-local-stepfunctions' own ceiling (scripts/bench/ceiling.ts): it runs the engine's definition, its
 * canned Task results are shaped as the real ones, and its executions take the engine's success path.
 * Its speed is measured by the bench, never asserted here.
 */
import { strict as assert } from "assert";
import { LocalWorkflow } from "../../../engine/engine";
import {
  CEILING_TABLE,
  cannedResults,
  ceilingDefinition,
  ceilingMachine,
  measureCeiling,
} from "../../../scripts/bench/ceiling";
import { RATES_OFF, orderOf } from "../../../scripts/bench/orders";

describe("the bench's ceiling", function () {
  let engine: LocalWorkflow;

  before(async function () {
    engine = await LocalWorkflow.start({ rates: RATES_OFF, tableName: CEILING_TABLE, seed: "ceiling" });
  });

  after(async function () {
    await engine?.close();
  });

  it("runs the definition the engine runs", function () {
    assert.equal(ceilingDefinition(CEILING_TABLE), engine.definition);
  });

  it("takes the states the engine's success path takes, for the same order", async function () {
    const { run } = await ceilingMachine();
    const order = orderOf(3, "ceiling-path-1");
    const real = await engine.run(order, "ceiling-path-1");
    assert.equal(real.status, "SUCCEEDED");
    const canned = await run(order, "ceiling-path-2");
    assert.equal(canned.status, "SUCCEEDED");
    assert.deepEqual(canned.states, real.states);
    assert.equal(canned.transitions, real.transitions);
  });

  it("answers each Lambda with lambda:invoke's fields around what the handler returns on the success path", async function () {
    const canned = (await cannedResults(orderOf(3, "ceiling-shape"), "ceiling-shape")) as Record<
      string,
      { Payload: Record<string, unknown> }
    >;
    // The functions the success path invokes; the compensations' (refund, release) never run on it.
    const successPath = ["verifyPaymentDetails", "retrieveStockLevels", "reserveStock", "chargePayment"];
    assert.deepEqual(Object.keys(canned).sort(), [...successPath].sort());
    for (const fn of successPath) {
      assert.deepEqual(Object.keys(canned[fn]).sort(), [
        "ExecutedVersion",
        "Payload",
        "SdkHttpMetadata",
        "SdkResponseMetadata",
        "StatusCode",
      ]);
    }
    assert.equal(canned.verifyPaymentDetails.Payload.paymentVerified, true);
    assert.equal(canned.chargePayment.Payload.charged, true);
    assert.deepEqual(canned.retrieveStockLevels.Payload.quantitiesInStock, [10, 10, 10]);
  });

  it("counts every execution of its batch as SUCCEEDED", async function () {
    const figures = await measureCeiling(5, 2);
    assert.equal(figures.orders, 5);
    assert.equal(figures.succeeded, 5);
  });

  it("reports the median of its runs, within the slowest and the fastest", async function () {
    const figures = await measureCeiling(5, 2, 3);
    assert.equal(figures.runs, 3);
    const [slowest, fastest] = figures.ordersPerSecondRange;
    assert.ok(slowest <= figures.ordersPerSecond && figures.ordersPerSecond <= fastest, JSON.stringify(figures));
  });
});
