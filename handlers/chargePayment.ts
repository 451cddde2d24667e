/**
 * The charge Lambda: the saga's charge step, after the reserve step claimed the order's record and
 * reserved its stock (reserveStock.ts). It charges with the order id as the gateway's idempotency
 * key, so a retry gets the same charge back and is never charged twice, and writes nothing: the state
 * machine records the order PROCESSED (and commits its reservation) with the charge id it answers. A
 * decline is a PaymentError, after which the state machine releases the reservation.
 */

import type { ChargeInput, ChargeRequest, ChargeResult } from "./contract";
import { paymentError } from "./order/errors";
import { formatMinor } from "./order/money";
import { buildNotification } from "./order/notification";
import { sentence } from "./order/sentence";
import { paymentGatewayFor } from "./ports/adapters";
import type { Env } from "./ports/config";
import type { PaymentGateway } from "./ports/payments";

export interface ChargeDeps {
  readonly gateway: PaymentGateway;
}

/** The state machine assembles the input; a malformed one is a fault in the workflow, not in the order. */
function checkChargeInput(input: unknown): ChargeInput {
  const { orderId, charge } = (input ?? {}) as Partial<Record<keyof ChargeInput, unknown>>;
  const { customerId, amountMinor, paymentToken } = (charge ?? {}) as Partial<Record<keyof ChargeRequest, unknown>>;
  if (
    typeof orderId !== "string" ||
    typeof customerId !== "string" ||
    typeof paymentToken !== "string" ||
    !Number.isSafeInteger(amountMinor) ||
    (amountMinor as number) <= 0
  ) {
    throw new Error("The chargePayment Lambda needs orderId and charge {customerId, amountMinor, paymentToken}.");
  }
  return input as ChargeInput;
}

export async function chargePayment(input: ChargeInput, deps: ChargeDeps): Promise<ChargeResult> {
  const { orderId, charge } = checkChargeInput(input);
  const notification = buildNotification({ orderId, customerId: charge.customerId, amountMinor: charge.amountMinor });
  const outcome = await deps.gateway.charge({
    idempotencyKey: orderId,
    amountMinor: charge.amountMinor,
    paymentToken: charge.paymentToken,
    customerId: charge.customerId,
  });
  if (!outcome.approved) {
    throw paymentError(
      `The charge of ${formatMinor(charge.amountMinor)} for order ${orderId} was declined. ${sentence(outcome.cause)}`,
    );
  }
  return { orderId, charged: true, chargeId: outcome.chargeId, notification };
}

/** The Lambda: settings and gateway are made once per container, at its first start. */
export function chargePaymentFactory(env: Env = process.env): (event: ChargeInput) => Promise<ChargeResult> {
  const deps: ChargeDeps = { gateway: paymentGatewayFor(env, "charge") };
  return async (event) => {
    try {
      const result = await chargePayment(event, deps);
      console.log(JSON.stringify({ handler: "chargePayment", orderId: result.orderId, outcome: "charged" }));
      return result;
    } catch (error) {
      const outcome = error instanceof Error ? error.name : "error";
      console.log(JSON.stringify({ handler: "chargePayment", orderId: event?.orderId, outcome }));
      throw error;
    }
  };
}
