/**
 * npm run load [-- --orders 2000] [--concurrency 100] [--rates default|none] [--seed load] [--json] (LOAD_USAGE)
 *
 * Runs many orders through one local engine at once (at most --concurrency executions in flight),
 * then accounts for every one of them: exactly one record and exactly one notification per order, no
 * record or notification for anything else, and the record, the notification and the execution's
 * outcome agreeing (PROCESSED and charged exactly when SUCCEEDED, FAILED with the execution's reason
 * otherwise). Reports orders per second.
 *
 * With the default failure rates (payment 1 in 4, each item 1 in 10, the charge 1 in 4) every
 * outcome occurs; --seed makes a run repeatable.
 * A table by default; with --json exactly one JSON object on stdout. Progress goes to stderr.
 * Exit status 1 when any order is not accounted for.
 */
import { performance } from "perf_hooks";
import { runPool } from "../cli/pool";
import { REASON_CODES } from "../handlers/contract";
import { LocalWorkflow } from "../engine/engine";
import type { ExecutionReport } from "../workflow/execution/report";
import { startDynalite } from "../engine/dynamodb";
import { FailureRates, NO_FAILURES, SEED_RATES } from "../handlers/ports/config";
import { localDynamoClient, scanAll } from "./localTable";
import { UsageError, noPositionals, parseFlags, stringFlag, wholeNumber } from "../cli/flags";
import { runAsProcess } from "../cli/process";

export interface LoadOptions {
  readonly orders: number;
  /** Executions in flight at most. */
  readonly concurrency: number;
  readonly rates: FailureRates;
  readonly seed: string;
  /** Called after each order ends, with the count so far. */
  readonly onProgress?: (done: number) => void;
}

export interface LoadResult {
  readonly orders: number;
  readonly concurrency: number;
  readonly rates: FailureRates;
  readonly seed: string;
  /** From the first order started to the last one ended. */
  readonly seconds: number;
  readonly ordersPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly max: number };
  /** Executions by outcome: SUCCEEDED or the error they failed with. */
  readonly outcomes: Record<string, number>;
  readonly charged: number;
  readonly records: number;
  readonly notifications: number;
  /** Orders with exactly one record and one notification, agreeing with the execution's outcome. */
  readonly accounted: number;
  /** Why an order is not accounted for, or what exists that no order explains; empty when all is well. */
  readonly problems: string[];
}

export const DEFAULT_LOAD: Omit<LoadOptions, "onProgress"> = {
  orders: 2000,
  concurrency: 100,
  rates: SEED_RATES,
  seed: "load",
};

const CARD = { name: "Load Test", cardType: "MASTERCARD", cardNumber: "5555 5555 5555 4444", expiration: "12/30" };
const PRODUCTS = ["Macbook", "iPhone", "iPad", "Watch", "AirPods", "Pencil", "Keyboard"];

/** Order `i` of a run: 1 to 5 items, prices in whole cents, the total their exact sum. */
export function loadOrder(runId: string, i: number): { orderId: string; order: Record<string, unknown> } {
  const orderId = `load-${runId}-${i}`;
  const count = 1 + (i % 5);
  const cents = Array.from({ length: count }, (_, k) => 99 + ((i * 7919 + k * 104729) % 250_000));
  const items = cents.map((c, k) => ({
    itemId: `item-${(i + k) % 997}`,
    price: c / 100,
    itemDescription: PRODUCTS[(i + k) % PRODUCTS.length],
  }));
  const total = cents.reduce((a, b) => a + b, 0) / 100;
  return {
    orderId,
    order: {
      orderId,
      orderContents: { items },
      orderTotal: total,
      customerId: `c-load-${i % 503}`,
      paymentDetails: CARD,
    },
  };
}

