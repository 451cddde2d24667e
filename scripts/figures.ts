/**
 * The measured figures README.md and docs/bench.md quote, generated from docs/bench.json (which
 * `npm run bench -- --write` writes), so that none can go stale: each is a section between
 * `<!-- figures:NAME:start -->` and `<!-- figures:NAME:end -->` (scripts/markers.ts), and
 * tests/scripts/figures.test.ts fails when a file differs from what docs/bench.json gives.
 *
 * `npm run docs` regenerates them from the docs/bench.json there is, without measuring again.
 */
import * as fs from "fs";
import * as path from "path";
import { FUNCTION_KEYS } from "../workflow/functions";
import { ORDER_SIZES } from "./bench/orders";
import { LOCAL_TO_CEILING_RATIO_MIN } from "./bench/targets";
import type { BenchResult } from "./bench/result";
import { writeSections } from "./markers";

export const BENCH_JSON = path.join("docs", "bench.json");
const ROOT = path.resolve(__dirname, "..");

const num = (value: number, digits = 0): string =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const usd = (value: number, digits = 2): string => num(value, digits);
const seconds = (ms: number): string => num(ms / 1000, 1);

function readmeCost(r: BenchResult): string {
  const a = r.lambdaArchiveBytes;
  const t = r.transitionsModel;
  const o = (items: number) => r.perOrder[String(items)];
  const large = r.throughput.largeBatch;
  const batch = large !== null && !("skipped" in large) ? large : r.throughput.batch;
  const rows = [
    ["Lambda archives, zipped", FUNCTION_KEYS.map((key) => `${key} ${num(a[key])} B`).join(" · "), "≤ 16 KiB each"],
    [
      "state transitions, success path",
      `${ORDER_SIZES.map((s) => `${o(s).transitions} (${s} item${s === 1 ? "" : "s"})`).join(" · ")}: ${t.fixed} + ${t.perItem} per item`,
      "≤ 15 for 3 items (the original workflow's 9 + 2 per item), ≤ 2 per further item",
    ],
    [
      "cost per million 3-item orders",
      `USD ${usd(o(3).usdPerMillionOrders.total)} on STANDARD (USD ${usd(o(3).usdPerMillionOrders.stepFunctions)} of it transitions) · USD ${usd(o(3).express.warm.usdPerMillionOrders.total)} on EXPRESS`,
      "—",
    ],
    [
      "Lambda memory",
      `peak RSS ${num(r.handlers.peakRssMb, 1)} MB of ${r.handlers.memorySizeMb} MB, ${r.functions.architectures.join(", ")}`,
      "justified by measurement",
    ],
    [
      "program registration under mocks",
      `${num(r.programMs)} ms median (CPU ${num(r.program.programCpuMs)} ms), ${Math.round(r.program.serializationShare * 100)} % of it closure serialization`,
      "reported",
    ],
    [
      "local engine",
      `${num(batch.orders)} orders in ${seconds(batch.wallMs)} s (${num(batch.ordersPerSecond, 1)} orders/s), every one accounted for: ${batch.allAccountedFor ? "yes" : "no"}; the ${num(r.throughput.batch.orders)}-order batch at ${num(r.localToCeilingRatio, 2)}× aws-local-stepfunctions' own ceiling on the same orders (${num(r.ceilingOrdersPerSecond, 1)} orders/s, no I/O)`,
      `≥ ${LOCAL_TO_CEILING_RATIO_MIN}× the ceiling`,
    ],
  ];
  const e = r.environment;
  return [
    "| figure | measured | target |",
    "|---|---|---|",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    "",
    `Measured on a ${e.cpus}-core ${e.platform} machine, Node.js ${e.node.replace(/^v/, "")}, load average ${num(e.loadAverageBefore[0], 1)} at the start: wall-clock figures grow with the load.`,
  ].join("\n");
}

function measured(r: BenchResult): string {
  const e = r.environment;
  return (
    `Measured by \`npm run bench -- --write\` on a ${e.cpus}-core ${e.platform} machine, Node.js ${e.node.replace(/^v/, "")}, ` +
    `load average ${num(e.loadAverageBefore[0], 1)} at the start and ${num(e.loadAverageAfter[0], 1)} at the end; the bench took ${num(e.benchMs / 1000)} s.`
  );
}

