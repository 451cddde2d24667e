/**
 * Every failed order's way out: its reason (a Pass naming it and saying why), the record written
 * FAILED by the state machine (never over a charged order or another execution's), the notification
 * published, and the Fail state; plus the recovery of the order's id when the Lambdas never answered,
 * and the two ends that neither record nor publish (DUPLICATE_ORDER, ORDER_CONFLICT).
 *
 *   <Reason> → RecordFailedOrder → ComposeNotification → NotifyOrderFailed → OrderFailed
 *   the Lambdas never answered → RecoverOrderId → CheckOrderId → UseCheckedOrderId | UseExecutionName → InternalError
 */
import { DUPLICATE_ORDER, ReasonCode } from "../../handlers/contract";
import { COMPENSATION_FAILED } from "../execution/outcomes";
import type { JsonObject, PassState } from "../asl";
import type { WorkflowResources } from "../definition";
import {
  DYNAMODB_PUT_ITEM,
  DYNAMODB_TRANSIENT_ERRORS,
  NOTHING_RESERVED_OR_REFUNDED,
  SNS_PUBLISH,
  SNS_TRANSIENT_ERRORS,
  invoke,
  lambdaRetry,
  patientRetry,
  states,
} from "./common";

/** An execution's error when it fails: a reason code, or a compensation that could not be done. */
export type FailureError = ReasonCode | typeof COMPENSATION_FAILED;

/**
 * A failure state: names the reason, says in plain words why (`cause` is a JSONPath or an intrinsic
 * function), prepares the record's and the notification's failure fields, and goes on to `next` (the
 * record, or first a compensation).
 */
export function failure<N extends string>(
  reason: FailureError,
  cause: string,
  next: N,
  extra: JsonObject = {},
): PassState<N> {
  return {
    Type: "Pass",
    Parameters: {
      error: reason,
      "cause.$": cause,
      attributes: { State: { S: "FAILED" }, FailureReason: { S: reason }, ...extra },
      notice: {
        state: "FAILED",
        reason,
        "message.$": `States.Format('Order {} failed ({}): {}', $.orderId, '${reason}', ${cause})`,
      },
    },
    ResultPath: "$.failure",
    Next: next,
  };
}

/** Why the order is keyed by its execution's name when even the id check could not run. */
const UNCHECKED_ID = "the order could not be read to check its orderId, so it is recorded under its execution's name";

/** Record fields known when the Lambdas never answered: only the id, the time and why the id is the execution's name. */
function unverifiedOrder(orderId: string): PassState<"InternalError"> {
  return {
    Type: "Pass",
    Parameters: {
      "orderId.$": orderId,
      "fault.$": "$.fault",
      item: {
        OrderId: { "S.$": orderId },
        ExecutionName: { "S.$": "$$.Execution.Name" },
        CreatedAt: { "S.$": "$$.Execution.StartTime" },
        OrderIdProblem: { S: UNCHECKED_ID },
      },
      notice: { "orderId.$": orderId, orderIdProblem: UNCHECKED_ID },
      ...NOTHING_RESERVED_OR_REFUNDED,
    },
    Next: "InternalError",
  };
}

/** The reasons found before anything was reserved, and the recovery of the id when the Lambdas never answered. */
export function reasons(r: WorkflowResources) {
  return states({
    InvalidOrder: failure("INVALID_ORDER", "$.rejection.cause", "RecordFailedOrder"),
    PaymentNotVerified: failure("PAYMENT_NOT_VERIFIED", "$.rejection.cause", "RecordFailedOrder"),
    OutOfStock: failure("OUT_OF_STOCK", "$.fault.Cause", "RecordFailedOrder"),
    InternalError: failure(
      "INTERNAL_ERROR",
      "States.Format('A step failed with {} and could not be recovered by retrying.', $.fault.Error)",
      "RecordFailedOrder",
    ),
    RecoverOrderId: {
      Type: "Pass",
      Comment: "The Lambdas never answered: keep the fault, and ask the verification once more what the order's id is.",
      Parameters: { "fault.$": "$" },
      Next: "CheckOrderId",
    },
    CheckOrderId: {
      ...invoke(r.verifyPaymentDetailsFunction, {
        "order.$": "$$.Execution.Input",
        "executionName.$": "$$.Execution.Name",
      }),
      Comment:
        "The same id rule as every other path (handlers/order/validation.ts): an invalid orderId gives way to the execution's name.",
      // Only what the record and the notice need: the order's text is not carried on (the 256 KiB state limit).
      ResultSelector: { "orderId.$": "$.Payload.orderId", "item.$": "$.Payload.item", "notice.$": "$.Payload.notice" },
      ResultPath: "$.verified",
      Retry: lambdaRetry(),
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "UseExecutionName", ResultPath: "$.checkFault" }],
      Next: "UseCheckedOrderId",
    },
    UseCheckedOrderId: {
      Type: "Pass",
      Parameters: {
        "orderId.$": "$.verified.orderId",
        "fault.$": "$.fault",
        "item.$": "$.verified.item",
        "notice.$": "$.verified.notice",
        ...NOTHING_RESERVED_OR_REFUNDED,
      },
      Next: "InternalError",
    },
    UseExecutionName: unverifiedOrder("$$.Execution.Name"),
  });
}

