/**
 * README.md's sample `npm start` output, produced by the command itself: the section between
 * `<!-- sample:start -->` and `<!-- sample:end -->` is what `npm start --silent -- --seed 1`
 * prints, and tests/scripts/sample.test.ts runs the command and fails when the README differs.
 */
import * as path from "path";
import { main } from "../cli/start";
import type { Io } from "../cli/command";
import { writeSections } from "./markers";

/** The arguments of the sample run; a seed makes it repeat exactly. */
export const SAMPLE_ARGS = ["--seed", "1"] as const;
export const SAMPLE_SECTION = "sample";
const ROOT = path.resolve(__dirname, "..");

/** The section's body: the command line and what it printed, in a fenced block. */
export function sampleSection(output: string): string {
  return ["```", `$ npm start --silent -- ${SAMPLE_ARGS.join(" ")}`, output.trimEnd(), "```"].join("\n");
}

/** Runs npm start's main in this process, as the sample shows it (not a terminal: no colours). */
export async function sampleOutput(): Promise<string> {
  let out = "";
  let err = "";
  const io: Io = {
    stdout: { isTTY: false, write: (text: string) => (out += text) },
    stderr: { isTTY: false, write: (text: string) => (err += text) },
    readStdin: () => Promise.resolve(""),
    env: {},
  };
  const status = await main(SAMPLE_ARGS, io);
  if (status !== 0) throw new Error(`npm start ${SAMPLE_ARGS.join(" ")} exited ${status}: ${err}`);
  return out;
}

/** Writes the sample into README.md; returns the files that changed. */
export async function writeSample(dir = ROOT): Promise<string[]> {
  return writeSections(dir, "README.md", { [SAMPLE_SECTION]: sampleSection(await sampleOutput()) })
    ? ["README.md"]
    : [];
}
