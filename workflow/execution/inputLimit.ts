/**
 * Step Functions' limit on an execution's input: StartExecution refuses more than 256 KiB of UTF-8
 * JSON, so no execution starts, nothing is recorded and nothing is notified. The input files are
 * checked against it before any order runs (cli/inputs.ts), and the local engine refuses as
 * StartExecution does (engine/engine.ts).
 */
import { jsonByteLength } from "../../handlers/order/json";

/** Step Functions' limit on an execution's input, in bytes (UTF-8). */
export const MAX_INPUT_BYTES = 262_144;

/** The size of `input` as execution input: its JSON in UTF-8. */
export function inputBytes(input: unknown): number {
  return jsonByteLength(input);
}

/** The size of `input` when StartExecution would refuse it; undefined when it is within the limit. */
export function oversizedInput(input: unknown): number | undefined {
  const bytes = inputBytes(input);
  return bytes > MAX_INPUT_BYTES ? bytes : undefined;
}

/** What is wrong with an input of `bytes`: "N bytes of JSON; Step Functions accepts at most M bytes of execution input". */
export function describeOversize(bytes: number): string {
  return (
    `${bytes.toLocaleString("en-US")} bytes of JSON; Step Functions accepts at most ` +
    `${MAX_INPUT_BYTES.toLocaleString("en-US")} bytes of execution input`
  );
}

/** StartExecution refused the input: no execution started, so nothing is recorded or notified. */
export class InputTooLargeError extends Error {
  constructor(public readonly bytes: number) {
    super(`The order is ${describeOversize(bytes)}, so no execution was started.`);
    this.name = "InputTooLargeError";
  }
}
