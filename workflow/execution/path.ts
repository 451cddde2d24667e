/**
 * The path an execution took, as the console's graph shows it: how each state it entered fared,
 * and which transitions it took. This is the one derivation; the text report (cli/format.ts) reads
 * it as a list of steps, the HTML report (cli/report/) as a status per state of the graph.
 *
 * A report lists only the names of the states entered, in order, so each entry's outcome is read
 * off the definition and off where the execution went next:
 *
 * - a Fail state entered failed; a Succeed state entered succeeded;
 * - another state entered went somewhere next: at the top level, states run one at a time, so that
 *   is the next top-level state entered; inside a Parallel branch or Map iteration (which
 *   interleave) it is the first later entry of one of its targets not already claimed by another
 *   entry. Its Next (or a Choice rule, or Default) means succeeded; one of its Catch targets means
 *   caught. A target both its Next and a Catch's (RecordFailedOrder, NotifyOrderFailed) cannot be
 *   told apart: succeeded, as it usually goes. A state entered next that is neither (impossible in
 *   a run of this definition): unknown;
 * - the last top-level state of a FAILED execution that is not a Fail state let the error out:
 *   failed; of a SUCCEEDED execution: succeeded;
 * - a nested state that went nowhere ended its branch: succeeded when its Parallel or Map
 *   succeeded; otherwise unknown, since the branch may have failed there or been stopped (which
 *   Task inside a failed Parallel failed, the names cannot tell);
 * - a name the definition does not declare: unknown, and never anyone's next state.
 *
 * Where a state was entered several times (a Map's iterations, a loop), the view by state shows
 * its worst outcome.
 */
import { DeclaredState, State, SubMachine, catchTargets, children, declaredStates, nextStates } from "../asl";
import type { ExecutionReport } from "./report";

/** How one entry of a state fared. `unknown`: entered, but the states entered cannot tell how it ended. */
export type StepOutcome = "succeeded" | "failed" | "caught" | "unknown";

/** How a state of the definition fared in one execution, as the console's legend says it. */
export type StateStatus = StepOutcome | "not-entered";

export const STATE_STATUSES: readonly StateStatus[] = ["succeeded", "failed", "caught", "unknown", "not-entered"];

/** Worse outcomes win when a state was entered more than once (loops, Map iterations). */
const SEVERITY: Readonly<Record<StateStatus, number>> = {
  "not-entered": 0,
  succeeded: 1,
  unknown: 2,
  caught: 3,
  failed: 4,
};

const worse = <S extends StateStatus>(a: S, b: S): S => (SEVERITY[b] > SEVERITY[a] ? b : a);

/** The key of a transition: `caught` when it is a Catch's, false for Next, a Choice rule or Default. */
export function transitionKey(from: string, to: string, caught: boolean): string {
  return JSON.stringify([from, to, caught]);
}

/** The derivation: one outcome per entry of the states entered. */
export interface DerivedRun {
  readonly declared: ReadonlyMap<string, DeclaredState>;
  /** The states entered, in order. */
  readonly states: readonly string[];
  /** How each entry fared, index for index with `states`. */
  readonly outcomes: readonly StepOutcome[];
  /** For a caught entry: the state its catcher went on to. */
  readonly caughtTo: ReadonlyArray<string | undefined>;
  /** The transitions taken, as {@link transitionKey} gives them. */
  readonly taken: ReadonlySet<string>;
}

/** Where entry `i` went next: the index of the entry it led to, or undefined when it led nowhere. */
function nextEntry(
  declared: ReadonlyMap<string, DeclaredState>,
  states: readonly string[],
  i: number,
  claimed: ReadonlySet<number>,
): number | undefined {
  const { state, scope, parent } = declared.get(states[i]) as DeclaredState;
  const targets = new Set([...nextStates(state), ...catchTargets(state)]);
  for (let j = i + 1; j < states.length; j++) {
    const there = declared.get(states[j]);
    if (there === undefined || there.scope !== scope || claimed.has(j)) continue;
    if (parent === null || targets.has(states[j])) return j;
  }
  return undefined;
}

/** The outcome of an entry of `state` that led to `to`, and whether through a Catch (undefined: neither way). */
function ledTo(state: State<string>, to: string): { outcome: StepOutcome; caught: boolean | undefined } {
  if (nextStates(state).includes(to)) return { outcome: "succeeded", caught: false };
  if (catchTargets(state).includes(to)) return { outcome: "caught", caught: true };
  return { outcome: "unknown", caught: undefined };
}

