/**
 * The simulated payment gateway's ledger: one JSON object per gateway call, in a file that survives
 * a crash (jsonLines.ts), so that a local run stopped and run again never charges an order twice.
 * Like a real provider, it honours the idempotency key: a charge (or refund) repeated with the same
 * key answers the first result and is not made again.
 *
 * Only the local engine names a ledger (in `CHARGE_LEDGER_ENV`, with `npm start -- --state-dir`); a
 * deployed stack sets no such variable, and its simulated gateway keeps no ledger.
 */
import { JsonLinesFile } from "./jsonLines";

/** The environment variable naming the ledger file; set only by the local engine. */
export const CHARGE_LEDGER_ENV = "SIMULATED_GATEWAY_LEDGER";

export interface LedgerEntry {
  readonly operation: "charge" | "refund";
  /** The order id. */
  readonly idempotencyKey: string;
  readonly approved: boolean;
  readonly chargeId: string | null;
  /** Minor units (cents). */
  readonly amount: number;
}

export type LedgerDecision = { readonly approved: true; readonly chargeId: string } | { readonly approved: false };

function parseEntry(value: unknown): LedgerEntry {
  const e = value as Partial<Record<keyof LedgerEntry, unknown>> | null;
  if (
    typeof e !== "object" ||
    e === null ||
    (e.operation !== "charge" && e.operation !== "refund") ||
    typeof e.idempotencyKey !== "string" ||
    typeof e.approved !== "boolean" ||
    !(e.chargeId === null || typeof e.chargeId === "string") ||
    !Number.isSafeInteger(e.amount)
  ) {
    throw new Error("A ledger entry must be {operation, idempotencyKey, approved, chargeId, amount}.");
  }
  return e as LedgerEntry;
}

export class ChargeLedger {
  /** The first entry of each operation for each key: what a repeated call answers. */
  private readonly first: Map<string, LedgerEntry>;

  private constructor(private readonly file: JsonLinesFile<LedgerEntry>) {
    // Set here, not as a field initializer: the Lambda's closure serializer keeps only the constructor's body.
    this.first = new Map();
    for (const entry of file.entries) this.remember(entry);
  }

  static open(path: string): ChargeLedger {
    return new ChargeLedger(JsonLinesFile.open(path, parseEntry));
  }

  /**
   * The gateway call `operation` for `idempotencyKey`: the first result if the key was seen, else
   * `decide()`'s, written to disk before it is answered.
   */
  call(
    operation: LedgerEntry["operation"],
    idempotencyKey: string,
    amount: number,
    decide: () => LedgerDecision,
  ): LedgerEntry {
    const seen = this.first.get(`${operation} ${idempotencyKey}`);
    if (seen !== undefined) return seen;
    const decision = decide();
    const entry: LedgerEntry = {
      operation,
      idempotencyKey,
      approved: decision.approved,
      chargeId: decision.approved ? decision.chargeId : null,
      amount,
    };
    this.file.append(entry);
    this.remember(entry);
    return entry;
  }

  /**
   * The approved charge of `idempotencyKey`, if any (what a refund refunds), read from the file as it
   * is now: the charge may have been written by another Lambda's ledger on the same file.
   */
  approvedCharge(idempotencyKey: string): LedgerEntry | undefined {
    for (const entry of this.file.current()) this.remember(entry);
    const charge = this.first.get(`charge ${idempotencyKey}`);
    return charge?.approved === true ? charge : undefined;
  }

  close(): void {
    this.file.close();
  }

  private remember(entry: LedgerEntry): void {
    const key = `${entry.operation} ${entry.idempotencyKey}`;
    if (!this.first.has(key)) this.first.set(key, entry);
  }
}

/** Approved charges minus approved refunds, per key: what the ledger says each order paid. */
export function netCharges(entries: readonly LedgerEntry[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const e of entries) {
    if (!e.approved) continue;
    net.set(e.idempotencyKey, (net.get(e.idempotencyKey) ?? 0) + (e.operation === "charge" ? 1 : -1));
  }
  return net;
}
