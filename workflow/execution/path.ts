/**
 * The path an execution took, as the console's graph shows it: the states entered, nested ones
 * under their Parallel or Map, each marked succeeded, failed or caught.
 *
 * A report lists only the names of the states entered, so each state's outcome is read off the
 * definition: a Fail state failed; a state followed by one of its Catch targets (and not by one of
 * its ordinary successors) caught an error; the last state of a failed execution failed. The names
 * cannot tell which Task inside a failed Parallel or Map failed: those are marked unknown. Nor can
 * they tell whether a state whose Catch goes where its Next goes (RecordFailedOrder,
 * NotifyOrderFailed) caught anything: it is shown as it usually goes, succeeded.
 */
import { DeclaredState, State, SubMachine, catchTargets, declaredStates, nextStates } from "../asl";

export type StepOutcome = "succeeded" | "failed" | "caught" | "unknown";

export interface Step {
  readonly name: string;
  /** The state's type; undefined for a name the definition does not have. */
  readonly type: State<string>["Type"] | undefined;
  readonly outcome: StepOutcome;
  /** Times entered: a Map enters its states once per item. */
  readonly count: number;
  /** For a caught step: the state its catcher went on to. */
  readonly caughtTo?: string;
  /** States entered inside a Parallel or Map, each listed once with its count. */
  readonly children: readonly Step[];
}

/** The path of an execution that entered `states` (in order, nested ones included) and ended with `status`. */
export function executionPath(definition: SubMachine, states: readonly string[], status: "SUCCEEDED" | "FAILED"): Step[] {
  const infos = declaredStates(definition);
  // The top level runs one state at a time; everything nested follows the Parallel or Map it is in.
  const entries: Array<{ name: string; nested: string[] }> = [];
  for (const name of states) {
    const parent = infos.get(name)?.parent ?? null;
    if (parent === null || entries.length === 0) entries.push({ name, nested: [] });
    else entries[entries.length - 1].nested.push(name);
  }
  return entries.map((entry, i): Step => {
    const state = infos.get(entry.name)?.state;
    const following = entries[i + 1]?.name;
    let outcome: StepOutcome = "succeeded";
    let caughtTo: string | undefined;
    if (state?.Type === "Fail") {
      outcome = "failed";
    } else if (following === undefined) {
      outcome = status === "FAILED" ? "failed" : "succeeded";
    } else if (state && catchTargets(state).includes(following) && !nextStates(state).includes(following)) {
      outcome = "caught";
      caughtTo = following;
    }
    return {
      name: entry.name,
      type: state?.Type,
      outcome,
      count: 1,
      ...(caughtTo === undefined ? {} : { caughtTo }),
      children: nestedSteps(infos, entry.name, entry.nested, outcome),
    };
  });
}

/** The states entered inside `parent`, once each in the order first entered, with their counts. */
function nestedSteps(infos: Map<string, DeclaredState>, parent: string, entered: readonly string[], parentOutcome: StepOutcome): Step[] {
  const counts = new Map<string, number>();
  for (const name of entered) {
    if (infos.get(name)?.parent === parent) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, count]): Step => {
    const state = (infos.get(name) as DeclaredState).state;
    let outcome: StepOutcome;
    if (state.Type === "Fail") outcome = "failed";
    else if (parentOutcome === "succeeded") outcome = "succeeded";
    // Inside a Parallel or Map that failed, only a state that cannot fail is known to have succeeded.
    else outcome = state.Type === "Choice" || state.Type === "Pass" || state.Type === "Succeed" ? "succeeded" : "unknown";
    return { name, type: state.Type, outcome, count, children: nestedSteps(infos, name, entered, outcome) };
  });
}
