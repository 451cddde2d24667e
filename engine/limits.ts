/**
 * The payload quotas AWS enforces on an execution: Step Functions' 256 KiB on every state's input
 * and output (and on what a Task's integration returns), and Lambda's synchronous-invocation
 * payload quota on the request and the response.
 */

import { jsonByteLength } from "../handlers/order/json";

/** Step Functions: the maximum input or result of a state (UTF-8 bytes). */
export const MAX_STATE_BYTES = 262_144;
/** Lambda: the maximum payload of a synchronous invocation, request and response each (6 MB). */
export const MAX_LAMBDA_SYNC_PAYLOAD_BYTES = 6_291_456;

/** The size of a JSON value as AWS measures it: its serialization in UTF-8 bytes (without recursion: any depth). */
export function jsonBytes(value: unknown): number {
  return value === undefined ? 4 : jsonByteLength(value);
}

/**
 * States.DataLimitExceeded: a terminal error. `States.ALL` (and `States.TaskFailed`) neither
 * retry nor catch it; the execution fails (error-handling page of the Step Functions guide).
 */
export class DataLimitExceededError extends Error {
  readonly terminal = true;
  readonly isRetryable = false;
  constructor(message: string) {
    super(message);
    this.name = "States.DataLimitExceeded";
  }
}

/** Which payload of a state is measured. */
export type StatePayload = "input" | "parameters" | "result" | "output";

const WHAT: Record<StatePayload, string> = {
  input: "input",
  parameters: "input after Parameters",
  result: "task result",
  output: "output",
};

/** What the patched library calls on every state (engine/runtime.ts): measures, records the largest, refuses what AWS refuses. */
export class StateLimits {
  /** The largest state input or output seen, in UTF-8 bytes. */
  maxStateBytes = 0;

  /**
   * Sizes already measured, each for the next check of that same object only: a state's output is
   * the next state's input (nothing runs between the two checks that could change it), and a Lambda
   * task's response is sized from the payload's text the JSON boundary made (engine/engine.ts).
   */
  private readonly sized = new WeakMap<object, number>();

  constructor(private readonly limit: number = MAX_STATE_BYTES) {}

  /** `value`'s JSON size, known to whoever made its text: its next check takes it instead of serializing it again. */
  measured(value: object, bytes: number): void {
    this.sized.set(value, bytes);
  }

  check(stateName: string, payload: StatePayload, value: unknown): void {
    const known = typeof value === "object" && value !== null ? this.sized.get(value) : undefined;
    if (known !== undefined) this.sized.delete(value as object);
    const bytes = known ?? jsonBytes(value);
    if (payload === "output" && typeof value === "object" && value !== null) this.sized.set(value, bytes);
    if (bytes > this.maxStateBytes) this.maxStateBytes = bytes;
    if (bytes > this.limit) {
      throw new DataLimitExceededError(
        `The state/task '${stateName}' ${WHAT[payload]} has a size of ${bytes} bytes, exceeding the maximum number of bytes service limit (${this.limit}).`,
      );
    }
  }
}
