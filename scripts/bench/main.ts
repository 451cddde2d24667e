/**
 * npm run bench [-- --json] [--runs 5] [--invocations 1000] [--batch 500] [--large-batch 2000]
 *               [--force-large-batch] [--concurrency 16] [--express-ms 200] [--express-cold-ms 1000]
 *
 * Measures what the stack costs to ship, to deploy and to run:
 * - the zipped size of each Lambda archive the program registers (under Pulumi mocks);
 * - the program's registration time, closure serialization's share of it (fresh process per run);
 * - each bundled handler's memory and duration in a bare Node.js process (scripts/handlerProbe.ts);
 * - per order of 1, 3 and 50 items on the success path: state transitions, Lambda invocations, the
 *   record's write units and the notification's publishes, priced by local/cost.ts, STANDARD and EXPRESS;
 * - the local engine's throughput, with every order's record and notification read back and counted
 *   (the large batch runs only if the first batch's rate says it ends within 2 minutes, or if forced).
 *
 * A table by default; with --json exactly one JSON object on stdout. Progress goes to stderr.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import {
  AttributeValue,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  ScanCommandOutput,
} from "@aws-sdk/client-dynamodb";
import * as ts from "typescript";
import { ENV, ORDERS_TABLE_KEY, VerificationResult } from "../../handlers/contract";
import { FUNCTION_NAMES, FunctionName, loadBundle } from "../../engine/bundles";
import {
  Architecture,
  CostPerMillion,
  DynamoValue,
  OrderUsage,
  dynamoItemBytes,
  expressCostPerMillion,
  perExtraBilledMs,
  readRequestUnits,
  snsRequests,
  standardCostPerMillion,
  writeRequestUnits,
} from "./cost";
import { ExecutionReport, LocalWorkflow, startDynalite } from "../../engine/engine";
import { loadProgram } from "../../program/load";
import type { HandlerProbeResult } from "./handlerProbe";
import type { ProgramProbeResult } from "./programProbe";
import { unzipFiles, zipFiles } from "./zip";

const ROOT = path.resolve(__dirname, "..", "..");
const KIB = 1024;
const MIB = 1024 * 1024;
const ARCHIVE_LIMIT_BYTES = 16 * KIB;
const LARGE_BATCH_LIMIT_MS = 120_000;
const ORDER_SIZES = [1, 3, 50] as const;
const RATES_OFF = { payment: 0, stock: 0, charge: 0 };

// ---------------------------------------------------------------------------------------------
// Options and output

interface Options {
  readonly json: boolean;
  readonly runs: number;
  readonly invocations: number;
  readonly batch: number;
  readonly largeBatch: number;
  readonly forceLargeBatch: boolean;
  readonly concurrency: number;
  readonly expressMs: number;
  readonly expressColdMs: number;
}

function parseOptions(argv: readonly string[]): Options {
  const numberOf = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    if (at < 0) return fallback;
    const value = Number(argv[at + 1]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a whole number (got ${argv[at + 1]})`);
    return value;
  };
  const known = new Set(["--json", "--force-large-batch", "--runs", "--invocations", "--batch", "--large-batch", "--concurrency", "--express-ms", "--express-cold-ms"]);
  for (const arg of argv) {
    if (arg.startsWith("--") && !known.has(arg)) throw new Error(`unknown option ${arg} (known: ${[...known].join(", ")})`);
  }
  return {
    json: argv.includes("--json"),
    runs: Math.max(1, numberOf("--runs", 5)),
    invocations: Math.max(2, numberOf("--invocations", 1000)),
    batch: Math.max(1, numberOf("--batch", 500)),
    largeBatch: numberOf("--large-batch", 2000),
    forceLargeBatch: argv.includes("--force-large-batch"),
    concurrency: Math.max(1, numberOf("--concurrency", 16)),
    expressMs: numberOf("--express-ms", 200),
    expressColdMs: numberOf("--express-cold-ms", 1000),
  };
}

const log = (message: string) => process.stderr.write(`${message}\n`);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** USD figures to a millionth of a dollar (per million orders: well below what any line is worth). */
const roundCost = (c: CostPerMillion): CostPerMillion => ({
  stepFunctions: round(c.stepFunctions, 6),
  lambdaRequests: round(c.lambdaRequests, 6),
  lambdaDuration: round(c.lambdaDuration, 6),
  dynamoWrites: round(c.dynamoWrites, 6),
  dynamoReads: round(c.dynamoReads, 6),
  sns: round(c.sns, 6),
  total: round(c.total, 6),
});

// ---------------------------------------------------------------------------------------------
// Orders

interface OrderItem {
  readonly itemId: string;
  readonly price: number;
  readonly itemDescription: string;
}
interface Order {
  readonly orderId?: string;
  readonly orderContents: { readonly items: readonly OrderItem[] };
  readonly orderTotal: number;
  readonly customerId: string;
  readonly paymentDetails: Record<string, string>;
}

