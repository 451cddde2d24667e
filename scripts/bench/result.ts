/**
 * The bench's result: the one JSON object `npm run bench -- --json` prints, and what the table is
 * rendered from (report.ts). Its keys and shape are the bench's contract (docs/bench.md).
 */
import * as os from "os";
import { performance } from "perf_hooks";
import { FUNCTION_KEYS, FunctionKey } from "../../workflow/functions";
import type { Options } from "./args";
import { ARCHIVE_LIMIT_BYTES, ArchiveFigures, Archives } from "./archives";
import { MIB, round } from "./common";
import { perExtraBilledMs } from "./cost";
import { HandlerMeasurements, HandlerPeaks, HandlerSummary, handlerSummary, lambdaNodeMemoryFlags } from "./handlers";
import { ORDER_SIZES } from "./orders";
import type { ProgramFigures } from "./program";
import type { QuotaModel } from "./quotas";
import type { CeilingFigures } from "./ceiling";
import type { FunctionSettings } from "./stack";
import type { Targets } from "./targets";
import type { BatchFigures, SkippedBatch, Throughput } from "./throughput";
import { EXPRESS_MEMORY_MB, PerOrder } from "./transitions";

/** Everything the bench measured, before it is put in the result's shape. */
export interface Measurements {
  readonly settings: FunctionSettings;
  readonly archives: Archives;
  readonly program: ProgramFigures;
  readonly handlers: HandlerMeasurements;
  readonly peaks: HandlerPeaks;
  readonly perOrder: Record<string, PerOrder>;
  readonly definitionBytes: number;
  readonly transitionsModel: { readonly fixed: number; readonly perItem: number };
  readonly throughput: Throughput;
  /** aws-local-stepfunctions' own ceiling on the first batch's orders (ceiling.ts). */
  readonly ceiling: CeilingFigures;
  /** The first batch's orders/s over the ceiling's. */
  readonly localToCeilingRatio: number;
  readonly targets: Targets;
  /** The quota model at --orders-per-second, from the 3-item order's usage (quotas.ts). */
  readonly quotas: QuotaModel;
}

export interface BenchResult {
  readonly environment: {
    readonly node: string;
    readonly platform: string;
    readonly cpus: number;
    readonly loadAverageBefore: number[];
    readonly loadAverageAfter: number[];
    /** The whole bench's wall time, to the end of building this object. */
    benchMs: number;
  };
  readonly lambdaArchiveBytes: Record<FunctionKey, number>;
  readonly archives: { readonly method: string; readonly limitBytes: number } & Record<FunctionKey, ArchiveFigures>;
  readonly functions: { readonly architectures: string[]; readonly memorySizeMb: number; readonly runtime: string };
  readonly programMs: number;
  readonly program: ReturnType<typeof programSection>;
  readonly handlers: ReturnType<typeof handlersSection>;
  readonly perOrder: Record<string, PerOrder>;
  readonly transitionsModel: { readonly fixed: number; readonly perItem: number };
  readonly costAssumptions: ReturnType<typeof costAssumptions>;
  readonly localOrdersPerSecond: number;
  /** aws-local-stepfunctions' own orders/s on the same orders: canned Task results, no I/O (ceiling.ts). */
  readonly ceilingOrdersPerSecond: number;
  /** localOrdersPerSecond / ceilingOrdersPerSecond: what share of the library's own speed the engine keeps. */
  readonly localToCeilingRatio: number;
  readonly ceiling: CeilingFigures & { readonly note: string };
  readonly throughput: { readonly batch: BatchFigures; readonly largeBatch: BatchFigures | SkippedBatch | null };
  readonly targets: Targets;
  readonly quotas: QuotaModel;
}

function programSection(program: ProgramFigures) {
  return {
    runs: program.runs,
    programCpuMs: program.programCpuMs,
    serializationInProgramMs: program.serializationInProgramMs,
    serializationShare: program.serializationShare,
    serializeMsAfterProgram: program.serializeMs,
    serializeTotalMsAfterProgram: program.serializeTotalMs,
    processMs: program.processMs,
    resources: program.resources,
    note:
      "median of fresh `node -r ts-node/register/transpile-only scripts/bench/programProbe.ts` processes; programMs = loadProgram(index.ts) with the dev config under mocks; " +
      "serializationInProgramMs = wall time during it in which a pulumi.runtime.serializeFunction call was running; serializeMsAfterProgram = each factory serialized again, alone, in the same process",
  };
}

const byFunction = <T>(figure: (name: FunctionKey) => T): Record<FunctionKey, T> =>
  Object.fromEntries(FUNCTION_KEYS.map((n) => [n, figure(n)])) as Record<FunctionKey, T>;

