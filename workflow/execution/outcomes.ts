/**
 * Which ends of an execution need a person, and which may be redriven: the one home of that rule,
 * read by the dead-letter route's event pattern (components/deadLetter.ts), the alarms'
 * metric filters (components/alarms.ts) and `npm run redrive` (cli/redrive.ts).
 *
 * This workflow ends FAILED for ordinary business outcomes (a declined card, an item out of stock):
 * each of those ends with its reason code as the execution's error, was recorded and notified, and
 * must never run again. Everything else that ends an execution FAILED (INTERNAL_ERROR, a compensation
 * that failed, an error the definition did not name) or TIMED_OUT is an infrastructure problem, and
 * every step is idempotent, so such an execution may be redriven.
 */
import { DUPLICATE_ORDER, REASON_CODES } from "../../handlers/contract";

/**
 * The execution error of an order that the saga could not put back together (its compensation
 * failed). The saga's definition ends such an execution with this error; the alarm counts it.
 */
export const COMPENSATION_FAILED = "COMPENSATION_FAILED";

/** The error of an order that the workflow could not finish (handlers/contract.ts). */
export const INTERNAL_ERROR = "INTERNAL_ERROR";

/**
 * Errors that end an execution with a business outcome: recorded, notified, never redriven.
 * ORDER_CONFLICT is the saga's outcome for an order that another execution changed under it.
 */
export const BUSINESS_OUTCOMES: readonly string[] = [
  ...REASON_CODES.filter((code) => code !== INTERNAL_ERROR),
  DUPLICATE_ORDER,
  "ORDER_CONFLICT",
];

/** Whether an execution that ended with `error` ended with a business outcome. */
export function isBusinessOutcome(error: string | undefined): boolean {
  return error !== undefined && BUSINESS_OUTCOMES.includes(error);
}

/** The statuses of an execution that ended without a business outcome being reached. */
export type EndStatus = "FAILED" | "TIMED_OUT" | "ABORTED";

/** Why an ended execution may, or may not, be redriven by `npm run redrive`. */
export type RedriveVerdict = { readonly redrive: true } | { readonly redrive: false; readonly reason: string };

/**
 * FAILED (not with a business outcome) and TIMED_OUT executions are redriven; an ABORTED one was
 * stopped by a person, who decides; a business outcome never is.
 */
export function redriveVerdict(status: string | undefined, error: string | undefined): RedriveVerdict {
  if (status === "ABORTED")
    return { redrive: false, reason: "aborted by a person: redrive it by hand if it should run" };
  if (status !== "FAILED" && status !== "TIMED_OUT")
    return { redrive: false, reason: `status ${status ?? "unknown"} is not a failure` };
  if (status === "FAILED" && isBusinessOutcome(error))
    return { redrive: false, reason: `business outcome ${error ?? ""}: never redriven` };
  return { redrive: true };
}

/** The CloudWatch namespace of a workflow's own metrics (one per stack and component, so stacks never mix). */
export function workflowNamespace(stack: string, component: string): string {
  return `OrderWorkflow/${stack}/${component}`;
}

/**
 * The metric counted from the state machine's log group: one per execution that ended FAILED, with
 * its error (the reason code) as the `Reason` dimension. INTERNAL_ERROR and COMPENSATION_FAILED
 * are alarmed on; the dashboard shows every reason.
 */
export const FAILED_ORDERS_METRIC = { name: "FailedOrders", reasonDimension: "Reason" } as const;

/**
 * The CloudWatch Logs filter pattern of that metric: Step Functions logs ExecutionFailed at the
 * levels ALL, ERROR and FATAL (not OFF), with the error in `details.error`; execution data (input,
 * output) is not needed for it.
 */
export const EXECUTION_FAILED_PATTERN = '{ $.type = "ExecutionFailed" }';

/** The field of that log event that holds the execution's error. */
export const EXECUTION_ERROR_FIELD = "$.details.error";
