/** Which targets the bench's figures meet (scripts/bench/targets.ts): each one turns on its own figure. */
import { strict as assert } from "assert";
import { TargetInputs, targets } from "../../../scripts/bench/targets";

const MIB = 1024 * 1024;

/** Figures that meet every target, as a run on this stack gives them. */
const met: TargetInputs = {
  lambdaArchiveBytes: {
    verifyPaymentDetails: 6385,
    retrieveStockLevels: 4336,
    reserveStock: 4500,
    chargePayment: 4123,
    refundPayment: 4000,
    releaseStock: 4400,
  },
  transitions3Items: 14,
  transitionsPerExtraItem: 2,
  architectures: ["arm64"],
  peakRss: 99.9 * MIB,
  memoryMb: 128,
  serializeCalls: [6, 6],
  batches: [{ allAccountedFor: true }, { allAccountedFor: true }],
  largeBatch: { wallMs: 90_000 },
  localToCeilingRatio: 0.3,
};

describe("the bench's targets", function () {
  it("are all met by figures within them, limits included", function () {
    assert.deepEqual(targets(met), {
      archiveBytesMax16KiB: true,
      transitions3ItemsMax15: true,
      transitionsPerExtraItemMax2: true,
      lambdasArm64: true,
      lambdaPeakRssWithinMemorySize: true,
      programMsWithSerializationShare: true,
      throughputAllOrdersAccountedFor: true,
      localToCeilingRatioMin30Percent: true,
      largeBatchUnder2Minutes: true,
    });
  });

  const misses: Array<[string, Partial<TargetInputs>, string]> = [
    [
      "an archive over 16 KiB",
      { lambdaArchiveBytes: { ...met.lambdaArchiveBytes, chargePayment: 16 * 1024 + 1 } },
      "archiveBytesMax16KiB",
    ],
    ["16 transitions for 3 items", { transitions3Items: 16 }, "transitions3ItemsMax15"],
    ["2.5 transitions per extra item", { transitionsPerExtraItem: 2.5 }, "transitionsPerExtraItemMax2"],
    ["x86_64", { architectures: ["x86_64"] }, "lambdasArm64"],
    ["two architectures", { architectures: ["arm64", "x86_64"] }, "lambdasArm64"],
    ["a peak RSS a byte over the memory size", { peakRss: 128 * MIB + 1 }, "lambdaPeakRssWithinMemorySize"],
    ["a probe that saw five serializations", { serializeCalls: [6, 5] }, "programMsWithSerializationShare"],
    [
      "a batch with an order not accounted for",
      { batches: [{ allAccountedFor: true }, { allAccountedFor: false }] },
      "throughputAllOrdersAccountedFor",
    ],
    ["a local engine at 0.299 of the ceiling", { localToCeilingRatio: 0.299 }, "localToCeilingRatioMin30Percent"],
    ["a large batch of exactly 2 minutes", { largeBatch: { wallMs: 120_000 } }, "largeBatchUnder2Minutes"],
    [
      "a skipped large batch",
      { largeBatch: { orders: 2000, skipped: true, projectedWallMs: 130_000 } },
      "largeBatchUnder2Minutes",
    ],
  ];
  for (const [what, change, target] of misses) {
    it(`miss ${target} with ${what}, and only that one`, function () {
      const result = targets({ ...met, ...change }) as unknown as Record<string, boolean>;
      const missed = Object.entries(result)
        .filter(([, ok]) => !ok)
        .map(([name]) => name);
      assert.deepEqual(missed, [target]);
    });
  }

  it("leave out the large batch's target when no large batch was asked for", function () {
    const result = targets({ ...met, largeBatch: null });
    assert.equal("largeBatchUnder2Minutes" in result, false);
    assert.equal(Object.keys(result).length, 8);
  });
});