export interface Seen {
  readonly state: string;
  readonly reason: string | undefined;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** What each order id's records say, from a full scan of the table. */
async function scanTable(endpoint: string, tableName: string): Promise<Map<string, Seen[]>> {
  const client = localDynamoClient(endpoint);
  const byId = new Map<string, Seen[]>();
  try {
    await scanAll(client, { TableName: tableName }, (page) => {
      for (const item of page.Items ?? []) {
        const id = item.OrderId?.S ?? "";
        byId.set(id, [...(byId.get(id) ?? []), { state: item.State?.S ?? "", reason: item.FailureReason?.S }]);
      }
    });
  } finally {
    client.destroy();
  }
  return byId;
}

/** What each order id's notifications say, from every execution's published messages. */
function notificationsById(reports: readonly ExecutionReport[]): Map<string, Seen[]> {
  const notified = new Map<string, Seen[]>();
  for (const report of reports) {
    for (const message of report.notifications as Array<{ orderId?: string; state?: string; reason?: string }>) {
      const id = message.orderId ?? "";
      notified.set(id, [...(notified.get(id) ?? []), { state: message.state ?? "", reason: message.reason }]);
    }
  }
  return notified;
}

/** What the record and the notification of an execution must say. */
function expected(report: ExecutionReport): Seen | string {
  if (report.status === "SUCCEEDED") return { state: "PROCESSED", reason: undefined };
  if ((REASON_CODES as readonly (string | null)[]).includes(report.error))
    return { state: "FAILED", reason: report.error ?? undefined };
  return `ended ${report.error}: ${report.cause}`;
}

/** Why order `orderId` is not accounted for by its execution, its records and its notifications; undefined when it is. */
export function problemOf(
  orderId: string,
  report: ExecutionReport,
  recorded: readonly Seen[],
  published: readonly Seen[],
): string | undefined {
  const want = expected(report);
  if (typeof want === "string") return want;
  if (report.orderId !== orderId) return `reported as ${report.orderId}`;
  if (recorded.length !== 1) return `${recorded.length} records`;
  if (published.length !== 1) return `${published.length} notifications`;
  if (recorded[0].state !== want.state || recorded[0].reason !== want.reason) {
    return `recorded ${recorded[0].state} ${recorded[0].reason ?? ""}, expected ${want.state} ${want.reason ?? ""}`;
  }
  if (published[0].state !== want.state || published[0].reason !== want.reason) {
    return `notified ${published[0].state} ${published[0].reason ?? ""}, expected ${want.state} ${want.reason ?? ""}`;
  }
  if (report.charged !== (want.state === "PROCESSED")) return `charged ${report.charged} but ${want.state}`;
  return undefined;
}

/** Every order checked against what the table and the notifications hold, and anything they hold that no order explains. */
function accountFor(
  runId: string,
  reports: readonly ExecutionReport[],
  records: Map<string, Seen[]>,
  notified: Map<string, Seen[]>,
): { accounted: number; problems: string[] } {
  const problems: string[] = [];
  let accounted = 0;
  reports.forEach((report, i) => {
    const { orderId } = loadOrder(runId, i);
    const problem = problemOf(orderId, report, records.get(orderId) ?? [], notified.get(orderId) ?? []);
    if (problem === undefined) accounted++;
    else problems.push(`${orderId}: ${problem}`);
  });
  const ours = new Set(reports.map((_, i) => loadOrder(runId, i).orderId));
  for (const id of records.keys()) if (!ours.has(id)) problems.push(`a record for ${id}, which no order has`);
  for (const id of notified.keys()) if (!ours.has(id)) problems.push(`a notification for ${id}, which no order has`);
  return { accounted, problems };
}

/** The orders through the engine, at most `concurrency` at once: each one's report and latency, and the seconds they took. */
async function runOrders(
  engine: LocalWorkflow,
  runId: string,
  options: LoadOptions,
): Promise<{ reports: ExecutionReport[]; latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const reports = await runPool(
    Array.from({ length: options.orders }, (_, i) => i),
    async (i) => {
      const begin = performance.now();
      const report = await engine.run(loadOrder(runId, i).order);
      latencies.push(performance.now() - begin);
      return report;
    },
    { concurrency: options.concurrency, onProgress: options.onProgress },
  );
  return { reports, latencies, seconds: (performance.now() - started) / 1000 };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const dynamo = await startDynalite();
  const tableName = "CustomerOrders-load";
  const engine = await LocalWorkflow.start({
    rates: options.rates,
    seed: options.seed,
    dynamodbEndpoint: dynamo.endpoint,
    tableName,
  });
  // Outcomes are drawn per order id, so ids made from --seed make the run repeatable.
  const runId = options.seed;
  try {
    const { reports, latencies, seconds } = await runOrders(engine, runId, options);
    const records = await scanTable(dynamo.endpoint, tableName);
    const notified = notificationsById(reports);
    const { accounted, problems } = accountFor(runId, reports, records, notified);
    const outcomes: Record<string, number> = {};
    for (const report of reports)
      outcomes[report.error ?? report.status] = (outcomes[report.error ?? report.status] ?? 0) + 1;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      orders: options.orders,
      concurrency: options.concurrency,
      rates: options.rates,
      seed: options.seed,
      seconds: Number(seconds.toFixed(2)),
      ordersPerSecond: Number((options.orders / seconds).toFixed(1)),
      latencyMs: {
        p50: Math.round(percentile(sorted, 50)),
        p95: Math.round(percentile(sorted, 95)),
        max: Math.round(sorted[sorted.length - 1] ?? 0),
      },
      outcomes,
      charged: reports.filter((r) => r.charged).length,
      records: [...records.values()].reduce((n, list) => n + list.length, 0),
      notifications: [...notified.values()].reduce((n, list) => n + list.length, 0),
      accounted,
      problems,
    };
  } finally {
    await engine.close();
    await dynamo.close();
  }
}

