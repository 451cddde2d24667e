/**
 * The bench's command line (BENCH_USAGE), read by the flag parser every command shares (cli/flags.ts).
 */
import { noPositionals, parseFlags, stringFlag, wholeNumber } from "../../cli/flags";

export interface Options {
  readonly help: false;
  readonly json: boolean;
  /** Write the result to docs/bench.json and the figures quoted in README.md and docs/ from it. */
  readonly write: boolean;
  readonly runs: number;
  readonly invocations: number;
  readonly batch: number;
  readonly largeBatch: number;
  readonly forceLargeBatch: boolean;
  readonly concurrency: number;
  readonly expressMs: number;
  readonly expressColdMs: number;
  /** The order rate the quota model (quotas.ts) is computed for. */
  readonly ordersPerSecond: number;
}

export const BENCH_USAGE = `Usage: npm run bench -- [options]

Measures what the stack costs to ship, to deploy and to run: the Lambda archives, the program's
registration under mocks, each handler's memory and duration, the success path's state transitions
and price, and the local engine's throughput. A table by default; progress goes to standard error.

Options:
  --json                  exactly one JSON object on standard output
  --write                 also write it to docs/bench.json, and regenerate the figures README.md and
                          docs/ quote from it (between their figure markers)
  --runs N                fresh processes timing the program (default 5)
  --invocations N         invocations per handler probe (default 1000)
  --batch N               orders in the throughput batch (default 500)
  --large-batch N         orders in the large batch, 0 for none (default 2000)
  --force-large-batch     run the large batch even when it would take over 2 minutes
  --concurrency N         orders in flight in the throughput batches (default 16)
  --express-ms N          the EXPRESS duration assumed per order, warm (default 200)
  --express-cold-ms N     the same with cold starts (default 1000)
  --orders-per-second N   the order rate the quota model (docs/scale.md) is computed for (default 100)
  --debug                 show the stack trace of an unexpected error
  -h, --help              show this help
`;

/** The flags the bench knows, besides --help and --debug. */
export const KNOWN_FLAGS = {
  json: "boolean",
  write: "boolean",
  "force-large-batch": "boolean",
  runs: "string",
  invocations: "string",
  batch: "string",
  "large-batch": "string",
  concurrency: "string",
  "express-ms": "string",
  "express-cold-ms": "string",
  "orders-per-second": "string",
} as const;

/** The options from the arguments after `npm run bench --`; an unknown flag or a bad number is a UsageError naming it. */
export function parseOptions(argv: readonly string[]): Options | { readonly help: true } {
  const parsed = parseFlags(argv, KNOWN_FLAGS);
  if (parsed.values.has("help")) return { help: true };
  noPositionals(parsed);
  const numberOf = (flag: keyof typeof KNOWN_FLAGS, fallback: number): number => {
    const text = stringFlag(parsed, flag);
    return text === undefined ? fallback : wholeNumber(flag, text, 0);
  };
  return {
    help: false,
    json: parsed.values.has("json"),
    write: parsed.values.has("write"),
    runs: Math.max(1, numberOf("runs", 5)),
    invocations: Math.max(2, numberOf("invocations", 1000)),
    batch: Math.max(1, numberOf("batch", 500)),
    largeBatch: numberOf("large-batch", 2000),
    forceLargeBatch: parsed.values.has("force-large-batch"),
    concurrency: Math.max(1, numberOf("concurrency", 16)),
    expressMs: numberOf("express-ms", 200),
    expressColdMs: numberOf("express-cold-ms", 1000),
    ordersPerSecond: Math.max(1, numberOf("orders-per-second", 100)),
  };
}