const SAMPLE = JSON.parse(fs.readFileSync(path.join(ROOT, "samples/order.json"), "utf8")) as Order;

/** The sample order with `count` items: its own three for 3, else its items repeated under new ids. */
function orderOf(count: number, orderId: string): Order {
  const base = SAMPLE.orderContents.items;
  const items =
    count === base.length
      ? base
      : Array.from({ length: count }, (_, i) => ({ ...base[i % base.length], itemId: `item-${String(i + 1).padStart(5, "0")}` }));
  const totalMinor = items.reduce((sum, item) => sum + Math.round(item.price * 100), 0);
  return { ...SAMPLE, orderId, orderContents: { items }, orderTotal: totalMinor / 100 };
}

// ---------------------------------------------------------------------------------------------
// Archives

interface ArchiveAssets {
  readonly assets: Promise<Record<string, { readonly text: Promise<string> }>>;
}

/** Function resource names of the stack, by the state machine's name for them. */
const RESOURCE_NAMES: Record<FunctionName, string> = {
  verifyPaymentDetails: "orders-verify-payment-details",
  retrieveStockLevels: "orders-retrieve-stock-levels",
  chargePayment: "orders-charge-payment",
};

interface FunctionOfStack {
  readonly files: Record<string, string>;
  readonly architecture: string;
  readonly memorySize: number;
  readonly runtime: string;
}

async function functionsOfStack(): Promise<Record<FunctionName, FunctionOfStack>> {
  const stack = await loadProgram({ programPath: path.join(ROOT, "index.ts"), stack: "dev" });
  const found = {} as Record<FunctionName, FunctionOfStack>;
  for (const name of FUNCTION_NAMES) {
    const fn = stack.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === RESOURCE_NAMES[name]);
    if (!fn) throw new Error(`the stack registers no function ${RESOURCE_NAMES[name]}`);
    const assets = await (fn.inputs.code as ArchiveAssets).assets;
    const files: Record<string, string> = {};
    for (const [file, asset] of Object.entries(assets)) files[file] = await asset.text;
    const architectures = fn.inputs.architectures as string[] | undefined;
    found[name] = {
      files,
      architecture: architectures?.[0] ?? "x86_64",
      memorySize: (fn.inputs.memorySize as number | undefined) ?? 128,
      runtime: String(fn.inputs.runtime),
    };
  }
  return found;
}

interface ArchiveFigures {
  readonly files: string[];
  readonly uncompressedBytes: number;
  readonly zippedBytes: number;
  /** The same files zipped by the `zip` CLI at level 5, when it is installed (a cross-check). */
  readonly zipCliBytes: number | null;
}

function hasCommand(command: string): boolean {
  try {
    execFileSync("which", [command], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function measureArchive(files: Record<string, string>, scratch: string): ArchiveFigures {
  const zipped = zipFiles(files);
  // What was written must read back as the same files.
  const back = unzipFiles(zipped);
  for (const [name, text] of Object.entries(files)) {
    if (back[name]?.toString("utf8") !== text) throw new Error(`${name} did not survive the zip round trip`);
  }
  let zipCliBytes: number | null = null;
  if (hasCommand("zip")) {
    const dir = fs.mkdtempSync(path.join(scratch, "zip-"));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    execFileSync("zip", ["-q", "-X", "-5", "cli.zip", ...Object.keys(files)], { cwd: dir });
    zipCliBytes = fs.statSync(path.join(dir, "cli.zip")).size;
    fs.writeFileSync(path.join(dir, "node.zip"), zipped);
    if (hasCommand("unzip")) execFileSync("unzip", ["-tq", "node.zip"], { cwd: dir, stdio: "ignore" });
  }
  return {
    files: Object.keys(files),
    uncompressedBytes: Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0),
    zippedBytes: zipped.length,
    zipCliBytes,
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes

interface ChildOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

function run(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), wallMs: performance.now() - start }),
    );
  });
}

interface ProgramFigures {
  readonly runs: number;
  readonly programMs: number;
  readonly programCpuMs: number;
  readonly serializationInProgramMs: number;
  readonly serializationShare: number;
  readonly serializeTotalMs: number;
  readonly serializeMs: Record<string, number>;
  readonly processMs: number;
  readonly resources: number;
  readonly samples: ProgramProbeResult[];
}

