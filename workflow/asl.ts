/**
 * A small typed model of the Amazon States Language (JSONPath query language).
 *
 * States form a discriminated union on `Type`. A state machine is declared with {@link machine},
 * whose type parameter is the set of its state names: a `Next`, `Default` or `StartAt` naming a
 * state that does not exist is a compile error. {@link checkGraph} then rejects what types cannot
 * express (unreachable states), and {@link render} produces the JSON that AWS receives.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** How a state ends: it names the next state, or ends its (sub-)machine. */
export type Transition<N extends string> =
  { readonly Next: N; readonly End?: never } | { readonly End: true; readonly Next?: never };

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: "FULL" | "NONE";
}

export interface Catcher<N extends string> {
  readonly ErrorEquals: readonly string[];
  readonly Next: N;
  readonly ResultPath?: string | null;
}

interface Common {
  readonly Comment?: string;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
}

interface WithResult<N extends string> extends Common {
  readonly ResultPath?: string | null;
  readonly ResultSelector?: JsonObject;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher<N>[];
}

export type TaskState<N extends string> = WithResult<N> &
  Transition<N> & {
    readonly Type: "Task";
    readonly Resource: string;
    readonly Parameters?: JsonObject;
    readonly TimeoutSeconds?: number;
  };

export type PassState<N extends string> = Common &
  Transition<N> & {
    readonly Type: "Pass";
    readonly Parameters?: JsonObject;
    readonly Result?: Json;
    readonly ResultPath?: string | null;
  };

type Comparison =
  | { readonly StringEquals: string }
  | { readonly BooleanEquals: boolean }
  | { readonly NumericGreaterThan: number }
  | { readonly NumericEquals: number }
  | { readonly IsPresent: boolean }
  | { readonly IsString: boolean }
  | { readonly IsNull: boolean };

export type Condition =
  | ({ readonly Variable: string } & Comparison)
  | { readonly And: readonly Condition[] }
  | { readonly Or: readonly Condition[] }
  | { readonly Not: Condition };

export type ChoiceRule<N extends string> = Condition & { readonly Next: N };

export interface ChoiceState<N extends string> extends Common {
  readonly Type: "Choice";
  readonly Choices: readonly ChoiceRule<N>[];
  readonly Default?: N;
}

export interface SucceedState extends Common {
  readonly Type: "Succeed";
}

export type FailState = { readonly Type: "Fail"; readonly Comment?: string } & (
  { readonly Error: string; readonly ErrorPath?: never } | { readonly ErrorPath: string; readonly Error?: never }
) &
  ({ readonly Cause: string; readonly CausePath?: never } | { readonly CausePath: string; readonly Cause?: never });

export type ParallelState<N extends string> = WithResult<N> &
  Transition<N> & {
    readonly Type: "Parallel";
    readonly Parameters?: JsonObject;
    readonly Branches: readonly SubMachine[];
  };

export type MapState<N extends string> = WithResult<N> &
  Transition<N> & {
    readonly Type: "Map";
    readonly ItemsPath: string;
    readonly ItemSelector?: JsonObject;
    readonly MaxConcurrency?: number;
    /** INLINE: iterations run inside this execution (DISTRIBUTED would start child executions). */
    readonly ItemProcessor: SubMachine & { readonly ProcessorConfig: { readonly Mode: "INLINE" } };
  };

export type State<N extends string> =
  TaskState<N> | PassState<N> | ChoiceState<N> | SucceedState | FailState | ParallelState<N> | MapState<N>;

/** A state machine, or a branch/iterator inside one: its own namespace of state names. */
export interface SubMachine {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly States: { readonly [name: string]: State<string> };
}

export interface StateMachineDefinition extends SubMachine {
  readonly TimeoutSeconds?: number;
}

/**
 * Declares a (sub-)machine. `S` is inferred from `States`, so every `Next`/`Default`/`Catch.Next`
 * and `StartAt` is checked against the names actually declared.
 */
