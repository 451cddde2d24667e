/**
 * The order workflow, top to bottom as the Step Functions console draws it.
 *
 *   VerifyPaymentAndCheckStock (Parallel: VerifyPaymentDetails | RetrieveStockLevels)
 *   → PaymentVerified? → TidyOrder → CheckStock (Map: InStock? per item) → ChargePayment
 *   → NotifyOrderProcessed                                                   (SUCCEEDED)
 *
 *   every failure → <Reason> → RecordFailedOrder → ComposeNotification → NotifyOrderFailed → OrderFailed
 *   the Lambdas never answered → RecoverOrderId → CheckOrderId → UseCheckedOrderId | UseExecutionName → InternalError
 *   the order's id held by another execution → DuplicateOrder (same contents) | OrderConflict (other contents)
 *
 * The three Lambdas guarantee the fields read here for any input (handlers/contract.ts), so no
 * JSONPath below can fail at run time. The same function renders the definition for AWS (with
 * Pulumi outputs resolved) and for the local engine (with local names).
 */
import {
  DUPLICATE_ORDER,
  DUPLICATE_ORDER_ERROR,
  ORDER_CONFLICT_ERROR,
  PAYMENT_ERROR,
  ReasonCode,
  TRANSIENT_STORE_ERRORS,
} from "../handlers/contract";
import { Catcher, JsonObject, PassState, Retrier, StateMachineDefinition, allStates, machine } from "./asl";
import { FUNCTION_KEYS, FunctionKey } from "./functions";

/** Each function of the registry (workflow/functions.ts) by its ARN, as `<key>Function`. */
export type FunctionResources = { readonly [K in FunctionKey as `${K}Function`]: string };

/** What the definition refers to in the account. */
export interface WorkflowResources extends FunctionResources {
  readonly tableName: string;
  readonly topicArn: string;
}

/** The definition's resources: every function of the registry by `functionArn(key)`, the table and the topic. */
export function workflowResources(
  functionArn: (key: FunctionKey) => string,
  tableName: string,
  topicArn: string,
): WorkflowResources {
  const functions = Object.fromEntries(
    FUNCTION_KEYS.map((key) => [`${key}Function`, functionArn(key)]),
  ) as FunctionResources;
  return { ...functions, tableName, topicArn };
}

export const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";

/** The functions the definition invokes (each Task's `FunctionName`), once each, in the order of its states. */
export function invokedFunctions(definition: StateMachineDefinition): string[] {
  const names = allStates(definition).flatMap(([, state]) =>
    state.Type === "Task" && state.Resource === LAMBDA_INVOKE && typeof state.Parameters?.FunctionName === "string"
      ? [state.Parameters.FunctionName]
      : [],
  );
  return [...new Set(names)];
}
export const DYNAMODB_PUT_ITEM = "arn:aws:states:::dynamodb:putItem";
export const SNS_PUBLISH = "arn:aws:states:::sns:publish";

/** Exponential backoff with full jitter: 1 s, then up to 2 s, 4 s (capped at 10 s). */
const backoff = {
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  MaxDelaySeconds: 10,
  JitterStrategy: "FULL",
} as const;

/** The transient errors AWS documents for Lambda invocations (retry recommended by AWS). */
export const LAMBDA_TRANSIENT_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
] as const;
export const DYNAMODB_TRANSIENT_ERRORS = [
  "DynamoDB.ProvisionedThroughputExceededException",
  "DynamoDB.ThrottlingException",
  "DynamoDB.RequestLimitExceeded",
  "DynamoDB.InternalServerErrorException",
] as const;
export const SNS_TRANSIENT_ERRORS = [
  "SNS.ThrottledException",
  "SNS.InternalErrorException",
  "SNS.KMSThrottlingException",
] as const;

const lambdaRetry = (...extra: readonly string[]): Retrier[] => [
  { ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS, ...extra], ...backoff },
  // A function that timed out (Lambda's own timeout, or the task's) is retried once: all three are
  // safe to repeat, the charge included (it is idempotent per order and execution).
  {
    ErrorEquals: ["Sandbox.Timedout", "States.Timeout"],
    IntervalSeconds: 1,
    MaxAttempts: 1,
    BackoffRate: 2,
    JitterStrategy: "FULL",
  },
];

/** Seconds a Lambda task may take before the state machine gives up on it. */
export const LAMBDA_TASK_TIMEOUT_SECONDS = 10;

