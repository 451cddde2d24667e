/**
 * Each bundled handler's memory and duration in a bare Node.js process (handlerProbe.ts, transpiled
 * to plain JavaScript): one process per function and order size, with the V8 heap limits Lambda sets
 * for the configured memory, and the largest order again with Node's defaults.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import type { VerificationResult } from "../../handlers/contract";
import { NO_FAILURES, mapRates } from "../../handlers/ports/config";
import { loadBundle } from "../../engine/bundles";
import { FUNCTION_KEYS, FunctionKey, functionEnvironment } from "../../workflow/functions";
import { ensureTable } from "../../engine/dynamodb";
import { runNode } from "./child";
import { Dynamo, MIB, ROOT, log, round } from "./common";
import type { HandlerProbeResult } from "./handlerProbe";
import { ORDER_SIZES, orderOf } from "./orders";
import type { FunctionOfStack } from "./stack";

const LAMBDA_ENV = (endpoint: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
});

/** A function's settings from the environment, as the stack sets them (the registry's), with every failure rate 0. */
export function functionEnv(name: FunctionKey, tableName: string): Record<string, string> {
  const inventory = { mode: "simulated", tableName: "bench-inventory" };
  return functionEnvironment(name, { rates: mapRates(NO_FAILURES, String), tableName, inventory });
}

/** The events a function receives for `count` orders of `items` items, each a different order. */
async function eventsFor(
  name: FunctionKey,
  items: number,
  count: number,
  probe: number,
  verifyText: string,
): Promise<unknown[]> {
  const prefix = `probe${probe}-${name}-${items}`;
  if (name === "refundPayment") return Array.from({ length: count }, (_, i) => ({ orderId: `${prefix}-${i}` }));
  if (name === "releaseStock") {
    const release = (i: number) => ({ orderId: `${prefix}-${i}`, executionName: `${prefix}-exec-${i}` });
    return Array.from({ length: count }, (_, i) => ({ ...release(i), refundedChargeId: "none" }));
  }
  if (name !== "chargePayment" && name !== "reserveStock") {
    return Array.from({ length: count }, (_, i) => ({
      order: orderOf(items, `${prefix}-${i}`),
      executionName: `${prefix}-exec-${i}`,
    }));
  }
  // The charge's and the reservation's inputs are what verification produced, as the state machine passes them on.
  const verify = loadBundle(verifyText, functionEnv("verifyPaymentDetails", ""));
  const verified = (await verify({
    order: orderOf(items, `${prefix}-0`),
    executionName: `${prefix}-exec-0`,
  })) as VerificationResult;
  if (!verified.paymentVerified || verified.charge === null)
    throw new Error(`the sample order of ${items} items was not verified`);
  const charge = verified.charge;
  return Array.from({ length: count }, (_, i) =>
    name === "chargePayment"
      ? { orderId: `${prefix}-${i}`, charge }
      : { orderId: `${prefix}-${i}`, executionName: `${prefix}-exec-${i}`, item: verified.item, charge },
  );
}

export interface HandlerFigures extends HandlerProbeResult {
  readonly items: number;
  /** The V8 flags the probe ran with. */
  readonly nodeFlags: string[];
  /** Bytes the handler wrote to stdout per invocation (what CloudWatch Logs would ingest, before its JSON envelope). */
  readonly logBytesPerInvocation: number;
}

/**
 * The heap limits the Lambda Node.js runtime's bootstrap gives V8 for a function's memory size: a
 * tenth for the young generation (half of it per semi-space), the rest for the old generation.
 */
export function lambdaNodeMemoryFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

export interface HandlerMeasurements {
  /** Every function and order size, with the V8 limits Lambda sets for the configured memory. */
  readonly asInLambda: Record<FunctionKey, Record<number, HandlerFigures>>;
  /** The largest order again, with Node's default limits (sized for this machine, so V8 collects lazily). */
  readonly nodeDefaults: Record<FunctionKey, HandlerFigures>;
}

/** A folder standing in for the Lambda runtime: the probe as JavaScript, the bundles, a node_modules that has the AWS SDK. */
interface LambdaFolder {
  readonly dir: string;
  readonly probeFile: string;
  readonly tableName: string;
  readonly functions: Record<FunctionKey, FunctionOfStack>;
  readonly invocations: number;
  readonly memoryMb: number;
  readonly dynamo: Dynamo;
}