async function measureProgram(runs: number): Promise<ProgramFigures> {
  const samples: ProgramProbeResult[] = [];
  for (let i = 0; i < runs; i++) {
    const child = await run(["--disable-warning=NodeVersionSupportWarning", "-r", "ts-node/register/transpile-only", "scripts/bench/programProbe.ts"]);
    const line = child.stdout.trim().split("\n").pop() ?? "";
    if (child.code !== 0 || !line.startsWith("{")) throw new Error(`program probe failed (exit ${child.code}):\n${child.stderr}`);
    const sample = JSON.parse(line) as ProgramProbeResult;
    samples.push(sample);
    log(
      `  program run ${i + 1}/${runs}: ${round(sample.programMs, 0)} ms (CPU ${round(sample.programCpuMs, 0)} ms), serialization ${round(sample.serializationInProgramMs, 0)} ms`,
    );
  }
  const programMs = median(samples.map((s) => s.programMs));
  const serializationInProgramMs = median(samples.map((s) => s.serializationInProgramMs));
  const serializeMs: Record<string, number> = {};
  for (const name of FUNCTION_NAMES) serializeMs[name] = round(median(samples.map((s) => s.serializeMs[name])));
  return {
    runs,
    programMs: round(programMs),
    programCpuMs: round(median(samples.map((s) => s.programCpuMs))),
    serializationInProgramMs: round(serializationInProgramMs),
    serializationShare: round(median(samples.map((s) => s.serializationInProgramMs / s.programMs)), 3),
    serializeTotalMs: round(median(samples.map((s) => s.serializeTotalMs))),
    serializeMs,
    processMs: round(median(samples.map((s) => s.processMs))),
    resources: samples[0].resources,
    samples,
  };
}

// ---------------------------------------------------------------------------------------------
// Handlers in a bare process

interface Dynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
}

const LAMBDA_ENV = (endpoint: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
});

function functionEnv(name: FunctionName, tableName: string): Record<string, string> {
  switch (name) {
    case "verifyPaymentDetails":
      return { [ENV.paymentFailureRate]: "0" };
    case "retrieveStockLevels":
      return { [ENV.stockFailureRate]: "0" };
    case "chargePayment":
      return { [ENV.chargeFailureRate]: "0", [ENV.tableName]: tableName };
  }
}

async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: ORDERS_TABLE_KEY, AttributeType: "S" }],
      KeySchema: [{ AttributeName: ORDERS_TABLE_KEY, KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

/** The events a function receives for `count` orders of `items` items, each a different order. */
async function eventsFor(name: FunctionName, items: number, count: number, probe: number, verifyText: string): Promise<unknown[]> {
  const prefix = `probe${probe}-${name}-${items}`;
  if (name !== "chargePayment") {
    return Array.from({ length: count }, (_, i) => ({ order: orderOf(items, `${prefix}-${i}`), executionName: `${prefix}-exec-${i}` }));
  }
  // The charge's input is what verification produced, as the state machine passes it on.
  const verify = loadBundle(verifyText, functionEnv("verifyPaymentDetails", ""));
  const verified = (await verify({ order: orderOf(items, `${prefix}-0`), executionName: `${prefix}-exec-0` })) as VerificationResult;
  if (!verified.paymentVerified || verified.charge === null) throw new Error(`the sample order of ${items} items was not verified`);
  return Array.from({ length: count }, (_, i) => ({
    orderId: `${prefix}-${i}`,
    executionName: `${prefix}-exec-${i}`,
    item: verified.item,
    notice: { ...verified.notice, orderId: `${prefix}-${i}` },
    charge: verified.charge,
  }));
}

interface HandlerFigures extends HandlerProbeResult {
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
function lambdaNodeMemoryFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

interface HandlerMeasurements {
  /** Every function and order size, with the V8 limits Lambda sets for the configured memory. */
  readonly asInLambda: Record<FunctionName, Record<number, HandlerFigures>>;
  /** The largest order again, with Node's default limits (sized for this machine, so V8 collects lazily). */
  readonly nodeDefaults: Record<FunctionName, HandlerFigures>;
}

async function measureHandlers(
  functions: Record<FunctionName, FunctionOfStack>,
  invocations: number,
  memoryMb: number,
  dynamo: Dynamo,
  scratch: string,
): Promise<HandlerMeasurements> {
  // A folder standing in for the Lambda runtime: the bundle, and a node_modules that has the AWS SDK.
  const dir = fs.mkdtempSync(path.join(scratch, "lambda-"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const probeSource = fs.readFileSync(path.join(__dirname, "handlerProbe.ts"), "utf8");
  const probe = ts.transpileModule(probeSource, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const probeFile = path.join(dir, "handlerProbe.js");
  fs.writeFileSync(probeFile, probe.outputText);
  const tableName = "bench-handlers";
  await createTable(dynamo.client, tableName);

  let probes = 0;
  const measure = async (name: FunctionName, items: number, nodeFlags: string[]): Promise<HandlerFigures> => {
    const bundle = path.join(dir, name, "__index.js");
    if (!fs.existsSync(bundle)) {
      for (const [file, text] of Object.entries(functions[name].files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, name, file), text);
      }
    }
    const events = await eventsFor(name, items, invocations, probes++, functions.verifyPaymentDetails.files["__index.js"]);
    const eventsFile = path.join(dir, `probe-${probes}.events.json`);
    const resultFile = path.join(dir, `probe-${probes}.result.json`);
    fs.writeFileSync(eventsFile, JSON.stringify(events));
    const child = await run(["--expose-gc", ...nodeFlags, probeFile, bundle, eventsFile, resultFile], {
      cwd: dir,
      env: { ...LAMBDA_ENV(dynamo.endpoint), AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb), ...functionEnv(name, tableName) },
    });
    if (child.code !== 0) throw new Error(`handler probe of ${name} failed (exit ${child.code}):\n${child.stderr}`);
    const result = JSON.parse(fs.readFileSync(resultFile, "utf8")) as HandlerProbeResult;
    if (result.errors > 0) throw new Error(`${name} failed ${result.errors} of ${invocations} invocations: ${result.firstError}`);
    log(
      `  ${name} (${items} items${nodeFlags.length === 0 ? ", Node's default heap limits" : ""}): peak RSS ${round(result.maxRss / MIB)} MB, ` +
        `mean ${round(result.durations.mean, 3)} ms, billed mean ${round(result.durations.billedMean, 2)} ms`,
    );
    return { ...result, items, nodeFlags, logBytesPerInvocation: Buffer.byteLength(child.stdout) / invocations };
  };

  const asInLambda = {} as Record<FunctionName, Record<number, HandlerFigures>>;
  const nodeDefaults = {} as Record<FunctionName, HandlerFigures>;
  for (const name of FUNCTION_NAMES) {
    asInLambda[name] = {};
    for (const items of ORDER_SIZES) asInLambda[name][items] = await measure(name, items, lambdaNodeMemoryFlags(memoryMb));
    nodeDefaults[name] = await measure(name, ORDER_SIZES[ORDER_SIZES.length - 1], []);
  }
  return { asInLambda, nodeDefaults };
}

function handlerSummary(h: HandlerFigures) {
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

// ---------------------------------------------------------------------------------------------
// Per order

function toDynamoValue(value: AttributeValue): DynamoValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: value.B };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: true };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.L !== undefined) return { L: value.L.map(toDynamoValue) };
  if (value.M !== undefined) return { M: toItem(value.M) };
  throw new Error(`an attribute value of a kind the record never holds: ${JSON.stringify(value)}`);
}

function toItem(item: Record<string, AttributeValue>): Record<string, DynamoValue> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toDynamoValue(v)]));
}

