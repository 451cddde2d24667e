/**
 * Command-line arguments of `npm start` (the local engine) and `npm run order` (a deployed stack).
 * Every problem is a UsageError whose message says which flag and what it expected; the commands
 * print it and exit with status 2.
 */
import * as fs from "fs";
import * as path from "path";
import { FailureRates, RATE_KEYS, RateKey } from "../handlers/ports/config";
import { ParsedFlags, UsageError, parseFlags, stringFlag, wholeNumber } from "./flags";

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_DEPLOYED_CONCURRENCY = 4;
const MAX_CONCURRENCY = 1000;

export const START_USAGE = `Usage: npm start --silent -- [options] [FILE ...]

Runs orders through the order workflow on this machine (the deployed definition, the bundled Lambdas,
an in-memory DynamoDB). With no FILE, runs the sample order samples/order.json.

FILE is a JSON file holding one order or an array of orders, or a JSON Lines file (.jsonl, one order
per line); - reads standard input (JSON or JSON Lines).

Options:
  --json                    one JSON object per order on standard output, nothing else
  --verbose                 print each order's record and notification in full (default: one line each)
  --seed N                  seed the simulated failures and name executions from N: a run can be repeated
  --rates payment=P,stock=S,charge=C
                            simulated failure rates from 0 (never) to 1 (always); any of the three
                            (default: the default failure rates, payment=0.25,stock=0.1,charge=0.25)
  --chaos P                 fail every call at the workflow's edges (each Lambda invocation, each DynamoDB
                            call, each SNS publish, each payment gateway call) with probability P from 0 to 1,
                            transiently: before its effect, or after it with the answer lost; seeded by
                            --seed (without one, by a random seed printed on standard error)
  --dynamodb-endpoint URL   use this DynamoDB-compatible endpoint instead of an in-memory one
  --outbox FILE             write every published notification to FILE, one JSON object per line:
                            {"topicArn", "attributes", "message"}, as SNS received it
  --report FILE.html        write one self-contained HTML page: the graph with each execution's path
                            coloured as the Step Functions console does, the records, the notifications
  --state-dir DIR           keep the tables, the execution journal, the outbox and the simulated
                            gateway's ledger in DIR; the same command run again on DIR resumes
                            (executions that ended are reported, not run again)
  --inventory FILE          load FILE, {"<itemId>": <units available>, ...}, into the inventory table and
                            reserve real stock (inventoryMode table); with --state-dir, an item already in
                            DIR's table keeps the stock it has (a resumed run does not reset it)
  --inventory-out FILE      after the run, write the inventory table to FILE in the same form
  --concurrency N           orders run at once (default ${DEFAULT_CONCURRENCY})
  --debug                   show the stack trace of an unexpected error
  -h, --help                show this help
`;

export const ORDER_USAGE = `Usage: npm run order -- --stack NAME [options] [FILE ...]

Runs orders on a deployed stack: starts one execution per order, waits for it, and reports the path
it took, its outcome, the record in the orders table and the notification, as npm start does.
With no FILE, runs the sample order samples/order.json.

Options:
  --stack NAME              the Pulumi stack (reads its outputs with \`pulumi stack output\`)
  --state-machine-arn ARN   use this state machine instead of asking Pulumi (then --stack is not used)
  --table-name NAME         the orders table, with --state-machine-arn (without it, no records are read)
  --json                    one JSON object per order on standard output, nothing else
  --verbose                 print each order's record and notification in full (default: one line each)
  --outbox FILE             write every published notification to FILE, one JSON object per line:
                            {"topicArn", "attributes", "message"}, as SNS received it
  --concurrency N           executions run at once (default ${DEFAULT_DEPLOYED_CONCURRENCY})
  --debug                   show the stack trace of an unexpected error
  -h, --help                show this help

AWS credentials and the region are the AWS SDK's defaults: sign in with aws sso login, choose a
profile with AWS_PROFILE; the region is the state machine's.
`;