/** The record written FAILED (with what the saga added: StockState, Reservation, RefundId), the notice, the end. */
export function failedOrder(r: WorkflowResources) {
  return states({
    RecordFailedOrder: {
      Type: "Task",
      Resource: DYNAMODB_PUT_ITEM,
      Comment: "Never overwrites another execution's order unless that one failed too.",
      Parameters: {
        TableName: r.tableName,
        "Item.$":
          "States.JsonMerge(States.JsonMerge(States.JsonMerge($.item, $.stock.record, false), $.refund.record, false), $.failure.attributes, false)",
        // A charged order and another execution's claim are never overwritten; this execution's own
        // PROCESSED record only when its charge was refunded (the write landed though it answered an error).
        ConditionExpression:
          "attribute_not_exists(OrderId) OR #state = :failed OR (ExecutionName = :execution AND (#state = :processing OR (#state = :processed AND ChargeId = :refunded)))",
        ExpressionAttributeNames: { "#state": "State" },
        ExpressionAttributeValues: {
          ":failed": { S: "FAILED" },
          ":processing": { S: "PROCESSING" },
          ":processed": { S: "PROCESSED" },
          ":execution": { "S.$": "$$.Execution.Name" },
          ":refunded": { "S.$": "$.refund.chargeId" },
        },
      },
      ResultPath: null,
      Retry: patientRetry(DYNAMODB_TRANSIENT_ERRORS),
      Catch: [
        { ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"], Next: "RecordKept", ResultPath: "$.fault" },
        // The table cannot be reached: still tell subscribers.
        { ErrorEquals: ["States.ALL"], Next: "ComposeNotification", ResultPath: "$.recordFault" },
      ],
      Next: "ComposeNotification",
    },
    ComposeNotification: {
      Type: "Pass",
      Comment: "What is known of the order, and why it failed.",
      Parameters: { "body.$": "States.JsonMerge($.notice, $.failure.notice, false)" },
      ResultPath: "$.notification",
      Next: "NotifyOrderFailed",
    },
    NotifyOrderFailed: {
      Type: "Task",
      Resource: SNS_PUBLISH,
      Parameters: {
        TopicArn: r.topicArn,
        "Message.$": "States.JsonToString($.notification.body)",
        MessageAttributes: {
          state: { DataType: "String", StringValue: "FAILED" },
          reason: { DataType: "String", "StringValue.$": "$.failure.error" },
        },
      },
      ResultPath: null,
      Retry: patientRetry(SNS_TRANSIENT_ERRORS),
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "OrderFailed", ResultPath: "$.notifyFault" }],
      Next: "OrderFailed",
    },
    OrderFailed: { Type: "Fail", ErrorPath: "$.failure.error", CausePath: "$.failure.cause" },
    RecordKept: {
      Type: "Pass",
      Comment: "The order's record belongs to a charged order or to another execution: leave it, publish nothing.",
      Parameters: {
        "error.$": "$.failure.error",
        "cause.$":
          "States.Format('{} Order {} already has a record that this failure must not overwrite, so it was left unchanged and nothing was published.', $.failure.cause, $.orderId)",
      },
      ResultPath: "$.failure",
      Next: "OrderFailed",
    },
  });
}

/** The two ends where the order's id belongs to another execution: nothing recorded, nothing published. */
export function heldElsewhere() {
  return states({
    DuplicateOrder: {
      Type: "Pass",
      Parameters: {
        "cause.$":
          "States.Format('Order {} was already submitted by another execution; this execution charged nothing and changed no record.', $.orderId)",
      },
      Next: "OrderAlreadySubmitted",
    },
    OrderAlreadySubmitted: { Type: "Fail", Error: DUPLICATE_ORDER, CausePath: "$.cause" },
    OrderConflict: {
      Type: "Pass",
      Comment:
        "Another order holds this id: its record is kept and nothing is published (it is not this order's to announce).",
      Parameters: {
        "cause.$":
          "States.Format('Order {} is already recorded with other contents: this order differs from the order already recorded, so this execution charged nothing and changed no record.', $.orderId)",
      },
      Next: "OrderContentsConflict",
    },
    OrderContentsConflict: { Type: "Fail", Error: "ORDER_CONFLICT", CausePath: "$.cause" },
  });
}
