/**
 * INTERNAL_ERROR end to end through the local engine: a Lambda the service keeps failing (retries
 * exhausted), for the charge and for the stock check; the failure path records and notifies, and
 * no card data reaches either. The other outcomes are outcomes.test.ts's.
 */
import * as assert from "assert";
import { LocalWorkflow } from "../../engine/engine";
import type { ExecutionReport } from "../../workflow/execution/report";
import { NO_SIMULATED_FAILURES } from "../support/engineHarness";
import {
  FAILURE_TAIL,
  VERIFIED,
  assertFailure,
  assertFullRecord,
  assertNoCardData,
  itPublishesTheReasonAsAnAttribute,
  topLevel,
} from "../support/outcomes";
import { sampleOrder } from "../support/sampleOrder";

const SAMPLE_CARD = sampleOrder().paymentDetails;

describe("INTERNAL_ERROR, end to end through the local engine", function () {
  this.timeout(120_000);

  describe("INTERNAL_ERROR: the Lambda service keeps failing the charge (retries exhausted)", () => {
    let workflow: LocalWorkflow;
    let report: ExecutionReport;
    const order = sampleOrder();
    before(async () => {
      workflow = await LocalWorkflow.start({
        rates: NO_SIMULATED_FAILURES,
        faults: { lambda: { chargePayment: { transientFailures: 10 } } },
      });
      report = await workflow.run(order, "outcome-internal-error");
    });
    after(async () => {
      await workflow?.close();
    });

    it("retries the charge three times, then takes the failure path", () => {
      assert.deepStrictEqual(topLevel(report), [
        ...VERIFIED,
        "ReserveStock",
        "ChargePayment",
        "ChargeFault",
        "RefundPayment",
        "ReleaseStock",
        ...FAILURE_TAIL,
      ]);
      assert.strictEqual(report.transitions, report.states.length + 3, "three retries");
      // The checks, the reservation, the charge 4 times, then the refund (nothing to refund) and the release.
      assert.strictEqual(report.lambdaInvocations, 2 + 1 + 4 + 2);
    });

    it("fails with INTERNAL_ERROR naming the error, charging nothing, recorded FAILED and notified", () => {
      assertFailure(report, "INTERNAL_ERROR");
      assert.strictEqual(
        report.cause,
        "A step failed with Lambda.ServiceException and could not be recovered by retrying.",
      );
      assertFullRecord(report, order, "MASTERCARD ****4444");
    });

    itPublishesTheReasonAsAnAttribute(() => report, "INTERNAL_ERROR");

    it("keeps card data out", () => assertNoCardData(report, SAMPLE_CARD));
  });

  describe("INTERNAL_ERROR: the stock Lambda never answers (the order's own id is kept)", () => {
    let workflow: LocalWorkflow;
    let report: ExecutionReport;
    const order = sampleOrder("client-order-7");
    before(async () => {
      workflow = await LocalWorkflow.start({
        rates: NO_SIMULATED_FAILURES,
        faults: { lambda: { retrieveStockLevels: { transientFailures: 10 } } },
      });
      report = await workflow.run(order, "outcome-lambdas-down");
    });
    after(async () => {
      await workflow?.close();
    });

    it("recovers the order's id from the input without trusting its shape", () => {
      assert.deepStrictEqual(topLevel(report), [
        "VerifyPaymentAndCheckStock",
        "RecoverOrderId",
        "CheckOrderId",
        "UseCheckedOrderId",
        "InternalError",
        ...FAILURE_TAIL,
      ]);
      assert.strictEqual(report.orderId, "client-order-7");
    });

    it("fails with INTERNAL_ERROR, recording what the verification found valid (the order's id checked by its rule)", () => {
      assertFailure(report, "INTERNAL_ERROR");
      assertFullRecord(report, order, "MASTERCARD ****4444");
      assert.strictEqual(report.record?.OrderId, "client-order-7");
      assert.strictEqual(report.record?.ChargeId, undefined);
    });

    itPublishesTheReasonAsAnAttribute(() => report, "INTERNAL_ERROR");

    it("keeps card data out", () => assertNoCardData(report, SAMPLE_CARD));
  });
});