/** `payment=0.5,stock=0`: any of the three rates, each a number from 0 to 1. */
export function parseRates(text: string): Partial<FailureRates> {
  const rates: { -readonly [K in RateKey]?: number } = {};
  for (const part of text.split(",")) {
    const equals = part.indexOf("=");
    if (equals < 0) {
      throw new UsageError(`--rates: "${part}" is not KEY=VALUE (expected e.g. payment=0.25,stock=0.1,charge=0.25)`);
    }
    const key = part.slice(0, equals).trim();
    const raw = part.slice(equals + 1).trim();
    if (!(RATE_KEYS as readonly string[]).includes(key)) {
      throw new UsageError(`--rates: unknown rate "${key}" (the rates are ${RATE_KEYS.join(", ")})`);
    }
    const rateKey = key as RateKey;
    if (rates[rateKey] !== undefined) throw new UsageError(`--rates: ${key} is given more than once`);
    const value = /^(\d+(\.\d*)?|\.\d+)$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= 0 && value <= 1)) {
      throw new UsageError(`--rates: ${key} must be a number from 0 to 1 (got "${raw}")`);
    }
    rates[rateKey] = value;
  }
  return rates;
}

/** A seed is a non-negative integer, normalised (`007` and `7` are the same seed). */
export function parseSeed(text: string): string {
  if (!/^\d{1,30}$/.test(text)) throw new UsageError(`--seed must be a non-negative integer (got "${text}")`);
  return BigInt(text).toString();
}

/** `--chaos P`: a probability from 0 to 1. */
export function parseChaos(text: string): number {
  const value = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value <= 1)) throw new UsageError(`--chaos must be a probability from 0 to 1 (got "${text}")`);
  return value;
}

export function parseConcurrency(text: string): number {
  return wholeNumber("concurrency", text, 1, MAX_CONCURRENCY);
}

export function parseEndpoint(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`--dynamodb-endpoint must be an http:// or https:// URL (got "${text}")`);
  }
  return text;
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_.-]{1,80}$/;

export function parseStateMachineArn(text: string): string {
  if (!STATE_MACHINE_ARN.test(text)) {
    throw new UsageError(
      `--state-machine-arn must be a state machine's ARN, arn:aws:states:REGION:ACCOUNT:stateMachine:NAME (got "${text}")`,
    );
  }
  return text;
}

function checkFiles(files: readonly string[]): string[] {
  if (files.filter((f) => f === "-").length > 1) throw new UsageError("standard input (-) can be read only once");
  return [...files];
}

/** `-h`/`--help`: the command prints its usage and does nothing else. */
export interface HelpRequest {
  readonly help: true;
}

/** What both commands take: how to print, where the notifications go, how many at once, which orders. */
export interface BatchOptions {
  readonly help: false;
  readonly json: boolean;
  /** The record and notification in full, rather than one line each. */
  readonly verbose: boolean;
  /** Stack traces for unexpected errors. */
  readonly debug: boolean;
  readonly outbox?: string;
  readonly concurrency: number;
  /** Files to read orders from, `-` for standard input; empty: the sample order. */
  readonly files: string[];
}

/** The flags behind BatchOptions (`--debug` and `--help` every command knows). */
const BATCH_FLAGS = { json: "boolean", verbose: "boolean", outbox: "string", concurrency: "string" } as const;

function batchOptions(parsed: ParsedFlags, defaultConcurrency: number): BatchOptions {
  const concurrency = stringFlag(parsed, "concurrency");
  return {
    help: false,
    json: parsed.values.has("json"),
    verbose: parsed.values.has("verbose"),
    debug: parsed.values.has("debug"),
    outbox: stringFlag(parsed, "outbox"),
    concurrency: concurrency === undefined ? defaultConcurrency : parseConcurrency(concurrency),
    files: checkFiles(parsed.positionals),
  };
}

export interface StartOptions extends BatchOptions {
  readonly seed?: string;
  readonly rates?: Partial<FailureRates>;
  /** The probability with which each call at the workflow's edges fails (engine/faults.ts, chaos). */
  readonly chaos?: number;
  readonly dynamodbEndpoint?: string;
  /** An HTML page to write: the graph with each execution's path, the records and notifications. */
  readonly report?: string;
  /** A folder holding the run's durable state (engine/state/stateDir.ts); none: everything in memory. */
  readonly stateDir?: string;
  /** A stock file to load into the inventory table (then the run reserves real stock). */
  readonly inventory?: string;
  /** Where to write the inventory table after the run. */
  readonly inventoryOut?: string;
}