export const LOAD_USAGE = `Usage: npm run load -- [--orders N] [--concurrency N] [--rates default|none] [--seed TEXT] [--json]

Runs many orders through one local engine at once, then accounts for every one of them: one record
and one notification each, agreeing with the execution's outcome, and nothing else in the table or
the outbox. Exit status 0 when every order is accounted for, 1 when one is not, 2 for a bad flag.

Options:
  --orders N          orders to run (default ${DEFAULT_LOAD.orders})
  --concurrency N     executions in flight at most (default ${DEFAULT_LOAD.concurrency})
  --rates default     the default failure rates (payment 1 in 4, each item 1 in 10, the charge 1 in 4): every outcome occurs
  --rates none        no simulated failures: every order is charged
  --seed TEXT         seeds the simulation and names the orders, so a run can be repeated (default "${DEFAULT_LOAD.seed}")
  --json              exactly one JSON object on standard output
  --debug             show the stack trace of an unexpected error
  -h, --help          show this help
`;

export type LoadArgs =
  | { readonly help: true }
  | { readonly help: false; readonly options: Omit<LoadOptions, "onProgress">; readonly json: boolean };

/** The arguments after `npm run load --`, as strictly as npm start reads its own. */
export function parseLoadArgs(argv: readonly string[]): LoadArgs {
  const parsed = parseFlags(argv, {
    orders: "string",
    concurrency: "string",
    rates: "string",
    seed: "string",
    json: "boolean",
  });
  if (parsed.values.has("help")) return { help: true };
  noPositionals(parsed);
  const count = (flag: string, fallback: number): number => {
    const text = stringFlag(parsed, flag);
    return text === undefined ? fallback : wholeNumber(flag, text, 1);
  };
  const rates = stringFlag(parsed, "rates") ?? "default";
  if (rates !== "default" && rates !== "none") throw new UsageError(`--rates must be default or none (got "${rates}")`);
  return {
    help: false,
    options: {
      orders: count("orders", DEFAULT_LOAD.orders),
      concurrency: count("concurrency", DEFAULT_LOAD.concurrency),
      rates: rates === "default" ? SEED_RATES : NO_FAILURES,
      seed: stringFlag(parsed, "seed") ?? DEFAULT_LOAD.seed,
    },
    json: parsed.values.has("json"),
  };
}

function table(result: LoadResult): string {
  const rows: Array<[string, string]> = [
    ["orders", `${result.orders} (at most ${result.concurrency} at once)`],
    [
      "failure rates",
      `payment ${result.rates.payment}, stock ${result.rates.stock}, charge ${result.rates.charge} (seed "${result.seed}")`,
    ],
    ["elapsed", `${result.seconds} s`],
    ["throughput", `${result.ordersPerSecond} orders/s`],
    ["latency", `p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, max ${result.latencyMs.max} ms`],
    [
      "outcomes",
      Object.entries(result.outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    ],
    ["charged", String(result.charged)],
    ["records", String(result.records)],
    ["notifications", String(result.notifications)],
    [
      "accounted for",
      `${result.accounted} of ${result.orders}${result.problems.length === 0 ? ": every order, one record and one notification each" : ""}`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  for (const problem of result.problems.slice(0, 20)) lines.push(`problem  ${problem}`);
  if (result.problems.length > 20) lines.push(`… and ${result.problems.length - 20} more problems`);
  return lines.join("\n");
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseLoadArgs(argv);
  if (args.help) {
    process.stdout.write(LOAD_USAGE);
    return 0;
  }
  const { options, json } = args;
  const step = Math.max(1, Math.floor(options.orders / 10));
  const result = await runLoad({
    ...options,
    onProgress: (done) => {
      if (done % step === 0 || done === options.orders) process.stderr.write(`${done}/${options.orders} orders done\n`);
    },
  });
  process.stdout.write(`${json ? JSON.stringify(result) : table(result)}\n`);
  return result.problems.length === 0 ? 0 : 1;
}

if (require.main === module) runAsProcess(main, { command: "npm run load" });
