/**
 * `npm run redrive -- --stack NAME [--since DURATION] [--dry-run]`: redrives the executions of a
 * deployed STANDARD state machine that ended FAILED (without a business outcome) or TIMED_OUT since
 * DURATION ago. Redriving is safe because every step is idempotent; which failures are retryable is
 * workflow/execution/outcomes.ts's rule, so a declined card or an invalid order never runs again.
 *
 * Exit status: 0 when every redrivable execution was redriven (or listed, with --dry-run), 1 when
 * AWS refused one, 2 for a bad flag or a stack that cannot be used.
 */
import { createHash } from "crypto";
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionListItem,
  ExecutionStatus,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { parseStateMachineArn } from "./args";
import { UsageError, parseFlags, stringFlag } from "./flags";
import { Io, processIo, reportProblem } from "./command";
import { DeployedError, RunCommand, readStackOutputs, runCommand } from "./deployed";
import { redriveVerdict } from "../workflow/execution/outcomes";
import { runAsProcess } from "./process";

export const REDRIVE_USAGE = `Usage: npm run redrive -- --stack NAME [--since DURATION] [--dry-run]
       npm run redrive -- --state-machine-arn ARN [--since DURATION] [--dry-run]

Redrives the executions of a deployed STANDARD state machine that ended FAILED or TIMED_OUT since
DURATION ago, from the state that failed. An execution that ended with a business outcome
(INVALID_ORDER, PAYMENT_NOT_VERIFIED, OUT_OF_STOCK, PAYMENT_FAILED, ORDER_CONFLICT, DUPLICATE_ORDER)
is never redriven; an ABORTED one is left to the person who stopped it.

Options:
  --stack NAME              the Pulumi stack whose state machine to read (pulumi stack output)
  --state-machine-arn ARN   the state machine itself, without the Pulumi CLI
  --since DURATION          how far back: 45m, 6h, 2d (default 24h; at most 14d, the redrive window)
  --dry-run                 say what would be redriven, and redrive nothing
  -h, --help                print this help

Exit status: 0 when every redrivable execution was redriven, 1 when AWS refused one, 2 for a bad
flag or a stack that cannot be used.
`;

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** Step Functions redrives an execution only within 14 days of its end. */
export const MAX_SINCE_MS = 14 * UNIT_MS.d;
export const DEFAULT_SINCE_MS = UNIT_MS.d;

/** `45m`, `6h`, `2d`: a whole number of minutes, hours or days, up to 14 days. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([mhd])$/.exec(text);
  const ms = match === null ? NaN : Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (!(ms > 0 && ms <= MAX_SINCE_MS)) {
    throw new UsageError(
      `--since must be a duration such as 45m, 6h or 2d, more than 0 and at most 14d (got "${text}")`,
    );
  }
  return ms;
}

export interface RedriveOptions {
  readonly help: false;
  readonly target: { readonly stack: string } | { readonly stateMachineArn: string };
  readonly sinceMs: number;
  readonly dryRun: boolean;
}

export function parseRedriveArgs(argv: readonly string[]): RedriveOptions | { readonly help: true } {
  const parsed = parseFlags(argv, {
    stack: "string",
    "state-machine-arn": "string",
    since: "string",
    "dry-run": "boolean",
  });
  if (parsed.values.has("help")) return { help: true };
  if (parsed.positionals.length > 0)
    throw new UsageError(`unexpected argument ${parsed.positionals[0]} (npm run redrive takes only flags)`);
  const stack = stringFlag(parsed, "stack");
  const arn = stringFlag(parsed, "state-machine-arn");
  if (stack !== undefined && arn !== undefined) throw new UsageError("give --stack or --state-machine-arn, not both");
  if (stack === undefined && arn === undefined)
    throw new UsageError("--stack NAME is required (or --state-machine-arn ARN)");
  const since = stringFlag(parsed, "since");
  return {
    help: false,
    target: arn !== undefined ? { stateMachineArn: parseStateMachineArn(arn) } : { stack: stack as string },
    sinceMs: since === undefined ? DEFAULT_SINCE_MS : parseDuration(since),
    dryRun: parsed.values.has("dry-run"),
  };
}

export interface Dependencies {
  readonly runCommand: RunCommand;
  /** The Step Functions client (tests give a mocked one); default: one in the state machine's region. */
  readonly sfn?: SFNClient;
  readonly now?: () => number;
}

