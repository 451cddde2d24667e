/**
 * The refund Lambda: the compensation for an approved charge whose order could not be finished. It
 * asks the gateway to refund the order's charge, keyed by the order id, so a retried refund refunds
 * once; with no approved charge to refund (the charge never reached the gateway, or was declined) it
 * refunds nothing. It answers the RefundId for the record and the charge it refunded.
 */

import type { RefundInput, SagaStepResult } from "./contract";
import { ATTR } from "./order/records";
import { paymentGatewayFor } from "./ports/adapters";
import type { Env } from "./ports/config";
import type { PaymentGateway } from "./ports/payments";

/** What a release is told when no charge was refunded. */
export const NO_REFUNDED_CHARGE = "none";

export async function refundPayment(input: RefundInput, gateway: PaymentGateway): Promise<SagaStepResult> {
  if (typeof input?.orderId !== "string") throw new Error("refundPayment needs orderId");
  const outcome = await gateway.refund(input.orderId);
  if (!outcome.refunded) return { record: {}, refundedChargeId: NO_REFUNDED_CHARGE };
  return { record: { [ATTR.refundId]: { S: outcome.refundId } }, refundedChargeId: outcome.chargeId };
}

export function refundPaymentFactory(env: Env = process.env): (event: RefundInput) => Promise<SagaStepResult> {
  const gateway = paymentGatewayFor(env, "charge");
  return async (event) => {
    const result = await refundPayment(event, gateway);
    const outcome = result.refundedChargeId === NO_REFUNDED_CHARGE ? "nothing to refund" : "refunded";
    console.log(JSON.stringify({ handler: "refundPayment", orderId: event?.orderId, outcome }));
    return result;
  };
}
