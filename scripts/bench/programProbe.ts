/**
 * One measurement of the Pulumi program, run by scripts/bench/program.ts in a fresh process each time (Pulumi's
 * runtime is global): registers the whole stack under mocks with the dev stack's config, then times
 * the closure serialization of the three Lambda factories on their own. Prints one JSON line.
 *
 *   node -r ts-node/register/transpile-only scripts/bench/programProbe.ts
 */
import { performance } from "perf_hooks";
import * as pulumi from "@pulumi/pulumi";
import { loadProgram } from "../../program/load";

export interface ProgramProbeResult {
  /** Wall time of loadProgram("index.ts"): requiring the program (and @pulumi/aws), registering every resource, serializing the closures. */
  readonly programMs: number;
  /** CPU time (user + system) this process spent in that same span: less sensitive than wall time to a busy machine. */
  readonly programCpuMs: number;
  /** Wall time during the program in which at least one closure serialization was running (they overlap). */
  readonly serializationInProgramMs: number;
  /** serializeFunction calls the program made (one per CallbackFunction). */
  readonly serializeCalls: number;
  /** After the program, each factory serialized again on its own, one after the other. */
  readonly serializeMs: Record<string, number>;
  readonly serializeTotalMs: number;
  /** Resources the program registered. */
  readonly resources: number;
  /** From the process's start to the end of the program (Node, ts-node and @pulumi/pulumi loading included). */
  readonly processMs: number;
}

type SerializeFunction = typeof pulumi.runtime.serializeFunction;

/** Total length of the union of [start, end] intervals. */
function coveredMs(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [start, end] = sorted[0] ?? [0, 0];
  for (const [s, e] of sorted.slice(1)) {
    if (s > end) {
      total += end - start;
      [start, end] = [s, e];
    } else {
      end = Math.max(end, e);
    }
  }
  return total + (end - start);
}

async function main(): Promise<void> {
  // CallbackFunction calls pulumi.runtime.serializeFunction; wrapping it times each call in place.
  const runtime = pulumi.runtime as unknown as { serializeFunction: SerializeFunction };
  const original = runtime.serializeFunction;
  const intervals: Array<[number, number]> = [];
  runtime.serializeFunction = async (...args: Parameters<SerializeFunction>) => {
    const start = performance.now();
    try {
      return await original(...args);
    } finally {
      intervals.push([start, performance.now()]);
    }
  };

  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const program = await loadProgram({ programPath: "index.ts", stack: "dev" });
  const programMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const processMs = performance.now();
  runtime.serializeFunction = original;

  // Loaded only now, so that the program above met the handler modules cold.
  const { serializeFactory } = await import("../../engine/bundles");
  const { FUNCTION_KEYS, WORKFLOW_FUNCTIONS } = await import("../../workflow/functions");
  const serializeMs: Record<string, number> = {};
  for (const name of FUNCTION_KEYS) {
    const t = performance.now();
    await serializeFactory(WORKFLOW_FUNCTIONS[name].factory);
    serializeMs[name] = performance.now() - t;
  }

  const result: ProgramProbeResult = {
    programMs,
    programCpuMs: (cpu.user + cpu.system) / 1000,
    serializationInProgramMs: coveredMs(intervals),
    serializeCalls: intervals.length,
    serializeMs,
    serializeTotalMs: Object.values(serializeMs).reduce((a, b) => a + b, 0),
    resources: program.resources.length,
    processMs,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
