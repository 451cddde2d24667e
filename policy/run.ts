// Offline policy check: `npm run policy --silent -- [--json] [--program PATH] [--stack NAME] [--policy-config FILE]`.
// Loads the program under mocks, applies the pack as `pulumi preview --policy-pack policy` would, and
// exits 1 on a mandatory violation, 0 otherwise, 2 when the program or the config cannot be used.
import * as fs from "fs";
import * as path from "path";
import { PolicyPackConfig } from "@pulumi/policy";
import { packArgs } from "./pack";
import { evaluate, PolicyConfigError, PolicyError, validatePolicyConfig, Violation } from "./runner/evaluate";
import { loadProgram, POLICY_CHECK, ProgramLoadError } from "../program/load";
import { readStackSettings } from "../program/stackConfig";

/** The stack program checked when no --program is given. */
export const DEFAULT_PROGRAM = path.resolve(__dirname, "..", "index.ts");

const USAGE = `usage: npm run policy --silent -- [--json] [--program PATH] [--stack NAME] [--policy-config FILE]

  --program PATH        the Pulumi program to check (default: ${path.relative(process.cwd(), DEFAULT_PROGRAM) || DEFAULT_PROGRAM})
  --stack NAME          the stack whose Pulumi.<NAME>.yaml config the program sees (default: dev); the file must exist
  --policy-config FILE  enforcement levels and settings, the same JSON as pulumi's --policy-pack-config
  --json                one JSON object per violation per line: policy, enforcementLevel, urn, type, name, message;
                        then a summary object on stderr: {"summary":{"resources","policies","mandatory","advisory"}}

exit status: 0 no mandatory violation, 1 a mandatory violation, 2 the program or config could not be used`;

export interface RunOptions {
  readonly json: boolean;
  readonly program: string;
  readonly stack: string;
  /** True when --stack was given, so its Pulumi.<stack>.yaml must exist. */
  readonly stackGiven: boolean;
  readonly policyConfig: string | undefined;
}

export class UsageError extends Error {}

export function parseArguments(argv: readonly string[]): RunOptions {
  let json = false;
  let program = DEFAULT_PROGRAM;
  let stack = "dev";
  let stackGiven = false;
  let policyConfig: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") {
        throw new UsageError(`${flag} needs a value`);
      }
      return v;
    };
    switch (flag) {
      case "--json":
        json = true;
        break;
      case "--program":
        program = path.resolve(value());
        break;
      case "--stack":
        stack = value();
        stackGiven = true;
        break;
      case "--policy-config":
        policyConfig = path.resolve(value());
        break;
      case "--help":
      case "-h":
        throw new UsageError("");
      default:
        throw new UsageError(`unknown argument ${arg}`);
    }
  }
  return { json, program, stack, stackGiven, policyConfig };
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

/** A stack named on the command line must have its config file; a typo must not pass as a clean stack. */
function checkStack(options: RunOptions): void {
  if (!options.stackGiven) {
    return;
  }
  const settings = readStackSettings(path.dirname(path.resolve(options.program)), options.stack, { secrets: "placeholder", requireStackFile: false });
  if (settings.projectFile !== undefined && settings.stackFile === undefined) {
    const expected = path.join(path.dirname(settings.projectFile), `Pulumi.${options.stack}.yaml`);
    throw new UsageError(`stack "${options.stack}" has no config: ${path.relative(process.cwd(), expected) || expected} does not exist`);
  }
}

function formatText(violations: readonly Violation[], checked: number, program: string): string {
  const remediation = new Map(packArgs.policies.map(p => [p.name, p.remediationSteps]));
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
  const mandatory = violations.filter(v => v.enforcementLevel === "mandatory").length;
  lines.push(
    `${path.relative(process.cwd(), program) || program}: ${checked} resource${checked === 1 ? "" : "s"}, ${packArgs.policies.length} policies, ` +
    `${mandatory} mandatory and ${violations.length - mandatory} advisory violations`,
  );
  return lines.join("\n");
}

/** Runs the check and returns the exit status; output goes to the given streams. */
export async function run(argv: readonly string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  let options: RunOptions;
  try {
    options = parseArguments(argv);
  } catch (e) {
    const message = (e as Error).message;
    stderr.write(`${message ? `policy: ${message}\n` : ""}${USAGE}\n`);
    return message ? 2 : 0;
  }
  try {
    checkStack(options);
  } catch (e) {
    stderr.write(`policy: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    const config = readPolicyConfig(options.policyConfig);
    const program = await loadProgram({ programPath: options.program, stack: options.stack, ...POLICY_CHECK });
    const violations = await evaluate(packArgs.policies, program.resources, {
      config,
      packEnforcementLevel: packArgs.enforcementLevel,
    });
    if (options.json) {
      for (const v of violations) {
        stdout.write(`${JSON.stringify({ policy: v.policy, enforcementLevel: v.enforcementLevel, urn: v.urn ?? null, type: v.type ?? null, name: v.name ?? null, message: v.message })}\n`);
      }
      const mandatory = violations.filter(v => v.enforcementLevel === "mandatory").length;
      const summary = { resources: program.resources.length, policies: packArgs.policies.length, mandatory, advisory: violations.length - mandatory };
      stderr.write(`${JSON.stringify({ summary })}\n`);
    } else {
      stdout.write(`${formatText(violations, program.resources.length, options.program)}\n`);
    }
    return violations.some(v => v.enforcementLevel === "mandatory") ? 1 : 0;
  } catch (e) {
    if (e instanceof ProgramLoadError) {
      stderr.write(`policy: cannot load program ${options.program}:\n${e.message}\n`);
    } else if (e instanceof PolicyConfigError || e instanceof PolicyError) {
      stderr.write(`policy: ${e.message}\n`);
    } else {
      throw e;
    }
    return 2;
  }
}

if (require.main === module) {
  run(process.argv.slice(2), process.stdout, process.stderr).then(
    code => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`policy: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(2);
    },
  );
}
