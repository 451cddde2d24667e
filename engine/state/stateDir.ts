/**
 * The layout of a durable local state (`npm start -- --state-dir DIR`), and the lock that keeps two
 * runs from using one at the same time. Everything a run leaves is in DIR:
 *
 *   table/            the orders and inventory tables (dynalite on LevelDB)
 *   executions.jsonl  the execution journal (journal.ts)
 *   outbox.jsonl      every message published to the topic, one JSON object per line
 *   charges.jsonl     the simulated payment gateway's ledger (handlers/ports/chargeLedger.ts)
 *   seed              the simulation's seed, when the run gave none (durableEngine.ts)
 *   lock              the process id of the run using DIR
 */
import * as fs from "fs";
import * as path from "path";

export interface StateDirLayout {
  readonly dir: string;
  readonly table: string;
  readonly journal: string;
  readonly outbox: string;
  readonly ledger: string;
  readonly lock: string;
}

/** The table's name in a state dir: fixed, so that a resumed run finds the records of the first. */
export const STATE_DIR_TABLE = "CustomerOrders";
/** The inventory table's name in a state dir: the stock is durable state too. */
export const STATE_DIR_INVENTORY = "Inventory";

export function stateDirLayout(dir: string): StateDirLayout {
  const at = (name: string) => path.join(dir, name);
  return {
    dir,
    table: at("table"),
    journal: at("executions.jsonl"),
    outbox: at("outbox.jsonl"),
    ledger: at("charges.jsonl"),
    lock: at("lock"),
  };
}

export class StateDirError extends Error {
  override readonly name = "StateDirError";
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Creates DIR if needed and takes its lock; returns what releases it. A lock left by a process that
 * no longer runs (one killed with SIGKILL) is taken over; one held by a live process is refused.
 */
export function lockStateDir(layout: StateDirLayout, pid: number = process.pid): () => void {
  try {
    fs.mkdirSync(layout.dir, { recursive: true });
  } catch (error) {
    throw new StateDirError(`cannot create the state dir ${layout.dir}: ${(error as Error).message}`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(layout.lock, `${pid}\n`, { flag: "wx" });
      return () => fs.rmSync(layout.lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new StateDirError(`cannot lock the state dir ${layout.dir}: ${(error as Error).message}`);
      }
      const holder = Number(fs.readFileSync(layout.lock, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== pid && alive(holder)) {
        throw new StateDirError(`the state dir ${layout.dir} is in use by process ${holder}`);
      }
      fs.rmSync(layout.lock, { force: true });
    }
  }
  throw new StateDirError(`cannot lock the state dir ${layout.dir}: another run took it at the same time`);
}
