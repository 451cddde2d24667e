/** The durable JSON-lines file, the simulated gateway's ledger and the execution journal. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ChargeLedger, LedgerEntry, netCharges } from "../../../handlers/ports/chargeLedger";
import { JsonLinesFile } from "../../../handlers/ports/jsonLines";
import { SimulatedPaymentGateway } from "../../../handlers/ports/payments";
import { randomFactory } from "../../../handlers/ports/random";
import { ExecutionJournal, inputHash } from "../../../engine/state/journal";
import type { ExecutionReport } from "../../../workflow/execution/report";

const ORDER = { idempotencyKey: "order-1", amountMinor: 1250, paymentToken: "tok", customerId: "c-1" };

describe("durable local state", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "state-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("a JSON-lines file", () => {
    it("drops a torn last line on opening, and the next append starts a line of its own", () => {
      const file = path.join(dir, "log.jsonl");
      fs.writeFileSync(file, '{"a":1}\n{"a":2}\n{"a":');
      const log = JsonLinesFile.open(file, (v) => v as { a: number });
      assert.deepStrictEqual(log.entries, [{ a: 1 }, { a: 2 }]);
      log.append({ a: 3 });
      log.close();
      assert.strictEqual(fs.readFileSync(file, "utf8"), '{"a":1}\n{"a":2}\n{"a":3}\n');
    });

    it("drops a last line that is whole JSON but has no newline: its write may not have ended", () => {
      const file = path.join(dir, "log.jsonl");
      fs.writeFileSync(file, '{"a":1}\n{"a":2}');
      const log = JsonLinesFile.open(file, (v) => v);
      assert.deepStrictEqual(log.entries, [{ a: 1 }]);
      log.close();
    });

    it("refuses a bad line that is not the last: that is corruption, not a crash", () => {
      const file = path.join(dir, "log.jsonl");
      fs.writeFileSync(file, '{"a":1}\n{"a"\n{"a":3}\n');
      assert.throws(() => JsonLinesFile.open(file, (v) => v), /Line 2 of .*log\.jsonl is not a valid entry/);
    });
  });

  describe("the simulated gateway with a ledger", () => {
    const gateway = (ledger: ChargeLedger, chargeFailureRate: number, seed?: string) =>
      new SimulatedPaymentGateway({ paymentFailureRate: 0, chargeFailureRate }, randomFactory(seed), ledger);

    it("charges a key once: a repeated charge answers the first result and writes nothing", async () => {
      const file = path.join(dir, "charges.jsonl");
      const ledger = ChargeLedger.open(file);
      const first = await gateway(ledger, 0).charge(ORDER);
      assert.strictEqual(first.approved, true);
      // Even a gateway that would now decline answers the first (approved) result.
      assert.deepStrictEqual(await gateway(ledger, 1).charge(ORDER), first);
      ledger.close();
      const lines = fs
        .readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as LedgerEntry);
      assert.deepStrictEqual(lines, [
        {
          operation: "charge",
          idempotencyKey: "order-1",
          approved: true,
          chargeId: (first as { chargeId: string }).chargeId,
          amount: 1250,
        },
      ]);
    });

    it("keeps the key across a crash: a ledger opened again (torn last line and all) does not charge again", async () => {
      const file = path.join(dir, "charges.jsonl");
      const before = ChargeLedger.open(file);
      const first = await gateway(before, 0).charge(ORDER);
      before.close();
      fs.appendFileSync(file, '{"operation":"charge","idempotencyKey":"order-2","appr');
      const after = ChargeLedger.open(file);
      assert.deepStrictEqual(await gateway(after, 1).charge(ORDER), first);
      const declined = await gateway(after, 1).charge({ ...ORDER, idempotencyKey: "order-2" });
      assert.strictEqual(declined.approved, false, "the torn charge of order-2 never answered: it is decided now");
      after.close();
      const entries = JsonLinesFile.open(file, (v) => v as LedgerEntry).entries;
      assert.deepStrictEqual(
        entries.map((e) => [e.idempotencyKey, e.approved]),
        [
          ["order-1", true],
          ["order-2", false],
        ],
      );
    });

    it("a declined charge repeated is declined again, and a refund is made once", async () => {
      const ledger = ChargeLedger.open(path.join(dir, "charges.jsonl"));
      assert.strictEqual((await gateway(ledger, 1).charge(ORDER)).approved, false);
      assert.strictEqual((await gateway(ledger, 0).charge(ORDER)).approved, false);
      const other = { ...ORDER, idempotencyKey: "order-3" };
      await gateway(ledger, 0).charge(other);
      const refund = await gateway(ledger, 0).refund("order-3");
      assert.strictEqual(refund.refunded, true);
      assert.deepStrictEqual(await gateway(ledger, 0).refund("order-3"), refund, "a repeated refund answers the first");
      assert.deepStrictEqual(
        await gateway(ledger, 0).refund("order-1"),
        { refunded: false },
        "nothing approved to refund",
      );
      ledger.close();
      const entries = JsonLinesFile.open(path.join(dir, "charges.jsonl"), (v) => v as LedgerEntry).entries;
      assert.strictEqual(entries.length, 3, "the declined charge, the approved one, one refund");
      assert.deepStrictEqual([...netCharges(entries)], [["order-3", 0]]);
    });

    it("refunds a charge another ledger on the same file wrote after it was opened (the refund Lambda's)", async () => {
      const file = path.join(dir, "charges.jsonl");
      const refunds = ChargeLedger.open(file);
      const charges = ChargeLedger.open(file);
      const charged = await gateway(charges, 0).charge(ORDER);
      assert.strictEqual(charged.approved, true);
      assert.strictEqual((await gateway(refunds, 0).refund(ORDER.idempotencyKey)).refunded, true);
      refunds.close();
      charges.close();
    });
  });

  describe("the execution journal", () => {
    const report = { executionName: "e-1", status: "SUCCEEDED", orderId: "o-1" } as ExecutionReport;

    it("says which executions ended (with their result) and which were interrupted, after a torn last line", () => {
      const file = path.join(dir, "executions.jsonl");
      const journal = ExecutionJournal.open(file);
      journal.started("e-1", inputHash({ a: 1, b: 2 }));
      journal.ended("e-1", inputHash({ a: 1, b: 2 }), report);
      journal.started("e-2", inputHash({}));
      journal.close();
      fs.appendFileSync(file, '{"name":"e-3","inputHash":"x","status":"SUCC');
      const again = ExecutionJournal.open(file);
      assert.deepStrictEqual(again.get("e-1"), {
        name: "e-1",
        inputHash: inputHash({ b: 2, a: 1 }),
        status: "SUCCEEDED",
        result: report,
      });
      assert.deepStrictEqual(again.interrupted(), ["e-2"]);
      assert.strictEqual(again.get("e-3"), undefined);
      again.close();
    });
  });
});
