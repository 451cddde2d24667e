/**
 * The local engine on a durable state dir: the lock on DIR, the engine with its table, ledger and
 * outbox in DIR, and its executions kept in DIR's journal (durableWorkflow.ts).
 */
import { EngineOptions, LocalWorkflow } from "../engine";
import { DurableWorkflow } from "./durableWorkflow";
import { ExecutionJournal } from "./journal";
import { lockStateDir, stateDirLayout } from "./stateDir";

/** Starts the engine on `stateDir`; throws StateDirError if the folder cannot be used. */
export async function startDurable(options: Omit<EngineOptions, "stateDir" | "dynamodbEndpoint" | "tableName">, stateDir: string): Promise<{
  workflow: DurableWorkflow;
  close: () => Promise<void>;
}> {
  const layout = stateDirLayout(stateDir);
  const unlock = lockStateDir(layout);
  let engine: LocalWorkflow | undefined;
  try {
    engine = await LocalWorkflow.start({ ...options, stateDir });
    const journal = ExecutionJournal.open(layout.journal);
    const started = engine;
    return {
      workflow: new DurableWorkflow(engine, journal),
      close: async () => {
        journal.close();
        await started.close();
        unlock();
      },
    };
  } catch (error) {
    await engine?.close();
    unlock();
    throw error;
  }
}
