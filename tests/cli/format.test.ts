/** The human output of a run: the execution path, the record and the notification. */
import * as assert from "assert";
import type { ExecutionReport } from "../../workflow/execution/report";
import {
  JSON_LINE_KEYS,
  formatPath,
  formatReport,
  formatSummary,
  formatThroughput,
  notificationLine,
  recordLine,
  summarize,
  toJsonLine,
} from "../../cli/format";
import { nameBasedUuid, orderExecutionName, seededExecutionName } from "../../cli/names";
import { executionPath } from "../../workflow/execution/path";
import { OUT_OF_STOCK_PATH, SUCCEEDED_PATH, orderDefinition as definition } from "../support/paths";

function report(overrides: Partial<ExecutionReport>): ExecutionReport {
  return {
    orderId: "order-1",
    executionName: "order-1",
    status: "SUCCEEDED",
    error: null,
    cause: null,
    states: SUCCEEDED_PATH,
    transitions: 14,
    charged: true,
    record: { OrderId: "order-1", State: "PROCESSED", OrderTotal: 22.5 },
    notifications: [{ orderId: "order-1", state: "PROCESSED" }],
    published: [
      {
        topicArn: "arn:aws:sns:us-east-1:000000000000:orders",
        message: { orderId: "order-1", state: "PROCESSED" },
        attributes: { state: "PROCESSED" },
      },
    ],
    lambdaInvocations: 3,
    ...overrides,
  };
}

const outOfStock = report({
  status: "FAILED",
  error: "OUT_OF_STOCK",
  cause: "Item item-g7b2q (iPhone) is out of stock.",
  states: OUT_OF_STOCK_PATH,
  transitions: 14,
  charged: false,
  record: { OrderId: "order-1", State: "FAILED", FailureReason: "OUT_OF_STOCK" },
  notifications: [{ orderId: "order-1", state: "FAILED", reason: "OUT_OF_STOCK" }],
  published: [
    {
      topicArn: "arn:aws:sns:us-east-1:000000000000:orders",
      message: { orderId: "order-1", state: "FAILED", reason: "OUT_OF_STOCK" },
      attributes: { state: "FAILED", reason: "OUT_OF_STOCK" },
    },
  ],
});

describe("the path of an execution, as the console draws it", () => {
  it("prints one state a line, nested ones indented, with plain markers when not on a terminal", () => {
    const lines = formatPath(executionPath(definition, OUT_OF_STOCK_PATH, "FAILED"), { color: false });
    assert.deepStrictEqual(lines, [
      "  ✓ VerifyPaymentAndCheckStock",
      "      ✓ VerifyPaymentDetails",
      "      ✓ RetrieveStockLevels",
      "  ✓ PaymentVerified?",
      "  ↪ CheckStock  (caught → OutOfStock)",
      "      ✓ InStock? ×2",
      "      ✓ ItemInStock",
      "      ✗ ItemOutOfStock",
      "  ✓ OutOfStock",
      "  ✓ RecordFailedOrder",
      "  ✓ ComposeNotification",
      "  ✓ NotifyOrderFailed",
      "  ✗ OrderFailed",
    ]);
  });

  it("colours the markers green, orange and red on a terminal", () => {
    const text = formatPath(executionPath(definition, OUT_OF_STOCK_PATH, "FAILED"), { color: true }).join("\n");
    assert.ok(text.includes("\x1b[32m✓\x1b[0m VerifyPaymentAndCheckStock"));
    assert.ok(text.includes("\x1b[38;5;208m↪\x1b[0m CheckStock"));
    assert.ok(text.includes("\x1b[31m✗\x1b[0m OrderFailed"));
  });
});

