/**
 * Whether an execution charged the customer: the ChargePayment state's Lambda answered
 * `charged: true`. The local engine reads the answer as the Lambda returns it, the deployed-stack
 * runner from the execution's history; both ask this rule.
 */

import { WORKFLOW_FUNCTIONS } from "../functions";

/** The Task state whose Lambda charges the customer (workflow/functions.ts). */
export const CHARGE_STATE = WORKFLOW_FUNCTIONS.chargePayment.state;

/** Whether the answer `payload` of the Lambda that Task state `state` invoked is a charge made. */
export function isCharge(state: string | undefined, payload: unknown): boolean {
  return (
    state === CHARGE_STATE &&
    typeof payload === "object" &&
    payload !== null &&
    (payload as { charged?: unknown }).charged === true
  );
}
