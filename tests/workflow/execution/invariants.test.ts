/**
 * The invariant checker (workflow/execution/invariants.ts) on hand-built runs: a run where every
 * invariant holds, and one run breaking each invariant, each named with its order and a sentence.
 */
import * as assert from "assert";
import type { LedgerEntry } from "../../../handlers/ports/chargeLedger";
import { Invariant, RunData, Violation, checkInvariants } from "../../../workflow/execution/invariants";

const charge = (orderId: string, chargeId: string, approved = true): LedgerEntry => ({
  operation: "charge",
  idempotencyKey: orderId,
  approved,
  chargeId: approved ? chargeId : null,
  amount: 1000,
});
const refund = (orderId: string, chargeId: string): LedgerEntry => ({
  operation: "refund",
  idempotencyKey: orderId,
  approved: true,
  chargeId,
  amount: 1000,
});
const answer = (orderId: string, status: string, error: string | null = null) => ({
  orderId,
  executionName: `exec-${orderId}`,
  status,
  error,
});

/** Three orders that end well: one charged, one declined, one charged then refunded (a compensation). */
function goodRun(): RunData {
  return {
    ledger: [charge("a", "ch_a"), charge("b", "", false), charge("c", "ch_c"), refund("c", "ch_c")],
    records: [
      { OrderId: "a", State: "PROCESSED", ChargeId: "ch_a" },
      { OrderId: "b", State: "FAILED", FailureReason: "PAYMENT_FAILED" },
      { OrderId: "c", State: "FAILED", FailureReason: "INTERNAL_ERROR", RefundId: "re_c" },
    ],
    notifications: [
      { orderId: "a", state: "PROCESSED" },
      { orderId: "b", state: "FAILED" },
      { orderId: "c", state: "FAILED" },
    ],
    answers: [
      answer("a", "SUCCEEDED"),
      answer("b", "FAILED", "PAYMENT_FAILED"),
      answer("c", "FAILED", "INTERNAL_ERROR"),
    ],
    units: { a: { apple: 2, pear: 1 }, b: { apple: 1 }, c: { pear: 1 } },
    inventory: { initial: { apple: 5, pear: 1 }, final: { apple: 3, pear: 0 } },
    cardSecrets: ["5555555555554444", "12/30", "John Doe"],
    texts: { "the Lambdas' logs": '{"handler":"chargePayment","orderId":"a","outcome":"charged"}' },
  };
}

/** The run after `edit`, and the invariants it breaks. */
function broken(edit: (run: { -readonly [K in keyof RunData]: RunData[K] }) => void): Violation[] {
  const run = { ...goodRun() };
  edit(run);
  return checkInvariants(run);
}

const names = (violations: readonly Violation[]): Invariant[] => [...new Set(violations.map((v) => v.invariant))];

