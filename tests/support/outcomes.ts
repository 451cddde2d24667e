/**
 * What the end-to-end outcome tests (tests/engine/outcomes.test.ts, internalErrors.test.ts) assert
 * of an execution's report: the top-level path, the record, the failure and its notification, the
 * published attributes, and that no card data reached any of them.
 */
import * as assert from "assert";
import type { Notification, OrderInput, PaymentDetails } from "../../handlers/contract";
import type { ExecutionReport } from "../../workflow/execution/report";

/** States inside the Parallel and the Map; the rest is the top level, entered one at a time. */
const NESTED = new Set(["VerifyPaymentDetails", "RetrieveStockLevels", "InStock?", "ItemInStock", "ItemOutOfStock"]);
export const topLevel = (report: ExecutionReport) => report.states.filter((s) => !NESTED.has(s));
export const entered = (report: ExecutionReport, state: string) => report.states.filter((s) => s === state).length;

export const VERIFIED = ["VerifyPaymentAndCheckStock", "PaymentVerified?", "CheckStock"];
export const FAILURE_TAIL = ["RecordFailedOrder", "ComposeNotification", "NotifyOrderFailed", "OrderFailed"];

/** No card number (in any spacing, nor six of its digits in a row), no expiry, no name on card. */
export function assertNoCardData(report: ExecutionReport, card: PaymentDetails): void {
  const digits = card.cardNumber.replace(/\D/g, "");
  for (const [what, value] of [
    ["record", report.record],
    ["notifications", report.notifications],
    ["cause", report.cause],
  ] as const) {
    const text = JSON.stringify(value);
    for (let i = 0; i + 6 <= digits.length; i++) {
      const run = new RegExp(
        digits
          .slice(i, i + 6)
          .split("")
          .join("[\\s-]*"),
      );
      assert.doesNotMatch(text, run, `${what} holds card digits ${digits.slice(i, i + 6)}`);
    }
    assert.ok(!text.includes(card.expiration), `${what} holds the expiry`);
    assert.ok(!text.includes(card.name), `${what} holds the name on the card`);
  }
}

/** The record as the verification knew the order: id, customer, total, items, masked card. */
export function assertFullRecord(report: ExecutionReport, order: OrderInput, maskedCard: string): void {
  const record = report.record;
  assert.ok(record, "a record");
  assert.strictEqual(record.OrderId, report.orderId);
  assert.strictEqual(record.ExecutionName, report.executionName);
  assert.strictEqual(record.CustomerId, order.customerId);
  assert.strictEqual(record.OrderTotal, order.orderTotal);
  assert.deepStrictEqual(record.Items, order.orderContents.items);
  assert.strictEqual(record.PaymentMethod, maskedCard);
  assert.strictEqual(typeof record.CreatedAt, "string");
  assert.match(record.CreatedAt as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
}

/** A FAILED record with its reason, and exactly one FAILED notification saying the same. */
export function assertFailure(report: ExecutionReport, reason: string): void {
  assert.strictEqual(report.status, "FAILED");
  assert.strictEqual(report.error, reason);
  assert.ok(report.cause && report.cause.length > 0, "a cause in plain words");
  assert.strictEqual(report.charged, false);
  assert.strictEqual(report.record?.State, "FAILED");
  assert.strictEqual(report.record?.FailureReason, reason);
  assert.strictEqual(report.notifications.length, 1, "one notification");
  const notice = report.notifications[0] as Notification;
  assert.strictEqual(notice.orderId, report.orderId);
  assert.strictEqual(notice.state, "FAILED");
  assert.strictEqual(notice.reason, reason);
  assert.strictEqual(notice.message, `Order ${report.orderId} failed (${reason}): ${report.cause}`);
}

/** Subscribers filter on the message attributes (state, reason). */
export function itPublishesTheReasonAsAnAttribute(getReport: () => ExecutionReport, reason: string | undefined): void {
  it(`publishes state${reason === undefined ? "" : " and reason"} as message attributes`, function () {
    const { published } = getReport();
    assert.deepStrictEqual(
      published.map((p) => p.attributes),
      [reason === undefined ? { state: "PROCESSED" } : { state: "FAILED", reason }],
    );
  });
}
