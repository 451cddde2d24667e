/**
 * The saga's compensations, in reverse order of its steps. Each failure reason is decided first (so
 * the record and the notice say why), then what the order holds is undone:
 *
 *   a unit could not be reserved → ReadReservationRefusal → StockTaken (nothing was reserved)
 *   the reserve step faulted     → ReservationFault → ReleaseUncertainReservation (it may have landed)
 *   the charge was declined      → PaymentFailed → ReleaseStock
 *   the charge faulted           → ChargeFault → RefundPayment → ReleaseStock (it may have been approved)
 *   the PROCESSED write faulted  → RecordFault → RefundPayment → ReleaseStock
 *
 * and then RecordFailedOrder (failure.ts), the record saying FAILED with the reason, its StockState
 * and its RefundId. Every compensation is idempotent (the refund keyed by the order id, the release
 * on condition of the reservation as read), so each is retried on any error; one that still fails
 * ends the order COMPENSATION_FAILED, alarmed on, with the record's LeftToDo saying what is left.
 */
import type { WorkflowResources } from "../definition";
import { COMPENSATION_FAILED } from "../execution/outcomes";
import { LAMBDA_TRANSIENT_ERRORS, idempotentRetry, invoke, states } from "./common";
import { failure } from "./failure";

/** A compensation that still failed: the record says FAILED, COMPENSATION_FAILED, and what a person must do. */
function compensationFailed(leftToDo: string) {
  return failure(
    COMPENSATION_FAILED,
    `States.Format('Order {} failed ({}) and could not be put right: {} is left to do.', $.orderId, $.failure.error, '${leftToDo}')`,
    "RecordFailedOrder",
    { LeftToDo: { S: leftToDo } },
  );
}

const REFUND_LEFT = "refund the charge of the order (the gateway key is its OrderId), then release its reservation";
const RELEASE_LEFT = "give the units of its Items back to the Inventory table and set its StockState to RELEASED";
const CHECK_LEFT = "check whether it holds a reservation (StockState RESERVED) and, if it does, release it";

export function compensations(r: WorkflowResources) {
  const release = (next: "RecordFailedOrder", onFailure: "ReleaseFailed" | "ReservationUnknown") => ({
    ...invoke(r.releaseStockFunction, {
      "orderId.$": "$.orderId",
      "executionName.$": "$$.Execution.Name",
      "refundedChargeId.$": "$.refund.chargeId",
    }),
    ResultSelector: { "record.$": "$.Payload.record" },
    ResultPath: "$.stock",
    Retry: idempotentRetry(LAMBDA_TRANSIENT_ERRORS),
    Catch: [{ ErrorEquals: ["States.ALL"], Next: onFailure, ResultPath: "$.compensationFault" }],
    Next: next,
  });
  return states({
    PaymentFailed: failure(
      "PAYMENT_FAILED",
      "States.Format('The payment provider declined the charge for order {}.', $.orderId)",
      "ReleaseStock",
    ),
    ChargeFault: failure(
      "INTERNAL_ERROR",
      "States.Format('A step failed with {} and could not be recovered by retrying.', $.fault.Error)",
      "RefundPayment",
    ),
    RecordFault: failure(
      "INTERNAL_ERROR",
      "States.Format('The order was charged, but recording it as PROCESSED failed with {}; the charge is refunded.', $.fault.Error)",
      "RefundPayment",
    ),
    RefundPayment: {
      ...invoke(r.refundPaymentFunction, { "orderId.$": "$.orderId" }),
      ResultSelector: { "record.$": "$.Payload.record", "chargeId.$": "$.Payload.refundedChargeId" },
      ResultPath: "$.refund",
      Retry: idempotentRetry(LAMBDA_TRANSIENT_ERRORS),
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "RefundFailed", ResultPath: "$.compensationFault" }],
      Next: "ReleaseStock",
    },
    ReleaseStock: release("RecordFailedOrder", "ReleaseFailed"),
    RefundFailed: compensationFailed(REFUND_LEFT),
    ReleaseFailed: compensationFailed(RELEASE_LEFT),
    ReadReservationRefusal: {
      Type: "Pass",
      Comment: "The reserve Lambda's error names the item; nothing was reserved (the transaction is all or none).",
      Parameters: { "body.$": "States.StringToJson($.fault.Cause)" },
      ResultPath: "$.refusal",
      Next: "StockTaken",
    },
    StockTaken: failure("OUT_OF_STOCK", "$.refusal.body.errorMessage", "RecordFailedOrder"),
    ReservationFault: failure(
      "INTERNAL_ERROR",
      "States.Format('A step failed with {} and could not be recovered by retrying.', $.fault.Error)",
      "ReleaseUncertainReservation",
    ),
    ReleaseUncertainReservation: release("RecordFailedOrder", "ReservationUnknown"),
    ReservationUnknown: failure(
      "INTERNAL_ERROR",
      "States.Format('A step failed with {} and could not be recovered by retrying.', $.fault.Error)",
      "RecordFailedOrder",
      { LeftToDo: { S: CHECK_LEFT } },
    ),
  });
}
