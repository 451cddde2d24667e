/**
 * Execution names. A seeded local run names its executions from the seed and the order's position,
 * so that two runs with the same seed are the same run; a run on a deployed stack names an order's
 * execution from its orderId, so that submitting the same order again finds the same execution.
 */
import { createHash, randomUUID } from "crypto";
import { canonicalJson } from "../handlers/order/json";

/** The namespace of this project's name-based UUIDs (RFC 9562, version 5). */
const NAMESPACE = "3f0c4f8e-5b1d-4c1e-9a6e-2d7b9c8a1f40";

/** A version 5 (SHA-1, name-based) UUID: the same name always gives the same UUID. */
export function nameBasedUuid(name: string, namespace: string = NAMESPACE): string {
  const hash = createHash("sha1")
    .update(Buffer.from(namespace.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The execution name of the order at `index` (0-based) of a run seeded with `seed`. */
export function seededExecutionName(seed: string, index: number): string {
  return nameBasedUuid(`seed ${seed} order ${index}`);
}

/** JSON with object keys sorted, so that equal values give equal text whatever their key order (however deep). */
export { canonicalJson } from "../handlers/order/json";

/** Step Functions' limit on an execution name. */
export const MAX_EXECUTION_NAME = 80;

/**
 * What StartExecution refuses in a name (its `name` parameter, AWS's API reference): white space,
 * brackets < > { } [ ], wildcards ? *, the characters " # % \ ^ | ~ ` $ & , ; : /, control
 * characters (U+0000-001F, U+007F-009F, U+FFFE-FFFF) and surrogates; and a name of 1 to 80 characters.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what AWS refuses
const REFUSED = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff\ud800-\udfff]/u;

/** "To enable logging with CloudWatch Logs, the name should only contain 0-9, A-Z, a-z, - and _." */
export const LOGGABLE_NAME = /^[0-9A-Za-z_-]{1,80}$/;

export class InvalidExecutionName extends Error {
  override readonly name = "InvalidName";
}

/** Why StartExecution would refuse `name` (AWS answers InvalidName), or undefined when it would not. */
export function executionNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_EXECUTION_NAME) {
    return `an execution name has 1 to ${MAX_EXECUTION_NAME} characters (got ${name.length})`;
  }
  if (REFUSED.test(name)) {
    return `an execution name holds no white space, brackets, wildcards, control characters or any of " # % \\ ^ | ~ \` $ & , ; : / (got ${JSON.stringify(name)})`;
  }
  if (!LOGGABLE_NAME.test(name)) {
    return `an execution name of a workflow that logs to CloudWatch Logs holds only 0-9, A-Z, a-z, - and _ (got ${JSON.stringify(name)})`;
  }
  return undefined;
}

/** `name` when Step Functions and CloudWatch Logs take it; otherwise an InvalidExecutionName saying why. */
export function checkExecutionName(name: string): string {
  const problem = executionNameProblem(name);
  if (problem !== undefined) throw new InvalidExecutionName(problem);
  return name;
}

/** A name as Step Functions (with CloudWatch logging) takes it: every other character becomes `-`, at most 80. */
export function repairExecutionName(name: string): string {
  const repaired = Array.from(name, (c) => (/^[0-9A-Za-z_-]$/.test(c) ? c : "-"))
    .join("")
    .slice(0, MAX_EXECUTION_NAME);
  return repaired.length > 0 ? repaired : randomUUID();
}

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
  const prefix = repairExecutionName(orderId).slice(0, MAX_EXECUTION_NAME - digest.length - 1);
  return checkExecutionName(`${prefix}-${digest}`);
}

/**
 * The name of `order`'s execution in a durable local state (--state-dir): the deployed stack's name
 * where the order has an orderId, else a name-based UUID of the whole order. Either way the same
 * order always gets the same name, so that a rerun of the same command finds each execution.
 */
export function durableExecutionName(order: unknown): string {
  const orderId = typeof order === "object" && order !== null ? (order as { orderId?: unknown }).orderId : undefined;
  return typeof orderId === "string" && orderId.length > 0
    ? orderExecutionName(order)
    : nameBasedUuid(`order ${canonicalJson(order)}`);
}
