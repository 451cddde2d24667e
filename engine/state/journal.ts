/**
 * The execution journal of a durable local state: one line when an execution starts and one when it
 * ends, with its name, a hash of its input, its status and (once ended) its result. What a resumed
 * run reads: an execution that ended is reported from here and not run again; one that started and
 * never ended was interrupted, and is run again from the start.
 */
import { createHash } from "crypto";
import { JsonLinesFile } from "../../handlers/ports/jsonLines";
import { canonicalJson } from "../../cli/names";
import type { ExecutionReport } from "../../workflow/execution/report";

export type JournalEntry =
  | { readonly name: string; readonly inputHash: string; readonly status: "RUNNING" }
  | {
      readonly name: string;
      readonly inputHash: string;
      readonly status: ExecutionReport["status"];
      readonly result: ExecutionReport;
    };

/** What the journal says of an execution name. */
export type JournalState = JournalEntry | undefined;

/** The hash an execution's input is known by: SHA-256 of its canonical JSON (key order does not matter). */
export function inputHash(input: unknown): string {
  return createHash("sha256").update(canonicalJson(input)).digest("hex");
}

function parseEntry(value: unknown): JournalEntry {
  const e = value as { name?: unknown; inputHash?: unknown; status?: unknown; result?: unknown } | null;
  if (typeof e !== "object" || e === null || typeof e.name !== "string" || typeof e.inputHash !== "string") {
    throw new Error("expected {name, inputHash, status}");
  }
  if (e.status === "RUNNING") return e as JournalEntry;
  if ((e.status === "SUCCEEDED" || e.status === "FAILED") && typeof e.result === "object" && e.result !== null)
    return e as JournalEntry;
  throw new Error(`unknown status ${JSON.stringify(e.status)} (or an ended execution without its result)`);
}

export class ExecutionJournal {
  private readonly latest = new Map<string, JournalEntry>();

  private constructor(private readonly file: JsonLinesFile<JournalEntry>) {
    for (const entry of file.entries) this.latest.set(entry.name, entry);
  }

  static open(path: string): ExecutionJournal {
    return new ExecutionJournal(JsonLinesFile.open(path, parseEntry));
  }

  /** The last entry for `name`: undefined if it never started, RUNNING if it was interrupted. */
  get(name: string): JournalState {
    return this.latest.get(name);
  }

  /** Every name whose last entry is RUNNING: what a crash interrupted. */
  interrupted(): string[] {
    return [...this.latest.values()].filter((e) => e.status === "RUNNING").map((e) => e.name);
  }

  /**
   * Records that `name` starts. Not fsync'd: a start lost to a power cut only means the execution
   * looks never started, and runs again from the start, which is what an interrupted one does anyway.
   */
  started(name: string, hash: string): void {
    const entry: JournalEntry = { name, inputHash: hash, status: "RUNNING" };
    this.file.append(entry, { sync: false });
    this.latest.set(name, entry);
  }

  /** Records how `name` ended; on disk before this returns. */
  ended(name: string, hash: string, result: ExecutionReport): void {
    const entry: JournalEntry = { name, inputHash: hash, status: result.status, result };
    this.file.append(entry);
    this.latest.set(name, entry);
  }

  close(): void {
    this.file.close();
  }
}
