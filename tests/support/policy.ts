/**
 * Shared by the policy tests: load a fixture program once per process and apply the pack to it, run the
 * offline runner, serve the pack as the Pulumi CLI does.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { PolicyPackConfig } from "@pulumi/policy";
import { packArgs } from "../../policy/pack";
import { evaluate, Violation } from "../../policy/runner/evaluate";
import { LoadedProgram, loadProgram, POLICY_CHECK } from "../../program/load";
import { ROOT, runScript } from "./commands";

export function fixturePath(name: string): string {
  return path.join(__dirname, "..", "policy", "fixtures", `${name}.ts`);
}

const loaded = new Map<string, Promise<LoadedProgram>>();

/** The fixture's resources; each fixture is loaded once (loads run one at a time, as mocha runs tests). */
export function loadFixture(name: string): Promise<LoadedProgram> {
  let program = loaded.get(name);
  if (program === undefined) {
    program = loadProgram({ programPath: fixturePath(name), ...POLICY_CHECK });
    loaded.set(name, program);
  }
  return program;
}

export async function violationsOf(name: string, config?: PolicyPackConfig): Promise<Violation[]> {
  const program = await loadFixture(name);
  return evaluate(packArgs.policies, program.resources, { config, packEnforcementLevel: packArgs.enforcementLevel });
}

export function describeViolations(violations: readonly Violation[]): string {
  return violations.length === 0
    ? "no violations"
    : violations.map((v) => `${v.enforcementLevel} ${v.policy} on ${v.name}: ${v.message}`).join("\n");
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the offline runner as `npm run policy --silent -- ARGS` does: policy/run.ts under ts-node, transpile only. */
export async function runPolicyCli(args: readonly string[]): Promise<CliResult> {
  const { status, stdout, stderr } = await runScript("policy/run.ts", args);
  return { code: status ?? -1, stdout, stderr };
}

export interface ServedPack {
  readonly port: number;
  stop(): void;
}

/**
 * Starts the pack the way the Pulumi CLI does: @pulumi/pulumi's run-policy-pack in the pack's
 * directory, which type-checks index.ts with ts-node; the pack prints the port it serves on.
 */
export function servePack(): Promise<ServedPack> {
  const packDir = path.join(ROOT, "policy");
  const launcher = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  const child: ChildProcess = spawn(process.execPath, [launcher, "127.0.0.1:0", "."], {
    cwd: packDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^(\d+)\s*$/m.exec(stdout);
      if (line) {
        resolve({ port: Number(line[1]), stop: () => child.kill() });
      }
    });
    child.on("exit", (code) => reject(new Error(`the pack exited (${code}) before serving:\n${stderr}`)));
  });
}
