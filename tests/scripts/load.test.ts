/** How `npm run load` decides that an order is accounted for (scripts/load.ts): its outcome, record and notification agree. */
import { strict as assert } from "assert";
import type { ExecutionReport } from "../../workflow/execution/report";
import { Seen, loadOrder, problemOf } from "../../scripts/load";

const processed: Seen = { state: "PROCESSED", reason: undefined };

function report(change: Partial<ExecutionReport>): ExecutionReport {
  return { orderId: "o-1", status: "SUCCEEDED", error: null, cause: null, charged: true, ...change } as ExecutionReport;
}

describe("npm run load's accounting", function () {
  it("accounts for a succeeded, charged order with one PROCESSED record and one PROCESSED notification", function () {
    assert.equal(problemOf("o-1", report({}), [processed], [processed]), undefined);
  });

  it("accounts for a failed order whose record and notification give its reason, and that was not charged", function () {
    const failed: Seen = { state: "FAILED", reason: "OUT_OF_STOCK" };
    assert.equal(
      problemOf("o-1", report({ status: "FAILED", error: "OUT_OF_STOCK", charged: false }), [failed], [failed]),
      undefined,
    );
    assert.equal(
      problemOf("o-1", report({ status: "FAILED", error: "OUT_OF_STOCK", charged: true }), [failed], [failed]),
      "charged true but FAILED",
    );
  });

  it("names what is wrong, checking the outcome, the id, the counts, then what each says", function () {
    const cases: Array<[Partial<ExecutionReport>, Seen[], Seen[], string]> = [
      [
        { status: "FAILED", error: "States.Runtime", cause: "boom" },
        [processed],
        [processed],
        "ended States.Runtime: boom",
      ],
      [{ orderId: "o-2" }, [processed], [processed], "reported as o-2"],
      [{}, [], [processed], "0 records"],
      [{}, [processed, processed], [processed], "2 records"],
      [{}, [processed], [], "0 notifications"],
      [{}, [{ state: "FAILED", reason: "X" }], [processed], "recorded FAILED X, expected PROCESSED "],
      [{}, [processed], [{ state: "PROCESSING", reason: undefined }], "notified PROCESSING , expected PROCESSED "],
      [{ charged: false }, [processed], [processed], "charged false but PROCESSED"],
    ];
    for (const [change, recorded, published, problem] of cases)
      assert.equal(problemOf("o-1", report(change), recorded, published), problem);
  });

  it("makes orders of 1 to 5 items whose total is the exact sum of their prices", function () {
    for (let i = 0; i < 10; i++) {
      const { orderId, order } = loadOrder("run", i);
      const items = (order.orderContents as { items: Array<{ price: number }> }).items;
      assert.equal(orderId, `load-run-${i}`);
      assert.equal(items.length, 1 + (i % 5));
      assert.equal(
        Math.round(items.reduce((sum, item) => sum + item.price * 100, 0)),
        Math.round((order.orderTotal as number) * 100),
      );
    }
  });
});