function archives(r: BenchResult): string {
  const rows = FUNCTION_KEYS.map((n) => {
    const f = r.archives[n];
    return `| ${n} | ${f.files.map((file) => `\`${file}\``).join(", ")} | ${num(f.uncompressedBytes)} | **${num(f.zippedBytes)}** | ${num(f.inflatedBytes)} |`;
  });
  return [
    "| function | files | raw bytes | zipped bytes | read back (bytes) |",
    "|---|---|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

function program(r: BenchResult): string {
  const p = r.program;
  const alone = FUNCTION_KEYS.map((n) => `${n.replace(/[A-Z].*$/, "")} ${num(p.serializeMsAfterProgram[n])}`).join(
    ", ",
  );
  return [
    `Median of ${p.runs} fresh processes, ${p.resources} resources.`,
    "",
    "| figure | ms |",
    "|---|---:|",
    `| \`programMs\`: \`loadProgram("index.ts")\` under mocks | **${num(r.programMs)}** |`,
    `| of which a closure serialization was running | ${num(p.serializationInProgramMs)} (${Math.round(p.serializationShare * 100)} %) |`,
    `| CPU time of the program (user + system) | ${num(p.programCpuMs)} |`,
    `| the three factories serialized again, alone, after the program | ${num(p.serializeTotalMsAfterProgram)} (${alone}) |`,
    `| process start to the end of the program (Node, ts-node, \`@pulumi/pulumi\` included) | ${num(p.processMs)} |`,
  ].join("\n");
}

function handlers(r: BenchResult): string {
  const h = r.handlers;
  const signed = (value: number) => `${value < 0 ? "−" : "+"}${num(Math.abs(value), 2)}`;
  const rows = FUNCTION_KEYS.flatMap((n) =>
    ORDER_SIZES.map((s) => {
      const f = h.byFunction[n][String(s)];
      return `| ${n} | ${s} | ${num(f.maxRssMb, 1)} | ${signed(f.heapIncreaseAfterInitMb)} | ${signed(f.heapIncreaseAfterRunGcMb)} | ${num(f.initMs, 1)} | ${num(f.meanMs, 2)} | ${num(f.p99Ms, 1)} | ${num(f.billedMeanMs, 2)} |`;
    }),
  );
  return [
    `${num(h.invocationsPerProbe)} invocations each, ${h.memorySizeMb} MB ${r.functions.architectures.join(", ")}, with \`${h.nodeFlags.join(" ")}\`.`,
    "",
    "| function | items | peak RSS MB | heap after init, MB | heap after the run (GC), MB | init ms | mean ms | p99 ms | billed ms (mean of each rounded up) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    `The highest peak is **${num(h.peakRssMb, 1)} MB** of RSS for the whole process, Node.js included (${num(h.headroomMb, 1)} MB of headroom in ${h.memorySizeMb} MB); ` +
      `a bare Node.js process holds ${num(h.bareNodeRssMb, 1)} MB; with Node's default heap limits instead of Lambda's the largest order peaks at ${num(h.peakRssMbWithNodeDefaults, 1)} MB.`,
  ].join("\n");
}

function cost(r: BenchResult): string {
  const rows = ORDER_SIZES.map((s) => {
    const o = r.perOrder[String(s)];
    const c = o.usdPerMillionOrders;
    return `| ${s} | ${o.transitions} | ${o.lambdaInvocations} | ${usd(c.stepFunctions)} | ${usd(c.lambdaRequests)} | ${usd(c.lambdaDuration, 3)} | ${usd(c.dynamoWrites)} | ${usd(c.dynamoReads)} | ${usd(c.sns)} | **${usd(c.total)}** |`;
  });
  const t = r.transitionsModel;
  return [
    "| items | transitions | Lambda invocations | Step Functions | Lambda requests | Lambda GB-s | DynamoDB writes | DynamoDB reads | SNS | **total** |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    `State transitions on the success path: **${t.fixed} + ${t.perItem} per item** (${r.perOrder["3"].transitions} for 3 items). For 3 items they are: ${r.perOrder["3"].states.join(", ")}.`,
  ].join("\n");
}

