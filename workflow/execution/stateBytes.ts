/**
 * The size of a state's input or output as Step Functions measures it against its 262,144-byte
 * limit: the UTF-8 bytes of the JSON text.
 */

/** A state as the engine's events carry it: its input, and once it has run, its output. */
export interface StateData {
  readonly input?: unknown;
  readonly output?: unknown;
}

/** The UTF-8 bytes of `value` as JSON (0 for nothing). */
export function jsonBytes(value: unknown): number {
  if (value === undefined) return 0;
  return Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}

/** The larger of a state's input and output, in bytes. */
export function stateBytes(state: StateData): number {
  return Math.max(jsonBytes(state.input), jsonBytes(state.output));
}
