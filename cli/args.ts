/**
 * Command-line arguments of `npm start` (the local engine) and `npm run order` (a deployed stack).
 * Every problem is a UsageError whose message says which flag and what it expected; the commands
 * print it and exit with status 2.
 */
import { FailureRates, RATE_KEYS, RateKey } from "../handlers/ports/config";

export class UsageError extends Error {
  override readonly name = "UsageError";
}

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
  --seed N                  seed the simulated failures and name executions from N: a run can be repeated
  --rates payment=P,stock=S,charge=C
                            simulated failure rates from 0 (never) to 1 (always); any of the three
                            (default: the seed's, payment=0.25,stock=0.1,charge=0.25)
  --dynamodb-endpoint URL   use this DynamoDB-compatible endpoint instead of an in-memory one
  --outbox FILE             write every published notification to FILE, one JSON object per line
  --report FILE.html        write one self-contained HTML page: the graph with each execution's path
                            coloured as the Step Functions console does, the records, the notifications
  --concurrency N           orders run at once (default ${DEFAULT_CONCURRENCY})
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
  --outbox FILE             write every published notification to FILE, one JSON object per line
  --concurrency N           executions run at once (default ${DEFAULT_DEPLOYED_CONCURRENCY})
  -h, --help                show this help
`;

export type FlagKind = "boolean" | "string";

export interface Parsed {
  readonly values: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
}

/** Splits argv into flags (`--name value`, `--name=value`) and positionals; `--` ends the flags. */
export function tokenize(argv: readonly string[], flags: Readonly<Record<string, FlagKind>>): Parsed {
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    const long = arg === "-h" ? "--help" : arg;
    const equals = long.indexOf("=");
    const name = long.startsWith("--") ? long.slice(2, equals < 0 ? undefined : equals) : "";
    const kind = flags[name];
    if (kind === undefined) throw new UsageError(`unknown option ${equals < 0 ? arg : arg.slice(0, equals)}`);
    if (values.has(name)) throw new UsageError(`--${name} is given more than once`);
    if (kind === "boolean") {
      if (equals >= 0) throw new UsageError(`--${name} takes no value`);
      values.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (equals >= 0) {
      value = long.slice(equals + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
      value = argv[++i];
    }
    if (value === undefined || value === "") throw new UsageError(`--${name} needs a value`);
    values.set(name, value);
  }
  return { values, positionals };
}

export function stringFlag(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values.get(name);
  return typeof value === "string" ? value : undefined;
}

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

export function parseConcurrency(text: string): number {
  const value = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= MAX_CONCURRENCY)) {
    throw new UsageError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (got "${text}")`);
  }
  return value;
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
    throw new UsageError(`--state-machine-arn must be a state machine's ARN, arn:aws:states:REGION:ACCOUNT:stateMachine:NAME (got "${text}")`);
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

export interface StartOptions {
  readonly help: false;
  readonly json: boolean;
  readonly seed?: string;
  readonly rates?: Partial<FailureRates>;
  readonly dynamodbEndpoint?: string;
  readonly outbox?: string;
  /** An HTML page to write: the graph with each execution's path, the records and notifications. */
  readonly report?: string;
  readonly concurrency: number;
  /** Files to read orders from, `-` for standard input; empty: the sample order. */
  readonly files: string[];
}

export function parseStartArgs(argv: readonly string[]): StartOptions | HelpRequest {
  const parsed = tokenize(argv, {
    help: "boolean",
    json: "boolean",
    seed: "string",
    rates: "string",
    "dynamodb-endpoint": "string",
    outbox: "string",
    report: "string",
    concurrency: "string",
  });
  if (parsed.values.has("help")) return { help: true };
  const seed = stringFlag(parsed, "seed");
  const rates = stringFlag(parsed, "rates");
  const endpoint = stringFlag(parsed, "dynamodb-endpoint");
  const concurrency = stringFlag(parsed, "concurrency");
  return {
    help: false,
    json: parsed.values.has("json"),
    seed: seed === undefined ? undefined : parseSeed(seed),
    rates: rates === undefined ? undefined : parseRates(rates),
    dynamodbEndpoint: endpoint === undefined ? undefined : parseEndpoint(endpoint),
    outbox: stringFlag(parsed, "outbox"),
    report: stringFlag(parsed, "report"),
    concurrency: concurrency === undefined ? DEFAULT_CONCURRENCY : parseConcurrency(concurrency),
    files: checkFiles(parsed.positionals),
  };
}

export interface OrderOptions {
  readonly help: false;
  readonly json: boolean;
  /** Where the state machine comes from: a stack's outputs, or its ARN (and maybe the table) given. */
  readonly target:
    | { readonly stack: string }
    | { readonly stateMachineArn: string; readonly tableName?: string };
  readonly outbox?: string;
  readonly concurrency: number;
  readonly files: string[];
}

export function parseOrderArgs(argv: readonly string[]): OrderOptions | HelpRequest {
  const parsed = tokenize(argv, {
    help: "boolean",
    json: "boolean",
    stack: "string",
    "state-machine-arn": "string",
    "table-name": "string",
    outbox: "string",
    concurrency: "string",
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
    if (tableName !== undefined) throw new UsageError("--table-name goes with --state-machine-arn (a stack's outputs name its table)");
    if (stack === undefined) throw new UsageError("--stack NAME is required (or --state-machine-arn ARN)");
    target = { stack };
  }
  const concurrency = stringFlag(parsed, "concurrency");
  return {
    help: false,
    json: parsed.values.has("json"),
    target,
    outbox: stringFlag(parsed, "outbox"),
    concurrency: concurrency === undefined ? DEFAULT_DEPLOYED_CONCURRENCY : parseConcurrency(concurrency),
    files: checkFiles(parsed.positionals),
  };
}
