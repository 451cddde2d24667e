/**
 * What the commands print: an order's report for people (the path, the outcome, the record, the
 * notification), the same as one JSON line for programs, and a summary of a batch.
 */
import type { SubMachine } from "../workflow/asl";
import type { ExecutionReport } from "../workflow/execution/report";
import { Step, StepOutcome, executionPath } from "../workflow/execution/path";
import { formatAmount } from "../handlers/order/money";

/** One order's run: the report, and where the order came from. */
export interface OrderResult {
  /** `orders.jsonl:17`, `orders.json #3`, `samples/order.json`. */
  readonly source: string;
  readonly report: ExecutionReport;
}

/** The keys of a `--json` line, in the order printed. */
export const JSON_LINE_KEYS = [
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
] as const;
export type JsonLine = Omit<Pick<ExecutionReport, (typeof JSON_LINE_KEYS)[number]>, "maxStateBytes"> & {
  /** The largest state input or output in UTF-8 bytes; null where the runner does not measure it. */
  readonly maxStateBytes: number | null;
};

export function toJsonLine(report: ExecutionReport): JsonLine {
  return {
    orderId: report.orderId,
    status: report.status,
    error: report.error,
    cause: report.cause,
    states: report.states,
    transitions: report.transitions,
    charged: report.charged,
    record: report.record,
    notifications: report.notifications,
    maxStateBytes: report.maxStateBytes ?? null,
  };
}

export interface Style {
  /** ANSI colours (only for a terminal). */
  readonly color: boolean;
  /** The record and each notification in full (JSON), rather than one line each. */
  readonly verbose?: boolean;
}

const SGR = { bold: "1", dim: "2", red: "31", green: "32", orange: "38;5;208" } as const;

function paint(style: Style, sgr: keyof typeof SGR, text: string): string {
  return style.color ? `\x1b[${SGR[sgr]}m${text}\x1b[0m` : text;
}

/** A marker per outcome, distinct without colour too. */
const MARKERS: Record<StepOutcome, { readonly mark: string; readonly sgr: keyof typeof SGR }> = {
  succeeded: { mark: "✓", sgr: "green" },
  failed: { mark: "✗", sgr: "red" },
  caught: { mark: "↪", sgr: "orange" },
  unknown: { mark: "?", sgr: "dim" },
};

/** The path, one state a line, nested states indented under their Parallel or Map. */
export function formatPath(steps: readonly Step[], style: Style, indent = "  "): string[] {
  return steps.flatMap((step) => {
    const { mark, sgr } = MARKERS[step.outcome];
    const count = step.count > 1 ? ` ×${step.count}` : "";
    const caught = step.caughtTo === undefined ? "" : paint(style, "dim", `  (caught → ${step.caughtTo})`);
    return [
      `${indent}${paint(style, sgr, mark)} ${step.name}${count}${caught}`,
      ...formatPath(step.children, style, `${indent}    `),
    ];
  });
}

function block(label: string, value: unknown): string[] {
  const json = JSON.stringify(value, null, 2).split("\n");
  return [`  ${label}:`, ...json.map((line) => `    ${line}`)];
}

/** How much of a notification's sentence a one-line summary shows. */
const MESSAGE_WIDTH = 72;

