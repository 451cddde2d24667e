/**
 * A workflow whose executions are kept in a journal (journal.ts), as a STANDARD state machine keeps
 * them: a name starts at most one execution. Starting a name that already ended reports that
 * execution's result, as a client calling DescribeExecution would find it; starting it with another
 * input is refused, as StartExecution refuses with ExecutionAlreadyExists; starting a name that is
 * running joins that execution. A name journaled as started but never ended was interrupted by a
 * crash: it runs again from the start, which is safe because every step of the workflow is
 * idempotent (the charge is keyed by the order id, at the gateway and on the record).
 */
import type { ExecutionReport } from "../../workflow/execution/report";
import { ExecutionJournal, inputHash } from "./journal";

/** What runs the executions: the local engine. */
export interface ExecutionRunner {
  readonly definition: string;
  run(input: unknown, executionName: string): Promise<ExecutionReport>;
}

/** Where a report came from: run now, or read from the journal (an execution that ran before). */
export type Provenance = "ran" | "journal" | "refused";

export class DurableWorkflow {
  private readonly running = new Map<string, { readonly hash: string; readonly result: Promise<ExecutionReport> }>();
  /** How many reports came from where, for the run's summary. */
  readonly counts: Record<Provenance, number> = { ran: 0, journal: 0, refused: 0 };

  constructor(
    private readonly runner: ExecutionRunner,
    private readonly journal: ExecutionJournal,
  ) {}

  get definition(): string {
    return this.runner.definition;
  }

  async run(input: unknown, executionName?: string): Promise<ExecutionReport> {
    if (executionName === undefined)
      throw new Error("a durable run needs a name for every execution, so that a rerun finds it");
    const hash = inputHash(input);
    const knownHash = this.running.get(executionName)?.hash ?? this.journal.get(executionName)?.inputHash;
    if (knownHash !== undefined && knownHash !== hash) {
      this.counts.refused++;
      return alreadyExists(executionName);
    }
    const inFlight = this.running.get(executionName);
    if (inFlight !== undefined) return inFlight.result;
    const ended = this.journal.get(executionName);
    if (ended !== undefined && ended.status !== "RUNNING") {
      this.counts.journal++;
      return ended.result;
    }
    const result = this.execute(input, executionName, hash);
    this.running.set(executionName, { hash, result });
    try {
      return await result;
    } finally {
      this.running.delete(executionName);
    }
  }

  private async execute(input: unknown, executionName: string, hash: string): Promise<ExecutionReport> {
    this.journal.started(executionName, hash);
    const report = await this.runner.run(input, executionName);
    this.journal.ended(executionName, hash, report);
    this.counts.ran++;
    return report;
  }
}

/** StartExecution's answer to a name that ran with another input: no execution, nothing charged. */
function alreadyExists(executionName: string): ExecutionReport {
  return {
    orderId: null,
    executionName,
    status: "FAILED",
    error: "ExecutionAlreadyExists",
    cause: `Execution already exists: '${executionName}' ran with a different input; an execution name starts at most one execution`,
    states: [],
    transitions: 0,
    charged: false,
    record: null,
    notifications: [],
    published: [],
    lambdaInvocations: 0,
  };
}
