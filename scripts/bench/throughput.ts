/**
 * The local engine's throughput: a batch of sample orders with a bounded pool, every order's
 * record and notification then read back and counted. The large batch runs only if the first
 * batch's rate says it ends within 2 minutes, or if forced.
 */
import { performance } from "perf_hooks";
import { runPool } from "../../cli/pool";
import { LocalWorkflow } from "../../engine/engine";
import type { ExecutionReport } from "../../workflow/execution/report";
import { countItems } from "../localTable";
import type { Options } from "./args";
import { Dynamo, log, round } from "./common";
import { RATES_OFF, orderOf } from "./orders";
import { LARGE_BATCH_LIMIT_MS } from "./targets";

/** A large batch not run, because the first batch's rate says it would not end within 2 minutes. */
export interface SkippedBatch {
  readonly orders: number;
  readonly skipped: true;
  readonly projectedWallMs: number;
}

/** What the batch's orders left behind, order by order. */
interface Accounting {
  readonly succeeded: number;
  readonly charged: number;
  /** Orders with exactly one notification, naming that order, state PROCESSED. */
  readonly notifiedOnce: number;
  readonly notifications: number;
  readonly distinctNotifiedOrders: number;
  /** Orders whose record reads back (engine.readRecord) as PROCESSED under their own id. */
  readonly recordsProcessed: number;
  /** Items in the table (a full scan): equal to the orders when there is no duplicate or stray record. */
  readonly tableItems: number;
  /** Executions that did not succeed, by error, with the first cause seen and the states it went through. */
  readonly failures: Record<string, { readonly count: number; readonly cause: string | null; readonly states: string }>;
  /** Orders charged whose record does not read back as PROCESSED. */
  readonly chargedNotProcessed: number;
}

/** The counts every order must reach for the batch to be accounted for. */
type Counts = Omit<Accounting, "failures" | "chargedNotProcessed">;

export interface BatchFigures extends Counts {
  readonly orders: number;
  readonly concurrency: number;
  readonly wallMs: number;
  readonly ordersPerSecond: number;
  /** CPU time (user + system) of this process per order while the batch ran (the engine, the Lambdas, dynalite). */
  readonly cpuMsPerOrder: number;
  readonly allAccountedFor: boolean;
  readonly failures: Accounting["failures"];
  readonly chargedNotProcessed: number;
}

export interface Throughput {
  readonly batch: BatchFigures;
  /** Null when --large-batch is 0. */
  readonly largeBatch: BatchFigures | SkippedBatch | null;
  /** The batches that ran, the first one first. */
  readonly batches: BatchFigures[];
}

/** Whether the large batch runs: null when none is asked for, else run, or skipped with its projected time. */
export function planLargeBatch(
  options: Pick<Options, "largeBatch" | "forceLargeBatch">,
  ordersPerSecond: number,
): "run" | SkippedBatch | null {
  if (options.largeBatch <= 0) return null;
  const projectedWallMs = round((options.largeBatch * 1000) / ordersPerSecond, 0);
  if (projectedWallMs <= LARGE_BATCH_LIMIT_MS || options.forceLargeBatch) return "run";
  return { orders: options.largeBatch, skipped: true, projectedWallMs };
}

/** Every order of the batch accounted for: it succeeded, was charged, notified once and recorded PROCESSED, and the table holds nothing else. */
export function allAccountedFor(orders: number, a: Counts): boolean {
  return (
    a.succeeded === orders &&
    a.charged === orders &&
    a.notifiedOnce === orders &&
    a.notifications === orders &&
    a.distinctNotifiedOrders === orders &&
    a.recordsProcessed === orders &&
    a.tableItems === orders
  );
}