function shorten(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join("")}…`;
}

type Plain = Readonly<Record<string, unknown>>;

const isPlain = (value: unknown): value is Plain =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The record in one line: its state (and reason), customer, items, total, payment method, charge and refund. */
export function recordLine(record: Plain | null): string {
  if (record === null) return "  record: none";
  const text = (key: string): string | undefined =>
    typeof record[key] === "string" || typeof record[key] === "number" ? String(record[key]) : undefined;
  const items = Array.isArray(record.Items) ? record.Items.length : undefined;
  const parts = [
    [text("State"), text("FailureReason")].filter((p) => p !== undefined).join(" "),
    text("CustomerId") === undefined ? undefined : `customer ${text("CustomerId")}`,
    items === undefined ? undefined : `${items} item${items === 1 ? "" : "s"}`,
    text("OrderTotal") === undefined ? undefined : `total ${formatAmount(record.OrderTotal, String)}`,
    text("PaymentMethod"),
    text("ChargeId") === undefined ? undefined : `charge ${text("ChargeId")}`,
    text("RefundId") === undefined ? undefined : `refund ${text("RefundId")}`,
  ];
  return `  record: ${parts.filter((p) => p !== undefined && p !== "").join(" · ")}`;
}

/** A notification in one line: the message attributes subscribers filter on, and the start of its sentence. */
export function notificationLine(message: unknown, attributes: Readonly<Record<string, string>> | undefined): string {
  const filters = Object.entries(attributes ?? {}).map(([k, v]) => `${k}=${v}`);
  const sentence = isPlain(message) && typeof message.message === "string" ? message.message : JSON.stringify(message);
  return `  notification: ${[...filters, JSON.stringify(shorten(sentence, MESSAGE_WIDTH))].join(" · ")}`;
}

/** The record and the notifications: one line each, or in full with `verbose`. */
function outcomeLines(report: ExecutionReport, style: Style): string[] {
  if (style.verbose === true) {
    return [
      ...(report.record === null ? ["  record: none"] : block("record", report.record)),
      ...(report.notifications.length === 0
        ? ["  notification: none"]
        : report.notifications.flatMap((n) => block("notification", n))),
    ];
  }
  const published = report.published ?? [];
  return [
    recordLine(report.record),
    ...(report.notifications.length === 0
      ? ["  notification: none"]
      : report.notifications.map((n, i) => notificationLine(n, published[i]?.attributes))),
  ];
}

/** One order's report for people: the path first, then the outcome, then the record and notification. */
export function formatReport(result: OrderResult, definition: SubMachine, style: Style): string {
  const { report } = result;
  const id = report.orderId ?? report.executionName;
  const execution = report.executionName === id ? "" : ` (execution ${report.executionName})`;
  const lines = [
    `${paint(style, "bold", `Order ${id}`)}${execution} · ${result.source}`,
    ...formatPath(executionPath(definition, report.states, report.status), style),
    report.status === "SUCCEEDED"
      ? `  ${paint(style, "green", "SUCCEEDED")}`
      : `  ${paint(style, "red", "FAILED")} ${report.error ?? ""}${report.cause === null ? "" : `: ${report.cause}`}`,
    `  charged: ${report.charged ? "yes" : "no"} · ${report.transitions} state transitions`,
    ...outcomeLines(report, style),
  ];
  return `${lines.join("\n")}\n`;
}

export interface Summary {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly charged: number;
  /** Failed orders by error, most frequent first. */
  readonly errors: ReadonlyArray<readonly [string, number]>;
}

export function summarize(reports: readonly ExecutionReport[]): Summary {
  const errors = new Map<string, number>();
  for (const r of reports) {
    if (r.status === "FAILED") errors.set(r.error ?? "(no error)", (errors.get(r.error ?? "(no error)") ?? 0) + 1);
  }
  return {
    total: reports.length,
    succeeded: reports.filter((r) => r.status === "SUCCEEDED").length,
    failed: reports.filter((r) => r.status === "FAILED").length,
    charged: reports.filter((r) => r.charged).length,
    errors: [...errors].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1)),
  };
}

/** A table of outcomes: per status, and per error under FAILED. */
export function formatSummary(summary: Summary, style: Style): string {
  const rows: Array<[string, number]> = [
    ["  SUCCEEDED", summary.succeeded],
    ["  FAILED", summary.failed],
    ...summary.errors.map(([error, n]): [string, number] => [`    ${error}`, n]),
    ["  charged", summary.charged],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const digits = String(summary.total).length;
  const body = rows.map(([label, n]) => `${label.padEnd(width)}${String(n).padStart(digits)}`);
  return `${[paint(style, "bold", `Summary: ${summary.total} orders`), ...body].join("\n")}\n`;
}

export function formatThroughput(orders: number, elapsedMs: number): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? orders / seconds : orders;
  return `${orders} orders in ${seconds.toFixed(1)} s (${rate.toFixed(1)} orders/s)\n`;
}
