/** What an OrderWorkflow is configured with (each a stack setting, read by index.ts), and the defaults. */
import type * as pulumi from "@pulumi/pulumi";
import type { InventoryMode } from "../handlers/contract";
import { FailureRates, NO_FAILURES } from "../handlers/ports/config";
import type { AlarmArgs } from "./alarms";

export type WorkflowType = "STANDARD" | "EXPRESS";
export type WorkflowLogLevel = "ALL" | "ERROR" | "FATAL" | "OFF";

export interface OrderWorkflowArgs {
  /**
   * Probabilities (0 to 1) with which the simulated payment gateway and inventory fail, passed to
   * the Lambdas' environment; 0 turns a simulation off.
   * @default `{ payment: 0, stock: 0, charge: 0 }` (nothing fails on purpose)
   * @example
   * ```ts
   * // The default failure rates, so that every route of the workflow shows up.
   * { simulatedFailureRates: { payment: 0.25, stock: 0.1, charge: 0.25 } }
   * ```
   */
  readonly simulatedFailureRates?: FailureRates<pulumi.Input<number>>;
  /**
   * STANDARD: exactly-once steps, execution-name idempotency, runs of up to a year, and an execution
   * history (`npm run order` needs it). EXPRESS: at-least-once, billed by duration, cheaper at volume.
   * @default `"STANDARD"`
   */
  readonly workflowType?: pulumi.Input<WorkflowType>;
  /**
   * The state machine's log level. Execution data (which holds card details) is never logged.
   * @default `"ERROR"`
   * @example
   * ```ts
   * { logLevel: "OFF" } // no state machine logs; the log group is still created and configured
   * ```
   */
  readonly logLevel?: pulumi.Input<WorkflowLogLevel>;
  /**
   * Days CloudWatch Logs keeps the state machine's and the functions' logs.
   * @default `30`
   */
  readonly logRetentionDays?: pulumi.Input<number>;
  /**
   * DynamoDB deletion protection on the orders table: `pulumi destroy` fails until it is turned off.
   * @default `true`
   * @example
   * ```ts
   * { tableDeletionProtection: false } // a development stack that is torn down often
   * ```
   */
  readonly tableDeletionProtection?: pulumi.Input<boolean>;
  /**
   * Where stock comes from: `simulated` (the original workflow's: each item out of stock at `stock`'s rate, nothing
   * reserved) or `table` (the Inventory table: every unit reserved, then committed or released).
   * @default `"simulated"`
   */
  readonly inventoryMode?: pulumi.Input<InventoryMode>;
  /**
   * The functions' Lambda runtime: nodejs22.x or newer.
   * @default `"nodejs22.x"`
   */
  readonly lambdaRuntime?: string;
  /**
   * The functions' architecture: `arm64` (cheaper per GB-second) or `x86_64`.
   * @default `"arm64"`
   */
  readonly lambdaArchitecture?: pulumi.Input<string>;
  /**
   * Memory of each function, in MB (CPU scales with it).
   * @default `128`
   */
  readonly lambdaMemorySize?: pulumi.Input<number>;
  /**
   * The alarms on what needs a person (components/alarms.ts; a runbook per alarm in
   * docs/operations.md), their period and thresholds.
   * @default on: every alarm, period `300` s, `1` evaluation period, every threshold `1`
   * @example
   * ```ts
   * { alarms: { periodSeconds: 60, thresholds: { lambdaThrottles: 10 } } }
   * ```
   */
  readonly alarms?: AlarmArgs;
}

export const DEFAULTS = {
  simulatedFailureRates: NO_FAILURES,
  workflowType: "STANDARD",
  logLevel: "ERROR",
  logRetentionDays: 30,
  tableDeletionProtection: true,
  inventoryMode: "simulated",
  lambdaRuntime: "nodejs22.x",
  lambdaArchitecture: "arm64",
  lambdaMemorySize: 128,
} as const;
