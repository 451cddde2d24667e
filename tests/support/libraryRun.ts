/**
 * Runs a small definition on the patched aws-local-stepfunctions (engine/runtime.ts) with the
 * engine's hooks, the virtual clock and the payload quota, and task handlers given by the test.
 */
import { VirtualClock } from "../../engine/clock";
import { StateLimits } from "../../engine/limits";
import { ExecutionTimeoutError, StateMachine } from "../../engine/runtime";

export type Handler = (input: unknown, clock: VirtualClock) => Promise<unknown>;

export interface LibraryOutcome {
  readonly status: "SUCCEEDED" | "FAILED" | "TIMED_OUT";
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly elapsedMs: number;
  readonly maxStateBytes: number;
  readonly retries: number;
}

interface FailedEvent {
  readonly type: string;
  readonly Error?: string;
  readonly Cause?: string;
}

export async function runDefinition(
  definition: object,
  input: unknown,
  handlers: Record<string, Handler> = {},
): Promise<LibraryOutcome> {
  const clock = new VirtualClock();
  const limits = new StateLimits();
  const taskResourceLocalHandlers = Object.fromEntries(
    Object.entries(handlers).map(([name, h]) => [name, (i: unknown) => h(i, clock)]),
  );
  const machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
  const execution = machine.run(input as never, { overrides: { taskResourceLocalHandlers }, clock, limits } as never);
  let failed: FailedEvent | undefined;
  let retries = 0;
  const events = (async () => {
    for await (const event of execution.eventLogs as AsyncIterable<FailedEvent>) {
      if (event.type === "ExecutionFailed") failed = event;
      if (event.type === "StateRetried") retries++;
    }
  })();
  const base = () => ({ elapsedMs: clock.elapsedMs, maxStateBytes: limits.maxStateBytes, retries });
  try {
    const output = await execution.result;
    await events;
    return { status: "SUCCEEDED", output, ...base() };
  } catch (e) {
    await events;
    if (e instanceof ExecutionTimeoutError) return { status: "TIMED_OUT", error: "States.Timeout", ...base() };
    return { status: "FAILED", error: failed?.Error, cause: failed?.Cause, ...base() };
  }
}

/** An error as a task integration raises it. */
export function taskError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