export function machine<const S extends { readonly [K in keyof S]: State<Extract<keyof S, string>> }>(def: {
  readonly Comment?: string;
  readonly StartAt: Extract<keyof S, string>;
  readonly States: S;
  readonly TimeoutSeconds?: number;
}): StateMachineDefinition {
  return def;
}

/** Where a state goes when it completes: its Next, or its Choice rules and Default. */
export function nextStates(state: State<string>): string[] {
  const next: string[] = [];
  if ("Next" in state && typeof state.Next === "string") next.push(state.Next);
  if (state.Type === "Choice") {
    next.push(...state.Choices.map((rule) => rule.Next));
    if (state.Default !== undefined) next.push(state.Default);
  }
  return next;
}

/** Where a state goes when one of its Catchers catches an error. */
export function catchTargets(state: State<string>): string[] {
  return "Catch" in state && state.Catch ? state.Catch.map((c) => c.Next) : [];
}

/** Names of the states a state can move to. */
export function successors(state: State<string>): string[] {
  return [...nextStates(state), ...catchTargets(state)];
}

/** A state as declared: the (sub-)machine declaring it, and the Parallel or Map holding it. */
export interface DeclaredState {
  readonly state: State<string>;
  readonly scope: SubMachine;
  /** The Parallel or Map the state sits in; null at the top level. */
  readonly parent: string | null;
}

/** Every state of a machine by name, nested ones included (a name is read as its first declaration). */
export function declaredStates(def: SubMachine): Map<string, DeclaredState> {
  const declared = new Map<string, DeclaredState>();
  const visit = (scope: SubMachine, parent: string | null): void => {
    for (const [name, state] of Object.entries(scope.States)) {
      if (!declared.has(name)) declared.set(name, { state, scope, parent });
      for (const child of children(state)) visit(child, name);
    }
  };
  visit(def, null);
  return declared;
}

/** Sub-machines nested in a state (Parallel branches, Map iterator). */
export function children(state: State<string>): SubMachine[] {
  if (state.Type === "Parallel") return [...state.Branches];
  if (state.Type === "Map") return [state.ItemProcessor];
  return [];
}

/**
 * Checks what the types cannot: every state reachable from StartAt, every target declared, and at
 * least one terminal state, recursively. Throws one error listing every problem.
 */
export function checkGraph(def: SubMachine, where = "StateMachine"): void {
  const problems: string[] = [];
  const visit = (sub: SubMachine, path: string): void => {
    const names = new Set(Object.keys(sub.States));
    if (!names.has(sub.StartAt)) problems.push(`${path}: StartAt "${sub.StartAt}" is not a state`);
    const reached = new Set<string>();
    const queue = [sub.StartAt];
    while (queue.length > 0) {
      const name = queue.shift() as string;
      if (reached.has(name) || !names.has(name)) continue;
      reached.add(name);
      for (const target of successors(sub.States[name])) {
        if (!names.has(target)) problems.push(`${path}.${name}: target "${target}" is not a state`);
        queue.push(target);
      }
    }
    for (const name of names) {
      if (!reached.has(name)) problems.push(`${path}.${name}: unreachable from StartAt`);
    }
    const terminal = Object.values(sub.States).some(
      (s) => s.Type === "Succeed" || s.Type === "Fail" || ("End" in s && s.End === true),
    );
    if (!terminal) problems.push(`${path}: no terminal state`);
    for (const [name, state] of Object.entries(sub.States)) {
      children(state).forEach((child, i) => visit(child, `${path}.${name}[${i}]`));
    }
  };
  visit(def, where);
  if (problems.length > 0) throw new Error(`Invalid state machine:\n  ${problems.join("\n  ")}`);
}

/** Every state of a machine, nested ones included, in declaration order. */
export function allStates(def: SubMachine): Array<[string, State<string>]> {
  return Object.entries(def.States).flatMap(([name, state]) => [
    [name, state] as [string, State<string>],
    ...children(state).flatMap(allStates),
  ]);
}

/** The JSON AWS receives (`definition` of aws.sfn.StateMachine). */
export function render(def: StateMachineDefinition): string {
  checkGraph(def);
  return JSON.stringify(def, null, 2);
}
