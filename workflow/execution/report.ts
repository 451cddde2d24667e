/**
 * What one execution of the workflow comes to, in one shape whoever ran it: the local engine
 * (engine/engine.ts) and the deployed-stack runner (cli/deployed.ts) both report it, and the
 * commands print it (cli/format.ts, cli/report/).
 */
import type { PlainValue } from "../../handlers/order/records";

/** A message the workflow published. */
export interface PublishedMessage {
  readonly topicArn: string;
  readonly message: unknown;
  readonly attributes: Record<string, string>;
}

/** One execution, reported as `npm start -- --json` prints it. */
export interface ExecutionReport {
  readonly orderId: string | null;
  readonly executionName: string;
  readonly status: "SUCCEEDED" | "FAILED";
  readonly error: string | null;
  readonly cause: string | null;
  /** States entered, in order, nested ones included. */
  readonly states: string[];
  /** State transitions as AWS bills them: every state entered, and every retry. */
  readonly transitions: number;
  /** Whether this execution made a successful charge (charge.ts). */
  readonly charged: boolean;
  readonly record: { [key: string]: PlainValue } | null;
  readonly notifications: unknown[];
  /** The same messages as SNS received them: topic, parsed body and message attributes. */
  readonly published: PublishedMessage[];
  /** Lambda invocations this execution made (retries included). */
  readonly lambdaInvocations: number;
  /**
   * The largest state input or output of the execution, in UTF-8 bytes, as AWS measures it against
   * the 262,144-byte limit (workflow/execution/stateBytes.ts). The local engine reports it.
   */
  readonly maxStateBytes?: number;
}
