/**
 * What the two commands (`npm start`, `npm run order`) share: their streams, how they report a
 * problem the user can fix, how they read their flags and orders, and how they print a batch.
 */
import type { StateMachineDefinition } from "../workflow/asl";
import type { BatchOptions, HelpRequest } from "./args";
import { UsageError } from "./flags";
import {
  OutboxError,
  Output,
  ProgressBar,
  ReportSink,
  Workflow,
  humanSink,
  jsonSink,
  outboxSink,
  processOrders,
  summarySink,
} from "./batch";
import { OrderResult, formatThroughput } from "./format";
import { InputError, OrderInput, filesOrSample, readOrders, readStandardInput } from "./inputs";

/** Where a command reads and writes: the process's streams, or a test's. */
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly readStdin: () => Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const processIo: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin: () => readStandardInput(process.stdin),
  env: process.env,
};

/** Colours for a terminal, unless NO_COLOR (https://no-color.org) says otherwise. */
export function wantsColor(out: Output, env: Io["env"]): boolean {
  return out.isTTY === true && (env.NO_COLOR ?? "") === "";
}

/** Prints a problem the user can fix (a flag, a file) and returns exit status 2; rethrows anything else. */
export function reportProblem(io: Io, error: unknown, usageHint: string): number {
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\n${usageHint}\n`);
    return 2;
  }
  if (error instanceof InputError || error instanceof OutboxError) {
    io.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  throw error;
}

/** A batch command: how it is run (for the pointer to its help), its usage, its flags. */
export interface BatchCommand<O extends BatchOptions> {
  /** `npm start`, `npm run order`. */
  readonly command: string;
  readonly usage: string;
  readonly parse: (argv: readonly string[]) => O | HelpRequest;
  /** The outputs its options ask for besides the outbox (the HTML report); opened in this order after it. */
  readonly outputs?: (options: O) => ReportSink[];
}

/** What a batch command has read before it runs anything. */
export interface BatchInput<O extends BatchOptions> {
  readonly options: O;
  readonly orders: OrderInput[];
  readonly outputs: ReportSink[];
}

/**
 * A batch command's first step: its flags parsed, its orders read, its outputs opened. The command
 * ends here, with the exit status returned, on --help (the usage, 0) or on a problem the user can
 * fix (reportProblem, 2).
 */
export async function readBatch<O extends BatchOptions>(
  io: Io,
  argv: readonly string[],
  command: BatchCommand<O>,
): Promise<BatchInput<O> | number> {
  try {
    const options = command.parse(argv);
    if (isHelp(options)) {
      io.stdout.write(command.usage);
      return 0;
    }
    const orders = await readOrders(filesOrSample(options.files), io.readStdin);
    const outputs: ReportSink[] = options.outbox === undefined ? [] : [outboxSink(options.outbox)];
    outputs.push(...(command.outputs?.(options) ?? []));
    return { options, orders, outputs };
  } catch (error) {
    return reportProblem(io, error, `Run ${command.command} -- --help for usage.`);
  }
}

function isHelp<O extends BatchOptions>(options: O | HelpRequest): options is HelpRequest {
  return options.help;
}

export interface BatchRun {
  readonly orders: readonly OrderInput[];
  readonly json: boolean;
  /** The record and notification in full in the report for people. */
  readonly verbose?: boolean;
  readonly concurrency: number;
  /** Outputs besides standard output: the outbox, a report file. */
  readonly outputs: readonly ReportSink[];
  /** The execution name for the order at `index`; undefined lets the workflow choose. */
  readonly executionName: (order: OrderInput, index: number) => string | undefined;
}

/**
 * Runs the orders and prints them: reports (or JSON lines) on standard output in input order, a
 * summary when there are several (on standard error with --json, which keeps standard output to
 * the JSON lines), the throughput and, on a terminal, a progress bar on standard error.
 */
export async function runBatch(io: Io, workflow: Workflow, run: BatchRun): Promise<OrderResult[]> {
  const definition = JSON.parse(workflow.definition) as StateMachineDefinition;
  const sinks: ReportSink[] = run.json
    ? [jsonSink(io.stdout), summarySink(io.stderr, { color: wantsColor(io.stderr, io.env) })]
    : [
        humanSink(io.stdout, definition, { color: wantsColor(io.stdout, io.env), verbose: run.verbose }),
        summarySink(io.stdout, { color: wantsColor(io.stdout, io.env) }),
      ];
  sinks.push(...run.outputs);
  const showProgress = io.stderr.isTTY === true && !run.json && run.orders.length > 1;
  const started = Date.now();
  const results = await processOrders({
    definition,
    orders: run.orders,
    concurrency: run.concurrency,
    run: (order, index) => workflow.run(order.order, run.executionName(order, index)),
    sinks,
    progress: showProgress ? new ProgressBar(io.stderr, run.orders.length) : undefined,
  });
  if (results.length > 1) io.stderr.write(formatThroughput(results.length, Date.now() - started));
  return results;
}
