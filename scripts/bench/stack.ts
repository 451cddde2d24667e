/**
 * The stack's Lambda functions as the program registers them under Pulumi mocks (the dev stack's
 * config): each one's archive files, architecture, memory size and runtime. The one place the bench
 * loads the program in its own process (scripts/bench/programProbe.ts does it in a fresh one).
 */
import * as path from "path";
import { FUNCTION_KEYS, FunctionKey } from "../../workflow/functions";
import { archiveFiles } from "../../program/archives";
import { loadProgram } from "../../program/load";
import type { RecordedResource } from "../../program/recorder";
import { ROOT } from "./common";
import type { Architecture } from "./cost";

/** Function resource names of the stack, by the state machine's name for them. */
const RESOURCE_NAMES: Record<FunctionKey, string> = {
  verifyPaymentDetails: "orders-verify-payment-details",
  retrieveStockLevels: "orders-retrieve-stock-levels",
  reserveStock: "orders-reserve-stock",
  chargePayment: "orders-charge-payment",
  refundPayment: "orders-refund-payment",
  releaseStock: "orders-release-stock",
};

export interface FunctionOfStack {
  readonly files: Record<string, string>;
  readonly architecture: string;
  readonly memorySize: number;
  readonly runtime: string;
}

/** The resources index.ts registers under mocks with the dev stack's config. */
async function loadDevStack(): Promise<readonly RecordedResource[]> {
  const stack = await loadProgram({ programPath: path.join(ROOT, "index.ts"), stack: "dev" });
  return stack.resources;
}

export async function functionsOfStack(): Promise<Record<FunctionKey, FunctionOfStack>> {
  const resources = await loadDevStack();
  const found = {} as Record<FunctionKey, FunctionOfStack>;
  for (const name of FUNCTION_KEYS) {
    const fn = resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === RESOURCE_NAMES[name]);
    if (!fn) throw new Error(`the stack registers no function ${RESOURCE_NAMES[name]}`);
    const files = await archiveFiles(fn);
    const architectures = fn.inputs.architectures as string[] | undefined;
    found[name] = {
      files,
      architecture: architectures?.[0] ?? "x86_64",
      memorySize: (fn.inputs.memorySize as number | undefined) ?? 128,
      runtime: String(fn.inputs.runtime),
    };
  }
  return found;
}

/** What the functions share, as the cost model prices them. */
export interface FunctionSettings {
  /** Every architecture the functions use (one, when they agree). */
  readonly architectures: string[];
  /** The first function's architecture. */
  readonly architecture: Architecture;
  /** The largest memory size any function has. */
  readonly memoryMb: number;
  /** The charge function's runtime. */
  readonly runtime: string;
}

export function functionSettings(functions: Record<FunctionKey, FunctionOfStack>): FunctionSettings {
  const architectures = [...new Set(FUNCTION_KEYS.map((n) => functions[n].architecture))];
  const memorySizes = [...new Set(FUNCTION_KEYS.map((n) => functions[n].memorySize))];
  return {
    architectures,
    architecture: architectures[0] as Architecture,
    memoryMb: Math.max(...memorySizes),
    runtime: functions.chargePayment.runtime,
  };
}
