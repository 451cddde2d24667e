/**
 * Memory and duration of one bundled Lambda, in a process that holds nothing else: scripts/bench/handlers.ts
 * transpiles this file to plain JavaScript and runs it with `node --expose-gc` (no ts-node, no Pulumi),
 * beside a node_modules that has the AWS SDK, as the Lambda runtime has it.
 *
 *   node --expose-gc handlerProbe.js <bundle __index.js> <events.json> <result.json>
 *
 * The function's settings come from the environment, as in Lambda. Its console output goes to stdout,
 * as in Lambda (where the runtime forwards it to CloudWatch Logs). Only Node's built-ins are imported.
 */
import * as fs from "fs";
import { performance } from "perf_hooks";

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
}

export interface HandlerProbeResult {
  /** Before the bundle is required: a bare Node.js process. */
  readonly baseline: MemorySample;
  /** After the bundle is required and its handler built (the Lambda's init phase). */
  readonly afterInit: MemorySample;
  /** After every invocation, then after a full garbage collection. */
  readonly afterRun: MemorySample;
  readonly afterRunGc: MemorySample;
  /** Highest values seen while invoking (sampled every 10 invocations) and the kernel's peak RSS. */
  readonly peakHeapUsed: number;
  readonly maxRss: number;
  readonly initMs: number;
  /** The first invocation (SDK clients connect and resolve credentials lazily). */
  readonly firstInvocationMs: number;
  /** Every later invocation, in ms; `billedMean` is the mean of each one rounded up to Lambda's 1 ms. */
  readonly durations: {
    readonly count: number;
    readonly mean: number;
    readonly billedMean: number;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly errors: number;
  readonly firstError: string | null;
}

const sample = (): MemorySample => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
};

const collect = (): void => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
};

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const [bundlePath, eventsPath, resultPath] = process.argv.slice(2);
  const events = JSON.parse(fs.readFileSync(eventsPath, "utf8")) as unknown[];
  collect();
  const baseline = sample();

  const initStart = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(bundlePath) as { handler: Handler };
  const initMs = performance.now() - initStart;
  collect();
  const afterInit = sample();

  let peakHeapUsed = afterInit.heapUsed;
  let errors = 0;
  let firstError: string | null = null;
  const durations: number[] = [];
  let firstInvocationMs = 0;
  for (const [i, event] of events.entries()) {
    const t = performance.now();
    try {
      await handler(event, { awsRequestId: `probe-${i}` });
    } catch (error) {
      errors++;
      firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    const ms = performance.now() - t;
    if (i === 0) firstInvocationMs = ms;
    else durations.push(ms);
    if (i % 10 === 0) peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed);
  }
  const afterRun = sample();
  peakHeapUsed = Math.max(peakHeapUsed, afterRun.heapUsed);
  collect();
  const afterRunGc = sample();

  const sorted = [...durations].sort((a, b) => a - b);
  const result: HandlerProbeResult = {
    baseline,
    afterInit,
    afterRun,
    afterRunGc,
    peakHeapUsed,
    // resourceUsage().maxRSS is in kilobytes.
    maxRss: process.resourceUsage().maxRSS * 1024,
    initMs,
    firstInvocationMs,
    durations: {
      count: sorted.length,
      mean: sorted.reduce((a, b) => a + b, 0) / Math.max(sorted.length, 1),
      billedMean: sorted.reduce((a, b) => a + Math.max(1, Math.ceil(b)), 0) / Math.max(sorted.length, 1),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? 0,
    },
    errors,
    firstError,
  };
  fs.writeFileSync(resultPath, JSON.stringify(result));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
