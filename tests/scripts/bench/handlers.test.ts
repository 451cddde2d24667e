/** The handler measurement's pure parts (scripts/bench/handlers.ts): Lambda's heap flags, the environment, the summary, the peaks. */
import { strict as assert } from "assert";
import { ENV } from "../../../handlers/contract";
import {
  HandlerFigures,
  functionEnv,
  handlerPeaks,
  handlerSummary,
  lambdaNodeMemoryFlags,
} from "../../../scripts/bench/handlers";

const MIB = 1024 * 1024;

function figures(maxRss: number, baselineRss: number): HandlerFigures {
  const sample = (rss: number, heapUsed: number) => ({ rss, heapUsed, external: 0 });
  return {
    baseline: sample(baselineRss, 4 * MIB),
    afterInit: sample(baselineRss + MIB, 5 * MIB),
    afterRun: sample(baselineRss + 2 * MIB, 7 * MIB),
    afterRunGc: sample(baselineRss + 2 * MIB, 4.5 * MIB),
    peakHeapUsed: 8 * MIB,
    maxRss,
    initMs: 1.234,
    firstInvocationMs: 9.876,
    durations: { count: 9, mean: 0.31234, billedMean: 1.1111, p50: 0.2, p99: 4.04449, max: 5 },
    errors: 0,
    firstError: null,
    items: 3,
    nodeFlags: [],
    logBytesPerInvocation: 120.06,
  };
}

describe("the bench's handler measurement", function () {
  it("gives V8 the heap limits Lambda's bootstrap sets: a tenth young (half per semi-space), the rest old", function () {
    assert.deepEqual(lambdaNodeMemoryFlags(128), ["--max-semi-space-size=6", "--max-old-space-size=116"]);
    assert.deepEqual(lambdaNodeMemoryFlags(1024), ["--max-semi-space-size=51", "--max-old-space-size=922"]);
  });

  it("sets each function's failure rate to 0, and the tables only for the functions that use them", function () {
    assert.deepEqual(functionEnv("verifyPaymentDetails", "t"), { [ENV.paymentFailureRate]: "0" });
    assert.deepEqual(functionEnv("chargePayment", "t"), { [ENV.chargeFailureRate]: "0" });
    assert.deepEqual(functionEnv("reserveStock", "t"), {
      [ENV.tableName]: "t",
      [ENV.inventoryMode]: "simulated",
      [ENV.inventoryTableName]: "bench-inventory",
    });
  });

  it("summarizes a probe in MB and ms, as changes from the bare process", function () {
    assert.deepEqual(handlerSummary(figures(60 * MIB, 40 * MIB)), {
      items: 3,
      maxRssMb: 60,
      rssIncreaseMb: 2,
      heapIncreaseAfterInitMb: 1,
      heapIncreaseAfterRunGcMb: 0.5,
      peakHeapUsedMb: 8,
      initMs: 1.23,
      firstInvocationMs: 9.88,
      meanMs: 0.312,
      p99Ms: 4.044,
      billedMeanMs: 1.111,
      logBytesPerInvocation: 120.1,
    });
  });

  it("finds the highest peak with Lambda's limits, the highest with Node's, and the smallest bare process", function () {
    const at = (peak: number) => ({
      1: figures(peak, 40 * MIB),
      3: figures(peak + MIB, 39 * MIB),
      50: figures(peak + 2 * MIB, 41 * MIB),
    });
    const peaks = handlerPeaks({
      asInLambda: {
        verifyPaymentDetails: at(50 * MIB),
        retrieveStockLevels: at(45 * MIB),
        reserveStock: at(46 * MIB),
        chargePayment: at(90 * MIB),
        refundPayment: at(44 * MIB),
        releaseStock: at(47 * MIB),
      },
      nodeDefaults: {
        verifyPaymentDetails: figures(70 * MIB, 0),
        retrieveStockLevels: figures(130 * MIB, 0),
        reserveStock: figures(60 * MIB, 0),
        chargePayment: figures(120 * MIB, 0),
        refundPayment: figures(60 * MIB, 0),
        releaseStock: figures(60 * MIB, 0),
      },
    });
    assert.deepEqual(peaks, { peakRss: 92 * MIB, peakRssNodeDefaults: 130 * MIB, baselineRss: 39 * MIB });
  });
});
