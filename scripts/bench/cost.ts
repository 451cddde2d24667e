/**
 * What one order costs in AWS, from counts the local engine measures (state transitions, Lambda
 * invocations, record sizes) and the list prices below. Pure: no I/O, so the figures in
 * docs/bench.md can be checked by hand and by tests/cost.test.ts.
 */

/** AWS's published us-east-1 list prices (USD) at the time of writing; change them here, nowhere else. */
export const PRICES = {
  /** Step Functions Standard: per state transition ($0.025 per 1,000). */
  standardTransition: 0.025 / 1_000,
  /** Step Functions Express: per request (execution started). */
  expressRequest: 1.0 / 1_000_000,
  /** Step Functions Express: per GB-second of duration (first tier), memory in 64 MB chunks. */
  expressGbSecond: 0.00001667,
  /** Lambda: per request. */
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda: per GB-second of billed duration, by architecture. */
  lambdaGbSecond: { arm64: 0.0000133334, x86_64: 0.0000166667 },
  /** DynamoDB on-demand: per write request unit (1 KB). AWS halved it in November 2024 ($0.625/M); the earlier list price is kept. */
  dynamoWriteUnit: 1.25 / 1_000_000,
  /** DynamoDB on-demand: per read request unit (4 KB strongly consistent); likewise halved to $0.125/M since. */
  dynamoReadUnit: 0.25 / 1_000_000,
  /** SNS: per publish request (each 64 KB chunk of payload is one request). */
  snsPublish: 0.5 / 1_000_000,
} as const;

export type Architecture = keyof typeof PRICES.lambdaGbSecond;

/** Lambda bills duration rounded up to the millisecond, at least 1 ms. */
export function lambdaBilledMs(durationMs: number): number {
  if (!Number.isFinite(durationMs) || durationMs < 0) throw new Error(`not a duration: ${durationMs}`);
  return Math.max(1, Math.ceil(durationMs));
}

/** Express bills duration rounded up to the next 100 ms. */
export function expressBilledMs(durationMs: number): number {
  if (!Number.isFinite(durationMs) || durationMs < 0) throw new Error(`not a duration: ${durationMs}`);
  return Math.max(100, Math.ceil(durationMs / 100) * 100);
}

/** Express bills memory in 64 MB chunks, at least one. */
export function expressBilledMb(memoryMb: number): number {
  if (!Number.isFinite(memoryMb) || memoryMb < 0) throw new Error(`not a memory size: ${memoryMb}`);
  return Math.max(64, Math.ceil(memoryMb / 64) * 64);
}

/** A DynamoDB attribute value in the wire format (the kinds a table can hold). */
export type DynamoValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly B: Uint8Array }
  | { readonly BOOL: boolean }
  | { readonly NULL: true }
  | { readonly SS: readonly string[] }
  | { readonly NS: readonly string[] }
  | { readonly L: readonly DynamoValue[] }
  | { readonly M: Readonly<Record<string, DynamoValue>> };

const utf8 = (text: string) => Buffer.byteLength(text, "utf8");

/** Size of a number: 1 byte per two significant digits, plus 1 (leading and trailing zeros trimmed). */
function numberBytes(text: string): number {
  const digits = text
    .replace(/^[-+]/, "")
    .replace(/[eE].*$/, "")
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Size of a value, without its attribute name, as DynamoDB's "item sizes and formats" page computes it. */
export function dynamoValueBytes(value: DynamoValue): number {
  if ("S" in value) return utf8(value.S);
  if ("N" in value) return numberBytes(value.N);
  if ("B" in value) return value.B.byteLength;
  if ("BOOL" in value || "NULL" in value) return 1;
  if ("SS" in value) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if ("NS" in value) return value.NS.reduce((sum, n) => sum + numberBytes(n), 0);
  // A List or Map: 3 bytes, plus 1 byte per element, plus the elements (and, for a Map, their names).
  if ("L" in value) return 3 + value.L.reduce((sum, element) => sum + 1 + dynamoValueBytes(element), 0);
  return (
    3 + Object.entries(value.M).reduce((sum, [name, element]) => sum + 1 + utf8(name) + dynamoValueBytes(element), 0)
  );
}

/** Size of an item: every attribute's name and value. */
export function dynamoItemBytes(item: Readonly<Record<string, DynamoValue>>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + dynamoValueBytes(value), 0);
}

