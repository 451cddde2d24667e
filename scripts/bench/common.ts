/**
 * What every measurement of the bench shares: the repository's root, units, progress on stderr,
 * the rounding and the median its figures use, and the DynamoDB (dynalite) they all write to.
 */
import * as path from "path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export const ROOT = path.resolve(__dirname, "..", "..");
export const KIB = 1024;
export const MIB = 1024 * 1024;

/** Progress goes to stderr, so that stdout carries only the report (or the one JSON object). */
export const log = (message: string) => process.stderr.write(`${message}\n`);

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The local DynamoDB the bench starts once: its endpoint and a client for it. */
export interface Dynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
}
