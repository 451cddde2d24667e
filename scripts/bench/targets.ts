/** The bench's targets: which the measured figures meet (the `targets` of the report). */
import { FUNCTION_KEYS, FunctionKey } from "../../workflow/functions";
import { ARCHIVE_LIMIT_BYTES } from "./archives";
import { MIB } from "./common";
import type { BatchFigures, SkippedBatch } from "./throughput";

/** The large batch must end within 2 minutes; one projected to take longer is skipped. */
export const LARGE_BATCH_LIMIT_MS = 120_000;

/** The local engine's throughput, as a share of aws-local-stepfunctions' own ceiling (ceiling.ts), at least. */
export const LOCAL_TO_CEILING_RATIO_MIN = 0.3;

export interface TargetInputs {
  readonly lambdaArchiveBytes: Readonly<Record<FunctionKey, number>>;
  /** State transitions of the 3-item order. */
  readonly transitions3Items: number;
  readonly transitionsPerExtraItem: number;
  readonly architectures: readonly string[];
  /** The highest RSS of a handler probe with Lambda's heap limits, in bytes. */
  readonly peakRss: number;
  readonly memoryMb: number;
  /** serializeFunction calls each program probe counted. */
  readonly serializeCalls: readonly number[];
  readonly batches: ReadonlyArray<Pick<BatchFigures, "allAccountedFor">>;
  readonly largeBatch: Pick<BatchFigures, "wallMs"> | SkippedBatch | null;
  /** The first batch's orders/s over the ceiling's, on the same orders (result.ts localToCeilingRatio). */
  readonly localToCeilingRatio: number;
}

export interface Targets {
  readonly archiveBytesMax16KiB: boolean;
  readonly transitions3ItemsMax15: boolean;
  readonly transitionsPerExtraItemMax2: boolean;
  readonly lambdasArm64: boolean;
  readonly lambdaPeakRssWithinMemorySize: boolean;
  readonly programMsWithSerializationShare: boolean;
  readonly throughputAllOrdersAccountedFor: boolean;
  readonly localToCeilingRatioMin30Percent: boolean;
  /** Only when a large batch was asked for: false when it was skipped. */
  readonly largeBatchUnder2Minutes?: boolean;
}

export function targets(t: TargetInputs): Targets {
  return {
    archiveBytesMax16KiB: FUNCTION_KEYS.every((n) => t.lambdaArchiveBytes[n] <= ARCHIVE_LIMIT_BYTES),
    transitions3ItemsMax15: t.transitions3Items <= 15,
    transitionsPerExtraItemMax2: t.transitionsPerExtraItem <= 2,
    lambdasArm64: t.architectures.length === 1 && t.architectures[0] === "arm64",
    lambdaPeakRssWithinMemorySize: t.peakRss <= t.memoryMb * MIB,
    programMsWithSerializationShare: t.serializeCalls.every((calls) => calls === FUNCTION_KEYS.length),
    throughputAllOrdersAccountedFor: t.batches.every((b) => b.allAccountedFor),
    localToCeilingRatioMin30Percent: t.localToCeilingRatio >= LOCAL_TO_CEILING_RATIO_MIN,
    ...(t.largeBatch === null
      ? {}
      : { largeBatchUnder2Minutes: "wallMs" in t.largeBatch && t.largeBatch.wallMs < LARGE_BATCH_LIMIT_MS }),
  };
}