/** Write request units of a put: 1 per KB of the larger of the old and the new item. */
export function writeRequestUnits(newItemBytes: number, oldItemBytes = 0): number {
  return Math.max(1, Math.ceil(Math.max(newItemBytes, oldItemBytes) / 1024));
}

/** Read request units of a strongly consistent read: 1 per 4 KB. */
export function readRequestUnits(itemBytes: number): number {
  return Math.max(1, Math.ceil(itemBytes / 4096));
}

/** SNS requests of a publish: one per 64 KB of payload. */
export function snsRequests(payloadBytes: number): number {
  return Math.max(1, Math.ceil(payloadBytes / (64 * 1024)));
}

/** What one order uses, as measured. */
export interface OrderUsage {
  /** State transitions (states entered, retries included). */
  readonly transitions: number;
  /** Billed Lambda duration of each invocation the order made, in ms (one entry per invocation). */
  readonly lambdaBilledMs: readonly number[];
  readonly lambdaMemoryMb: number;
  readonly architecture: Architecture;
  readonly dynamoWriteUnits: number;
  readonly dynamoReadUnits: number;
  readonly snsRequests: number;
}

/** USD per million orders, by line; `total` is their sum. */
export interface CostPerMillion {
  readonly stepFunctions: number;
  readonly lambdaRequests: number;
  readonly lambdaDuration: number;
  readonly dynamoWrites: number;
  readonly dynamoReads: number;
  readonly sns: number;
  readonly total: number;
}

const MILLION = 1_000_000;

function withTotal(lines: Omit<CostPerMillion, "total">): CostPerMillion {
  const total = Object.values(lines).reduce((sum, v) => sum + v, 0);
  return { ...lines, total };
}

/** The Lambda, DynamoDB and SNS lines, which do not depend on the workflow type. */
function serviceLines(usage: OrderUsage): Omit<CostPerMillion, "total" | "stepFunctions"> {
  const gbSeconds = usage.lambdaBilledMs.reduce((sum, ms) => sum + (usage.lambdaMemoryMb / 1024) * (ms / 1000), 0);
  return {
    lambdaRequests: usage.lambdaBilledMs.length * PRICES.lambdaRequest * MILLION,
    lambdaDuration: gbSeconds * PRICES.lambdaGbSecond[usage.architecture] * MILLION,
    dynamoWrites: usage.dynamoWriteUnits * PRICES.dynamoWriteUnit * MILLION,
    dynamoReads: usage.dynamoReadUnits * PRICES.dynamoReadUnit * MILLION,
    sns: usage.snsRequests * PRICES.snsPublish * MILLION,
  };
}

/** A million such orders on a STANDARD state machine (free tier ignored). */
export function standardCostPerMillion(usage: OrderUsage): CostPerMillion {
  return withTotal({ stepFunctions: usage.transitions * PRICES.standardTransition * MILLION, ...serviceLines(usage) });
}

/** What an EXPRESS execution of the order is assumed to take: it is billed by these, not by transitions. */
export interface ExpressAssumption {
  /** End-to-end duration of one execution, in ms (billed rounded up to 100 ms). */
  readonly durationMs: number;
  /** Memory the execution uses, in MB (billed in 64 MB chunks). */
  readonly memoryMb: number;
}

/** A million such orders on an EXPRESS state machine: per request plus GB-seconds, the same services. */
export function expressCostPerMillion(usage: OrderUsage, assumption: ExpressAssumption): CostPerMillion {
  const gbSeconds = (expressBilledMb(assumption.memoryMb) / 1024) * (expressBilledMs(assumption.durationMs) / 1000);
  const stepFunctions = (PRICES.expressRequest + gbSeconds * PRICES.expressGbSecond) * MILLION;
  return withTotal({ stepFunctions, ...serviceLines(usage) });
}

/** USD per million orders that one more billed millisecond on each invocation adds. */
export function perExtraBilledMs(invocations: number, memoryMb: number, architecture: Architecture): number {
  return invocations * (memoryMb / 1024) * 0.001 * PRICES.lambdaGbSecond[architecture] * MILLION;
}
