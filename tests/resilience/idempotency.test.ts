/**
 * The same order submitted twice, one after the other and at the same time, leaves one record and at
 * most one successful charge; the second execution says plainly what happened. A failed order may be
 * submitted again and is then processed. The charge Lambda's claim on the record does this (see
 * handlers/chargePayment.ts), so it holds whatever starts the executions: STANDARD or EXPRESS.
 */
import * as assert from "assert";
import { LocalWorkflow } from "../../engine/engine";
import type { ExecutionReport } from "../../workflow/execution/report";
import { Harness, PlainRecord, logLinesAbout, notices } from "../support/engineHarness";
import { sampleOrder } from "../support/sampleOrder";

const duplicateCause = (orderId: string) =>
  `Order ${orderId} was already submitted by another execution; this execution charged nothing and changed no record.`;

/** The charge Lambda's log lines for an order, by outcome ("charged", "already charged", "DuplicateOrderError", …). */
/** What the reserve and charge Lambdas said of the order, a reservation made left out: charged, declined, refused. */
function chargeOutcomes(engines: readonly LocalWorkflow[], orderId: string): string[] {
  return engines
    .flatMap((engine) => logLinesAbout(engine, `"orderId":"${orderId}"`))
    .map((line) => JSON.parse(line) as { handler: string; outcome?: string })
    .filter(
      (line) => (line.handler === "reserveStock" && line.outcome !== "reserved") || line.handler === "chargePayment",
    )
    .map((line) => line.outcome ?? "");
}

function assertDuplicate(report: ExecutionReport, orderId: string): void {
  assert.strictEqual(report.status, "FAILED");
  assert.strictEqual(report.error, "DUPLICATE_ORDER", `${report.error}: ${report.cause}`);
  assert.strictEqual(report.cause, duplicateCause(orderId));
  assert.deepStrictEqual(report.states.slice(-3), ["ReserveStock", "DuplicateOrder", "OrderAlreadySubmitted"]);
  assert.strictEqual(report.charged, false);
  assert.deepStrictEqual(report.notifications, [], "a duplicate publishes nothing");
}

