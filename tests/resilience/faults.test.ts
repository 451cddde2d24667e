/**
 * Faults injected at the edges the workflow talks to (engine/faults.ts), never by changing the
 * definition: DynamoDB unreachable or throttling, a Lambda failing with a transient AWS error or
 * timing out, SNS failing. Retries recover what they can; what they cannot ends as INTERNAL_ERROR,
 * recorded where the table can be reached and notified where SNS can be; no execution ends without
 * a trace. Retry backoff passes on the engine's virtual clock (engine/clock.ts, tests/engine/clock.test.ts),
 * so the runs do not sleep.
 *
 * Each test has its own DynamoDB and engine, closed before the next starts: the engines share the
 * process' environment (AWS_ENDPOINT_URL_DYNAMODB), so two with different endpoints must not overlap.
 */
import * as assert from "assert";
import { LocalWorkflow } from "../../engine/engine";
import type { ExecutionReport } from "../../workflow/execution/report";
import type { FaultPlan } from "../../engine/faults";
import type { FunctionKey } from "../../workflow/functions";
import {
  Harness,
  NO_SIMULATED_FAILURES,
  PlainRecord,
  endsWith,
  failureTail,
  logLinesAbout,
  notices,
} from "../support/engineHarness";
import { sampleOrder } from "../support/sampleOrder";

/** Retries the definition allows a Lambda on its transient errors and its store's: 3 (4 attempts); timeouts 1. */
const TRANSIENT_RETRIES = 3;
/** A compensation (refund, release) is retried 6 times on any error: it is idempotent. */
const COMPENSATION_RETRIES = 6;
/** The FAILED record and the notifications are retried 6 times on their integration's transient errors. */
const PATIENT_RETRIES = 6;
/** The Lambdas a charged order invokes: the two checks, the reservation, the charge. */
const SUCCESS_INVOCATIONS = 4;
const TIMEOUT_RETRIES = 1;
const ALWAYS = Number.POSITIVE_INFINITY;

interface Outcome {
  readonly report: ExecutionReport;
  /** The order's record as the table holds it after the run (read directly, past any fault). */
  readonly record: PlainRecord | null;
  readonly engine: LocalWorkflow;
}

let harness: Harness | undefined;
/** The failure path of the running engine's definition, RecordFailedOrder to the Fail state. */
let failurePath: string[] = [];

async function runWith(
  faults: FaultPlan,
  input: unknown,
  options: { charge?: number; executionName?: string } = {},
): Promise<Outcome> {
  harness = await Harness.start(`CustomerOrders-faults-${process.pid}`);
  const engine = await harness.engine({ faults, rates: { ...NO_SIMULATED_FAILURES, charge: options.charge ?? 0 } });
  failurePath = failureTail(engine);
  const report = await engine.run(input, options.executionName);
  const id = report.orderId ?? report.executionName;
  return { report, record: await harness.table.record(id), engine };
}

/** State-machine retries in a run: every retry is a transition without a state entered. */
const retries = (report: ExecutionReport) => report.transitions - report.states.length;
const times = (report: ExecutionReport, state: string) => report.states.filter((s) => s === state).length;

function assertSucceeded({ report, record }: Outcome, orderId: string): void {
  assert.strictEqual(report.status, "SUCCEEDED", `${report.error}: ${report.cause}`);
  assert.strictEqual(report.charged, true);
  assert.strictEqual(record?.State, "PROCESSED");
  assert.strictEqual(record?.OrderId, orderId);
  assert.ok(typeof record?.ChargeId === "string");
  const published = notices(report);
  assert.strictEqual(published.length, 1);
  assert.deepStrictEqual([published[0].orderId, published[0].state], [orderId, "PROCESSED"]);
}