function lambdaFolder(scratch: string): { dir: string; probeFile: string } {
  const dir = fs.mkdtempSync(path.join(scratch, "lambda-"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const probeSource = fs.readFileSync(path.join(__dirname, "handlerProbe.ts"), "utf8");
  const probe = ts.transpileModule(probeSource, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const probeFile = path.join(dir, "handlerProbe.js");
  fs.writeFileSync(probeFile, probe.outputText);
  return { dir, probeFile };
}

/** The bundle's entry point in the folder, its files written there the first time. */
function bundleOf(folder: LambdaFolder, name: FunctionKey): string {
  const bundle = path.join(folder.dir, name, "__index.js");
  if (!fs.existsSync(bundle)) {
    for (const [file, text] of Object.entries(folder.functions[name].files)) {
      fs.mkdirSync(path.dirname(path.join(folder.dir, name, file)), { recursive: true });
      fs.writeFileSync(path.join(folder.dir, name, file), text);
    }
  }
  return bundle;
}

/** One probe process: `folder.invocations` invocations of the function on orders of `items` items. */
async function probeHandler(
  folder: LambdaFolder,
  probe: number,
  name: FunctionKey,
  items: number,
  nodeFlags: string[],
): Promise<HandlerFigures> {
  const { dir, functions, invocations } = folder;
  const bundle = bundleOf(folder, name);
  const events = await eventsFor(name, items, invocations, probe, functions.verifyPaymentDetails.files["__index.js"]);
  const eventsFile = path.join(dir, `probe-${probe + 1}.events.json`);
  const resultFile = path.join(dir, `probe-${probe + 1}.result.json`);
  fs.writeFileSync(eventsFile, JSON.stringify(events));
  const child = await runNode(["--expose-gc", ...nodeFlags, folder.probeFile, bundle, eventsFile, resultFile], {
    cwd: dir,
    env: {
      ...LAMBDA_ENV(folder.dynamo.endpoint),
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(folder.memoryMb),
      ...functionEnv(name, folder.tableName),
    },
  });
  if (child.code !== 0) throw new Error(`handler probe of ${name} failed (exit ${child.code}):\n${child.stderr}`);
  const result = JSON.parse(fs.readFileSync(resultFile, "utf8")) as HandlerProbeResult;
  if (result.errors > 0)
    throw new Error(`${name} failed ${result.errors} of ${invocations} invocations: ${result.firstError}`);
  log(
    `  ${name} (${items} items${nodeFlags.length === 0 ? ", Node's default heap limits" : ""}): peak RSS ${round(result.maxRss / MIB)} MB, ` +
      `mean ${round(result.durations.mean, 3)} ms, billed mean ${round(result.durations.billedMean, 2)} ms`,
  );
  return { ...result, items, nodeFlags, logBytesPerInvocation: Buffer.byteLength(child.stdout) / invocations };
}

export async function measureHandlers(
  functions: Record<FunctionKey, FunctionOfStack>,
  invocations: number,
  memoryMb: number,
  dynamo: Dynamo,
  scratch: string,
): Promise<HandlerMeasurements> {
  const folder: LambdaFolder = {
    ...lambdaFolder(scratch),
    tableName: "bench-handlers",
    functions,
    invocations,
    memoryMb,
    dynamo,
  };
  await ensureTable(dynamo.client, folder.tableName);
  let probes = 0;
  const asInLambda = {} as Record<FunctionKey, Record<number, HandlerFigures>>;
  const nodeDefaults = {} as Record<FunctionKey, HandlerFigures>;
  for (const name of FUNCTION_KEYS) {
    asInLambda[name] = {};
    for (const items of ORDER_SIZES)
      asInLambda[name][items] = await probeHandler(folder, probes++, name, items, lambdaNodeMemoryFlags(memoryMb));
    nodeDefaults[name] = await probeHandler(folder, probes++, name, ORDER_SIZES[ORDER_SIZES.length - 1], []);
  }
  return { asInLambda, nodeDefaults };
}

/** A probe's figures as the report gives them: MB, ms, rounded. */
export interface HandlerSummary {
  readonly items: number;
  readonly maxRssMb: number;
  readonly rssIncreaseMb: number;
  readonly heapIncreaseAfterInitMb: number;
  readonly heapIncreaseAfterRunGcMb: number;
  readonly peakHeapUsedMb: number;
  readonly initMs: number;
  readonly firstInvocationMs: number;
  readonly meanMs: number;
  readonly p99Ms: number;
  readonly billedMeanMs: number;
  readonly logBytesPerInvocation: number;
}

export function handlerSummary(h: HandlerFigures): HandlerSummary {
  return {
    items: h.items,
    maxRssMb: round(h.maxRss / MIB),
    rssIncreaseMb: round((h.afterRun.rss - h.baseline.rss) / MIB),
    heapIncreaseAfterInitMb: round((h.afterInit.heapUsed - h.baseline.heapUsed) / MIB, 2),
    heapIncreaseAfterRunGcMb: round((h.afterRunGc.heapUsed - h.baseline.heapUsed) / MIB, 2),
    peakHeapUsedMb: round(h.peakHeapUsed / MIB, 2),
    initMs: round(h.initMs, 2),
    firstInvocationMs: round(h.firstInvocationMs, 2),
    meanMs: round(h.durations.mean, 3),
    p99Ms: round(h.durations.p99, 3),
    billedMeanMs: round(h.durations.billedMean, 3),
    logBytesPerInvocation: round(h.logBytesPerInvocation),
  };
}

/** Bytes of RSS: the highest as in Lambda, the highest with Node's defaults, the lowest bare process. */
export interface HandlerPeaks {
  readonly peakRss: number;
  readonly peakRssNodeDefaults: number;
  readonly baselineRss: number;
}

export function handlerPeaks(measured: HandlerMeasurements): HandlerPeaks {
  const { asInLambda, nodeDefaults } = measured;
  return {
    peakRss: Math.max(...FUNCTION_KEYS.flatMap((n) => ORDER_SIZES.map((s) => asInLambda[n][s].maxRss))),
    peakRssNodeDefaults: Math.max(...FUNCTION_KEYS.map((n) => nodeDefaults[n].maxRss)),
    baselineRss: Math.min(...FUNCTION_KEYS.flatMap((n) => ORDER_SIZES.map((s) => asInLambda[n][s].baseline.rss))),
  };
}
