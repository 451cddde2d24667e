/**
 * Execution paths to derive and draw: a small state machine with every shape the derivation and
 * the report's layout read (a Parallel, a Map whose iterations can fail, Catch, a Catch leading
 * where Next does), and the order workflow with the states three real orders entered.
 */
import { StateMachineDefinition, machine } from "../../workflow/asl";
import { orderWorkflowDefinition, workflowResources } from "../../workflow/definition";

/** A small machine with every shape the derivation reads: a Parallel, a Map, Catch, Next = Catch target. */
export const DEMO: StateMachineDefinition = machine({
  StartAt: "Fetch",
  States: {
    Fetch: {
      Type: "Parallel",
      Branches: [
        machine({
          StartAt: "A",
          States: { A: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } },
        }),
        machine({ StartAt: "B", States: { B: { Type: "Pass", Next: "B2" }, B2: { Type: "Pass", End: true } } }),
      ],
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Recover" }],
      Next: "Each",
    },
    Each: {
      Type: "Map",
      ItemsPath: "$.items",
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        ...machine({
          StartAt: "Check",
          States: {
            Check: { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Ok" }], Default: "Bad" },
            Ok: { Type: "Succeed" },
            Bad: { Type: "Fail", Error: "BAD", Cause: "bad item" },
          },
        }),
      },
      Catch: [{ ErrorEquals: ["BAD"], Next: "Recover" }],
      Next: "Save",
    },
    Save: {
      Type: "Task",
      Resource: "arn:aws:states:::dynamodb:putItem",
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Notify" }],
      Next: "Notify",
    },
    Notify: { Type: "Task", Resource: "arn:aws:states:::sns:publish", End: true },
    Recover: { Type: "Pass", Next: "Failed" },
    Failed: { Type: "Fail", Error: "FAILED", Cause: "it failed" },
  },
});

/** The order workflow with local names. */
export const orderDefinition = orderWorkflowDefinition(
  workflowResources(
    (key) => `arn:aws:lambda:us-east-1:000000000000:function:${key}`,
    "CustomerOrders",
    "arn:aws:sns:us-east-1:000000000000:order-notifications",
  ),
);

export const PARALLEL = ["VerifyPaymentAndCheckStock", "VerifyPaymentDetails", "RetrieveStockLevels"];
/** An order that succeeded, three items in stock. */
export const SUCCEEDED_PATH = [
  ...PARALLEL,
  "PaymentVerified?",
  "CheckStock",
  "InStock?",
  "InStock?",
  "ItemInStock",
  "InStock?",
  "ItemInStock",
  "ItemInStock",
  "ReserveStock",
  "ChargePayment",
  "RecordProcessed",
  "NotifyOrderProcessed",
];
/** An order whose second item was out of stock. */
export const OUT_OF_STOCK_PATH = [
  ...PARALLEL,
  "PaymentVerified?",
  "CheckStock",
  "InStock?",
  "InStock?",
  "ItemInStock",
  "ItemOutOfStock",
  "OutOfStock",
  "RecordFailedOrder",
  "ComposeNotification",
  "NotifyOrderFailed",
  "OrderFailed",
];
/** An order whose Lambdas failed: the Parallel caught, the order id recovered. */
export const LAMBDAS_DOWN_PATH = [
  ...PARALLEL,
  "RecoverOrderId",
  "CheckOrderId",
  "UseCheckedOrderId",
  "InternalError",
  "RecordFailedOrder",
  "ComposeNotification",
  "NotifyOrderFailed",
  "OrderFailed",
];
