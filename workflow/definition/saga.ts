/**
 * The saga, after the checks: reserve every unit of the order (one transaction: all or none), charge,
 * record PROCESSED and commit the reservation (one write: the reservation lives on the record), and
 * notify. Its compensations run in reverse (compensations.ts): a declined charge releases the
 * reservation; a fault after the charge may have been approved refunds it and releases the reservation.
 *
 *   ReserveStock → ChargePayment → RecordProcessed → NotifyOrderProcessed            (SUCCEEDED)
 */
import {
  ALREADY_PROCESSED_ERROR,
  DUPLICATE_ORDER_ERROR,
  GATEWAY_UNAVAILABLE_ERROR,
  ORDER_CONFLICT_ERROR,
  OUT_OF_STOCK_ERROR,
  PAYMENT_ERROR,
  TRANSIENT_STORE_ERRORS,
} from "../../handlers/contract";
import type { WorkflowResources } from "../definition";
import {
  DYNAMODB_PUT_ITEM,
  DYNAMODB_TRANSIENT_ERRORS,
  SNS_PUBLISH,
  SNS_TRANSIENT_ERRORS,
  faultTo,
  idempotentRetry,
  invoke,
  lambdaRetry,
  patientRetry,
  states,
} from "./common";

/** The saga's steps, in order, and the answer to a redelivery of an order already processed. */
export function saga(r: WorkflowResources) {
  return { ...reserveAndCharge(r), ...recordAndNotify(r), ...answerAsBefore() };
}

function reserveAndCharge(r: WorkflowResources) {
  return states({
    ReserveStock: {
      ...invoke(r.reserveStockFunction, {
        "orderId.$": "$.orderId",
        "executionName.$": "$$.Execution.Name",
        "item.$": "$.item",
        "charge.$": "$.charge",
      }),
      Comment: "Claims the order's record and takes all of its units from stock, in one transaction.",
      ResultSelector: { "record.$": "$.Payload.record" },
      ResultPath: "$.stock",
      Retry: lambdaRetry(...TRANSIENT_STORE_ERRORS),
      Catch: [
        faultTo([OUT_OF_STOCK_ERROR], "ReadReservationRefusal"),
        faultTo([ALREADY_PROCESSED_ERROR], "ReadAnswerGiven"),
        faultTo([DUPLICATE_ORDER_ERROR], "DuplicateOrder"),
        faultTo([ORDER_CONFLICT_ERROR], "OrderConflict"),
        faultTo(["States.ALL"], "ReservationFault"),
      ],
      Next: "ChargePayment",
    },
    ChargePayment: {
      ...invoke(r.chargePaymentFunction, { "orderId.$": "$.orderId", "charge.$": "$.charge" }),
      ResultSelector: {
        "charged.$": "$.Payload.charged",
        "chargeId.$": "$.Payload.chargeId",
        "notification.$": "$.Payload.notification",
        // What the PROCESSED write adds to the record: the charge, and the reservation committed.
        record: {
          State: { S: "PROCESSED" },
          ChargeId: { "S.$": "$.Payload.chargeId" },
          StockState: { S: "COMMITTED" },
        },
      },
      ResultPath: "$.result",
      // The gateway's idempotency key (the order id) makes a charge retried after no answer charge once.
      Retry: lambdaRetry(GATEWAY_UNAVAILABLE_ERROR),
      Catch: [faultTo([PAYMENT_ERROR], "PaymentFailed"), faultTo(["States.ALL"], "ChargeFault")],
      Next: "RecordProcessed",
    },
  });
}

function recordAndNotify(r: WorkflowResources) {
  return states({
    RecordProcessed: {
      Type: "Task",
      Resource: DYNAMODB_PUT_ITEM,
      Comment: "Records the order PROCESSED and commits its reservation, in one write; a repeat writes the same.",
      Parameters: {
        TableName: r.tableName,
        "Item.$": "States.JsonMerge(States.JsonMerge($.item, $.stock.record, false), $.result.record, false)",
        // Only over this execution's own claim of these contents, or its own identical PROCESSED write.
        ConditionExpression:
          "ExecutionName = :execution AND OrderHash = :hash AND (#state = :processing OR (#state = :processed AND ChargeId = :charge))",
        ExpressionAttributeNames: { "#state": "State" },
        ExpressionAttributeValues: {
          ":execution": { "S.$": "$$.Execution.Name" },
          ":hash": { "S.$": "$.item.OrderHash.S" },
          ":processing": { S: "PROCESSING" },
          ":processed": { S: "PROCESSED" },
          ":charge": { "S.$": "$.result.chargeId" },
        },
      },
      ResultPath: null,
      Retry: idempotentRetry(DYNAMODB_TRANSIENT_ERRORS, ["DynamoDB.ConditionalCheckFailedException"]),
      Catch: [faultTo(["States.ALL"], "RecordFault")],
      Next: "NotifyOrderProcessed",
    },
    NotifyOrderProcessed: {
      Type: "Task",
      Resource: SNS_PUBLISH,
      Parameters: {
        TopicArn: r.topicArn,
        "Message.$": "States.JsonToString($.result.notification)",
        MessageAttributes: { state: { DataType: "String", StringValue: "PROCESSED" } },
      },
      ResultPath: null,
      OutputPath: "$.result",
      Retry: patientRetry(SNS_TRANSIENT_ERRORS),
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "NotificationFailed", ResultPath: "$.fault" }],
      End: true,
    },
    NotificationFailed: {
      Type: "Fail",
      Error: "INTERNAL_ERROR",
      Cause: "The order was charged and recorded as PROCESSED, but its notification could not be published.",
    },
  });
}

/** A redelivery (EXPRESS runs at least once) of an order this execution already processed: announce it again. */
function answerAsBefore() {
  return states({
    ReadAnswerGiven: {
      Type: "Pass",
      Comment: "This execution already processed this order (a redelivery): its answer is the error's message.",
      Parameters: { "body.$": "States.StringToJson($.fault.Cause)" },
      ResultPath: "$.given",
      Next: "AnswerAsBefore",
    },
    AnswerAsBefore: {
      Type: "Pass",
      Comment: "Announce it again (at least once), charging nothing and writing nothing.",
      Parameters: { "result.$": "States.StringToJson($.given.body.errorMessage)" },
      Next: "NotifyOrderProcessed",
    },
  });
}
