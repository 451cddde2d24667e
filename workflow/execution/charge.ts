/**
 * Whether an execution charged the customer: the ChargePayment state's Lambda answered
 * `charged: true`, and no RefundPayment after it answered a refund. The local engine reads the
 * answers as the Lambdas return them, the deployed-stack runner from the execution's history; both
 * ask this rule.
 */

import { WORKFLOW_FUNCTIONS } from "../functions";

/** The Task state whose Lambda charges the customer (workflow/functions.ts). */
export const CHARGE_STATE = WORKFLOW_FUNCTIONS.chargePayment.state;
/** The Task state whose Lambda refunds the charge. */
export const REFUND_STATE = WORKFLOW_FUNCTIONS.refundPayment.state;

/** Whether the answer `payload` of the Lambda that Task state `state` invoked is a charge made. */
export function isCharge(state: string | undefined, payload: unknown): boolean {
  return (
    state === CHARGE_STATE &&
    typeof payload === "object" &&
    payload !== null &&
    (payload as { charged?: unknown }).charged === true
  );
}

/** Whether the answer `payload` of Task state `state` is a refund made (it names the charge it refunded). */
export function isRefund(state: string | undefined, payload: unknown): boolean {
  const refunded = (payload as { refundedChargeId?: unknown } | null)?.refundedChargeId;
  return state === REFUND_STATE && typeof refunded === "string" && refunded !== "none";
}
