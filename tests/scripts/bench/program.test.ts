/** The program figures (scripts/bench/program.ts): medians of the fresh-process probes. */
import { strict as assert } from "assert";
import { programFigures } from "../../../scripts/bench/program";
import type { ProgramProbeResult } from "../../../scripts/bench/programProbe";

function probe(programMs: number, serializationInProgramMs: number, verify: number): ProgramProbeResult {
  return {
    programMs,
    programCpuMs: programMs / 2,
    serializationInProgramMs,
    serializeCalls: 6,
    serializeMs: {
      verifyPaymentDetails: verify,
      retrieveStockLevels: 100,
      reserveStock: 80,
      chargePayment: 90,
      refundPayment: 70,
      releaseStock: 60,
    },
    serializeTotalMs: verify + 400,
    resources: 25,
    processMs: programMs + 1000,
  };
}

describe("the bench's program figures", function () {
  it("are the medians of the runs, each figure on its own", function () {
    const figures = programFigures([probe(3000, 1000, 300), probe(4000, 1000, 500), probe(3500, 2000, 400)]);
    assert.equal(figures.runs, 3);
    assert.equal(figures.programMs, 3500);
    assert.equal(figures.programCpuMs, 1750);
    assert.equal(figures.serializationInProgramMs, 1000);
    // Each run's share, then their median: 1000/3000, 1000/4000, 2000/3500.
    assert.equal(figures.serializationShare, 0.333);
    assert.deepEqual(figures.serializeMs, {
      verifyPaymentDetails: 400,
      retrieveStockLevels: 100,
      reserveStock: 80,
      chargePayment: 90,
      refundPayment: 70,
      releaseStock: 60,
    });
    assert.equal(figures.serializeTotalMs, 800);
    assert.equal(figures.processMs, 4500);
    assert.equal(figures.resources, 25);
    assert.equal(figures.samples.length, 3);
  });

  it("take the mean of the middle two for an even number of runs, to a tenth of a ms", function () {
    const figures = programFigures([probe(3000.04, 1000, 300), probe(3001.05, 1000, 301)]);
    assert.equal(figures.programMs, 3000.5);
    assert.equal(figures.serializeMs.verifyPaymentDetails, 300.5);
  });
});