/** How each state entered fared in an execution that entered `states` (in order) and ended with `status`. */
export function deriveRun(
  definition: SubMachine,
  states: readonly string[],
  status: ExecutionReport["status"],
): DerivedRun {
  const declared = declaredStates(definition);
  const outcomes: Array<StepOutcome | "ended"> = [];
  const caughtTo: Array<string | undefined> = [];
  const taken = new Set<string>();
  const claimed = new Set<number>();
  states.forEach((name, i) => {
    const here = declared.get(name);
    caughtTo.push(undefined);
    if (here === undefined) return outcomes.push("unknown");
    if (here.state.Type === "Fail") return outcomes.push("failed");
    if (here.state.Type === "Succeed") return outcomes.push("succeeded");
    const next = nextEntry(declared, states, i, claimed);
    if (next === undefined) {
      if (here.parent !== null) return outcomes.push("ended");
      return outcomes.push(status === "SUCCEEDED" ? "succeeded" : "failed");
    }
    claimed.add(next);
    const { outcome, caught } = ledTo(here.state, states[next]);
    if (caught !== undefined) taken.add(transitionKey(name, states[next], caught));
    if (caught === true) caughtTo[i] = states[next];
    return outcomes.push(outcome);
  });
  // In order, so that a Parallel's or Map's outcome is known before the branches it holds end.
  const resolved: StepOutcome[] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome !== "ended") return resolved.push(outcome);
    const parent = (declared.get(states[i]) as DeclaredState).parent;
    const container = states.lastIndexOf(parent as string, i - 1);
    return resolved.push(container >= 0 && resolved[container] === "succeeded" ? "succeeded" : "unknown");
  });
  return { declared, states, outcomes: resolved, caughtTo, taken };
}

// ---------------------------------------------------------------------------------------------
// The path as steps (the text report)
// ---------------------------------------------------------------------------------------------

export interface Step {
  readonly name: string;
  /** The state's type; undefined for a name the definition does not have. */
  readonly type: State<string>["Type"] | undefined;
  readonly outcome: StepOutcome;
  /** Times entered: a Map enters its states once per item. */
  readonly count: number;
  /** For a caught step: the state its catcher went on to. */
  readonly caughtTo?: string;
  /** States entered inside a Parallel or Map, each listed once with its count and worst outcome. */
  readonly children: readonly Step[];
}

/**
 * The path as the console lists it: each top-level state entered, in order, with the states
 * entered inside it (once each, in the order first entered, with their counts) nested under it.
 */
export function executionPath(
  definition: SubMachine,
  states: readonly string[],
  status: ExecutionReport["status"],
): Step[] {
  const run = deriveRun(definition, states, status);
  // The top level runs one state at a time; everything nested follows the Parallel or Map it is in.
  const entries: Array<{ index: number; nested: number[] }> = [];
  states.forEach((name, index) => {
    const parent = run.declared.get(name)?.parent ?? null;
    if (parent === null || entries.length === 0) entries.push({ index, nested: [] });
    else entries[entries.length - 1].nested.push(index);
  });
  return entries.map(({ index, nested }): Step => {
    const name = states[index];
    const caughtTo = run.caughtTo[index];
    return {
      name,
      type: run.declared.get(name)?.state.Type,
      outcome: run.outcomes[index],
      count: 1,
      ...(caughtTo === undefined ? {} : { caughtTo }),
      children: nestedSteps(run, name, nested),
    };
  });
}

/** The states entered directly inside `parent`, among the entries `nested`. */
function nestedSteps(run: DerivedRun, parent: string, nested: readonly number[]): Step[] {
  const byName = new Map<string, { count: number; outcome: StepOutcome }>();
  for (const index of nested) {
    const name = run.states[index];
    if (run.declared.get(name)?.parent !== parent) continue;
    const seen = byName.get(name);
    if (seen === undefined) byName.set(name, { count: 1, outcome: run.outcomes[index] });
    else byName.set(name, { count: seen.count + 1, outcome: worse(seen.outcome, run.outcomes[index]) });
  }
  return [...byName].map(([name, { count, outcome }]): Step => ({
    name,
    type: (run.declared.get(name) as DeclaredState).state.Type,
    outcome,
    count,
    children: nestedSteps(run, name, nested),
  }));
}

// ---------------------------------------------------------------------------------------------
// The path by state (the graph)
// ---------------------------------------------------------------------------------------------

/** The path of one execution through the definition, state by state. */
export interface PathByState {
  /** Every state of the definition, nested ones included, with how it fared (its worst entry). */
  readonly statuses: ReadonlyMap<string, StateStatus>;
  /** The transitions taken, as {@link transitionKey} gives them. */
  readonly taken: ReadonlySet<string>;
}

/** How every state of `definition` fared in `run`; names the definition does not declare are left out. */
export function pathByState(definition: SubMachine, run: Pick<ExecutionReport, "states" | "status">): PathByState {
  const derived = deriveRun(definition, run.states, run.status);
  const worst = new Map<string, StepOutcome>();
  derived.states.forEach((name, i) => {
    const seen = worst.get(name);
    worst.set(name, seen === undefined ? derived.outcomes[i] : worse(seen, derived.outcomes[i]));
  });
  const statuses = new Map<string, StateStatus>();
  const visit = (scope: SubMachine): void => {
    for (const [name, state] of Object.entries(scope.States)) {
      if (statuses.has(name)) continue;
      statuses.set(name, worst.get(name) ?? "not-entered");
      for (const child of children(state)) visit(child);
    }
  };
  visit(definition);
  return { statuses, taken: derived.taken };
}
