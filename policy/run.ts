/**
 * Offline policy check: `npm run policy --silent -- [--json] [--program PATH] [--stack NAME] [--policy-config FILE]`.
 * Loads the program under mocks, applies the pack as `pulumi preview --policy-pack policy` would, and
 * exits 1 on a mandatory violation, 0 otherwise, 2 when the program or the config cannot be used.
 */
import * as fs from "fs";
import * as path from "path";
import { PolicyPackConfig } from "@pulumi/policy";
import { packArgs } from "./pack";
import { evaluate, PolicyConfigError, PolicyError, validatePolicyConfig, Violation } from "./runner/evaluate";
import { loadProgram, POLICY_CHECK, ProgramLoadError } from "../program/load";
import { parseFlags, stringFlag, UsageError } from "../cli/flags";
import { describeFailure, wantsDebug } from "../cli/process";

/** The stack program checked when no --program is given. */
export const DEFAULT_PROGRAM = path.resolve(__dirname, "..", "index.ts");

const USAGE = `usage: npm run policy --silent -- [--json] [--program PATH] [--stack NAME] [--policy-config FILE] [--debug]

  --program PATH        the Pulumi program to check (default: ${path.relative(process.cwd(), DEFAULT_PROGRAM) || DEFAULT_PROGRAM})
  --stack NAME          the stack whose Pulumi.<NAME>.yaml config the program sees (default: dev);
                        a stack without its Pulumi.<NAME>.yaml is refused
  --policy-config FILE  enforcement levels and settings, the same JSON as pulumi's --policy-pack-config
  --json                one JSON object per violation per line: policy, enforcementLevel, urn, type, name, message;
                        then a summary object on stderr: {"summary":{"resources","policies","mandatory","advisory"}}
  --debug               show the stack trace of an unexpected error
  -h, --help            show this help

exit status: 0 no mandatory violation, 1 a mandatory violation, 2 the program or config could not be used`;

export interface RunOptions {
  readonly json: boolean;
  readonly program: string;
  readonly stack: string;
  /** Whether --stack was given: then its Pulumi.<stack>.yaml must exist (a misspelt stack is not a clean one). */
  readonly stackGiven: boolean;
  readonly policyConfig: string | undefined;
  readonly debug: boolean;
}

export { UsageError };

/** The arguments, read by the flag parser every command shares; `--help` is a UsageError with no message. */
export function parseArguments(argv: readonly string[]): RunOptions {
  const parsed = parseFlags(argv, { json: "boolean", program: "string", stack: "string", "policy-config": "string" });
  if (parsed.values.has("help")) {
    throw new UsageError("");
  }
  if (parsed.positionals.length > 0) {
    throw new UsageError(`unexpected argument ${parsed.positionals[0]}`);
  }
  const program = stringFlag(parsed, "program");
  const stack = stringFlag(parsed, "stack");
  const policyConfig = stringFlag(parsed, "policy-config");
  return {
    json: parsed.values.has("json"),
    program: program === undefined ? DEFAULT_PROGRAM : path.resolve(program),
    stack: stack ?? "dev",
    stackGiven: stack !== undefined,
    policyConfig: policyConfig === undefined ? undefined : path.resolve(policyConfig),
    debug: parsed.values.has("debug"),
  };
}

function readPolicyConfig(file: string | undefined): PolicyPackConfig {
  if (file === undefined) {
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new PolicyConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  return validatePolicyConfig(packArgs.policies, raw);
}

function formatText(violations: readonly Violation[], checked: number, program: string): string {
  const remediation = new Map(packArgs.policies.map((p) => [p.name, p.remediationSteps]));
  const lines: string[] = [];
  for (const v of violations) {
    lines.push(`${v.enforcementLevel.toUpperCase()}  ${v.policy}`);
    lines.push(`  resource: ${v.urn ?? "(the stack)"}`);
    lines.push(`  ${v.message}`);
    const fix = remediation.get(v.policy);
    if (fix) {
      lines.push(`  how to fix: ${fix}`);
    }
    lines.push("");
  }
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  lines.push(
    `${path.relative(process.cwd(), program) || program}: ${checked} resource${checked === 1 ? "" : "s"}, ${packArgs.policies.length} policies, ` +
      `${mandatory} mandatory and ${violations.length - mandatory} advisory violations`,
  );
  return lines.join("\n");
}

/** Runs the check and returns the exit status; output goes to the given streams. */
export async function run(
  argv: readonly string[],
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  let options: RunOptions;
  try {
    options = parseArguments(argv);
  } catch (e) {
    const message = (e as Error).message;
    if (!message) {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    stderr.write(`error: ${message}\nRun npm run policy -- --help for usage.\n`);
    return 2;
  }
  try {
    const config = readPolicyConfig(options.policyConfig);
    // A stack named on the command line must have its file; the default one may rely on Pulumi.yaml's defaults.
    const program = await loadProgram({
      programPath: options.program,
      stack: options.stack,
      ...POLICY_CHECK,
      requireStackFile: options.stackGiven,
    });
    const violations = await evaluate(packArgs.policies, program.resources, {
      config,
      packEnforcementLevel: packArgs.enforcementLevel,
    });
    if (options.json) {
      for (const v of violations) {
        stdout.write(
          `${JSON.stringify({ policy: v.policy, enforcementLevel: v.enforcementLevel, urn: v.urn ?? null, type: v.type ?? null, name: v.name ?? null, message: v.message })}\n`,
        );
      }
      const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
      const summary = {
        resources: program.resources.length,
        policies: packArgs.policies.length,
        mandatory,
        advisory: violations.length - mandatory,
      };
      stderr.write(`${JSON.stringify({ summary })}\n`);
    } else {
      stdout.write(`${formatText(violations, program.resources.length, options.program)}\n`);
    }
    return violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
  } catch (e) {
    if (e instanceof ProgramLoadError) {
      stderr.write(`error: cannot load program ${options.program}:\n${e.message}\n`);
    } else if (e instanceof PolicyConfigError || e instanceof PolicyError) {
      stderr.write(`error: ${e.message}\n`);
    } else {
      throw e;
    }
    return 2;
  }
}

if (require.main === module) {
  run(process.argv.slice(2), process.stdout, process.stderr).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${describeFailure(e, wantsDebug(process.argv.slice(2)))}\n`);
      process.exit(2);
    },
  );
}
