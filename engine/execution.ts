/**
 * How the local engine reads a definition and follows one execution: its Task states, the context
 * object, and the library's event log turned into the states entered, the transitions billed and
 * how the execution ended.
 */
import type { ExecutionReport } from "../workflow/execution/report";
import { ExecutionTimeoutError, StateMachine } from "./runtime";

/** The account and region the local definition and context name. */
export const LOCAL_REGION = "us-east-1";
export const ACCOUNT = "000000000000";

export type Execution = ReturnType<InstanceType<typeof StateMachine>["run"]>;

/** The events of aws-local-stepfunctions' log that the report reads. */
type EngineEvent =
  | { readonly type: "StateEntered"; readonly state: { readonly name: string; readonly input?: unknown } }
  | {
      readonly type: "StateExited";
      readonly state: { readonly name: string; readonly input?: unknown; readonly output?: unknown };
    }
  | { readonly type: "StateRetried" }
  | { readonly type: "ExecutionFailed"; readonly Error: string; readonly Cause: string }
  | { readonly type: "Other" };

/** The context object of an execution named `executionName`, with local ARNs. */
export function executionContext(executionName: string) {
  return {
    Execution: {
      Id: `arn:aws:states:${LOCAL_REGION}:${ACCOUNT}:execution:OrderWorkflow:${executionName}`,
      Name: executionName,
    },
    StateMachine: { Id: `arn:aws:states:${LOCAL_REGION}:${ACCOUNT}:stateMachine:OrderWorkflow`, Name: "OrderWorkflow" },
  };
}

/** Follows an execution to its end: the states entered, the transitions billed, and how it ended. */
export async function followExecution(execution: Execution): Promise<{
  states: string[];
  transitions: number;
  status: ExecutionReport["status"];
  failure: { error: string; cause: string } | undefined;
}> {
  const states: string[] = [];
  let transitions = 0;
  let failure: { error: string; cause: string } | undefined;
  const events = (async () => {
    for await (const event of execution.eventLogs as AsyncIterable<EngineEvent>) {
      if (event.type === "StateEntered") {
        states.push(event.state.name);
        transitions++;
      } else if (event.type === "StateRetried") {
        transitions++;
      } else if (event.type === "ExecutionFailed") {
        failure = { error: event.Error, cause: event.Cause };
      }
    }
  })();
  let status: ExecutionReport["status"] = "SUCCEEDED";
  let unhandled: unknown;
  try {
    await execution.result;
  } catch (e) {
    status = e instanceof ExecutionTimeoutError ? "TIMED_OUT" : "FAILED";
    unhandled = e;
  }
  await events;
  if (status === "TIMED_OUT") {
    failure = { error: "States.Timeout", cause: "The execution ran longer than the state machine's TimeoutSeconds." };
  } else if (status === "FAILED" && failure === undefined) {
    failure = { error: "States.Runtime", cause: unhandled instanceof Error ? unhandled.message : String(unhandled) };
  }
  return { states, transitions, status, failure };
}

/** `value`, and everything in it, frozen. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

interface TaskDefinition {
  readonly Type: string;
  readonly Resource?: string;
  readonly States?: Record<string, TaskDefinition>;
  readonly Branches?: Array<{ States: Record<string, TaskDefinition> }>;
  readonly ItemProcessor?: { States: Record<string, TaskDefinition> };
}

/** Every Task state of a definition, nested ones included. */
export function taskStates(definition: unknown): Array<[string, { Resource: string }]> {
  const found: Array<[string, { Resource: string }]> = [];
  const visit = (states: Record<string, TaskDefinition>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === "Task" && state.Resource) found.push([name, { Resource: state.Resource }]);
      for (const branch of state.Branches ?? []) visit(branch.States);
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
    }
  };
  visit((definition as { States: Record<string, TaskDefinition> }).States);
  return found;
}