async function account(
  engine: LocalWorkflow,
  dynamo: Dynamo,
  ids: readonly string[],
  reports: readonly ExecutionReport[],
): Promise<Accounting> {
  let notifiedOnce = 0;
  let notifications = 0;
  const notified = new Set<string>();
  let recordsProcessed = 0;
  let chargedNotProcessed = 0;
  const failures: Accounting["failures"] = {};
  for (const [i, report] of reports.entries()) {
    if (report.status !== "SUCCEEDED") {
      const key = report.error ?? "unknown";
      const seen = failures[key];
      failures[key] = seen
        ? { ...seen, count: seen.count + 1 }
        : { count: 1, cause: report.cause, states: report.states.join(" > ") };
    }
    notifications += report.notifications.length;
    for (const n of report.notifications) notified.add(String((n as { orderId?: unknown }).orderId));
    const only =
      report.notifications.length === 1
        ? (report.notifications[0] as { orderId?: unknown; state?: unknown })
        : undefined;
    if (only?.orderId === ids[i] && only.state === "PROCESSED") notifiedOnce++;
    const record = await engine.readRecord(ids[i]);
    const processed = record !== null && record.OrderId === ids[i] && record.State === "PROCESSED";
    if (processed) recordsProcessed++;
    else if (report.charged) chargedNotProcessed++;
  }
  const tableItems = await countItems(dynamo.client, engine.tableName);
  return {
    succeeded: reports.filter((r) => r.status === "SUCCEEDED").length,
    charged: reports.filter((r) => r.charged).length,
    notifiedOnce,
    notifications,
    distinctNotifiedOrders: notified.size,
    recordsProcessed,
    tableItems,
    failures,
    chargedNotProcessed,
  };
}

export async function measureBatch(dynamo: Dynamo, orders: number, concurrency: number): Promise<BatchFigures> {
  const engine = await LocalWorkflow.start({
    rates: RATES_OFF,
    dynamodbEndpoint: dynamo.endpoint,
    seed: `batch-${orders}`,
  });
  try {
    const ids = Array.from({ length: orders }, (_, i) => `batch-${orders}-${String(i).padStart(5, "0")}`);
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const reports = await runPool(
      ids,
      async (id, i) => {
        const report = await engine.run(orderOf(3, id));
        if ((i + 1) % 100 === 0)
          log(
            `    ${i + 1}/${orders} orders, ${round(((i + 1) * 1000) / (performance.now() - start))} orders/s so far`,
          );
        return report;
      },
      { concurrency },
    );
    const wallMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const { failures, chargedNotProcessed, ...counts } = await account(engine, dynamo, ids, reports);
    const figures: BatchFigures = {
      orders,
      concurrency,
      wallMs: round(wallMs),
      ordersPerSecond: round((orders * 1000) / wallMs),
      cpuMsPerOrder: round((cpu.user + cpu.system) / 1000 / orders),
      ...counts,
      allAccountedFor: allAccountedFor(orders, counts),
      failures,
      chargedNotProcessed,
    };
    log(`  ${orders} orders: ${figures.ordersPerSecond} orders/s, all accounted for: ${figures.allAccountedFor}`);
    return figures;
  } finally {
    await engine.close();
  }
}

/** The first batch, then the large one if the plan says so. */
export async function measureThroughput(dynamo: Dynamo, options: Options): Promise<Throughput> {
  log(`throughput: ${options.batch} orders, concurrency ${options.concurrency}`);
  const batch = await measureBatch(dynamo, options.batch, options.concurrency);
  const plan = planLargeBatch(options, batch.ordersPerSecond);
  if (plan === null) return { batch, largeBatch: null, batches: [batch] };
  if (plan !== "run") {
    log(
      `throughput: ${options.largeBatch} orders skipped: at ${batch.ordersPerSecond} orders/s they would take ~${round(plan.projectedWallMs / 1000, 0)} s (> 2 min)`,
    );
    return { batch, largeBatch: plan, batches: [batch] };
  }
  log(`throughput: ${options.largeBatch} orders, concurrency ${options.concurrency}`);
  const largeBatch = await measureBatch(dynamo, options.largeBatch, options.concurrency);
  return { batch, largeBatch, batches: [batch, largeBatch] };
}
