/**
 * The workflow's invariants (docs/guarantees.md), checked over what a run left behind: the payment
 * gateway's ledger, the orders table, the notifications published, the answer of each execution and,
 * when the run used an inventory table, the stock before and after. Pure: the caller reads the data;
 * this says, per order, which invariant does not hold and why, in one sentence each.
 *
 * For every order, at the end:
 *   one-charge      at most one net approved charge (approved charges minus approved refunds);
 *   processed       a PROCESSED record exactly when there is one (with that charge's ChargeId);
 *   failed          a FAILED record when there is none (or, only if the table was unreachable
 *                   throughout, no record and an INTERNAL_ERROR answer);
 *   stock           stock lowered exactly by the units of PROCESSED orders, and never below zero;
 *   notified        at least one notification whose state matches the record, and no PROCESSED
 *                   notification (nor SUCCEEDED answer) for an order whose record is not PROCESSED;
 *   no-card-data    no card data in records, notifications, the outbox, logs or reports.
 */
import { type LedgerEntry, netCharges } from "../../handlers/ports/chargeLedger";

export type Invariant = "one-charge" | "processed" | "failed" | "stock" | "notified" | "no-card-data";

export interface Violation {
  /** The order the violation is about (null: the run as a whole, e.g. an item's stock). */
  readonly orderId: string | null;
  readonly invariant: Invariant;
  readonly message: string;
}

/** What an execution answered (its report's fields that matter here). */
export interface OrderAnswer {
  readonly orderId: string | null;
  readonly executionName: string;
  readonly status: string;
  readonly error: string | null;
}

/** A record as plain JSON (OrderId, State, ChargeId, ...). */
export type OrderRecord = Readonly<Record<string, unknown>>;

export interface RunData {
  readonly ledger: readonly LedgerEntry[];
  readonly records: readonly OrderRecord[];
  /** The notifications' bodies, as published (the outbox's messages). */
  readonly notifications: readonly unknown[];
  readonly answers: readonly OrderAnswer[];
  /** Units of each item each order asks for, by order id (one entry of orderContents.items is one unit). */
  readonly units?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The inventory table before and after the run, `{ itemId: available }`; absent: no inventory table. */
  readonly inventory?: {
    readonly initial: Readonly<Record<string, number>>;
    readonly final: Readonly<Record<string, number>>;
  };
  /** The table could not be reached at all during the run (then an INTERNAL_ERROR answer may stand for a record). */
  readonly tableUnreachable?: boolean;
  /** The card data of the run's orders (numbers, expiries, names on cards): none may appear anywhere. */
  readonly cardSecrets?: readonly string[];
  /** Further texts that must hold no card data, by name: the Lambdas' logs, the report, the outbox file. */
  readonly texts?: Readonly<Record<string, string>>;
}

const stateOf = (record: OrderRecord | undefined): string | undefined =>
  typeof record?.State === "string" ? record.State : undefined;

const idOf = (value: unknown): string | undefined => {
  const id = (value as { orderId?: unknown; OrderId?: unknown } | null)?.orderId;
  return typeof id === "string" ? id : undefined;
};

/** Every order id the run's data names. */
function orderIds(data: RunData): string[] {
  const ids = new Set<string>();
  for (const a of data.answers) if (a.orderId !== null) ids.add(a.orderId);
  for (const r of data.records) if (typeof r.OrderId === "string") ids.add(r.OrderId);
  for (const e of data.ledger) ids.add(e.idempotencyKey);
  for (const n of data.notifications) {
    const id = idOf(n);
    if (id !== undefined) ids.add(id);
  }
  return [...ids].sort();
}

/** The approved charge of `orderId` that no approved refund took back, if any. */
function keptChargeId(ledger: readonly LedgerEntry[], orderId: string): string | null | undefined {
  const mine = ledger.filter((e) => e.idempotencyKey === orderId && e.approved);
  const refunded = new Set(mine.filter((e) => e.operation === "refund").map((e) => e.chargeId));
  return mine.find((e) => e.operation === "charge" && !refunded.has(e.chargeId))?.chargeId;
}

/** one-charge, processed and failed, for one order. */
function moneyAndRecord(data: RunData, orderId: string, net: number, record: OrderRecord | undefined): Violation[] {
  const found: Violation[] = [];
  const v = (invariant: Invariant, message: string) => found.push({ orderId, invariant, message });
  const state = stateOf(record);
  const shown = state === undefined ? "no record" : `a ${state} record`;
  if (net > 1)
    v(
      "one-charge",
      `Order ${orderId} has ${net} net approved charges in the gateway's ledger; at most one is allowed.`,
    );
  if (net < 0) v("one-charge", `Order ${orderId} was refunded more often than it was charged (net ${net}).`);
  if (net >= 1 && state !== "PROCESSED") {
    v("processed", `Order ${orderId} holds an approved charge that was not refunded, but has ${shown}, not PROCESSED.`);
  }
  if (state === "PROCESSED" && net !== 1) {
    v(
      "processed",
      `Order ${orderId} is recorded PROCESSED, but the gateway's ledger holds ${net} net approved charges, not 1.`,
    );
  }
  if (state === "PROCESSED" && net === 1) {
    const kept = keptChargeId(data.ledger, orderId);
    if (record?.ChargeId !== kept) {
      v(
        "processed",
        `Order ${orderId} is recorded PROCESSED with ChargeId ${String(record?.ChargeId)}, but the charge kept is ${String(kept)}.`,
      );
    }
  }
  if (net <= 0 && state !== "FAILED" && state !== "PROCESSED") {
    const internal = data.answers.some((a) => a.orderId === orderId && a.error === "INTERNAL_ERROR");
    if (!(state === undefined && internal && data.tableUnreachable === true)) {
      v("failed", `Order ${orderId} holds no charge, so it must be recorded FAILED, but it has ${shown}.`);
    }
  }
  return found;
}

