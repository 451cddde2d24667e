/**
 * The verify-payment-details Lambda. It answers any order, however malformed, with a result the state
 * machine can read: the rejection (if any), the record's attributes known so far and, once the card is
 * verified, a charge request in which a gateway token stands in for the card. It throws only on faults.
 */

import type { ParallelInput, Rejection, VerificationResult } from "./contract";
import { checkPaymentDetails } from "./order/card";
import { orderHash } from "./order/orderHash";
import { baseItem } from "./order/records";
import { checkParallelInput, knownFields, orderIdProblem, resolveOrderId, validateOrder } from "./order/validation";
import { paymentGatewayFor } from "./ports/adapters";
import type { Env } from "./ports/config";
import type { PaymentGateway } from "./ports/payments";

export interface VerifyDeps {
  readonly gateway: PaymentGateway;
  readonly now: () => Date;
}

export async function verifyPaymentDetails(input: ParallelInput, deps: VerifyDeps): Promise<VerificationResult> {
  const { order, executionName } = checkParallelInput(input);
  const now = deps.now();
  const orderId = resolveOrderId(order, executionName);
  const idProblem = orderIdProblem(order);
  const known = knownFields(order);
  const validation = validateOrder(order);
  const item = baseItem({
    orderId,
    executionName,
    ...known,
    createdAt: now.toISOString(),
    ...(idProblem === undefined ? {} : { orderIdProblem: idProblem }),
    ...(validation.ok ? { orderHash: orderHash(validation.order, orderId) } : {}),
  });
  const notice = {
    orderId,
    ...(idProblem === undefined ? {} : { orderIdProblem: idProblem }),
    ...(known.customerId === undefined ? {} : { customerId: known.customerId }),
    ...(known.orderTotal === undefined ? {} : { orderTotal: known.orderTotal }),
  };
  const rejected = (rejection: Rejection): VerificationResult => ({
    orderId,
    paymentVerified: false,
    rejection,
    item,
    notice,
    charge: null,
  });

  if (!validation.ok) {
    return rejected({ error: "INVALID_ORDER", cause: validation.cause });
  }
  const valid = validation.order;
  const card = checkPaymentDetails(valid.paymentDetails, now);
  if (!card.ok) {
    return rejected({ error: "PAYMENT_NOT_VERIFIED", cause: card.cause });
  }
  const verification = await deps.gateway.verify(valid.paymentDetails, { orderId });
  if (!verification.verified) {
    return rejected({ error: "PAYMENT_NOT_VERIFIED", cause: verification.cause });
  }
  return {
    orderId,
    paymentVerified: true,
    rejection: null,
    item,
    notice,
    charge: { customerId: valid.customerId, amountMinor: valid.totalMinor, paymentToken: verification.token },
  };
}

/** The Lambda: settings and gateway are made once per container, at its first start. */
export function verifyPaymentDetailsFactory(
  env: Env = process.env,
): (event: ParallelInput) => Promise<VerificationResult> {
  const deps: VerifyDeps = { gateway: paymentGatewayFor(env, "verify"), now: () => new Date() };
  return async (event) => {
    const result = await verifyPaymentDetails(event, deps);
    const outcome = result.rejection === null ? "verified" : result.rejection.error;
    console.log(JSON.stringify({ handler: "verifyPaymentDetails", orderId: result.orderId, outcome }));
    return result;
  };
}
