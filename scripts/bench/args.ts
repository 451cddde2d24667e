/**
 * The bench's command line:
 *
 *   npm run bench [-- --json] [--runs 5] [--invocations 1000] [--batch 500] [--large-batch 2000]
 *                 [--force-large-batch] [--concurrency 16] [--express-ms 200] [--express-cold-ms 1000]
 *                 [--orders-per-second 100]
 */

export interface Options {
  readonly json: boolean;
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

export const KNOWN_FLAGS = [
  "--json",
  "--force-large-batch",
  "--runs",
  "--invocations",
  "--batch",
  "--large-batch",
  "--concurrency",
  "--express-ms",
  "--express-cold-ms",
  "--orders-per-second",
] as const;

/** The options from the arguments after `npm run bench --`; an unknown flag or a bad number throws, naming it. */
export function parseOptions(argv: readonly string[]): Options {
  const numberOf = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    if (at < 0) return fallback;
    const value = Number(argv[at + 1]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a whole number (got ${argv[at + 1]})`);
    return value;
  };
  const known = new Set<string>(KNOWN_FLAGS);
  for (const arg of argv) {
    if (arg.startsWith("--") && !known.has(arg)) throw new Error(`unknown option ${arg} (known: ${[...known].join(", ")})`);
  }
  return {
    json: argv.includes("--json"),
    runs: Math.max(1, numberOf("--runs", 5)),
    invocations: Math.max(2, numberOf("--invocations", 1000)),
    batch: Math.max(1, numberOf("--batch", 500)),
    largeBatch: numberOf("--large-batch", 2000),
    forceLargeBatch: argv.includes("--force-large-batch"),
    concurrency: Math.max(1, numberOf("--concurrency", 16)),
    expressMs: numberOf("--express-ms", 200),
    expressColdMs: numberOf("--express-cold-ms", 1000),
    ordersPerSecond: Math.max(1, numberOf("--orders-per-second", 100)),
  };
}
