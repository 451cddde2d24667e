/** The bench's table for people, rendered from the result (the same figures `--json` prints). */
import { FUNCTION_KEYS } from "../../workflow/functions";
import { round } from "./common";
import { ORDER_SIZES } from "./orders";
import type { BenchResult } from "./result";

/** Columns padded to their widest cell: the first to the left, the others to the right. */
export function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const line = (r: readonly string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

const usd = (value: number) => value.toFixed(4);

function archiveLines(r: BenchResult): string[] {
  const { archives } = r;
  return [
    `Lambda archives (zipped, limit ${archives.limitBytes} B)`,
    table(
      ["function", "files", "raw B", "zipped B", "read back B"],
      FUNCTION_KEYS.map((n) => [
        n,
        archives[n].files.join(","),
        archives[n].uncompressedBytes,
        archives[n].zippedBytes,
        archives[n].inflatedBytes,
      ]),
    ),
  ];
}

function programLines(r: BenchResult): string[] {
  const { program } = r;
  return [
    `Program under mocks (median of ${program.runs} fresh processes, ${program.resources} resources)`,
    table(
      ["figure", "ms"],
      [
        ["programMs (loadProgram index.ts)", r.programMs],
        ["  its CPU time (user + system)", program.programCpuMs],
        [
          "  of which serialization was running",
          `${program.serializationInProgramMs} (${round(program.serializationShare * 100)} %)`,
        ],
        ["serializeFunction x3 alone, after", program.serializeTotalMsAfterProgram],
        ["process start to program end", program.processMs],
      ],
    ),
  ];
}

function handlerLines(r: BenchResult): string[] {
  const { handlers } = r;
  return [
    `Bundled handlers in a bare Node.js process (${handlers.invocationsPerProbe} invocations; ${handlers.memorySizeMb} MB ${r.functions.architectures[0]}; ${handlers.nodeFlags.join(" ")})`,
    table(
      [
        "function",
        "items",
        "max RSS MB",
        "heap +MB init",
        "heap +MB after (GC)",
        "init ms",
        "mean ms",
        "p99 ms",
        "billed ms",
      ],
      FUNCTION_KEYS.flatMap((n) =>
        ORDER_SIZES.map((s) => {
          const h = handlers.byFunction[n][String(s)];
          return [
            n,
            s,
            h.maxRssMb,
            h.heapIncreaseAfterInitMb,
            h.heapIncreaseAfterRunGcMb,
            h.initMs,
            h.meanMs,
            h.p99Ms,
            h.billedMeanMs,
          ];
        }),
      ),
    ),
    `Bare Node.js: ${handlers.bareNodeRssMb} MB RSS; peak with Node's default heap limits (${ORDER_SIZES[ORDER_SIZES.length - 1]} items): ${handlers.peakRssMbWithNodeDefaults} MB`,
  ];
}

function perOrderLines(r: BenchResult): string[] {
  return [
    "Per order, success path: USD per million orders (STANDARD)",
    table(
      [
        "items",
        "transitions",
        "invocations",
        "SFN",
        "λ req",
        "λ GB-s",
        "DDB write",
        "DDB read",
        "SNS",
        "total",
        "EXPRESS total",
      ],
      ORDER_SIZES.map((s) => {
        const o = r.perOrder[String(s)];
        const c = o.usdPerMillionOrders;
        return [
          s,
          o.transitions,
          o.lambdaInvocations,
          usd(c.stepFunctions),
          usd(c.lambdaRequests),
          usd(c.lambdaDuration),
          usd(c.dynamoWrites),
          usd(c.dynamoReads),
          usd(c.sns),
          usd(c.total),
          usd(o.express.warm.usdPerMillionOrders.total),
        ];
      }),
    ),
    "",
    `State transitions: ${r.transitionsModel.fixed} + ${r.transitionsModel.perItem} per item`,
  ];
}

function throughputLines(r: BenchResult): string[] {
  const { batch, largeBatch } = r.throughput;
  const batches = largeBatch === null || "skipped" in largeBatch ? [batch] : [batch, largeBatch];
  const lines = [
    "Local engine throughput (rates 0)",
    table(
      [
        "orders",
        "concurrency",
        "wall s",
        "orders/s",
        "CPU ms/order",
        "records",
        "notifications",
        "table items",
        "accounted for",
      ],
      batches.map((b) => [
        b.orders,
        b.concurrency,
        round(b.wallMs / 1000),
        b.ordersPerSecond,
        b.cpuMsPerOrder,
        b.recordsProcessed,
        b.notifications,
        b.tableItems,
        String(b.allAccountedFor),
      ]),
    ),
  ];
  if (largeBatch !== null && "skipped" in largeBatch) {
    lines.push(
      `${largeBatch.orders} orders skipped: projected ${round(largeBatch.projectedWallMs / 1000, 0)} s at the rate above (> 2 min; --force-large-batch runs it)`,
    );
  }
  const c = r.ceiling;
  lines.push(
    `aws-local-stepfunctions' own ceiling (canned Task results, no I/O): ${c.ordersPerSecond} orders/s over ${c.orders} orders, the median of ${c.runs} runs (${c.ordersPerSecondRange[0]} to ${c.ordersPerSecondRange[1]}; ${c.cpuMsPerOrder} CPU ms/order); the engine runs at ${r.localToCeilingRatio} of it`,
  );
  return lines;
}

function quotaLines({ quotas: q }: BenchResult): string[] {
  const binding = (kind: "STANDARD" | "EXPRESS") =>
    `${kind}: ${q.binding[kind].key} binds first, at ${q.binding[kind].bindsAtOrdersPerSecond} orders/s${q.binding[kind].exceeded ? " (exceeded at this rate)" : ""}`;
  return [
    `Quotas at ${q.ordersPerSecond} orders/s (per order: ${q.usage.transitions} transitions, ${q.usage.lambdaInvocations} Lambda invocations, ${q.usage.snsPublishes} publish; ${q.assumptions.lambdaMsPerInvocation} ms per invocation assumed)`,
    table(
      ["quota", "default", "per order", "at this rate", "binds at orders/s", "used"],
      q.rows.map((r) => [
        r.name,
        r.limit,
        r.perOrder,
        r.demandAtRate,
        r.bindsAtOrdersPerSecond,
        `${round(r.utilisation * 100, 1)}%`,
      ]),
    ),
    binding("STANDARD"),
    binding("EXPRESS"),
  ];
}

/** The whole table, section by section. */
export function humanReport(r: BenchResult): string {
  const sections = [
    archiveLines(r),
    programLines(r),
    handlerLines(r),
    perOrderLines(r),
    throughputLines(r),
    quotaLines(r),
  ];
  const targets = [
    "Targets",
    table(
      ["target", "met"],
      Object.entries(r.targets).map(([k, v]) => [k, String(v)]),
    ),
  ];
  return [...sections, targets].map((lines) => lines.join("\n")).join("\n\n");
}
