/**
 * Every outcome of WORKFLOW.md, end to end through the local engine: the deployed definition, the
 * bundled Lambdas, DynamoDB. Each asserts the path, the record, the notification, and that no card
 * data reached either.
 */
import * as assert from "assert";
import type { Notification, OrderInput } from "../../handlers/contract";
import { LocalWorkflow } from "../../engine/engine";
import type { ExecutionReport } from "../../workflow/execution/report";
import { NO_SIMULATED_FAILURES } from "../support/engineHarness";
import {
  FAILURE_TAIL,
  VERIFIED,
  assertFailure,
  assertFullRecord,
  assertNoCardData,
  entered,
  itPublishesTheReasonAsAnAttribute,
  topLevel,
} from "../support/outcomes";
import { orderWith, sampleOrder } from "../support/sampleOrder";

const SAMPLE_CARD = sampleOrder().paymentDetails;

/** The original workflow's own example (seed/input.json): its card number fails the Luhn check, and 08/26 has passed. */
const SEED_INPUT: OrderInput = {
  orderContents: {
    items: [
      { itemId: "item-c9f4x", price: 1000, itemDescription: "Macbook" },
      { itemId: "item-g7b2q", price: 500, itemDescription: "iPhone" },
      { itemId: "item-p4c97", price: 750, itemDescription: "iPad" },
    ],
  },
  orderTotal: 2250,
  customerId: "c-id-56392",
  paymentDetails: { name: "John Doe", cardType: "MASTERCARD", cardNumber: "5192 7402 9672 1055", expiration: "08/26" },
};
const SEED_CARD = SEED_INPUT.paymentDetails;

