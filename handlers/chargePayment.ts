/**
 * The charge Lambda. An order is charged at most once, whatever the retries and resubmissions:
 *
 * 1. Claim the record: write it as PROCESSING, on condition that the order is new, FAILED, or already
 *    PROCESSING by this same execution (a Lambda retry).
 * 2. If another holds it, read it: PROCESSED by this same execution means a retry after the charge, so
 *    answer as then, charging nothing; a record of other contents (its OrderHash differs) is an
 *    OrderConflictError; anything else is a DuplicateOrderError.
 * 3. Charge, with the order id as the gateway's idempotency key; a decline is a PaymentError, and the
 *    state machine then records the order as FAILED over this execution's claim.
 * 4. Write the record as PROCESSED with the charge id, on condition that it is still this execution's.
 */

import type { ChargeInput, ChargeRequest, ChargeResult, DynamoItem } from "./contract";
import { duplicateOrderError, orderConflictError, paymentError } from "./order/errors";
import { formatMinor } from "./order/money";
import { buildNotification } from "./order/notification";
import { sentence } from "./order/sentence";
import { ATTR, withState } from "./order/records";
import { orderStoreFor, paymentGatewayFor } from "./ports/adapters";
import type { Env } from "./ports/config";
import type { OrderStore } from "./ports/orderStore";
import type { PaymentGateway } from "./ports/payments";

export interface ChargeDeps {
  readonly store: OrderStore;
  readonly gateway: PaymentGateway;
}

/** The state machine assembles the input; a malformed one is a fault in the workflow, not in the order. */
function checkChargeInput(input: unknown): ChargeInput {
  const { orderId, executionName, item, charge } = (input ?? {}) as Partial<Record<keyof ChargeInput, unknown>>;
  const { customerId, amountMinor, paymentToken } = (charge ?? {}) as Partial<Record<keyof ChargeRequest, unknown>>;
  if (
    typeof orderId !== "string" ||
    typeof executionName !== "string" ||
    typeof item !== "object" ||
    item === null ||
    typeof customerId !== "string" ||
    typeof paymentToken !== "string" ||
    !Number.isSafeInteger(amountMinor) ||
    (amountMinor as number) <= 0
  ) {
    throw new Error(
      "The chargePayment Lambda needs orderId, executionName, item and charge {customerId, amountMinor, paymentToken}.",
    );
  }
  return input as ChargeInput;
}

export async function chargePayment(input: ChargeInput, deps: ChargeDeps): Promise<ChargeResult> {
  const { orderId, executionName, charge, item: inputItem } = checkChargeInput(input);
  // The record's key and owner come from the input's identity, whatever the item says.
  const item = { ...inputItem, [ATTR.orderId]: { S: orderId }, [ATTR.executionName]: { S: executionName } };
  const notification = buildNotification({ orderId, customerId: charge.customerId, amountMinor: charge.amountMinor });

  if (!(await deps.store.claim(withState(item, "PROCESSING"), executionName))) {
    const held = await deps.store.read(orderId);
    if (held === undefined) {
      throw new Error(`Order ${orderId} could not be claimed, yet has no record; try again.`);
    }
    if (held.state === "PROCESSED" && held.executionName === executionName && held.chargeId !== undefined) {
      return { orderId, charged: false, chargeId: held.chargeId, notification };
    }
    const ours: DynamoItem[string] | undefined = inputItem[ATTR.orderHash];
    const mine = ours !== undefined && "S" in ours ? ours.S : undefined;
    if (mine !== undefined && held.orderHash !== undefined && held.orderHash !== mine) {
      throw orderConflictError(orderId, held.executionName, held.state);
    }
    throw duplicateOrderError(orderId, held.executionName, held.state);
  }

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

  if (!(await deps.store.complete(withState(item, "PROCESSED", outcome.chargeId), executionName))) {
    throw new Error(
      `Order ${orderId} was charged (${outcome.chargeId}) but its record no longer belongs to execution ${executionName}.`,
    );
  }
  return { orderId, charged: true, chargeId: outcome.chargeId, notification };
}

/** The Lambda: settings, client and gateway are made once per container, at its first start. */
export function chargePaymentFactory(env: Env = process.env): (event: ChargeInput) => Promise<ChargeResult> {
  const deps: ChargeDeps = { store: orderStoreFor(env), gateway: paymentGatewayFor(env, "charge") };
  return async (event) => {
    try {
      const result = await chargePayment(event, deps);
      console.log(
        JSON.stringify({
          handler: "chargePayment",
          orderId: result.orderId,
          outcome: result.charged ? "charged" : "already charged",
        }),
      );
      return result;
    } catch (error) {
      const outcome = error instanceof Error ? error.name : "error";
      console.log(JSON.stringify({ handler: "chargePayment", orderId: event?.orderId, outcome }));
      throw error;
    }
  };
}
