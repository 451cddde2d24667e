/**
 * npm run bench [-- --json] [--write] [--runs 5] [--invocations 1000] [--batch 500] [--large-batch 2000]
 *               [--force-large-batch] [--concurrency 16] [--express-ms 200] [--express-cold-ms 1000]
 * (BENCH_USAGE in args.ts)
 *
 * Measures what the stack costs to ship, to deploy and to run, one module per measurement:
 * - archives.ts: the zipped size of each Lambda archive the program registers (under Pulumi mocks, stack.ts);
 * - program.ts: the program's registration time, closure serialization's share of it (fresh process per run);
 * - handlers.ts: each bundled handler's memory and duration in a bare Node.js process (handlerProbe.ts);
 * - transitions.ts: per order of 1, 3 and 50 items on the success path: state transitions, Lambda
 *   invocations, the record's write units and the notification's publishes, priced by cost.ts,
 *   STANDARD and EXPRESS;
 * - throughput.ts: the local engine's throughput, with every order's record and notification read back
 *   and counted (the large batch runs only if the first batch's rate says it ends within 2 minutes, or if forced).
 * - ceiling.ts: aws-local-stepfunctions' own ceiling on the first batch's orders (canned Task results, no
 *   I/O), which the engine's throughput is reported as a ratio to;
 * - quotas.ts: the quota model at --orders-per-second, from the 3-item order's usage (docs/scale.md);
 * targets.ts says which targets the figures meet; result.ts shapes them, report.ts renders the table.
 *
 * A table by default; with --json exactly one JSON object on stdout. Progress goes to stderr.
 * With --write the object is also written to docs/bench.json, and the figures README.md and docs/
 * quote are regenerated from it (scripts/figures.ts), so that no quoted figure can go stale.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { startDynalite } from "../../engine/dynamodb";
import { startTransactionProxy } from "../../engine/transactions";
import { localDynamoClient } from "../localTable";
import { BENCH_USAGE, Options, parseOptions } from "./args";
import { runAsProcess } from "../../cli/process";
import { writeBenchJson } from "../figures";
import { measureArchives } from "./archives";
import { measureCeiling } from "./ceiling";
import { Dynamo, log, round } from "./common";
import { handlerPeaks, measureHandlers } from "./handlers";
import { measureProgram } from "./program";
import { quotaModel } from "./quotas";
import { humanReport } from "./report";
import { Measurements, benchResult } from "./result";
import { functionSettings, functionsOfStack } from "./stack";
import { targets } from "./targets";
import { measureThroughput } from "./throughput";
import { measurePerOrder, transitionsModel } from "./transitions";

/** Every measurement, one after the other, and the targets they meet. */
async function measure(options: Options, dynamo: Dynamo, scratch: string): Promise<Measurements> {
  log("archives: the stack's functions under mocks");
  const functions = await functionsOfStack();
  const archives = measureArchives(functions);
  const settings = functionSettings(functions);

  log(`program: ${options.runs} fresh processes`);
  const program = await measureProgram(options.runs);

  log(`handlers: ${options.invocations} invocations each, bare Node.js process per function and order size`);
  const handlers = await measureHandlers(functions, options.invocations, settings.memoryMb, dynamo, scratch);
  const peaks = handlerPeaks(handlers);

  log("per order: the success path, rates 0");
  const { perOrder, definitionBytes } = await measurePerOrder(dynamo, handlers.asInLambda, {
    memoryMb: settings.memoryMb,
    architecture: settings.architecture,
    expressMs: options.expressMs,
    expressColdMs: options.expressColdMs,
  });
  const model = transitionsModel(perOrder);

  const throughput = await measureThroughput(dynamo, options);
  log(`ceiling: ${options.batch} orders, concurrency ${options.concurrency}, canned Task results, no I/O`);
  const ceiling = await measureCeiling(options.batch, options.concurrency);
  const localToCeilingRatio = round(throughput.batch.ordersPerSecond / ceiling.ordersPerSecond, 3);
  log(`  ceiling: ${ceiling.ordersPerSecond} orders/s; the engine runs at ${localToCeilingRatio} of it`);
  const met = targets({
    lambdaArchiveBytes: archives.lambdaArchiveBytes,
    transitions3Items: perOrder["3"].transitions,
    transitionsPerExtraItem: model.perItem,
    architectures: settings.architectures,
    peakRss: peaks.peakRss,
    memoryMb: settings.memoryMb,
    serializeCalls: program.samples.map((s) => s.serializeCalls),
    batches: throughput.batches,
    largeBatch: throughput.largeBatch,
    localToCeilingRatio,
  });
  const three = perOrder["3"];
  const quotas = quotaModel(options.ordersPerSecond, {
    transitions: three.transitions,
    lambdaInvocations: three.lambdaInvocations,
    snsPublishes: three.snsRequests,
  });
  return {
    settings,
    archives,
    program,
    handlers,
    peaks,
    perOrder,
    definitionBytes,
    transitionsModel: model,
    throughput,
    ceiling,
    localToCeilingRatio,
    targets: met,
    quotas,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  // With --json, stdout carries the one object and nothing else: anything a library prints goes to stderr.
  const print = process.stdout.write.bind(process.stdout);
  if (options.json) process.stdout.write = process.stderr.write.bind(process.stderr);
  const started = performance.now();
  const loadBefore = os.loadavg();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "order-workflow-bench-"));
  // DynamoDB in this thread, as the engine runs its embedded one (engine/dynamodb.ts).
  const db = await startDynalite();
  // The reserve and release functions' transactions run in the engine's proxy (dynalite has none).
  const transactions = await startTransactionProxy(db.endpoint);
  const dynamo: Dynamo = { endpoint: transactions.endpoint, client: localDynamoClient(transactions.endpoint) };
  try {
    const result = benchResult(await measure(options, dynamo, scratch), options, started, loadBefore);
    print(`${options.json ? JSON.stringify(result) : humanReport(result)}\n`);
    if (options.write) log(`wrote ${writeBenchJson(result).join(", ")}`);
    return 0;
  } finally {
    dynamo.client.destroy();
    await transactions.close();
    await db.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

// The engine's and dynalite's handles would keep the process alive: it ends when the bench is done.
runAsProcess(main, { command: "npm run bench", exit: true });