describe("invariants", () => {
  it("hold for a run where every order ended right (a charge, a decline, a refunded charge)", () => {
    assert.deepStrictEqual(checkInvariants(goodRun()), []);
  });

  it("one-charge: two net approved charges for one order", () => {
    const found = broken((run) => {
      run.ledger = [...goodRun().ledger, { ...charge("a", "ch_a2") }];
    });
    assert.ok(
      found.some((v) => v.invariant === "one-charge" && v.orderId === "a" && /2 net approved charges/.test(v.message)),
    );
  });

  it("processed: an approved charge kept, but the order recorded FAILED (the first defect)", () => {
    const found = broken((run) => {
      run.records = goodRun().records.map((r) => (r.OrderId === "a" ? { OrderId: "a", State: "FAILED" } : r));
      run.notifications = [{ orderId: "a", state: "FAILED" }, ...goodRun().notifications.slice(1)];
      run.answers = [answer("a", "FAILED", "INTERNAL_ERROR"), ...goodRun().answers.slice(1)];
      run.inventory = { initial: { apple: 5, pear: 1 }, final: { apple: 5, pear: 1 } };
    });
    assert.deepStrictEqual(names(found), ["processed"]);
    assert.match(found[0].message, /^Order a holds an approved charge that was not refunded, but has a FAILED record/);
  });

  it("processed: a PROCESSED record whose ChargeId is not the charge the ledger kept", () => {
    const found = broken((run) => {
      run.records = goodRun().records.map((r) => (r.OrderId === "a" ? { ...r, ChargeId: "ch_other" } : r));
    });
    assert.deepStrictEqual(
      found.map((v) => [v.invariant, v.orderId]),
      [["processed", "a"]],
    );
    assert.match(found[0].message, /ChargeId ch_other, but the charge kept is ch_a/);
  });

  it("processed: a PROCESSED record with no charge in the ledger", () => {
    const found = broken((run) => {
      run.ledger = goodRun().ledger.filter((e) => e.idempotencyKey !== "a");
    });
    assert.deepStrictEqual(names(found), ["processed"]);
    assert.match(found[0].message, /recorded PROCESSED, but the gateway's ledger holds 0 net approved charges/);
  });

  it("failed: an order without a charge and without a FAILED record (left PROCESSING)", () => {
    const found = broken((run) => {
      run.records = goodRun().records.map((r) => (r.OrderId === "b" ? { OrderId: "b", State: "PROCESSING" } : r));
    });
    assert.ok(
      found.some((v) => v.invariant === "failed" && v.orderId === "b" && /has a PROCESSING record/.test(v.message)),
    );
  });

  it("failed: no record at all is allowed only with an INTERNAL_ERROR answer while the table was unreachable", () => {
    const run = { ...goodRun(), records: goodRun().records.filter((r) => r.OrderId !== "c") };
    assert.deepStrictEqual(
      checkInvariants(run).map((v) => [v.invariant, v.orderId]),
      [["failed", "c"]],
    );
    assert.deepStrictEqual(checkInvariants({ ...run, tableUnreachable: true }), []);
  });

  it("stock: an item lowered by more than the PROCESSED orders took", () => {
    const found = broken((run) => {
      run.inventory = { initial: { apple: 5, pear: 1 }, final: { apple: 2, pear: 0 } };
    });
    assert.deepStrictEqual(
      found.map((v) => [v.invariant, v.orderId, v.message]),
      [["stock", null, "Item apple went from 5 to 2 (down 3), but PROCESSED orders took 2 units of it."]],
    );
  });

  it("stock: an item below zero", () => {
    const found = broken((run) => {
      run.inventory = { initial: { apple: 1, pear: 1 }, final: { apple: -1, pear: 0 } };
    });
    assert.ok(found.some((v) => v.invariant === "stock" && v.message === "Item apple ends below zero (-1 available)."));
  });

  it("notified: no notification whose state matches the record", () => {
    const found = broken((run) => {
      run.notifications = goodRun().notifications.filter((n) => (n as { orderId: string }).orderId !== "b");
    });
    assert.deepStrictEqual(
      found.map((v) => [v.invariant, v.orderId, v.message]),
      [["notified", "b", "Order b is FAILED, but none of its 0 notifications says FAILED."]],
    );
  });

  it("notified: a charge announced that did not happen (the second defect)", () => {
    const found = broken((run) => {
      run.notifications = [...goodRun().notifications, { orderId: "b", state: "PROCESSED" }];
      run.answers = [...goodRun().answers, { orderId: "b", executionName: "rerun", status: "SUCCEEDED", error: null }];
    });
    assert.deepStrictEqual(
      found.map((v) => v.message),
      [
        "Order b was announced PROCESSED (charged), but its record is FAILED.",
        "Execution rerun answered SUCCEEDED for order b, whose record is FAILED.",
      ],
    );
  });

  it("no-card-data: a card number in a record, an expiry in a notification, a name in the logs", () => {
    const found = broken((run) => {
      run.records = [...goodRun().records.slice(0, 2), { ...goodRun().records[2], Card: "5555555555554444" }];
      run.notifications = [...goodRun().notifications.slice(0, 2), { orderId: "c", state: "FAILED", note: "12/30" }];
      run.texts = { "the Lambdas' logs": "card holder John Doe" };
    });
    assert.deepStrictEqual(
      found.map((v) => [v.invariant, v.orderId]),
      [
        ["no-card-data", "c"],
        ["no-card-data", "c"],
        ["no-card-data", null],
      ],
    );
    assert.ok(found.every((v) => !v.message.includes("5555555555554444") && !v.message.includes("John Doe")));
  });
});