describe("resilience: idempotency", function () {
  this.timeout(120_000);
  let harness: Harness;
  let engine: LocalWorkflow;

  before(async () => {
    harness = await Harness.start(`CustomerOrders-idempotency-${process.pid}`);
    engine = await harness.engine();
  });

  after(async () => harness?.close());

  it("one after the other: the second is DUPLICATE_ORDER, charges nothing and leaves the record as it was", async () => {
    const first = await engine.run(sampleOrder("twice-in-a-row"));
    assert.strictEqual(first.status, "SUCCEEDED", `${first.error}: ${first.cause}`);
    assert.strictEqual(first.charged, true);
    const before = await harness.table.record("twice-in-a-row");

    const second = await engine.run(sampleOrder("twice-in-a-row"));
    assertDuplicate(second, "twice-in-a-row");
    const after = await harness.table.record("twice-in-a-row");
    assert.deepStrictEqual(after, before);
    assert.deepStrictEqual([after?.State, after?.ExecutionName], ["PROCESSED", first.executionName]);
    assert.deepStrictEqual(chargeOutcomes([engine], "twice-in-a-row"), ["charged", "DuplicateOrderError"]);
  });

  it("the same orderId with other contents: ORDER_CONFLICT, nothing charged, the first record kept, nothing published", async () => {
    const first = await engine.run(sampleOrder("conflicting-contents"));
    assert.strictEqual(first.status, "SUCCEEDED", `${first.error}: ${first.cause}`);
    const before = await harness.table.record("conflicting-contents");
    assert.match(before?.OrderHash as string, /^sha256:[0-9a-f]{64}$/);
    const other = sampleOrder("conflicting-contents");
    const changed = {
      ...other,
      orderContents: {
        items: [
          { ...other.orderContents.items[0], itemDescription: "Macbook Pro" },
          ...other.orderContents.items.slice(1),
        ],
      },
    };
    const second = await engine.run(changed);
    assert.strictEqual(second.error, "ORDER_CONFLICT", `${second.error}: ${second.cause}`);
    assert.strictEqual(
      second.cause,
      "Order conflicting-contents is already recorded with other contents: this order differs from the order already recorded, so this execution charged nothing and changed no record.",
    );
    assert.deepStrictEqual(second.states.slice(-3), ["ReserveStock", "OrderConflict", "OrderContentsConflict"]);
    assert.strictEqual(second.charged, false);
    assert.deepStrictEqual(second.notifications, []);
    assert.deepStrictEqual(await harness.table.record("conflicting-contents"), before);
    // The same order again, unchanged (another card even: the card is not part of the contents), stays DUPLICATE_ORDER.
    const again = await engine.run({
      ...sampleOrder("conflicting-contents"),
      paymentDetails: { ...other.paymentDetails, name: "Jane Roe" },
    });
    assertDuplicate(again, "conflicting-contents");
    assert.deepStrictEqual(chargeOutcomes([engine], "conflicting-contents"), [
      "charged",
      "OrderConflictError",
      "DuplicateOrderError",
    ]);
  });

  it("at the same time: exactly one is charged, the other is DUPLICATE_ORDER; one PROCESSED record", async () => {
    const [a, b] = await Promise.all([
      engine.run(sampleOrder("twice-at-once")),
      engine.run(sampleOrder("twice-at-once")),
    ]);
    const winners = [a, b].filter((r) => r.charged);
    assert.strictEqual(winners.length, 1, JSON.stringify([a, b].map((r) => [r.status, r.error])));
    const [winner] = winners;
    const loser = winner === a ? b : a;
    assert.strictEqual(winner.status, "SUCCEEDED");
    assertDuplicate(loser, "twice-at-once");
    const record = await harness.table.record("twice-at-once");
    assert.deepStrictEqual([record?.State, record?.ExecutionName], ["PROCESSED", winner.executionName]);
    assert.strictEqual(notices(winner).length, 1);
  });

  it("many orders, each submitted three times at once: one charge, one record and one notification per order", async () => {
    const orderIds = Array.from({ length: 12 }, (_, i) => `thrice-at-once-${i}`);
    const reports = await Promise.all(orderIds.flatMap((id) => [1, 2, 3].map(() => engine.run(sampleOrder(id)))));
    for (const id of orderIds) {
      const mine = reports.filter((r) => r.orderId === id);
      assert.strictEqual(mine.length, 3, id);
      assert.strictEqual(
        mine.filter((r) => r.charged && r.status === "SUCCEEDED").length,
        1,
        `${id}: ${JSON.stringify(mine.map((r) => r.error))}`,
      );
      mine.filter((r) => !r.charged).forEach((r) => assertDuplicate(r, id));
      assert.strictEqual(mine.flatMap(notices).length, 1, id);
      const record = await harness.table.record(id);
      assert.strictEqual(record?.State, "PROCESSED", id);
      assert.strictEqual(record?.ExecutionName, mine.find((r) => r.charged)?.executionName, id);
      assert.deepStrictEqual(
        chargeOutcomes([engine], id).sort(),
        ["DuplicateOrderError", "DuplicateOrderError", "charged"],
        id,
      );
    }
  });

  it("a FAILED order may be submitted again: a declined charge, then the same orderId charged by a later execution", async () => {
    const declining = await harness.engine({ rates: { payment: 0, stock: 0, charge: 1 } });
    const failed = await declining.run(sampleOrder("declined-then-retried"));
    assert.strictEqual(failed.error, "PAYMENT_FAILED", `${failed.error}: ${failed.cause}`);
    const failedRecord = await harness.table.record("declined-then-retried");
    assert.deepStrictEqual([failedRecord?.State, failedRecord?.FailureReason], ["FAILED", "PAYMENT_FAILED"]);

    const retried = await engine.run(sampleOrder("declined-then-retried"));
    assert.strictEqual(retried.status, "SUCCEEDED", `${retried.error}: ${retried.cause}`);
    assert.strictEqual(retried.charged, true);
    const record = (await harness.table.record("declined-then-retried")) as PlainRecord;
    assert.deepStrictEqual(
      [record.State, record.ExecutionName, record.FailureReason],
      ["PROCESSED", retried.executionName, undefined],
    );

    // Once processed, it is a duplicate for every engine, the declining one included.
    assertDuplicate(await declining.run(sampleOrder("declined-then-retried")), "declined-then-retried");
    assertDuplicate(await engine.run(sampleOrder("declined-then-retried")), "declined-then-retried");
    assert.deepStrictEqual(await harness.table.record("declined-then-retried"), record);
    assert.deepStrictEqual(chargeOutcomes([declining, engine], "declined-then-retried").sort(), [
      "DuplicateOrderError",
      "DuplicateOrderError",
      "PaymentError",
      "charged",
    ]);
  });

  it("a malformed order, corrected and submitted again under the same orderId, is processed", async () => {
    const wrong = { ...sampleOrder("corrected-later"), orderTotal: 2249.99 };
    const rejected = await engine.run(wrong);
    assert.strictEqual(rejected.error, "INVALID_ORDER");
    assert.strictEqual((await harness.table.record("corrected-later"))?.State, "FAILED");

    const corrected = await engine.run(sampleOrder("corrected-later"));
    assert.strictEqual(corrected.status, "SUCCEEDED", `${corrected.error}: ${corrected.cause}`);
    const record = await harness.table.record("corrected-later");
    assert.deepStrictEqual(
      [record?.State, record?.OrderTotal, record?.ExecutionName],
      ["PROCESSED", 2250, corrected.executionName],
    );
  });

  it("a malformed resubmission of a processed order keeps its reason, publishes nothing and leaves the record", async () => {
    const first = await engine.run(sampleOrder("kept-processed"));
    assert.strictEqual(first.status, "SUCCEEDED");
    const before = await harness.table.record("kept-processed");
    // It fails before the charge; its failure write must not touch the PROCESSED record.
    const malformed = await engine.run({ ...sampleOrder("kept-processed"), orderTotal: "2250" });
    assert.strictEqual(malformed.error, "INVALID_ORDER", `${malformed.error}: ${malformed.cause}`);
    assert.ok(
      malformed.cause?.startsWith('The field orderTotal must be a number greater than 0 (got "2250")'),
      malformed.cause ?? "",
    );
    assert.ok(malformed.cause?.includes("left unchanged and nothing was published"), malformed.cause ?? "");
    assert.ok(
      malformed.states.includes("RecordFailedOrder") && !malformed.states.includes("NotifyOrderFailed"),
      malformed.states.join(" → "),
    );
    assert.deepStrictEqual(malformed.notifications, []);
    assert.deepStrictEqual(await harness.table.record("kept-processed"), before);
  });

  it("the same execution run again after it ended (an EXPRESS redelivery) charges nothing and keeps the record; it may publish again", async () => {
    const first = await engine.run(sampleOrder("redelivered"), "redelivered-execution");
    assert.strictEqual(first.charged, true);
    const record = await harness.table.record("redelivered");

    const again = await engine.run(sampleOrder("redelivered"), "redelivered-execution");
    assert.strictEqual(again.status, "SUCCEEDED", `${again.error}: ${again.cause}`);
    assert.strictEqual(again.charged, false);
    assert.deepStrictEqual(await harness.table.record("redelivered"), record);
    // At least once: subscribers see PROCESSED for this order twice and keep one (orderId + state).
    assert.deepStrictEqual(
      [...notices(first), ...notices(again)].map((n) => [n.orderId, n.state]),
      [
        ["redelivered", "PROCESSED"],
        ["redelivered", "PROCESSED"],
      ],
    );
    assert.deepStrictEqual(chargeOutcomes([engine], "redelivered"), ["charged", "already processed"]);
  });

  it("a step failing after the order was charged never turns its PROCESSED record FAILED", async () => {
    // The same execution again (an EXPRESS redelivery; on STANDARD, a charge whose answer was lost
    // and whose retries then fail): its failure path meets its own PROCESSED record.
    const first = await engine.run(sampleOrder("charged-then-failing"), "charged-then-failing-execution");
    assert.strictEqual(first.charged, true);
    const record = await harness.table.record("charged-then-failing");
    // The charge failing no longer matters: the redelivery answers as before without charging (below).
    for (const fn of ["retrieveStockLevels"] as const) {
      const failing = await harness.engine({
        faults: { lambda: { [fn]: { transientFailures: Number.POSITIVE_INFINITY } } },
      });
      const again = await failing.run(sampleOrder("charged-then-failing"), "charged-then-failing-execution");
      assert.strictEqual(again.error, "INTERNAL_ERROR", `${fn}: ${again.error}: ${again.cause}`);
      assert.ok(again.cause?.includes("left unchanged and nothing was published"), `${fn}: ${again.cause}`);
      assert.deepStrictEqual(await harness.table.record("charged-then-failing"), record, `${fn}: the record changed`);
      assert.deepStrictEqual(again.notifications, [], `${fn}: published after PROCESSED`);
    }
    const chargeDown = await harness.engine({
      faults: { lambda: { chargePayment: { transientFailures: Number.POSITIVE_INFINITY } } },
    });
    const answered = await chargeDown.run(sampleOrder("charged-then-failing"), "charged-then-failing-execution");
    assert.strictEqual(answered.status, "SUCCEEDED", `${answered.error}: ${answered.cause}`);
    assert.ok(!answered.states.includes("ChargePayment"), answered.states.join(" → "));
    assert.deepStrictEqual(await harness.table.record("charged-then-failing"), record, "the record changed");
    // With the verification down, the order's id cannot be checked: the failure goes under the
    // execution's name, saying so, and the charged order's own record is still left as it was.
    const failing = await harness.engine({
      faults: { lambda: { verifyPaymentDetails: { transientFailures: Number.POSITIVE_INFINITY } } },
    });
    const again = await failing.run(sampleOrder("charged-then-failing"), "charged-then-failing-unchecked");
    assert.strictEqual(again.error, "INTERNAL_ERROR");
    assert.strictEqual(again.orderId, "charged-then-failing-unchecked");
    assert.match(
      (await harness.table.record("charged-then-failing-unchecked"))?.OrderIdProblem as string,
      /could not be read to check its orderId/,
    );
    assert.deepStrictEqual(
      await harness.table.record("charged-then-failing"),
      record,
      "the charged order's record changed",
    );
  });
});
