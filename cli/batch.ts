/**
 * Runs a batch of orders on a workflow (the local engine or a deployed stack) with a bounded pool,
 * and hands each result, in input order, to the sinks: the printed report, the JSON lines, the
 * outbox, the summary. A sink sees every result as it comes and the whole batch at the end, so a
 * new output (an HTML report, say) is one more sink.
 */
import * as fs from "fs";
import type { ExecutionReport } from "../workflow/execution/report";
import { OrderResult, Style, formatReport, formatSummary, summarize, toJsonLine } from "./format";
import { renderReport } from "./report/report";
import type { OrderInput } from "./inputs";
import { runPool } from "./pool";
import type { StateMachineDefinition, SubMachine } from "../workflow/asl";

/** What runs an order: LocalWorkflow, or DeployedWorkflow. */
export interface Workflow {
  /** The definition the executions run (ASL JSON). */
  readonly definition: string;
  run(input: unknown, executionName?: string): Promise<ExecutionReport>;
}

export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ReportSink {
  /** Each order's result, in input order, as soon as it and those before it are done. */
  accept(result: OrderResult): void;
  /** Every result, once the batch is done, and the definition the executions ran. */
  finish?(results: readonly OrderResult[], definition: StateMachineDefinition): void;
}

/** The report for people, order by order. */
export function humanSink(out: Output, definition: SubMachine, style: Style): ReportSink {
  let first = true;
  return {
    accept(result) {
      out.write(`${first ? "" : "\n"}${formatReport(result, definition, style)}`);
      first = false;
    },
  };
}

/** One JSON object per order, one per line. */
export function jsonSink(out: Output): ReportSink {
  return { accept: (result) => out.write(`${JSON.stringify(toJsonLine(result.report))}\n`) };
}

/** The summary by outcome, when the batch has more than one order. */
export function summarySink(out: Output, style: Style): ReportSink {
  return {
    accept: () => undefined,
    finish(results) {
      if (results.length > 1) out.write(`\n${formatSummary(summarize(results.map((r) => r.report)), style)}`);
    },
  };
}

export class OutboxError extends Error {
  override readonly name = "OutboxError";
}

/** An outbox line: what SNS received, as the HTML report shows it (the topic, the message attributes subscribers filter on, the message). */
export interface OutboxLine {
  readonly topicArn: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly message: unknown;
}

/** Every notification published, one JSON object per line ({@link OutboxLine}), in `file` (created or truncated now). */
export function outboxSink(file: string): ReportSink {
  let fd: number;
  try {
    fd = fs.openSync(file, "w");
  } catch (error) {
    throw new OutboxError(`cannot write the outbox ${file}: ${(error as Error).message}`);
  }
  return {
    accept(result) {
      for (const { topicArn, attributes, message } of result.report.published) {
        const line: OutboxLine = { topicArn, attributes, message };
        fs.writeSync(fd, `${JSON.stringify(line)}\n`);
      }
    },
    finish: () => fs.closeSync(fd),
  };
}

/** The HTML execution report (report/report.ts) of the definition that ran, written once every order has run. */
export function htmlReportSink(file: string): ReportSink {
  try {
    fs.writeFileSync(file, "");
  } catch (error) {
    throw new OutboxError(`cannot write the report ${file}: ${(error as Error).message}`);
  }
  return {
    accept: () => undefined,
    finish: (results, definition) =>
      fs.writeFileSync(
        file,
        renderReport(
          definition,
          results.map((r) => r.report),
        ),
      ),
  };
}

/** A progress bar on one line of a terminal, redrawn in place. */
export class ProgressBar {
  private readonly started: number;
  private done = 0;
  private drawnAt = 0;
  private shown = false;

  constructor(
    private readonly out: Output,
    private readonly total: number,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  update(done: number): void {
    this.done = done;
    // Redrawing costs a write to the terminal: ten times a second is enough to look alive.
    if (done === this.total || this.now() - this.drawnAt >= 100) this.draw();
  }

  draw(): void {
    const width = 30;
    const filled = Math.round((this.done / this.total) * width);
    const seconds = (this.now() - this.started) / 1000;
    const rate = seconds > 0 ? ` · ${(this.done / seconds).toFixed(1)} orders/s` : "";
    this.out.write(
      `\r${"█".repeat(filled)}${"░".repeat(width - filled)} ${this.done}/${this.total} orders${rate}\x1b[K`,
    );
    this.drawnAt = this.now();
    this.shown = true;
  }

  /** Takes the bar off the screen, so that the next line written starts clean. */
  clear(): void {
    if (this.shown) this.out.write("\r\x1b[K");
    this.shown = false;
  }
}

export interface BatchOptions {
  /** The definition the workflow runs (its `definition`, parsed). */
  readonly definition: StateMachineDefinition;
  readonly orders: readonly OrderInput[];
  readonly concurrency: number;
  readonly run: (order: OrderInput, index: number) => Promise<ExecutionReport>;
  readonly sinks: readonly ReportSink[];
  readonly progress?: ProgressBar;
}

/** The order's own `orderId`, when it gives one as a string: orders under the same one run one after another. */
function orderIdOf(order: unknown): string | undefined {
  const orderId =
    typeof order === "object" && order !== null && !Array.isArray(order)
      ? (order as { orderId?: unknown }).orderId
      : undefined;
  return typeof orderId === "string" ? orderId : undefined;
}

/**
 * `run`, with the orders that share an orderId run one after another in input order, whatever the
 * concurrency: so the first in the file claims the id, and a later one under it is DUPLICATE_ORDER (the
 * same contents) or ORDER_CONFLICT (others). The pool starts orders in input order, so an order only
 * ever waits for one that has already started.
 */
export function firstComesFirst(run: BatchOptions["run"]): BatchOptions["run"] {
  const last = new Map<string, Promise<unknown>>();
  return async (order, index) => {
    const key = orderIdOf(order.order);
    if (key === undefined) return run(order, index);
    const before = last.get(key) ?? Promise.resolve();
    const mine = before.then(
      () => run(order, index),
      () => run(order, index),
    );
    last.set(key, mine);
    return mine;
  };
}

/** Runs every order and returns the results in input order, after every sink has had them. */
export async function processOrders(options: BatchOptions): Promise<OrderResult[]> {
  const { progress, sinks } = options;
  const run = firstComesFirst(options.run);
  const results = await runPool(
    options.orders,
    async (order, index): Promise<OrderResult> => ({ source: order.source, report: await run(order, index) }),
    {
      concurrency: options.concurrency,
      onProgress: (done) => progress?.update(done),
      onResult: (result) => {
        progress?.clear();
        for (const sink of sinks) sink.accept(result);
        progress?.draw();
      },
    },
  );
  progress?.clear();
  for (const sink of sinks) sink.finish?.(results, options.definition);
  return results;
}
