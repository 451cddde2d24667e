/** The cost model behind `npm run bench` (scripts/bench/cost.ts): sizes, billing granularity and prices. */
import { strict as assert } from "assert";
import {
  PRICES,
  dynamoItemBytes,
  dynamoValueBytes,
  expressBilledMb,
  expressBilledMs,
  expressCostPerMillion,
  lambdaBilledMs,
  perExtraBilledMs,
  readRequestUnits,
  snsRequests,
  standardCostPerMillion,
  writeRequestUnits,
} from "../../../scripts/bench/cost";

const close = (actual: number, expected: number, message?: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${message ?? ""} ${actual} ≠ ${expected}`);

describe("the cost model", function () {
  describe("DynamoDB item sizes, as the developer guide computes them", function () {
    it("sizes strings by UTF-8 bytes and numbers by significant digits", function () {
      assert.equal(dynamoValueBytes({ S: "abc" }), 3);
      assert.equal(dynamoValueBytes({ S: "é" }), 2);
      // 1 byte per two significant digits, plus 1; leading and trailing zeros do not count.
      assert.equal(dynamoValueBytes({ N: "101" }), 3);
      assert.equal(dynamoValueBytes({ N: "12345" }), 4);
      assert.equal(dynamoValueBytes({ N: "-1200" }), 2);
      assert.equal(dynamoValueBytes({ N: "0.500" }), 2);
      assert.equal(dynamoValueBytes({ N: "0" }), 2);
      assert.equal(dynamoValueBytes({ BOOL: true }), 1);
      assert.equal(dynamoValueBytes({ NULL: true }), 1);
    });

    it("adds 3 bytes per List or Map and 1 per element (and a Map's element names)", function () {
      assert.equal(dynamoValueBytes({ L: [] }), 3);
      assert.equal(dynamoValueBytes({ L: [{ S: "ab" }, { N: "1" }] }), 3 + (1 + 2) + (1 + 2));
      assert.equal(dynamoValueBytes({ M: { a: { S: "x" } } }), 3 + 1 + 1 + 1);
    });

    it("counts every attribute's name", function () {
      assert.equal(dynamoItemBytes({ OrderId: { S: "o-1" }, Total: { N: "22.5" } }), 7 + 3 + 5 + 3);
    });
  });

  it("rounds units and billed quantities up, never below the minimum", function () {
    assert.deepEqual(
      [0, 1024, 1025, 2048].map((b) => writeRequestUnits(b)),
      [1, 1, 2, 2],
    );
    assert.equal(writeRequestUnits(500, 3000), 3, "a replacing put is billed on the larger item");
    assert.deepEqual([1, 4096, 4097].map(readRequestUnits), [1, 1, 2]);
    assert.deepEqual([1, 65536, 65537].map(snsRequests), [1, 1, 2]);
    assert.deepEqual([0, 0.2, 1, 1.01, 11.5].map(lambdaBilledMs), [1, 1, 1, 2, 12]);
    assert.deepEqual([1, 100, 101, 250].map(expressBilledMs), [100, 100, 200, 300]);
    assert.deepEqual([1, 64, 65].map(expressBilledMb), [64, 64, 128]);
    assert.throws(() => lambdaBilledMs(Number.NaN));
  });

  it("prices a 14-transition order on STANDARD line by line", function () {
    const cost = standardCostPerMillion({
      transitions: 14,
      lambdaBilledMs: [1, 1, 12],
      lambdaMemoryMb: 128,
      architecture: "arm64",
      dynamoWriteUnits: 2,
      dynamoReadUnits: 0,
      snsRequests: 1,
    });
    close(cost.stepFunctions, 350);
    close(cost.lambdaRequests, 0.6);
    close(cost.lambdaDuration, 0.125 * 0.014 * 0.0000133334 * 1e6);
    close(cost.dynamoWrites, 2.5);
    close(cost.dynamoReads, 0);
    close(cost.sns, 0.5);
    close(cost.total, 350 + 0.6 + 0.125 * 0.014 * 0.0000133334 * 1e6 + 2.5 + 0.5);
  });

  it("prices x86_64 GB-seconds higher than arm64", function () {
    const usage = {
      transitions: 0,
      lambdaBilledMs: [1000],
      lambdaMemoryMb: 1024,
      dynamoWriteUnits: 0,
      dynamoReadUnits: 0,
      snsRequests: 0,
    };
    close(
      standardCostPerMillion({ ...usage, architecture: "arm64" }).lambdaDuration,
      PRICES.lambdaGbSecond.arm64 * 1e6,
    );
    close(
      standardCostPerMillion({ ...usage, architecture: "x86_64" }).lambdaDuration,
      PRICES.lambdaGbSecond.x86_64 * 1e6,
    );
  });

  it("prices EXPRESS by request and by 64 MB × 100 ms, not by transitions", function () {
    const usage = {
      transitions: 1000,
      lambdaBilledMs: [],
      lambdaMemoryMb: 128,
      architecture: "arm64" as const,
      dynamoWriteUnits: 0,
      dynamoReadUnits: 0,
      snsRequests: 0,
    };
    const cost = expressCostPerMillion(usage, { durationMs: 150, memoryMb: 10 });
    close(cost.stepFunctions, 1 + (64 / 1024) * 0.2 * 0.00001667 * 1e6);
    close(cost.total, cost.stepFunctions);
  });

  it("says what one more billed millisecond per invocation costs", function () {
    close(perExtraBilledMs(3, 128, "arm64"), 3 * 0.125 * 0.001 * 0.0000133334 * 1e6);
  });
});