/**
 * The file a path writes to: symbolic links followed (one that points to no file yet, too), else the
 * path in its folder's real place.
 */
function writtenFile(file: string, links = 8): string {
  const absolute = path.resolve(file);
  try {
    return fs.realpathSync(absolute);
  } catch {
    try {
      const target = fs.readlinkSync(absolute);
      if (links > 0) return writtenFile(path.resolve(path.dirname(absolute), target), links - 1);
    } catch {
      // Not a link: a file to be created.
    }
    try {
      return path.join(fs.realpathSync(path.dirname(absolute)), path.basename(absolute));
    } catch {
      return absolute;
    }
  }
}

/** `--outbox X --report X` (or a link to X) would write both into one file: refused. */
function checkOutputs(parsed: ParsedFlags): void {
  const outbox = stringFlag(parsed, "outbox");
  const report = stringFlag(parsed, "report");
  if (outbox !== undefined && report !== undefined && writtenFile(outbox) === writtenFile(report)) {
    throw new UsageError(`--outbox and --report name the same file (${outbox}): give each its own`);
  }
}

export function parseStartArgs(argv: readonly string[]): StartOptions | HelpRequest {
  const parsed = parseFlags(argv, {
    ...BATCH_FLAGS,
    seed: "string",
    rates: "string",
    chaos: "string",
    "dynamodb-endpoint": "string",
    report: "string",
    "state-dir": "string",
    inventory: "string",
    "inventory-out": "string",
  });
  if (parsed.values.has("help")) return { help: true };
  checkOutputs(parsed);
  const stateDir = stringFlag(parsed, "state-dir");
  if (stateDir !== undefined && stringFlag(parsed, "dynamodb-endpoint") !== undefined) {
    throw new UsageError("--state-dir keeps its own table: give --state-dir or --dynamodb-endpoint, not both");
  }
  const seed = stringFlag(parsed, "seed");
  const rates = stringFlag(parsed, "rates");
  const chaos = stringFlag(parsed, "chaos");
  const endpoint = stringFlag(parsed, "dynamodb-endpoint");
  return {
    seed: seed === undefined ? undefined : parseSeed(seed),
    rates: rates === undefined ? undefined : parseRates(rates),
    chaos: chaos === undefined ? undefined : parseChaos(chaos),
    dynamodbEndpoint: endpoint === undefined ? undefined : parseEndpoint(endpoint),
    report: stringFlag(parsed, "report"),
    stateDir,
    inventory: stringFlag(parsed, "inventory"),
    inventoryOut: stringFlag(parsed, "inventory-out"),
    ...batchOptions(parsed, DEFAULT_CONCURRENCY),
  };
}

export interface OrderOptions extends BatchOptions {
  /** Where the state machine comes from: a stack's outputs, or its ARN (and maybe the table) given. */
  readonly target: { readonly stack: string } | { readonly stateMachineArn: string; readonly tableName?: string };
}

export function parseOrderArgs(argv: readonly string[]): OrderOptions | HelpRequest {
  const parsed = parseFlags(argv, {
    ...BATCH_FLAGS,
    stack: "string",
    "state-machine-arn": "string",
    "table-name": "string",
  });
  if (parsed.values.has("help")) return { help: true };
  const stack = stringFlag(parsed, "stack");
  const arn = stringFlag(parsed, "state-machine-arn");
  const tableName = stringFlag(parsed, "table-name");
  let target: OrderOptions["target"];
  if (arn !== undefined) {
    if (stack !== undefined) throw new UsageError("give --stack or --state-machine-arn, not both");
    target = { stateMachineArn: parseStateMachineArn(arn), tableName };
  } else {
    if (tableName !== undefined)
      throw new UsageError("--table-name goes with --state-machine-arn (a stack's outputs name its table)");
    if (stack === undefined) throw new UsageError("--stack NAME is required (or --state-machine-arn ARN)");
    target = { stack };
  }
  return { target, ...batchOptions(parsed, DEFAULT_DEPLOYED_CONCURRENCY) };
}