interface PerOrder {
  readonly items: number;
  readonly status: string;
  readonly transitions: number;
  readonly lambdaInvocations: number;
  readonly states: string[];
  /** Billed ms per invocation used for the price: each function's measured mean, rounded up per invocation. */
  readonly lambdaBilledMs: Record<FunctionName, number>;
  readonly dynamo: {
    readonly recordBytes: number;
    readonly claimWriteUnits: number;
    readonly finalWriteUnits: number;
    /** Success path: 0 (the charge Lambda reads only when its claim is refused: a retry or a duplicate). */
    readonly readUnits: number;
    /** What a read would cost if the claim were refused, for reference. */
    readonly readUnitsIfClaimRefused: number;
  };
  readonly snsRequests: number;
  readonly notificationBytes: number;
  readonly usdPerMillionOrders: CostPerMillion;
  readonly express: {
    readonly warm: { readonly assumedDurationMs: number; readonly usdPerMillionOrders: CostPerMillion };
    readonly cold: { readonly assumedDurationMs: number; readonly usdPerMillionOrders: CostPerMillion };
  };
}

/** What SNS bills a publish by: the message and its attributes (name, data type and value). */
function publishBytes(message: unknown, attributes: Record<string, string>): number {
  const attributeBytes = Object.entries(attributes).reduce((sum, [name, value]) => sum + Buffer.byteLength(`${name}String${value}`), 0);
  return Buffer.byteLength(JSON.stringify(message)) + attributeBytes;
}

/** Express execution memory: the definition and the payloads are far below one 64 MB chunk. */
const EXPRESS_MEMORY_MB = 64;