function assertInternalError(report: ExecutionReport, failedWith: string): void {
  assert.strictEqual(report.status, "FAILED");
  assert.strictEqual(report.error, "INTERNAL_ERROR", `${report.error}: ${report.cause}`);
  assert.strictEqual(report.cause, `A step failed with ${failedWith} and could not be recovered by retrying.`);
  // Before the reservation the reason is InternalError; after it, the state naming which step faulted.
  const reasons = ["InternalError", "ReservationFault", "ChargeFault", "RecordFault"];
  assert.ok(
    reasons.some((reason) => report.states.includes(reason)),
    report.states.join(" → "),
  );
  assert.ok(endsWith(report.states, failurePath), report.states.join(" → "));
}

function assertRecordedFailure(
  record: PlainRecord | null,
  orderId: string,
  reason: string,
  executionName: string,
): void {
  assert.ok(record, `${orderId} was not recorded`);
  assert.deepStrictEqual(
    [record.OrderId, record.State, record.FailureReason, record.ExecutionName, record.ChargeId],
    [orderId, "FAILED", reason, executionName, undefined],
  );
}

function assertNotifiedFailure(report: ExecutionReport, orderId: string, reason: string): void {
  const published = notices(report);
  assert.strictEqual(published.length, 1, JSON.stringify(published));
  assert.deepStrictEqual([published[0].orderId, published[0].state, published[0].reason], [orderId, "FAILED", reason]);
  assert.ok(report.cause !== null && published[0].message.includes(report.cause), published[0].message);
}

/** A trace: a record, a notification, or at the very least the execution's own error and a plain cause. */
function assertTraced({ report, record }: Outcome): void {
  const traced =
    record !== null || report.notifications.length > 0 || (report.error !== null && (report.cause ?? "").length > 0);
  assert.ok(traced, `${report.executionName} left no trace`);
}

