/**
 * The local engine on a durable state dir: the lock on DIR, the engine with its tables, ledger and
 * outbox in DIR, and its executions kept in DIR's journal (durableWorkflow.ts).
 */
import { randomInt } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { EngineOptions, LocalWorkflow } from "../engine";
import type { Stock } from "../inventory";
import { DurableWorkflow } from "./durableWorkflow";
import { ExecutionJournal } from "./journal";
import { lockStateDir, stateDirLayout } from "./stateDir";

/** Starts the engine on `stateDir`; throws StateDirError if the folder cannot be used. */
export async function startDurable(
  options: Omit<EngineOptions, "stateDir" | "dynamodbEndpoint" | "tableName">,
  stateDir: string,
): Promise<{
  workflow: DurableWorkflow;
  close: () => Promise<void>;
  /** The inventory table in DIR as it stands. */
  readInventory: () => Promise<Stock>;
}> {
  const layout = stateDirLayout(stateDir);
  const unlock = lockStateDir(layout);
  let engine: LocalWorkflow | undefined;
  try {
    engine = await LocalWorkflow.start({ ...options, seed: options.seed ?? simulationSeed(stateDir), stateDir });
    const journal = ExecutionJournal.open(layout.journal);
    const started = engine;
    return {
      workflow: new DurableWorkflow(engine, journal),
      readInventory: () => started.readInventory(),
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

/**
 * The simulation's seed of a state dir run without --seed: chosen on the first run and kept in
 * DIR/seed, so that an execution run again after a crash meets the same simulated verification and
 * stock as before and reaches the charge it already made (whose first result the ledger returns),
 * rather than ending FAILED with the charge kept.
 */
function simulationSeed(stateDir: string): string {
  const file = path.join(stateDir, "seed");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const seed = String(randomInt(2 ** 47));
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, `${seed}\n`);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  return seed;
}
