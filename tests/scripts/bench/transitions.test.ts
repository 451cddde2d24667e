/** The per-order figures' pure parts (scripts/bench/transitions.ts): the transitions model, record writes, publish sizes, prices. */
import { strict as assert } from "assert";
import type { ExecutionReport } from "../../../workflow/execution/report";
import { dynamoItemBytes, standardCostPerMillion } from "../../../scripts/bench/cost";
import {
  perOrderFigures,
  publishBytes,
  recordWrites,
  roundCost,
  toItem,
  transitionsModel,
} from "../../../scripts/bench/transitions";

describe("the bench's per-order figures", function () {
  describe("the transitions model", function () {
    it("takes the steepest slope between the sizes measured, through the smallest order", function () {
      // 1 item: 12, 3 items: 14, 50 items: 61: a slope of 1 from 1 to 3 items, of 1 from 3 to 50.
      assert.deepEqual(
        transitionsModel({ "1": { transitions: 12 }, "3": { transitions: 14 }, "50": { transitions: 61 } }),
        { fixed: 11, perItem: 1 },
      );
      // A steeper second segment sets the slope: (108 - 14) / 47 = 2.
      assert.deepEqual(
        transitionsModel({ "1": { transitions: 12 }, "3": { transitions: 14 }, "50": { transitions: 108 } }),
        { fixed: 10, perItem: 2 },
      );
    });

    it("gives a fixed part and no per-item part when the count does not grow", function () {
      assert.deepEqual(
        transitionsModel({ "1": { transitions: 9 }, "3": { transitions: 9 }, "50": { transitions: 9 } }),
        { fixed: 9, perItem: 0 },
      );
    });
  });

  describe("DynamoDB items read back", function () {
    it("keep every kind of attribute value, nested", function () {
      const item = toItem({
        OrderId: { S: "o-1" },
        Total: { N: "12.5" },
        Paid: { BOOL: true },
        Gone: { NULL: true },
        Tags: { SS: ["a", "b"] },
        Items: { L: [{ M: { Id: { S: "i-1" }, Qty: { N: "2" } } }] },
      });
      assert.deepEqual(item, {
        OrderId: { S: "o-1" },
        Total: { N: "12.5" },
        Paid: { BOOL: true },
        Gone: { NULL: true },
        Tags: { SS: ["a", "b"] },
        Items: { L: [{ M: { Id: { S: "i-1" }, Qty: { N: "2" } } }] },
      });
    });

    it("refuse a value of no kind, showing it", function () {
      assert.throws(() => toItem({ Odd: {} as never }), /a kind the record never holds: \{\}/);
    });
  });

  describe("the record's writes", function () {
    it("bill the claim on itself and the final put on the larger of the two", function () {
      const final = { OrderId: { S: "o-1" }, State: { S: "PROCESSED" }, ChargeId: { S: "c".repeat(1100) } };
      const writes = recordWrites(final);
      assert.equal(writes.recordBytes, dynamoItemBytes(final));
      // The claim: the same record as PROCESSING, without the charge id, under 1 KB.
      assert.equal(writes.claimWriteUnits, 1);
      assert.equal(writes.finalWriteUnits, 2, "the final record is over 1 KB");
      assert.equal(writes.readUnits, 0);
      assert.equal(writes.readUnitsIfClaimRefused, 1);
    });
  });

  it("sizes a publish by its message and its attributes' names, type and values", function () {
    const message = { orderId: "o-1", state: "PROCESSED" };
    assert.equal(publishBytes(message, {}), Buffer.byteLength(JSON.stringify(message)));
    assert.equal(
      publishBytes(message, { state: "PROCESSED" }),
      Buffer.byteLength(JSON.stringify(message)) + "stateStringPROCESSED".length,
    );
  });
});

describe("the bench's price of an order", function () {
  it("comes from its execution, record and the billed durations of the functions it ran, STANDARD and EXPRESS", function () {
    const report = {
      status: "SUCCEEDED",
      transitions: 15,
      lambdaInvocations: 4,
      states: ["VerifyPaymentDetails", "RetrieveStockLevels", "ReserveStock", "ChargePayment", "RecordProcessed"],
      notifications: [{ orderId: "o-1" }],
    };
    // The compensations' durations are not an order's on the success path: they never ran.
    const billed = {
      verifyPaymentDetails: 1,
      retrieveStockLevels: 1,
      reserveStock: 3,
      chargePayment: 6,
      refundPayment: 100,
      releaseStock: 100,
    };
    const settings = { memoryMb: 128, architecture: "arm64" as const, expressMs: 200, expressColdMs: 1000 };
    const figures = perOrderFigures(
      3,
      report as unknown as ExecutionReport,
      { OrderId: { S: "o-1" }, State: { S: "PROCESSED" } },
      billed,
      settings,
    );
    assert.equal(figures.items, 3);
    assert.equal(figures.transitions, 15);
    assert.equal(figures.snsRequests, 1);
    const expected = standardCostPerMillion({
      transitions: 15,
      lambdaBilledMs: [1, 1, 3, 6],
      lambdaMemoryMb: 128,
      architecture: "arm64",
      dynamoWriteUnits: 2,
      dynamoReadUnits: 0,
      snsRequests: 1,
    });
    assert.deepEqual(figures.usdPerMillionOrders, roundCost(expected));
    assert.equal(figures.express.warm.assumedDurationMs, 200);
    assert.equal(figures.express.cold.assumedDurationMs, 1000);
    assert.ok(
      figures.express.cold.usdPerMillionOrders.total > figures.express.warm.usdPerMillionOrders.total,
      "a longer Express execution costs more",
    );
  });
});