describe("every outcome of WORKFLOW.md, end to end through the local engine", function () {
  this.timeout(120_000);

  describe("with no simulated failure", () => {
    let workflow: LocalWorkflow;
    before(async () => {
      workflow = await LocalWorkflow.start({ rates: NO_SIMULATED_FAILURES, seed: "outcomes" });
    });
    after(async () => {
      await workflow?.close();
    });

    describe("SUCCEEDED: a valid order is charged, recorded PROCESSED and notified", () => {
      const order = sampleOrder();
      let report: ExecutionReport;
      before(async () => {
        report = await workflow.run(order, "outcome-succeeded");
      });

      it("takes the whole path: both checks, every item in stock, the charge, the notification", () => {
        assert.strictEqual(report.status, "SUCCEEDED");
        assert.strictEqual(report.error, null);
        assert.strictEqual(report.cause, null);
        assert.deepStrictEqual(topLevel(report), [
          ...VERIFIED,
          "ReserveStock",
          "ChargePayment",
          "RecordProcessed",
          "NotifyOrderProcessed",
        ]);
        assert.strictEqual(entered(report, "VerifyPaymentDetails"), 1);
        assert.strictEqual(entered(report, "RetrieveStockLevels"), 1);
        assert.strictEqual(entered(report, "InStock?"), 3);
        assert.strictEqual(entered(report, "ItemInStock"), 3);
        assert.strictEqual(report.transitions, report.states.length, "no retries");
        assert.strictEqual(report.lambdaInvocations, 4);
      });

      it("charges, and records the order PROCESSED with its charge and no failure reason", () => {
        assert.strictEqual(report.charged, true);
        assert.strictEqual(report.orderId, "outcome-succeeded", "no orderId given: the execution's name");
        assertFullRecord(report, order, "MASTERCARD ****4444");
        assert.strictEqual(report.record?.State, "PROCESSED");
        assert.match(report.record?.ChargeId as string, /^ch_/);
        assert.ok(!("FailureReason" in (report.record ?? {})));
      });

      it("notifies PROCESSED once, with the customer and the total", () => {
        assert.strictEqual(report.notifications.length, 1);
        const notice = report.notifications[0] as Notification;
        assert.strictEqual(notice.orderId, report.orderId);
        assert.strictEqual(notice.state, "PROCESSED");
        assert.strictEqual(notice.reason, undefined);
        assert.strictEqual(notice.customerId, order.customerId);
        assert.strictEqual(notice.orderTotal, order.orderTotal);
        assert.ok(notice.message.includes(report.orderId as string));
      });

      itPublishesTheReasonAsAnAttribute(() => report, undefined);

      it("keeps card data out of the record and the notification", () => assertNoCardData(report, SAMPLE_CARD));
    });

    describe("INVALID_ORDER: a malformed order (no customerId) is answered, not crashed on", () => {
      const order = orderWith((o) => delete o.customerId);
      let report: ExecutionReport;
      before(async () => {
        report = await workflow.run(order, "outcome-invalid");
      });

      it("goes from the checks straight to the failure path, charging nothing", () => {
        assert.deepStrictEqual(topLevel(report), [
          "VerifyPaymentAndCheckStock",
          "PaymentVerified?",
          "InvalidOrder",
          ...FAILURE_TAIL,
        ]);
        assert.ok(!report.states.includes("ChargePayment"));
      });

      it("fails with INVALID_ORDER and a cause naming the field", () => {
        assertFailure(report, "INVALID_ORDER");
        assert.match(report.cause as string, /customerId/);
      });

      it("records what was valid, without the customer", () => {
        assert.strictEqual(report.record?.OrderTotal, order.orderTotal);
        assert.strictEqual(report.record?.PaymentMethod, "MASTERCARD ****4444");
        assert.ok(!("CustomerId" in (report.record ?? {})));
      });

      itPublishesTheReasonAsAnAttribute(() => report, "INVALID_ORDER");

      it("keeps card data out", () => assertNoCardData(report, SAMPLE_CARD));
    });

    describe("INVALID_ORDER: an input that is not even an object", () => {
      let report: ExecutionReport;
      before(async () => {
        report = await workflow.run(42, "outcome-not-an-object");
      });

      it("is recorded and notified under the execution's name", () => {
        assertFailure(report, "INVALID_ORDER");
        assert.strictEqual(report.orderId, "outcome-not-an-object");
        assert.match(report.cause as string, /must be a JSON object \(got 42\)/);
        assert.deepStrictEqual(Object.keys(report.record ?? {}).sort(), [
          "CreatedAt",
          "ExecutionName",
          "FailureReason",
          "OrderId",
          "State",
        ]);
      });
    });

    describe("PAYMENT_NOT_VERIFIED: the original workflow's own example", () => {
      let report: ExecutionReport;
      before(async () => {
        report = await workflow.run(SEED_INPUT, "outcome-seed-input");
      });

      it("is turned away before the charge", () => {
        assert.deepStrictEqual(topLevel(report), [
          "VerifyPaymentAndCheckStock",
          "PaymentVerified?",
          "PaymentNotVerified",
          ...FAILURE_TAIL,
        ]);
      });

      it("fails with PAYMENT_NOT_VERIFIED: its card number fails the Luhn check", () => {
        assertFailure(report, "PAYMENT_NOT_VERIFIED");
        assert.strictEqual(report.cause, "The card number fails the Luhn check.");
      });

      it("records the order with the card masked to its last four digits", () => {
        assertFullRecord(report, SEED_INPUT, "MASTERCARD ****1055");
      });

      itPublishesTheReasonAsAnAttribute(() => report, "PAYMENT_NOT_VERIFIED");

      it("keeps card data out", () => assertNoCardData(report, SEED_CARD));
    });

    describe("the same order submitted twice", () => {
      const order = sampleOrder("outcome-twice");
      let first: ExecutionReport;
      let second: ExecutionReport;
      before(async () => {
        first = await workflow.run(order, "outcome-twice-a");
        second = await workflow.run(order, "outcome-twice-b");
      });

      it("is charged once and leaves one record, the first execution's", () => {
        assert.strictEqual(first.status, "SUCCEEDED");
        assert.strictEqual(first.charged, true);
        assert.strictEqual(second.status, "FAILED");
        assert.strictEqual(second.error, "DUPLICATE_ORDER");
        assert.strictEqual(second.charged, false);
        assert.deepStrictEqual(topLevel(second), [
          ...VERIFIED,
          "ReserveStock",
          "DuplicateOrder",
          "OrderAlreadySubmitted",
        ]);
        assert.deepStrictEqual(second.record, first.record);
        assert.strictEqual(second.record?.ExecutionName, "outcome-twice-a");
        assert.deepStrictEqual(second.notifications, [], "subscribers heard of the order once");
      });
    });
  });

  describe("PAYMENT_NOT_VERIFIED: the simulated gateway declines every card (payment=1)", () => {
    let workflow: LocalWorkflow;
    let report: ExecutionReport;
    const order = sampleOrder();
    before(async () => {
      workflow = await LocalWorkflow.start({ rates: { ...NO_SIMULATED_FAILURES, payment: 1 } });
      report = await workflow.run(order, "outcome-payment-not-verified");
    });
    after(async () => {
      await workflow?.close();
    });

    it("is turned away before the charge", () => {
      assert.deepStrictEqual(topLevel(report), [
        "VerifyPaymentAndCheckStock",
        "PaymentVerified?",
        "PaymentNotVerified",
        ...FAILURE_TAIL,
      ]);
    });

    it("fails with PAYMENT_NOT_VERIFIED, recorded and notified", () => {
      assertFailure(report, "PAYMENT_NOT_VERIFIED");
      assertFullRecord(report, order, "MASTERCARD ****4444");
    });

    itPublishesTheReasonAsAnAttribute(() => report, "PAYMENT_NOT_VERIFIED");

    it("keeps card data out", () => assertNoCardData(report, SAMPLE_CARD));
  });

  describe("OUT_OF_STOCK: every item is out of stock (stock=1)", () => {
    let workflow: LocalWorkflow;
    let report: ExecutionReport;
    const order = sampleOrder();
    before(async () => {
      workflow = await LocalWorkflow.start({ rates: { ...NO_SIMULATED_FAILURES, stock: 1 } });
      report = await workflow.run(order, "outcome-out-of-stock");
    });
    after(async () => {
      await workflow?.close();
    });

    it("fails in the Map, before the charge", () => {
      assert.deepStrictEqual(topLevel(report), [...VERIFIED, "OutOfStock", ...FAILURE_TAIL]);
      assert.ok(entered(report, "ItemOutOfStock") >= 1);
      assert.strictEqual(entered(report, "ItemInStock"), 0);
    });

    it("fails with OUT_OF_STOCK, and the cause names the item", () => {
      assertFailure(report, "OUT_OF_STOCK");
      const named = order.orderContents.items.find(
        (item) => report.cause === `Item ${item.itemId} (${item.itemDescription}) is out of stock.`,
      );
      assert.ok(named, `the cause names one of the order's items: ${report.cause}`);
      assertFullRecord(report, order, "MASTERCARD ****4444");
    });

    itPublishesTheReasonAsAnAttribute(() => report, "OUT_OF_STOCK");

    it("keeps card data out", () => assertNoCardData(report, SAMPLE_CARD));
  });

  describe("PAYMENT_FAILED: the charge is declined (charge=1)", () => {
    let workflow: LocalWorkflow;
    let report: ExecutionReport;
    const order = sampleOrder();
    before(async () => {
      workflow = await LocalWorkflow.start({ rates: { ...NO_SIMULATED_FAILURES, charge: 1 } });
      report = await workflow.run(order, "outcome-payment-failed");
    });
    after(async () => {
      await workflow?.close();
    });

    it("fails at the charge, which is not retried", () => {
      assert.deepStrictEqual(topLevel(report), [
        ...VERIFIED,
        "ReserveStock",
        "ChargePayment",
        "PaymentFailed",
        "ReleaseStock",
        ...FAILURE_TAIL,
      ]);
      assert.strictEqual(report.transitions, report.states.length);
    });

    it("fails with PAYMENT_FAILED, charging nothing, recorded FAILED and notified", () => {
      assertFailure(report, "PAYMENT_FAILED");
      assert.strictEqual(report.cause, `The payment provider declined the charge for order ${report.orderId}.`);
      assertFullRecord(report, order, "MASTERCARD ****4444");
      assert.ok(!("ChargeId" in (report.record ?? {})));
    });

    itPublishesTheReasonAsAnAttribute(() => report, "PAYMENT_FAILED");

    it("keeps card data out", () => assertNoCardData(report, SAMPLE_CARD));
  });
});