function handlersSection(measured: HandlerMeasurements, peaks: HandlerPeaks, memoryMb: number, invocations: number) {
  return {
    invocationsPerProbe: invocations,
    nodeFlags: lambdaNodeMemoryFlags(memoryMb),
    memorySizeMb: memoryMb,
    peakRssMb: round(peaks.peakRss / MIB),
    headroomMb: round(memoryMb - peaks.peakRss / MIB),
    bareNodeRssMb: round(peaks.baselineRss / MIB),
    peakRssMbWithNodeDefaults: round(peaks.peakRssNodeDefaults / MIB),
    note:
      "one bare `node --expose-gc <Lambda's V8 heap flags for the memory size>` process per function and order size: the bundle required beside the AWS SDK, then the invocations one after another; " +
      "RSS is the whole process (Node itself included), as Lambda's Max Memory Used is; nodeDefaults: the largest order again without the flags",
    byFunction: byFunction((n): Record<string, HandlerSummary> =>
      Object.fromEntries(ORDER_SIZES.map((s) => [String(s), handlerSummary(measured.asInLambda[n][s])])),
    ),
    nodeDefaults: byFunction((n) => handlerSummary(measured.nodeDefaults[n])),
  };
}

function costAssumptions(settings: FunctionSettings, options: Options, definitionBytes: number) {
  const { memoryMb, architecture } = settings;
  return {
    prices:
      "scripts/bench/cost.ts PRICES (AWS's published us-east-1 list prices at the time of writing; free tiers ignored)",
    lambda: `${memoryMb} MB ${architecture}; billed duration per invocation = the handler's measured local duration over ${options.invocations} invocations, each rounded up to 1 ms (so 1 ms for sub-millisecond work)`,
    lambdaUsdPerMillionOrdersPerExtraBilledMs: round(perExtraBilledMs(FUNCTION_KEYS.length, memoryMb, architecture), 4),
    dynamo:
      "success path: the charge Lambda's claim (PutItem) and final write (PutItem replacing the claim); 1 WRU per KB of the larger item; no read",
    sns: "one publish per order, 1 request per 64 KB",
    express: `duration ${options.expressMs} ms warm / ${options.expressColdMs} ms with cold starts (stated, not measured), billed per 100 ms; memory ${EXPRESS_MEMORY_MB} MB (one chunk; definition ${definitionBytes} B)`,
  };
}

function archivesSection({ archives }: Archives) {
  return {
    method:
      "each file deflated with Node's zlib deflateRaw at level 5 (Go archive/zip's level, which Pulumi uses) in a minimal zip container (scripts/bench/zip.ts); inflatedBytes: what zlib inflateRaw reads back from it (central directory, entries, sizes and CRC-32 checked)",
    limitBytes: ARCHIVE_LIMIT_BYTES,
    ...archives,
  };
}

/** The result, in the order its keys are printed; `started` (performance.now()) and `loadBefore` (os.loadavg()) are from the bench's start. */
export function benchResult(
  m: Measurements,
  options: Options,
  started: number,
  loadBefore: readonly number[],
): BenchResult {
  const result: BenchResult = {
    environment: {
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      loadAverageBefore: loadBefore.map((l) => round(l, 2)),
      loadAverageAfter: os.loadavg().map((l) => round(l, 2)),
      benchMs: 0,
    },
    lambdaArchiveBytes: m.archives.lambdaArchiveBytes,
    archives: archivesSection(m.archives),
    functions: {
      architectures: m.settings.architectures,
      memorySizeMb: m.settings.memoryMb,
      runtime: m.settings.runtime,
    },
    programMs: m.program.programMs,
    program: programSection(m.program),
    handlers: handlersSection(m.handlers, m.peaks, m.settings.memoryMb, options.invocations),
    perOrder: m.perOrder,
    transitionsModel: m.transitionsModel,
    costAssumptions: costAssumptions(m.settings, options, m.definitionBytes),
    localOrdersPerSecond: m.throughput.batch.ordersPerSecond,
    ceilingOrdersPerSecond: m.ceiling.ordersPerSecond,
    localToCeilingRatio: m.localToCeilingRatio,
    ceiling: {
      ...m.ceiling,
      note:
        "aws-local-stepfunctions as published (no patch, no hook) running the engine's definition over the throughput batch's orders, with the same concurrency; " +
        "each Task answers at once with what the real handler returns for the sample order (the handlers' functions with ports that always approve), wrapped as lambda:invoke wraps it; no I/O",
    },
    throughput: { batch: m.throughput.batch, largeBatch: m.throughput.largeBatch },
    targets: m.targets,
    quotas: m.quotas,
  };
  result.environment.benchMs = round(performance.now() - started, 0);
  return result;
}