describe("an order's report", () => {
  it("for people: the path first, then the outcome and its cause, then one line each for the record and the notification", () => {
    const text = formatReport({ source: "orders.jsonl:3", report: outOfStock }, definition, { color: false });
    assert.ok(!text.includes("\x1b"), "no ANSI codes");
    const lines = text.trimEnd().split("\n");
    assert.strictEqual(lines[0], "Order order-1 · orders.jsonl:3");
    assert.strictEqual(lines[1], "  ✓ VerifyPaymentAndCheckStock");
    assert.deepStrictEqual(lines.slice(-4), [
      "  FAILED OUT_OF_STOCK: Item item-g7b2q (iPhone) is out of stock.",
      "  charged: no · 14 state transitions",
      "  record: FAILED OUT_OF_STOCK",
      '  notification: state=FAILED · reason=OUT_OF_STOCK · "{\\"orderId\\":\\"order-1\\",\\"state\\":\\"FAILED\\",\\"reason\\":\\"OUT_OF_STOCK\\"}"',
    ]);
  });

  it("--verbose: the record and the notification in full, as plain JSON", () => {
    const text = formatReport({ source: "orders.jsonl:3", report: outOfStock }, definition, {
      color: false,
      verbose: true,
    });
    const record = text.slice(text.indexOf("  record:\n") + 10, text.indexOf("  notification:"));
    assert.deepStrictEqual(JSON.parse(record), outOfStock.record);
    const notification = text.slice(text.indexOf("  notification:\n") + 16);
    assert.deepStrictEqual(JSON.parse(notification), outOfStock.notifications[0]);
  });

  it("a record's line: state and reason, customer, items, total as a plain number, payment method, charge", () => {
    const record = {
      OrderId: "o-1",
      State: "PROCESSED",
      CustomerId: "c-1",
      OrderTotal: 2250.5,
      Items: [{}, {}],
      PaymentMethod: "VISA ****1111",
      ChargeId: "ch-9",
      CreatedAt: "2026-01-01T00:00:00Z",
    };
    assert.strictEqual(
      recordLine(record),
      "  record: PROCESSED · customer c-1 · 2 items · total 2250.50 · VISA ****1111 · charge ch-9",
    );
    assert.strictEqual(recordLine(null), "  record: none");
  });

  it("a notification's line: the attributes subscribers filter on and the start of its sentence", () => {
    const long = `Order o-1 failed (INVALID_ORDER): ${"x".repeat(200)}`;
    const line = notificationLine({ orderId: "o-1", message: long }, { state: "FAILED", reason: "INVALID_ORDER" });
    assert.match(
      line,
      /^ {2}notification: state=FAILED · reason=INVALID_ORDER · "Order o-1 failed \(INVALID_ORDER\): x+…"$/,
    );
    assert.ok(line.length < 130, `${line.length} characters`);
  });

  it("names the execution when it is not the order's id, and says when there is no record or notification", () => {
    const text = formatReport(
      {
        source: "stdin:1",
        report: report({ orderId: "client-7", executionName: "exec-9", record: null, notifications: [] }),
      },
      definition,
      { color: false },
    );
    assert.ok(text.startsWith("Order client-7 (execution exec-9) · stdin:1\n"));
    assert.ok(text.includes("\n  SUCCEEDED\n"));
    assert.ok(text.includes("\n  record: none\n"));
    assert.ok(text.endsWith("\n  notification: none\n"));
  });

  it("for programs: exactly the ten keys of a --json line", () => {
    const line = toJsonLine(outOfStock);
    assert.deepStrictEqual(Object.keys(line), [...JSON_LINE_KEYS]);
    assert.deepStrictEqual(JSON_LINE_KEYS, [
      "orderId",
      "status",
      "error",
      "cause",
      "states",
      "transitions",
      "charged",
      "record",
      "notifications",
      "maxStateBytes",
    ]);
    assert.strictEqual(line.error, "OUT_OF_STOCK");
    assert.strictEqual(line.maxStateBytes, outOfStock.maxStateBytes ?? null);
  });
});

describe("a batch's summary", () => {
  it("counts orders per status, failures per error (most frequent first), and charges", () => {
    const failed = (error: string) => report({ status: "FAILED", error, charged: false });
    const summary = summarize([
      report({}),
      failed("OUT_OF_STOCK"),
      failed("PAYMENT_FAILED"),
      failed("OUT_OF_STOCK"),
      report({}),
    ]);
    assert.deepStrictEqual(summary, {
      total: 5,
      succeeded: 2,
      failed: 3,
      charged: 2,
      errors: [
        ["OUT_OF_STOCK", 2],
        ["PAYMENT_FAILED", 1],
      ],
    });
    assert.strictEqual(
      formatSummary(summary, { color: false }),
      [
        "Summary: 5 orders",
        "  SUCCEEDED         2",
        "  FAILED            3",
        "    OUT_OF_STOCK    2",
        "    PAYMENT_FAILED  1",
        "  charged           2",
        "",
      ].join("\n"),
    );
  });

  it("gives the throughput in orders per second", () => {
    assert.strictEqual(formatThroughput(200, 8000), "200 orders in 8.0 s (25.0 orders/s)\n");
  });
});

describe("execution names", () => {
  it("are RFC 9562 version 5 UUIDs", () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
    assert.strictEqual(
      nameBasedUuid("python.org", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
      "886313e1-3b8a-5372-9b90-0c9aee199e5d",
    );
  });

  it("of a seeded run come from the seed and the order's position only", () => {
    assert.strictEqual(seededExecutionName("42", 0), "6149d43c-d0ef-56e3-801a-8877dc3b1d3a");
    assert.strictEqual(seededExecutionName("42", 0), seededExecutionName("42", 0));
    assert.notStrictEqual(seededExecutionName("42", 0), seededExecutionName("42", 1));
    assert.notStrictEqual(seededExecutionName("42", 0), seededExecutionName("43", 0));
  });

  it("on a deployed stack come from the orderId and the whole order", () => {
    const order = { orderId: "web/2024 #17", customerId: "c-1", orderTotal: 5 };
    const name = orderExecutionName(order);
    assert.match(name, /^web-2024--17-[0-9a-f]{16}$/);
    assert.strictEqual(
      orderExecutionName({ orderTotal: 5, customerId: "c-1", orderId: "web/2024 #17" }),
      name,
      "key order does not matter",
    );
    assert.notStrictEqual(orderExecutionName({ ...order, orderTotal: 6 }), name, "another order under the same id");
    assert.strictEqual(orderExecutionName({ ...order, orderId: "x".repeat(200) }).length, 80);
    assert.match(
      orderExecutionName({ customerId: "c-1" }),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.notStrictEqual(orderExecutionName("no id"), orderExecutionName("no id"));
  });
});
