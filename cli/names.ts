/**
 * Execution names. A seeded local run names its executions from the seed and the order's position,
 * so that two runs with the same seed are the same run; a run on a deployed stack names an order's
 * execution from its orderId, so that submitting the same order again finds the same execution.
 */
import { createHash, randomUUID } from "crypto";

/** The namespace of this project's name-based UUIDs (RFC 9562, version 5). */
const NAMESPACE = "3f0c4f8e-5b1d-4c1e-9a6e-2d7b9c8a1f40";

/** A version 5 (SHA-1, name-based) UUID: the same name always gives the same UUID. */
export function nameBasedUuid(name: string, namespace: string = NAMESPACE): string {
  const hash = createHash("sha1").update(Buffer.from(namespace.replace(/-/g, ""), "hex")).update(name, "utf8").digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The execution name of the order at `index` (0-based) of a run seeded with `seed`. */
export function seededExecutionName(seed: string, index: number): string {
  return nameBasedUuid(`seed ${seed} order ${index}`);
}

/** JSON with object keys sorted, so that equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Step Functions' limit on an execution name. */
export const MAX_EXECUTION_NAME = 80;

/**
 * The name a deployed stack's execution of `order` gets: its orderId (characters Step Functions or
 * CloudWatch would refuse replaced by `-`) and a hash of the whole order, so the same order gets the
 * same name and a different order under the same id gets another one. An order without a usable
 * orderId gets a random UUID, as the console would give it.
 */
export function orderExecutionName(order: unknown): string {
  const orderId = typeof order === "object" && order !== null ? (order as { orderId?: unknown }).orderId : undefined;
  if (typeof orderId !== "string" || orderId.length === 0) return randomUUID();
  const digest = createHash("sha256").update(canonicalJson(order)).digest("hex").slice(0, 16);
  // Step Functions takes `.` in a name, but an execution logged to CloudWatch needs only 0-9A-Za-z-_.
  const prefix = orderId.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, MAX_EXECUTION_NAME - digest.length - 1);
  return `${prefix}-${digest}`;
}

/**
 * The name of `order`'s execution in a durable local state (--state-dir): the deployed stack's name
 * where the order has an orderId, else a name-based UUID of the whole order. Either way the same
 * order always gets the same name, so that a rerun of the same command finds each execution.
 */
export function durableExecutionName(order: unknown): string {
  const orderId = typeof order === "object" && order !== null ? (order as { orderId?: unknown }).orderId : undefined;
  return typeof orderId === "string" && orderId.length > 0 ? orderExecutionName(order) : nameBasedUuid(`order ${canonicalJson(order)}`);
}