function express(r: BenchResult): string {
  const rows = ORDER_SIZES.map((s) => {
    const o = r.perOrder[String(s)];
    return `| ${s} | ${usd(o.usdPerMillionOrders.stepFunctions)} | ${usd(o.express.warm.usdPerMillionOrders.stepFunctions)} | ${usd(o.express.cold.usdPerMillionOrders.stepFunctions)} | ${usd(o.usdPerMillionOrders.total)} | ${usd(o.express.warm.usdPerMillionOrders.total)} |`;
  });
  const warm = r.perOrder["3"].express.warm.assumedDurationMs;
  const cold = r.perOrder["3"].express.cold.assumedDurationMs;
  return [
    `| items | STANDARD: Step Functions | EXPRESS: Step Functions, ${num(warm)} ms warm | EXPRESS, ${num(cold)} ms with cold starts | STANDARD total | EXPRESS total (${num(warm)} ms) |`,
    "|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

function throughput(r: BenchResult): string {
  const { batch, largeBatch } = r.throughput;
  const batches = largeBatch === null || "skipped" in largeBatch ? [batch] : [batch, largeBatch];
  const rows = batches.map(
    (b) =>
      `| ${num(b.orders)} | ${b.concurrency} | ${seconds(b.wallMs)} | **${num(b.ordersPerSecond, 1)}** | ${num(b.cpuMsPerOrder, 1)} | ${num(b.recordsProcessed)} | ${num(b.notifications)} | ${num(b.tableItems)} | ${b.allAccountedFor ? "yes" : "no"} |`,
  );
  const skipped =
    largeBatch !== null && "skipped" in largeBatch
      ? [`The ${num(largeBatch.orders)}-order batch was skipped: it would have taken over 2 minutes at this rate.`]
      : [];
  const c = r.ceiling;
  return [
    "| orders | concurrency | wall s | orders/s | CPU ms per order | records PROCESSED | notifications | table items | all accounted for |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...rows,
    ...skipped,
    "",
    `aws-local-stepfunctions' own ceiling, the same ${num(c.orders)} orders at concurrency ${c.concurrency} with canned Task results and no I/O: ` +
      `**${num(c.ordersPerSecond, 1)} orders/s**, the median of ${c.runs} runs (${num(c.ordersPerSecondRange[0], 1)} to ${num(c.ordersPerSecondRange[1], 1)}; ` +
      `the median run: ${num(c.cpuMsPerOrder, 2)} CPU ms per order, ${num(c.succeeded)} SUCCEEDED). ` +
      `The engine runs at **${num(r.localToCeilingRatio, 2)}×** that (target ≥ ${LOCAL_TO_CEILING_RATIO_MIN}×).`,
  ].join("\n");
}

/** Every generated section, by file, from a bench result. */
export function figureSections(r: BenchResult): Record<string, Record<string, string>> {
  return {
    "README.md": { "figures:readme-cost": readmeCost(r) },
    [path.join("docs", "bench.md")]: {
      "figures:measured": measured(r),
      "figures:archives": archives(r),
      "figures:program": program(r),
      "figures:handlers": handlers(r),
      "figures:cost": cost(r),
      "figures:express": express(r),
      "figures:throughput": throughput(r),
    },
  };
}

export function readBenchJson(dir = ROOT): BenchResult {
  return JSON.parse(fs.readFileSync(path.join(dir, BENCH_JSON), "utf8")) as BenchResult;
}

/** Writes every file's figures from `result` into `dir`; returns the files that changed. */
export function writeFigures(result: BenchResult, dir = ROOT): string[] {
  return Object.entries(figureSections(result))
    .filter(([file, sections]) => writeSections(dir, file, sections))
    .map(([file]) => file);
}

/** `npm run bench -- --write`: docs/bench.json, then the figures from it. Returns the files written. */
export function writeBenchJson(result: BenchResult, dir = ROOT): string[] {
  fs.writeFileSync(path.join(dir, BENCH_JSON), `${JSON.stringify(result, null, 2)}\n`);
  return [BENCH_JSON, ...writeFigures(result, dir)];
}