const invoke = (functionName: string, payload: JsonObject) => ({
  Type: "Task" as const,
  Resource: LAMBDA_INVOKE,
  Parameters: { FunctionName: functionName, Payload: payload },
  TimeoutSeconds: LAMBDA_TASK_TIMEOUT_SECONDS,
});

const faultTo = <N extends string>(errors: readonly string[], next: N): Catcher<N> => ({
  ErrorEquals: errors,
  Next: next,
  ResultPath: "$.fault",
});

/**
 * A failure state: names the reason, says in plain words why (`cause` is a JSONPath or an intrinsic
 * function), and prepares the record's and the notification's failure fields.
 */
function failure(reason: ReasonCode, cause: string): PassState<"RecordFailedOrder"> {
  return {
    Type: "Pass",
    Parameters: {
      error: reason,
      "cause.$": cause,
      attributes: { State: { S: "FAILED" }, FailureReason: { S: reason } },
      notice: {
        state: "FAILED",
        reason,
        "message.$": `States.Format('Order {} failed ({}): {}', $.orderId, '${reason}', ${cause})`,
      },
    },
    ResultPath: "$.failure",
    Next: "RecordFailedOrder",
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
    },
    Next: "InternalError",
  };
}

export function orderWorkflowDefinition(r: WorkflowResources): StateMachineDefinition {
  return machine({
    Comment: "Order processing: verify payment and stock, charge, record, notify",
    StartAt: "VerifyPaymentAndCheckStock",
    TimeoutSeconds: 300,
    States: {
      VerifyPaymentAndCheckStock: {
        Type: "Parallel",
        Comment: "The raw input goes only to these two Lambdas; card data stops here.",
        // The execution's input, whatever it is (null, false and 0 included), as each Lambda's `order`.
        Parameters: { "order.$": "$$.Execution.Input", "executionName.$": "$$.Execution.Name" },
        Branches: [
          machine({
            StartAt: "VerifyPaymentDetails",
            States: {
              VerifyPaymentDetails: {
                ...invoke(r.verifyPaymentDetailsFunction, {
                  "order.$": "$.order",
                  "executionName.$": "$.executionName",
                }),
                OutputPath: "$.Payload",
                Retry: lambdaRetry(),
                End: true,
              },
            },
          }),
          machine({
            StartAt: "RetrieveStockLevels",
            States: {
              RetrieveStockLevels: {
                ...invoke(r.retrieveStockLevelsFunction, {
                  "order.$": "$.order",
                  "executionName.$": "$.executionName",
                }),
                OutputPath: "$.Payload",
                Retry: lambdaRetry(),
                End: true,
              },
            },
          }),
        ],
        ResultSelector: {
          "orderId.$": "$[0].orderId",
          "paymentVerified.$": "$[0].paymentVerified",
          "rejection.$": "$[0].rejection",
          "item.$": "$[0].item",
          "notice.$": "$[0].notice",
          "charge.$": "$[0].charge",
          // Only the counts: the items travel once, in the record item (the 256 KiB state limit).
          "quantitiesInStock.$": "$[1].quantitiesInStock",
        },
        // The raw input may not even be an object, so the fault replaces it (no ResultPath) rather than joining it.
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "RecoverOrderId" }],
        Next: "PaymentVerified?",
      },
      "PaymentVerified?": {
        Type: "Choice",
        Choices: [
          { Variable: "$.paymentVerified", BooleanEquals: true, Next: "TidyOrder" },
          { Variable: "$.rejection.error", StringEquals: "INVALID_ORDER", Next: "InvalidOrder" },
        ],
        Default: "PaymentNotVerified",
      },
      TidyOrder: {
        Type: "Pass",
        Comment: "Keep what the rest of the workflow needs.",
        Parameters: {
          "orderId.$": "$.orderId",
          "item.$": "$.item",
          "notice.$": "$.notice",
          "charge.$": "$.charge",
          "quantitiesInStock.$": "$.quantitiesInStock",
        },
        Next: "CheckStock",
      },
      CheckStock: {
        Type: "Map",
        // The record's items (DynamoDB's wire format), each with its count from the stock Lambda.
        ItemsPath: "$.item.Items.L",
        ItemSelector: {
          "itemId.$": "$$.Map.Item.Value.M.itemId.S",
          "quantityInStock.$": "States.ArrayGetItem($.quantitiesInStock, $$.Map.Item.Index)",
          "outOfStockCause.$":
            "States.Format('Item {} ({}) is out of stock.', $$.Map.Item.Value.M.itemId.S, $$.Map.Item.Value.M.itemDescription.S)",
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          ...machine({
            StartAt: "InStock?",
            States: {
              "InStock?": {
                Type: "Choice",
                Choices: [{ Variable: "$.quantityInStock", NumericGreaterThan: 0, Next: "ItemInStock" }],
                Default: "ItemOutOfStock",
              },
              ItemInStock: { Type: "Succeed" },
              ItemOutOfStock: { Type: "Fail", Error: "OUT_OF_STOCK", CausePath: "$.outOfStockCause" },
            },
          }),
        },
        ResultPath: null,
        Catch: [faultTo(["OUT_OF_STOCK"], "OutOfStock"), faultTo(["States.ALL"], "InternalError")],
        Next: "ChargePayment",
      },
      ChargePayment: {
        ...invoke(r.chargePaymentFunction, {
          "orderId.$": "$.orderId",
          "executionName.$": "$$.Execution.Name",
          "item.$": "$.item",
          "notice.$": "$.notice",
          "charge.$": "$.charge",
        }),
        ResultSelector: {
          "charged.$": "$.Payload.charged",
          "chargeId.$": "$.Payload.chargeId",
          "notification.$": "$.Payload.notification",
        },
        ResultPath: "$.result",
        Retry: lambdaRetry(...TRANSIENT_STORE_ERRORS),
        Catch: [
          faultTo([PAYMENT_ERROR], "PaymentFailed"),
          faultTo([DUPLICATE_ORDER_ERROR], "DuplicateOrder"),
          faultTo([ORDER_CONFLICT_ERROR], "OrderConflict"),
          faultTo(["States.ALL"], "InternalError"),
        ],
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
        Retry: [{ ErrorEquals: [...SNS_TRANSIENT_ERRORS], ...backoff }],
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "NotificationFailed", ResultPath: "$.fault" }],
        End: true,
      },
      NotificationFailed: {
        Type: "Fail",
        Error: "INTERNAL_ERROR",
        Cause: "The order was charged and recorded as PROCESSED, but its notification could not be published.",
      },

      InvalidOrder: failure("INVALID_ORDER", "$.rejection.cause"),
      PaymentNotVerified: failure("PAYMENT_NOT_VERIFIED", "$.rejection.cause"),
      OutOfStock: failure("OUT_OF_STOCK", "$.fault.Cause"),
      PaymentFailed: failure(
        "PAYMENT_FAILED",
        "States.Format('The payment provider declined the charge for order {}.', $.orderId)",
      ),
      InternalError: failure(
        "INTERNAL_ERROR",
        "States.Format('A step failed with {} and could not be recovered by retrying.', $.fault.Error)",
      ),
      RecoverOrderId: {
        Type: "Pass",
        Comment:
          "The Lambdas never answered: keep the fault, and ask the verification once more what the order's id is.",
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
        ResultSelector: {
          "orderId.$": "$.Payload.orderId",
          "item.$": "$.Payload.item",
          "notice.$": "$.Payload.notice",
        },
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
        },
        Next: "InternalError",
      },
      UseExecutionName: unverifiedOrder("$$.Execution.Name"),

      RecordFailedOrder: {
        Type: "Task",
        Resource: DYNAMODB_PUT_ITEM,
        Comment: "Never overwrites another execution's order unless that one failed too.",
        Parameters: {
          TableName: r.tableName,
          "Item.$": "States.JsonMerge($.item, $.failure.attributes, false)",
          // A charged order (PROCESSED, even by this execution) and another execution's claim are never overwritten.
          ConditionExpression:
            "attribute_not_exists(OrderId) OR #state = :failed OR (ExecutionName = :execution AND #state = :processing)",
          ExpressionAttributeNames: { "#state": "State" },
          ExpressionAttributeValues: {
            ":failed": { S: "FAILED" },
            ":processing": { S: "PROCESSING" },
            ":execution": { "S.$": "$$.Execution.Name" },
          },
        },
        ResultPath: null,
        Retry: [{ ErrorEquals: [...DYNAMODB_TRANSIENT_ERRORS], ...backoff }],
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
        Retry: [{ ErrorEquals: [...SNS_TRANSIENT_ERRORS], ...backoff }],
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
    },
  });
}