/** The executions that ended with `status` since `since`, newest first (ListExecutions' order), every page. */
async function endedSince(
  sfn: SFNClient,
  stateMachineArn: string,
  status: ExecutionStatus,
  since: number,
): Promise<ExecutionListItem[]> {
  const found: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: status, maxResults: 100, nextToken }),
    );
    const items = page.executions ?? [];
    found.push(...items.filter((e) => (e.stopDate?.getTime() ?? 0) >= since));
    // Newest first by start: once a page starts before `since`, no later page ended after it (the
    // definition's own timeout is 5 minutes, far below any --since).
    const oldest = items[items.length - 1]?.startDate?.getTime() ?? 0;
    nextToken = oldest < since ? undefined : page.nextToken;
  } while (nextToken !== undefined);
  return found;
}

/** The same request twice is one redrive: the token names the execution and how often it was redriven. */
export function redriveToken(executionArn: string, redriveCount: number): string {
  return createHash("sha256").update(`${executionArn}#${redriveCount}`).digest("hex").slice(0, 64);
}

/** Redrives (or, dry, lists) what may be redriven; returns the number AWS refused. */
async function redriveAll(
  io: Io,
  sfn: SFNClient,
  stateMachineArn: string,
  options: RedriveOptions,
  now: number,
): Promise<number> {
  const since = now - options.sinceMs;
  const candidates = [
    ...(await endedSince(sfn, stateMachineArn, "FAILED", since)),
    ...(await endedSince(sfn, stateMachineArn, "TIMED_OUT", since)),
  ];
  let redriven = 0;
  let refused = 0;
  for (const item of candidates) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: item.executionArn }));
    const verdict = redriveVerdict(execution.status, execution.error);
    const name = item.name ?? item.executionArn ?? "";
    if (!verdict.redrive) {
      io.stdout.write(`skipped   ${name}: ${verdict.reason}\n`);
      continue;
    }
    if (execution.redriveStatus === "NOT_REDRIVABLE") {
      io.stdout.write(
        `skipped   ${name}: Step Functions says ${execution.redriveStatusReason ?? "it is not redrivable"}\n`,
      );
      continue;
    }
    const why = `${execution.status ?? ""}${execution.error === undefined ? "" : ` ${execution.error}`}`;
    if (options.dryRun) {
      io.stdout.write(`would redrive ${name} (${why})\n`);
      redriven++;
      continue;
    }
    try {
      await sfn.send(
        new RedriveExecutionCommand({
          executionArn: item.executionArn,
          clientToken: redriveToken(item.executionArn ?? "", item.redriveCount ?? 0),
        }),
      );
      io.stdout.write(`redriven  ${name} (${why})\n`);
      redriven++;
    } catch (error) {
      if (!(error instanceof Error && "$metadata" in error)) throw error;
      io.stderr.write(`error: AWS refused to redrive ${name}: ${error.name}: ${error.message}\n`);
      refused++;
    }
  }
  io.stdout.write(
    `${options.dryRun ? "would redrive" : "redriven"} ${redriven} of ${candidates.length} failed executions since ${new Date(since).toISOString()}\n`,
  );
  return refused;
}

export async function main(
  argv: readonly string[],
  io: Io = processIo,
  deps: Dependencies = { runCommand },
): Promise<number> {
  let options: RedriveOptions;
  try {
    const parsed = parseRedriveArgs(argv);
    if (parsed.help) {
      io.stdout.write(REDRIVE_USAGE);
      return 0;
    }
    options = parsed;
  } catch (error) {
    return reportProblem(io, error, "Run npm run redrive -- --help for usage.");
  }
  let stateMachineArn: string;
  try {
    const { target } = options;
    stateMachineArn =
      "stack" in target
        ? (await readStackOutputs(target.stack, deps.runCommand)).stateMachineArn
        : target.stateMachineArn;
  } catch (error) {
    if (!(error instanceof DeployedError)) throw error;
    io.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  const sfn = deps.sfn ?? new SFNClient({ region: stateMachineArn.split(":")[3] });
  try {
    const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn, includedData: "METADATA_ONLY" }));
    if (machine.type === "EXPRESS") {
      io.stderr.write(
        `error: ${stateMachineArn} is an EXPRESS state machine: Step Functions redrives STANDARD executions only\n`,
      );
      return 2;
    }
    return (await redriveAll(io, sfn, stateMachineArn, options, (deps.now ?? Date.now)())) > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof Error && "$metadata" in error)) throw error;
    io.stderr.write(`error: AWS answered ${error.name}: ${error.message}\n`);
    return 1;
  } finally {
    if (deps.sfn === undefined) sfn.destroy();
  }
}

if (require.main === module) runAsProcess(main, { command: "npm run redrive" });
