/**
 * Chaos found: faults in a row at one step. The CLI run with seed 7 met four transient faults in a
 * row at RecordFailedOrder, one more than its three retries, and left a declined order's record at
 * PROCESSING although it answered and announced FAILED. The steps that must not give up early (the
 * FAILED record, both notifications) now retry their transient errors six times
 * (workflow/definition/common.ts, `patientRetry`), and the charge is retried when the gateway did not
 * answer (its idempotency key makes that safe). Each case aims its faults at one step of one
 * execution and checks the invariants (workflow/execution/invariants.ts).
 */
import * as assert from "assert";
import type { FailureRates } from "../../handlers/ports/config";
import type { TargetedFault } from "../../handlers/ports/chaos";
import { checkInvariants, describeViolations } from "../../workflow/execution/invariants";
import { runData } from "../support/chaosRun";
import { Harness, NO_SIMULATED_FAILURES, notices } from "../support/engineHarness";
import { sampleOrder } from "../support/sampleOrder";

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** `count` calls of `edge` in a row, from the first, failing before their effect. */
const streak = (edge: string, key: string, count: number): TargetedFault[] =>
  Array.from({ length: count }, (_, i) => ({ edge, key, n: i + 1, kind: "before" as const }));

/** One order through an engine whose faults are `faults(orderId)`; its report and the invariants over the run. */
async function runWith(orderId: string, rates: FailureRates, faults: TargetedFault[]) {
  harness = await Harness.start(`CustomerOrders-streak-${process.pid}`);
  const order = sampleOrder(orderId);
  const stock = Object.fromEntries(order.orderContents.items.map((i) => [i.itemId, 10]));
  const engine = await harness.engine({ rates, inventory: stock, faults: { chaos: { targeted: faults } } });
  const report = await engine.run(order, orderId);
  const data = await runData(engine, harness.table, [{ orderId, kind: "valid", input: { ...order } }], [report], stock);
  const injected = engine.chaosCalls().filter((c) => c.fault !== null).length;
  return { report, violations: checkInvariants(data), injected };
}

describe("chaos found: transient faults in a row at one step", function () {
  this.timeout(120_000);

  it("a declined order's FAILED record throttled four times in a row is still written FAILED", async () => {
    const id = "streak-record";
    const { report, violations, injected } = await runWith(id, { ...NO_SIMULATED_FAILURES, charge: 1 }, [
      ...streak("task:RecordFailedOrder", id, 4),
    ]);
    assert.strictEqual(injected, 4);
    assert.strictEqual(report.error, "PAYMENT_FAILED");
    assert.strictEqual(report.record?.State, "FAILED");
    assert.deepStrictEqual(violations, [], describeViolations(violations));
  });

  it("a declined order's notification failing four times in a row is still published", async () => {
    const id = "streak-notify-failed";
    const { report, violations } = await runWith(id, { ...NO_SIMULATED_FAILURES, charge: 1 }, [
      ...streak("task:NotifyOrderFailed", id, 4),
    ]);
    assert.deepStrictEqual(
      notices(report).map((n) => n.state),
      ["FAILED"],
    );
    assert.deepStrictEqual(violations, [], describeViolations(violations));
  });

  it("a charged order's notification failing four times in a row is still published, and the order SUCCEEDED", async () => {
    const id = "streak-notify-processed";
    const { report, violations } = await runWith(id, NO_SIMULATED_FAILURES, [
      ...streak("task:NotifyOrderProcessed", id, 4),
    ]);
    assert.strictEqual(report.status, "SUCCEEDED");
    assert.deepStrictEqual(
      notices(report).map((n) => n.state),
      ["PROCESSED"],
    );
    assert.deepStrictEqual(violations, [], describeViolations(violations));
  });

  it("a charge the gateway did not answer is retried: SUCCEEDED, charged once, nothing refunded", async () => {
    const id = "streak-gateway";
    const { report, violations } = await runWith(id, NO_SIMULATED_FAILURES, streak("gateway:charge", id, 1));
    assert.strictEqual(report.status, "SUCCEEDED");
    assert.strictEqual(report.record?.State, "PROCESSED");
    assert.strictEqual(report.record?.RefundId, undefined);
    assert.deepStrictEqual(violations, [], describeViolations(violations));
  });
});