async function measurePerOrder(
  dynamo: Dynamo,
  handlers: Record<FunctionName, Record<number, HandlerFigures>>,
  settings: { memoryMb: number; architecture: Architecture },
  options: Options,
): Promise<{ perOrder: Record<string, PerOrder>; definitionBytes: number }> {
  const engine = await LocalWorkflow.start({ rates: RATES_OFF, dynamodbEndpoint: dynamo.endpoint, seed: "bench" });
  try {
    const perOrder: Record<string, PerOrder> = {};
    for (const items of ORDER_SIZES) {
      const orderId = `bench-order-${items}`;
      const report = await engine.run(orderOf(items, orderId), `bench-exec-${items}`);
      if (report.status !== "SUCCEEDED") throw new Error(`the ${items}-item order failed: ${report.error} ${report.cause}`);
      const { Item } = await dynamo.client.send(
        new GetItemCommand({ TableName: engine.tableName, Key: { [ORDERS_TABLE_KEY]: { S: orderId } }, ConsistentRead: true }),
      );
      if (!Item) throw new Error(`the ${items}-item order left no record`);
      const final = toItem(Item);
      // The claim wrote the same record as PROCESSING, without the charge id.
      const claim: Record<string, DynamoValue> = { ...final, State: { S: "PROCESSING" } };
      delete claim.ChargeId;
      const recordBytes = dynamoItemBytes(final);
      const claimBytes = dynamoItemBytes(claim);
      const claimWriteUnits = writeRequestUnits(claimBytes);
      // A put that replaces an item is billed on the larger of the two.
      const finalWriteUnits = writeRequestUnits(recordBytes, claimBytes);
      const notificationBytes = publishBytes(report.notifications[0], { state: "PROCESSED" });
      const lambdaBilledMs = {} as Record<FunctionName, number>;
      for (const name of FUNCTION_NAMES) lambdaBilledMs[name] = round(handlers[name][items].durations.billedMean, 3);
      if (report.lambdaInvocations !== FUNCTION_NAMES.length) {
        throw new Error(`the ${items}-item order made ${report.lambdaInvocations} Lambda invocations, not one per function`);
      }
      const usage: OrderUsage = {
        transitions: report.transitions,
        lambdaBilledMs: FUNCTION_NAMES.map((name) => lambdaBilledMs[name]),
        lambdaMemoryMb: settings.memoryMb,
        architecture: settings.architecture,
        dynamoWriteUnits: claimWriteUnits + finalWriteUnits,
        dynamoReadUnits: 0,
        snsRequests: snsRequests(notificationBytes),
      };
      perOrder[String(items)] = {
        items,
        status: report.status,
        transitions: report.transitions,
        lambdaInvocations: report.lambdaInvocations,
        states: report.states,
        lambdaBilledMs,
        dynamo: { recordBytes, claimWriteUnits, finalWriteUnits, readUnits: 0, readUnitsIfClaimRefused: readRequestUnits(recordBytes) },
        snsRequests: usage.snsRequests,
        notificationBytes,
        usdPerMillionOrders: roundCost(standardCostPerMillion(usage)),
        express: {
          warm: {
            assumedDurationMs: options.expressMs,
            usdPerMillionOrders: roundCost(expressCostPerMillion(usage, { durationMs: options.expressMs, memoryMb: EXPRESS_MEMORY_MB })),
          },
          cold: {
            assumedDurationMs: options.expressColdMs,
            usdPerMillionOrders: roundCost(expressCostPerMillion(usage, { durationMs: options.expressColdMs, memoryMb: EXPRESS_MEMORY_MB })),
          },
        },
      };
      log(`  ${items} items: ${report.transitions} transitions, ${report.lambdaInvocations} invocations, record ${recordBytes} B`);
    }
    return { perOrder, definitionBytes: Buffer.byteLength(engine.definition) };
  } finally {
    await engine.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Throughput

/** A large batch not run, because the first batch's rate says it would not end within 2 minutes. */
interface SkippedBatch {
  readonly orders: number;
  readonly skipped: true;
  readonly projectedWallMs: number;
}

interface BatchFigures {
  readonly orders: number;
  readonly concurrency: number;
  readonly wallMs: number;
  readonly ordersPerSecond: number;
  /** CPU time (user + system) of this process per order while the batch ran (the engine, the Lambdas, dynalite). */
  readonly cpuMsPerOrder: number;
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
  readonly allAccountedFor: boolean;
  /** Executions that did not succeed, by error, with the first cause seen and the states it went through. */
  readonly failures: Record<string, { readonly count: number; readonly cause: string | null; readonly states: string }>;
  /** Orders charged whose record does not read back as PROCESSED. */
  readonly chargedNotProcessed: number;
}

async function countItems(client: DynamoDBClient, tableName: string): Promise<number> {
  let count = 0;
  let start: ScanCommandOutput["LastEvaluatedKey"];
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, Select: "COUNT", ExclusiveStartKey: start, ConsistentRead: true }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

async function measureBatch(dynamo: Dynamo, orders: number, concurrency: number): Promise<BatchFigures> {
  const engine = await LocalWorkflow.start({ rates: RATES_OFF, dynamodbEndpoint: dynamo.endpoint, seed: `batch-${orders}` });
  try {
    const ids = Array.from({ length: orders }, (_, i) => `batch-${orders}-${String(i).padStart(5, "0")}`);
    const reports: ExecutionReport[] = new Array<ExecutionReport>(orders);
    let next = 0;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const worker = async () => {
      while (next < orders) {
        const i = next++;
        reports[i] = await engine.run(orderOf(3, ids[i]));
        if ((i + 1) % 100 === 0) log(`    ${i + 1}/${orders} orders, ${round(((i + 1) * 1000) / (performance.now() - start))} orders/s so far`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, orders) }, worker));
    const wallMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);

    let notifiedOnce = 0;
    let notifications = 0;
    const notified = new Set<string>();
    let recordsProcessed = 0;
    let chargedNotProcessed = 0;
    const failures: BatchFigures["failures"] = {};
    for (const [i, report] of reports.entries()) {
      if (report.status !== "SUCCEEDED") {
        const key = report.error ?? "unknown";
        const seen = failures[key];
        failures[key] = seen ? { ...seen, count: seen.count + 1 } : { count: 1, cause: report.cause, states: report.states.join(" > ") };
      }
      notifications += report.notifications.length;
      for (const n of report.notifications) notified.add(String((n as { orderId?: unknown }).orderId));
      const only = report.notifications.length === 1 ? (report.notifications[0] as { orderId?: unknown; state?: unknown }) : undefined;
      if (only?.orderId === ids[i] && only.state === "PROCESSED") notifiedOnce++;
      const record = await engine.readRecord(ids[i]);
      const processed = record !== null && record.OrderId === ids[i] && record.State === "PROCESSED";
      if (processed) recordsProcessed++;
      else if (report.charged) chargedNotProcessed++;
    }
    const tableItems = await countItems(dynamo.client, engine.tableName);
    const succeeded = reports.filter((r) => r.status === "SUCCEEDED").length;
    const charged = reports.filter((r) => r.charged).length;
    const figures: BatchFigures = {
      orders,
      concurrency,
      wallMs: round(wallMs),
      ordersPerSecond: round((orders * 1000) / wallMs),
      cpuMsPerOrder: round((cpu.user + cpu.system) / 1000 / orders),
      succeeded,
      charged,
      notifiedOnce,
      notifications,
      distinctNotifiedOrders: notified.size,
      recordsProcessed,
      tableItems,
      allAccountedFor:
        succeeded === orders &&
        charged === orders &&
        notifiedOnce === orders &&
        notifications === orders &&
        notified.size === orders &&
        recordsProcessed === orders &&
        tableItems === orders,
      failures,
      chargedNotProcessed,
    };
    log(`  ${orders} orders: ${figures.ordersPerSecond} orders/s, all accounted for: ${figures.allAccountedFor}`);
    return figures;
  } finally {
    await engine.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const line = (r: readonly string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

const usd = (value: number) => value.toFixed(4);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // With --json, stdout carries the one object and nothing else: anything a library prints goes to stderr.
  const print = process.stdout.write.bind(process.stdout);
  if (options.json) process.stdout.write = process.stderr.write.bind(process.stderr);
  const started = performance.now();
  const loadBefore = os.loadavg();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "order-workflow-bench-"));
  const db = await startDynalite();
  const dynamo: Dynamo = {
    endpoint: db.endpoint,
    client: new DynamoDBClient({ endpoint: db.endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }),
  };
  try {
    log("archives: the stack's functions under mocks");
    const functions = await functionsOfStack();
    const archives = {} as Record<FunctionName, ArchiveFigures>;
    for (const name of FUNCTION_NAMES) archives[name] = measureArchive(functions[name].files, scratch);
    const lambdaArchiveBytes = Object.fromEntries(FUNCTION_NAMES.map((n) => [n, archives[n].zippedBytes])) as Record<FunctionName, number>;

    const architectures = [...new Set(FUNCTION_NAMES.map((n) => functions[n].architecture))];
    const memorySizes = [...new Set(FUNCTION_NAMES.map((n) => functions[n].memorySize))];
    const architecture = architectures[0] as Architecture;
    const memoryMb = Math.max(...memorySizes);

    log(`program: ${options.runs} fresh processes`);
    const program = await measureProgram(options.runs);

    log(`handlers: ${options.invocations} invocations each, bare Node.js process per function and order size`);
    const measured = await measureHandlers(functions, options.invocations, memoryMb, dynamo, scratch);
    const handlers = measured.asInLambda;
    const peakRss = Math.max(...FUNCTION_NAMES.flatMap((n) => ORDER_SIZES.map((s) => handlers[n][s].maxRss)));
    const peakRssNodeDefaults = Math.max(...FUNCTION_NAMES.map((n) => measured.nodeDefaults[n].maxRss));
    const baselineRss = Math.min(...FUNCTION_NAMES.flatMap((n) => ORDER_SIZES.map((s) => handlers[n][s].baseline.rss)));

    log("per order: the success path, rates 0");
    const { perOrder, definitionBytes } = await measurePerOrder(dynamo, handlers, { memoryMb, architecture }, options);

    log(`throughput: ${options.batch} orders, concurrency ${options.concurrency}`);
    const batch = await measureBatch(dynamo, options.batch, options.concurrency);
    const batches: BatchFigures[] = [batch];
    let largeBatch: BatchFigures | SkippedBatch | null = null;
    if (options.largeBatch > 0) {
      const projectedWallMs = round((options.largeBatch * 1000) / batch.ordersPerSecond, 0);
      if (projectedWallMs <= LARGE_BATCH_LIMIT_MS || options.forceLargeBatch) {
        log(`throughput: ${options.largeBatch} orders, concurrency ${options.concurrency}`);
        largeBatch = await measureBatch(dynamo, options.largeBatch, options.concurrency);
        batches.push(largeBatch);
      } else {
        largeBatch = { orders: options.largeBatch, skipped: true, projectedWallMs };
        log(`throughput: ${options.largeBatch} orders skipped: at ${batch.ordersPerSecond} orders/s they would take ~${round(projectedWallMs / 1000, 0)} s (> 2 min)`);
      }
    }

    const t1 = perOrder["1"].transitions;
    const t3 = perOrder["3"].transitions;
    const t50 = perOrder["50"].transitions;
    const perExtraItem = Math.max((t3 - t1) / 2, (t50 - t3) / 47);
    const fixedTransitions = t1 - perExtraItem;
    const targets = {
      archiveBytesMax16KiB: FUNCTION_NAMES.every((n) => lambdaArchiveBytes[n] <= ARCHIVE_LIMIT_BYTES),
      transitions3ItemsMax14: t3 <= 14,
      transitionsPerExtraItemMax2: perExtraItem <= 2,
      lambdasArm64: architectures.length === 1 && architecture === "arm64",
      lambdaPeakRssWithinMemorySize: peakRss <= memoryMb * MIB,
      programMsWithSerializationShare: program.samples.every((s) => s.serializeCalls === FUNCTION_NAMES.length),
      throughputAllOrdersAccountedFor: batches.every((b) => b.allAccountedFor),
      ...(largeBatch === null ? {} : { largeBatchUnder2Minutes: "wallMs" in largeBatch && largeBatch.wallMs < LARGE_BATCH_LIMIT_MS }),
    };

    const result = {
      environment: {
        node: process.version,
        platform: `${os.platform()} ${os.arch()}`,
        cpus: os.cpus().length,
        loadAverageBefore: loadBefore.map((l) => round(l, 2)),
        loadAverageAfter: os.loadavg().map((l) => round(l, 2)),
        benchMs: 0,
      },
      lambdaArchiveBytes,
      archives: {
        method:
          "each file deflated with Node's zlib deflateRaw at level 5 (Go archive/zip's level, which Pulumi uses) in a minimal zip container (scripts/zip.ts)" +
          (archives.chargePayment.zipCliBytes === null ? "" : "; zipCliBytes: the same files zipped by `zip -X -5`, a cross-check"),
        limitBytes: ARCHIVE_LIMIT_BYTES,
        ...archives,
      },
      functions: {
        architectures,
        memorySizeMb: memoryMb,
        runtime: functions.chargePayment.runtime,
      },
      programMs: program.programMs,
      program: {
        runs: program.runs,
        programCpuMs: program.programCpuMs,
        serializationInProgramMs: program.serializationInProgramMs,
        serializationShare: program.serializationShare,
        serializeMsAfterProgram: program.serializeMs,
        serializeTotalMsAfterProgram: program.serializeTotalMs,
        processMs: program.processMs,
        resources: program.resources,
        note:
          "median of fresh `node -r ts-node/register/transpile-only scripts/programProbe.ts` processes; programMs = loadProgram(index.ts) with the dev config under mocks; " +
          "serializationInProgramMs = wall time during it in which a pulumi.runtime.serializeFunction call was running; serializeMsAfterProgram = each factory serialized again, alone, in the same process",
      },
      handlers: {
        invocationsPerProbe: options.invocations,
        nodeFlags: lambdaNodeMemoryFlags(memoryMb),
        memorySizeMb: memoryMb,
        peakRssMb: round(peakRss / MIB),
        headroomMb: round(memoryMb - peakRss / MIB),
        bareNodeRssMb: round(baselineRss / MIB),
        peakRssMbWithNodeDefaults: round(peakRssNodeDefaults / MIB),
        note:
          "one bare `node --expose-gc <Lambda's V8 heap flags for the memory size>` process per function and order size: the bundle required beside the AWS SDK, then the invocations one after another; " +
          "RSS is the whole process (Node itself included), as Lambda's Max Memory Used is; nodeDefaults: the largest order again without the flags",
        byFunction: Object.fromEntries(
          FUNCTION_NAMES.map((n) => [n, Object.fromEntries(ORDER_SIZES.map((s) => [String(s), handlerSummary(handlers[n][s])]))]),
        ),
        nodeDefaults: Object.fromEntries(FUNCTION_NAMES.map((n) => [n, handlerSummary(measured.nodeDefaults[n])])),
      },
      perOrder,
      transitionsModel: { fixed: fixedTransitions, perItem: perExtraItem },
      costAssumptions: {
        prices: "local/cost.ts PRICES (us-east-1 list prices as the issue gives them; free tiers ignored)",
        lambda: `${memoryMb} MB ${architecture}; billed duration per invocation = the handler's measured local duration over ${options.invocations} invocations, each rounded up to 1 ms (so 1 ms for sub-millisecond work)`,
        lambdaUsdPerMillionOrdersPerExtraBilledMs: round(perExtraBilledMs(FUNCTION_NAMES.length, memoryMb, architecture), 4),
        dynamo: "success path: the charge Lambda's claim (PutItem) and final write (PutItem replacing the claim); 1 WRU per KB of the larger item; no read",
        sns: "one publish per order, 1 request per 64 KB",
        express: `duration ${options.expressMs} ms warm / ${options.expressColdMs} ms with cold starts (stated, not measured), billed per 100 ms; memory ${EXPRESS_MEMORY_MB} MB (one chunk; definition ${definitionBytes} B)`,
      },
      localOrdersPerSecond: batch.ordersPerSecond,
      throughput: { batch, largeBatch },
      targets,
    };
    result.environment.benchMs = round(performance.now() - started, 0);

    if (options.json) {
      print(`${JSON.stringify(result)}\n`);
      return;
    }
    const lines: string[] = [];
    lines.push(`Lambda archives (zipped, limit ${ARCHIVE_LIMIT_BYTES} B)`);
    lines.push(
      table(
        ["function", "files", "raw B", "zipped B", "zip CLI B"],
        FUNCTION_NAMES.map((n) => [n, archives[n].files.join(","), archives[n].uncompressedBytes, archives[n].zippedBytes, archives[n].zipCliBytes ?? "-"]),
      ),
    );
    lines.push("");
    lines.push(`Program under mocks (median of ${program.runs} fresh processes, ${program.resources} resources)`);
    lines.push(
      table(
        ["figure", "ms"],
        [
          ["programMs (loadProgram index.ts)", program.programMs],
          ["  its CPU time (user + system)", program.programCpuMs],
          ["  of which serialization was running", `${program.serializationInProgramMs} (${round(program.serializationShare * 100)} %)`],
          ["serializeFunction x3 alone, after", program.serializeTotalMs],
          ["process start to program end", program.processMs],
        ],
      ),
    );
    lines.push("");
    lines.push(
      `Bundled handlers in a bare Node.js process (${options.invocations} invocations; ${memoryMb} MB ${architecture}; ${lambdaNodeMemoryFlags(memoryMb).join(" ")})`,
    );
    lines.push(
      table(
        ["function", "items", "max RSS MB", "heap +MB init", "heap +MB after (GC)", "init ms", "mean ms", "p99 ms", "billed ms"],
        FUNCTION_NAMES.flatMap((n) =>
          ORDER_SIZES.map((s) => {
            const h = handlerSummary(handlers[n][s]);
            return [n, s, h.maxRssMb, h.heapIncreaseAfterInitMb, h.heapIncreaseAfterRunGcMb, h.initMs, h.meanMs, h.p99Ms, h.billedMeanMs];
          }),
        ),
      ),
    );
    lines.push(`Bare Node.js: ${round(baselineRss / MIB)} MB RSS; peak with Node's default heap limits (${ORDER_SIZES[ORDER_SIZES.length - 1]} items): ${round(peakRssNodeDefaults / MIB)} MB`);
    lines.push("");
    lines.push("Per order, success path: USD per million orders (STANDARD)");
    lines.push(
      table(
        ["items", "transitions", "invocations", "SFN", "λ req", "λ GB-s", "DDB write", "DDB read", "SNS", "total", "EXPRESS total"],
        ORDER_SIZES.map((s) => {
          const o = perOrder[String(s)];
          const c = o.usdPerMillionOrders;
          return [s, o.transitions, o.lambdaInvocations, usd(c.stepFunctions), usd(c.lambdaRequests), usd(c.lambdaDuration), usd(c.dynamoWrites), usd(c.dynamoReads), usd(c.sns), usd(c.total), usd(o.express.warm.usdPerMillionOrders.total)];
        }),
      ),
    );
    lines.push("");
    lines.push(`State transitions: ${fixedTransitions} + ${perExtraItem} per item`);
    lines.push("");
    lines.push("Local engine throughput (rates 0)");
    lines.push(
      table(
        ["orders", "concurrency", "wall s", "orders/s", "CPU ms/order", "records", "notifications", "table items", "accounted for"],
        batches.map((b) => [b.orders, b.concurrency, round(b.wallMs / 1000), b.ordersPerSecond, b.cpuMsPerOrder, b.recordsProcessed, b.notifications, b.tableItems, String(b.allAccountedFor)]),
      ),
    );
    if (largeBatch !== null && "skipped" in largeBatch) {
      lines.push(`${largeBatch.orders} orders skipped: projected ${round(largeBatch.projectedWallMs / 1000, 0)} s at the rate above (> 2 min; --force-large-batch runs it)`);
    }
    lines.push("");
    lines.push("Targets");
    lines.push(table(["target", "met"], Object.entries(targets).map(([k, v]) => [k, String(v)])));
    print(`${lines.join("\n")}\n`);
  } finally {
    dynamo.client.destroy();
    await db.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