describe("resilience: injected faults", function () {
  this.timeout(120_000);

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  describe("DynamoDB", () => {
    it("unreachable: the reservation cannot claim the order, so INTERNAL_ERROR; the failure cannot be recorded, SNS still tells", async () => {
      const outcome = await runWith({ dynamodb: { unreachable: true } }, sampleOrder("ddb-down"));
      const { report, record, engine } = outcome;
      // The SDK inside the Lambda retried the connection itself; the error it gave up with is not a
      // store error the definition retries, so the Lambda ran once.
      assertInternalError(report, "Error");
      assert.strictEqual(times(report, "ReserveStock"), 1);
      assert.ok(!report.states.includes("ChargePayment"), report.states.join(" → "));
      // Whether the reservation landed cannot be checked: its release is tried, generously, and gives up.
      assert.strictEqual(report.lambdaInvocations, 3 + 1 + COMPENSATION_RETRIES);
      assert.strictEqual(report.charged, false);
      assert.strictEqual(record, null);
      assert.deepStrictEqual(await harness?.table.all(), []);
      assertNotifiedFailure(report, "ddb-down", "INTERNAL_ERROR");
      assert.ok(!logLinesAbout(engine, "ddb-down").some((line) => line.includes('"outcome":"charged"')));
      assertTraced(outcome);
    });

    it("unreachable, for a malformed order: still answered INVALID_ORDER and notified, though not recorded", async () => {
      const outcome = await runWith({ dynamodb: { unreachable: true } }, { orderId: "ddb-down-invalid" });
      assert.strictEqual(outcome.report.error, "INVALID_ORDER");
      assert.strictEqual(outcome.record, null);
      assertNotifiedFailure(outcome.report, "ddb-down-invalid", "INVALID_ORDER");
    });

    it("throttling 2 requests: the SDK inside the charge Lambda retries them; SUCCEEDED with one record", async () => {
      const outcome = await runWith({ dynamodb: { throttled: 2 } }, sampleOrder("ddb-throttled-2"));
      assertSucceeded(outcome, "ddb-throttled-2");
      assert.strictEqual(retries(outcome.report), 0);
      assert.strictEqual(outcome.report.lambdaInvocations, SUCCESS_INVOCATIONS);
      assert.strictEqual((await harness?.table.all())?.length, 1);
    });

    it("throttling 4 requests: the SDK gives up after 3, the state machine retries the reservation; SUCCEEDED, charged once", async () => {
      const outcome = await runWith({ dynamodb: { throttled: 4 } }, sampleOrder("ddb-throttled-4"));
      assertSucceeded(outcome, "ddb-throttled-4");
      assert.strictEqual(retries(outcome.report), 1);
      assert.strictEqual(outcome.report.lambdaInvocations, SUCCESS_INVOCATIONS + 1);
      const reservations = logLinesAbout(outcome.engine, "ddb-throttled-4").filter((line) =>
        line.includes('"handler":"reserveStock"'),
      );
      assert.deepStrictEqual(
        reservations.map((line) => (JSON.parse(line) as { outcome: string }).outcome),
        ["ProvisionedThroughputExceededException", "reserved"],
      );
      assert.strictEqual((await harness?.table.all())?.length, 1);
    });

    it("throttling every request: INTERNAL_ERROR once every retry is spent; not recorded, notified", async () => {
      const outcome = await runWith({ dynamodb: { throttled: Number.MAX_SAFE_INTEGER } }, sampleOrder("ddb-throttled"));
      const { report, record } = outcome;
      assertInternalError(report, "ProvisionedThroughputExceededException");
      // The reservation: 1 + 3 retries; its release: 1 + 6 retries; writing the failure: 1 + 6 retries.
      assert.strictEqual(report.lambdaInvocations, 2 + 1 + TRANSIENT_RETRIES + 1 + COMPENSATION_RETRIES);
      assert.strictEqual(retries(report), TRANSIENT_RETRIES + COMPENSATION_RETRIES + PATIENT_RETRIES);
      assert.strictEqual(record, null);
      assertNotifiedFailure(report, "ddb-throttled", "INTERNAL_ERROR");
      assertTraced(outcome);
    });
  });

  describe("a Lambda failing with a transient AWS error", () => {
    const functions: FunctionKey[] = ["verifyPaymentDetails", "retrieveStockLevels", "chargePayment"];
    for (const fn of functions) {
      it(`${fn} fails once with Lambda.ServiceException, then succeeds: retried, SUCCEEDED`, async () => {
        const orderId = `transient-once-${fn}`;
        const outcome = await runWith({ lambda: { [fn]: { transientFailures: 1 } } }, sampleOrder(orderId));
        assertSucceeded(outcome, orderId);
        assert.strictEqual(retries(outcome.report), 1);
        assert.strictEqual(outcome.report.lambdaInvocations, SUCCESS_INVOCATIONS + 1);
      });
    }

    it("chargePayment throttled by Lambda 3 times: the last of the 3 retries succeeds, one charge", async () => {
      const fault = { transientFailures: TRANSIENT_RETRIES, error: "Lambda.TooManyRequestsException" };
      const outcome = await runWith({ lambda: { chargePayment: fault } }, sampleOrder("lambda-throttled-3"));
      assertSucceeded(outcome, "lambda-throttled-3");
      assert.strictEqual(outcome.report.lambdaInvocations, SUCCESS_INVOCATIONS + TRANSIENT_RETRIES);
    });

    it("chargePayment failing every time: INTERNAL_ERROR after 3 retries, recorded FAILED and notified, nothing charged", async () => {
      const outcome = await runWith(
        { lambda: { chargePayment: { transientFailures: ALWAYS } } },
        sampleOrder("lambda-down"),
      );
      const { report, record } = outcome;
      assertInternalError(report, "Lambda.ServiceException");
      // Then the compensations: a refund (nothing approved to refund) and the release.
      assert.strictEqual(report.lambdaInvocations, SUCCESS_INVOCATIONS + TRANSIENT_RETRIES + 2);
      assert.strictEqual(record?.StockState, "RELEASED");
      assert.strictEqual(report.charged, false);
      assertRecordedFailure(record, "lambda-down", "INTERNAL_ERROR", report.executionName);
      assert.strictEqual(record?.PaymentMethod, "MASTERCARD ****4444");
      assertNotifiedFailure(report, "lambda-down", "INTERNAL_ERROR");
    });

    it("an error not known to be transient (Lambda.Unknown) is not retried: INTERNAL_ERROR at once, recorded and notified", async () => {
      const fault = { transientFailures: 1, error: "Lambda.Unknown" };
      const outcome = await runWith({ lambda: { verifyPaymentDetails: fault } }, sampleOrder("lambda-unknown"));
      const { report, record } = outcome;
      assertInternalError(report, "Lambda.Unknown");
      assert.strictEqual(retries(report), 0);
      // The verification is asked once more for the order's id (the same rule as every path), and answers.
      assert.ok(
        report.states.includes("CheckOrderId") && report.states.includes("UseCheckedOrderId"),
        report.states.join(" → "),
      );
      assertRecordedFailure(record, "lambda-unknown", "INTERNAL_ERROR", report.executionName);
      assertNotifiedFailure(report, "lambda-unknown", "INTERNAL_ERROR");
    });
  });

  describe("a Lambda timing out", () => {
    it("retrieveStockLevels times out once: retried, SUCCEEDED", async () => {
      const outcome = await runWith({ lambda: { retrieveStockLevels: { timeouts: 1 } } }, sampleOrder("timeout-once"));
      assertSucceeded(outcome, "timeout-once");
      assert.strictEqual(retries(outcome.report), TIMEOUT_RETRIES);
      assert.strictEqual(outcome.report.lambdaInvocations, SUCCESS_INVOCATIONS + 1);
    });

    it("chargePayment times out once: retried, SUCCEEDED and charged once", async () => {
      const outcome = await runWith({ lambda: { chargePayment: { timeouts: 1 } } }, sampleOrder("charge-timeout-once"));
      assertSucceeded(outcome, "charge-timeout-once");
      assert.strictEqual(outcome.report.lambdaInvocations, SUCCESS_INVOCATIONS + 1);
      const charged = logLinesAbout(outcome.engine, "charge-timeout-once").filter((line) =>
        line.includes('"outcome":"charged"'),
      );
      assert.strictEqual(charged.length, 1);
    });

    it("retrieveStockLevels always timing out: INTERNAL_ERROR after one retry, recorded under the input's orderId and notified", async () => {
      const outcome = await runWith(
        { lambda: { retrieveStockLevels: { timeouts: ALWAYS } } },
        sampleOrder("timeout-always"),
      );
      const { report, record } = outcome;
      assertInternalError(report, "Sandbox.Timedout");
      assert.ok(
        report.states.includes("RecoverOrderId") && report.states.includes("UseCheckedOrderId"),
        report.states.join(" → "),
      );
      assert.strictEqual(times(report, "RetrieveStockLevels"), 1);
      assert.strictEqual(retries(report), TIMEOUT_RETRIES);
      assertRecordedFailure(record, "timeout-always", "INTERNAL_ERROR", report.executionName);
      assertNotifiedFailure(report, "timeout-always", "INTERNAL_ERROR");
    });

    it("without an orderId, a fault before verification records the order under the execution's name", async () => {
      const outcome = await runWith({ lambda: { verifyPaymentDetails: { timeouts: ALWAYS } } }, sampleOrder(), {
        executionName: "no-order-id",
      });
      const { report, record } = outcome;
      assertInternalError(report, "Sandbox.Timedout");
      assert.ok(report.states.includes("UseExecutionName"), report.states.join(" → "));
      assertRecordedFailure(record, "no-order-id", "INTERNAL_ERROR", "no-order-id");
      assertNotifiedFailure(report, "no-order-id", "INTERNAL_ERROR");
    });

    for (const [what, orderId] of [
      ["empty", ""],
      ["3,000 characters", "x".repeat(3000)],
      ["with spaces", "order with spaces"],
    ] as const) {
      it(`a fault with an orderId ${what}: the same id rule as every path, recorded and notified under the execution's name, saying why`, async () => {
        const executionName = `bad-id-${what.replace(/[^a-z0-9]/g, "")}`;
        const outcome = await runWith({ lambda: { retrieveStockLevels: { timeouts: ALWAYS } } }, sampleOrder(orderId), {
          executionName,
        });
        const { report, record } = outcome;
        assertInternalError(report, "Sandbox.Timedout");
        assert.strictEqual(report.orderId, executionName);
        assertRecordedFailure(record, executionName, "INTERNAL_ERROR", executionName);
        assert.match(
          record?.OrderIdProblem as string,
          /^The field orderId must be 1 to 128 characters .*, so the order is recorded under its execution's name\.$/,
        );
        assertNotifiedFailure(report, executionName, "INTERNAL_ERROR");
        assert.strictEqual(notices(report)[0].orderIdProblem, record?.OrderIdProblem);
        assert.ok((record?.OrderIdProblem as string).length < 300, "the problem repeats the whole id");
      });
    }

    it("chargePayment always timing out: INTERNAL_ERROR, recorded FAILED over its own claim, notified, nothing charged", async () => {
      const outcome = await runWith(
        { lambda: { chargePayment: { timeouts: ALWAYS } } },
        sampleOrder("charge-timeout-always"),
      );
      const { report, record } = outcome;
      assertInternalError(report, "Sandbox.Timedout");
      assert.strictEqual(report.lambdaInvocations, SUCCESS_INVOCATIONS + TIMEOUT_RETRIES + 2);
      assert.strictEqual(report.charged, false);
      assertRecordedFailure(record, "charge-timeout-always", "INTERNAL_ERROR", report.executionName);
      assertNotifiedFailure(report, "charge-timeout-always", "INTERNAL_ERROR");
    });
  });

  describe("SNS", () => {
    it("failing once: the publish is retried; SUCCEEDED with exactly one notification", async () => {
      const outcome = await runWith({ sns: { failures: 1 } }, sampleOrder("sns-once"));
      assertSucceeded(outcome, "sns-once");
      assert.strictEqual(retries(outcome.report), 1);
    });

    it("down on the success path: INTERNAL_ERROR says the order was charged and recorded; the record stays PROCESSED", async () => {
      const outcome = await runWith({ sns: { failures: ALWAYS } }, sampleOrder("sns-down"));
      const { report, record } = outcome;
      assert.strictEqual(report.status, "FAILED");
      assert.strictEqual(report.error, "INTERNAL_ERROR");
      assert.strictEqual(
        report.cause,
        "The order was charged and recorded as PROCESSED, but its notification could not be published.",
      );
      assert.ok(
        endsWith(report.states, ["RecordProcessed", "NotifyOrderProcessed", "NotificationFailed"]),
        report.states.join(" → "),
      );
      assert.strictEqual(retries(report), PATIENT_RETRIES);
      assert.strictEqual(report.charged, true);
      assert.strictEqual(record?.State, "PROCESSED");
      assert.ok(typeof record?.ChargeId === "string");
      assert.deepStrictEqual(report.notifications, []);
      assertTraced(outcome);
    });

    it("down on the failure path: a declined charge keeps its reason and is recorded; nothing is published", async () => {
      const outcome = await runWith({ sns: { failures: ALWAYS } }, sampleOrder("sns-down-declined"), { charge: 1 });
      const { report, record } = outcome;
      assert.strictEqual(report.error, "PAYMENT_FAILED");
      assert.strictEqual(report.cause, "The payment provider declined the charge for order sns-down-declined.");
      assert.ok(endsWith(report.states, failurePath), report.states.join(" → "));
      assert.strictEqual(times(report, "NotifyOrderFailed"), 1);
      assert.strictEqual(retries(report), PATIENT_RETRIES);
      assertRecordedFailure(record, "sns-down-declined", "PAYMENT_FAILED", report.executionName);
      assert.deepStrictEqual(report.notifications, []);
      assertTraced(outcome);
    });

    it("down together with DynamoDB: the execution's own error and cause are the trace", async () => {
      const outcome = await runWith(
        { dynamodb: { unreachable: true }, sns: { failures: ALWAYS } },
        sampleOrder("all-down"),
      );
      const { report, record, engine } = outcome;
      assertInternalError(report, "Error");
      assert.strictEqual(record, null);
      assert.deepStrictEqual(report.notifications, []);
      assert.ok(logLinesAbout(engine, "all-down").length >= 3, "the Lambdas logged nothing about the order");
      assertTraced(outcome);
    });
  });
});
