/**
 * The program's registration time and closure serialization's share of it: programProbe.ts in a
 * fresh process per run (Pulumi's runtime is global), the median of the runs.
 */
import { FUNCTION_KEYS } from "../../workflow/functions";
import { runNode } from "./child";
import { log, median, round } from "./common";
import type { ProgramProbeResult } from "./programProbe";

export interface ProgramFigures {
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

async function probeProgram(): Promise<ProgramProbeResult> {
  const child = await runNode([
    "--disable-warning=NodeVersionSupportWarning",
    "-r",
    "ts-node/register/transpile-only",
    "scripts/bench/programProbe.ts",
  ]);
  const line = child.stdout.trim().split("\n").pop() ?? "";
  if (child.code !== 0 || !line.startsWith("{"))
    throw new Error(`program probe failed (exit ${child.code}):\n${child.stderr}`);
  return JSON.parse(line) as ProgramProbeResult;
}

/** The medians of the probes' figures (at least one sample). */
export function programFigures(samples: ProgramProbeResult[]): ProgramFigures {
  const of = (figure: (s: ProgramProbeResult) => number) => median(samples.map(figure));
  const serializeMs: Record<string, number> = {};
  for (const name of FUNCTION_KEYS) serializeMs[name] = round(of((s) => s.serializeMs[name]));
  return {
    runs: samples.length,
    programMs: round(of((s) => s.programMs)),
    programCpuMs: round(of((s) => s.programCpuMs)),
    serializationInProgramMs: round(of((s) => s.serializationInProgramMs)),
    serializationShare: round(
      of((s) => s.serializationInProgramMs / s.programMs),
      3,
    ),
    serializeTotalMs: round(of((s) => s.serializeTotalMs)),
    serializeMs,
    processMs: round(of((s) => s.processMs)),
    resources: samples[0].resources,
    samples,
  };
}

export async function measureProgram(runs: number): Promise<ProgramFigures> {
  const samples: ProgramProbeResult[] = [];
  for (let i = 0; i < runs; i++) {
    const sample = await probeProgram();
    samples.push(sample);
    log(
      `  program run ${i + 1}/${runs}: ${round(sample.programMs, 0)} ms (CPU ${round(sample.programCpuMs, 0)} ms), serialization ${round(sample.serializationInProgramMs, 0)} ms`,
    );
  }
  return programFigures(samples);
}