/** notified, for one order: a notification matching the record, and nothing announcing a charge that is not. */
function notified(data: RunData, orderId: string, record: OrderRecord | undefined): Violation[] {
  const found: Violation[] = [];
  const v = (message: string) => found.push({ orderId, invariant: "notified", message });
  const state = stateOf(record) ?? "FAILED";
  const mine = data.notifications.filter((n) => idOf(n) === orderId);
  const states = mine.map((n) => (n as { state?: unknown }).state);
  if (!states.includes(state)) {
    v(`Order ${orderId} is ${state}, but none of its ${mine.length} notifications says ${state}.`);
  }
  if (state !== "PROCESSED" && states.includes("PROCESSED")) {
    v(`Order ${orderId} was announced PROCESSED (charged), but its record is ${stateOf(record) ?? "missing"}.`);
  }
  for (const a of data.answers) {
    if (a.orderId === orderId && a.status === "SUCCEEDED" && state !== "PROCESSED") {
      v(
        `Execution ${a.executionName} answered SUCCEEDED for order ${orderId}, whose record is ${stateOf(record) ?? "missing"}.`,
      );
    }
  }
  return found;
}

/** stock: each item lowered by exactly the units of PROCESSED orders, and never below zero. */
function stock(data: RunData, records: ReadonlyMap<string, OrderRecord>): Violation[] {
  if (data.inventory === undefined) return [];
  const { initial, final } = data.inventory;
  const sold = new Map<string, number>();
  for (const [orderId, units] of Object.entries(data.units ?? {})) {
    if (stateOf(records.get(orderId)) !== "PROCESSED") continue;
    for (const [item, n] of Object.entries(units)) sold.set(item, (sold.get(item) ?? 0) + n);
  }
  const found: Violation[] = [];
  const items = new Set([...Object.keys(initial), ...Object.keys(final), ...sold.keys()]);
  for (const item of [...items].sort()) {
    const [before, after, expected] = [initial[item] ?? 0, final[item] ?? 0, sold.get(item) ?? 0];
    if (after < 0) {
      found.push({ orderId: null, invariant: "stock", message: `Item ${item} ends below zero (${after} available).` });
    }
    if (before - after !== expected) {
      found.push({
        orderId: null,
        invariant: "stock",
        message: `Item ${item} went from ${before} to ${after} (down ${before - after}), but PROCESSED orders took ${expected} units of it.`,
      });
    }
  }
  return found;
}

/** no-card-data: no secret in any record, notification or text. */
function cardData(data: RunData): Violation[] {
  const secrets = (data.cardSecrets ?? []).filter((s) => s !== "");
  if (secrets.length === 0) return [];
  const places: Array<{ orderId: string | null; where: string; text: string }> = [
    ...data.records.map((r) => ({
      orderId: idOf({ orderId: r.OrderId }) ?? null,
      where: "its record",
      text: JSON.stringify(r),
    })),
    ...data.notifications.map((n) => ({ orderId: idOf(n) ?? null, where: "a notification", text: JSON.stringify(n) })),
    ...Object.entries(data.texts ?? {}).map(([where, text]) => ({ orderId: null, where, text })),
  ];
  const found: Violation[] = [];
  for (const place of places) {
    const secret = secrets.find((s) => place.text.includes(s));
    if (secret === undefined) continue;
    const about = place.orderId === null ? "" : ` of order ${place.orderId}`;
    found.push({
      orderId: place.orderId,
      invariant: "no-card-data",
      message: `Card data (${secret.length} characters, ending ${secret.slice(-2)}) appears in ${place.where}${about}.`,
    });
  }
  return found;
}

/** Every violation of the invariants in a run's data; empty when they all hold. */
export function checkInvariants(data: RunData): Violation[] {
  const records = new Map<string, OrderRecord>();
  for (const r of data.records) if (typeof r.OrderId === "string") records.set(r.OrderId, r);
  const net = netCharges(data.ledger);
  const found: Violation[] = [];
  for (const orderId of orderIds(data)) {
    const record = records.get(orderId);
    found.push(...moneyAndRecord(data, orderId, net.get(orderId) ?? 0, record));
    found.push(...notified(data, orderId, record));
  }
  return [...found, ...stock(data, records), ...cardData(data)];
}

/** The violations as lines for an assertion message. */
export function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.invariant}: ${v.message}`).join("\n");
}
