/**
 * The original workflow's checks, before the saga: verify the payment details and read the stock levels in
 * parallel (the raw input goes only to these two Lambdas), a Choice on the verification, and a Map
 * over the items' stock levels. Then the saga (saga.ts) reserves what these checks saw in stock.
 */
import { GATEWAY_UNAVAILABLE_ERROR, TRANSIENT_STORE_ERRORS } from "../../handlers/contract";
import { machine } from "../asl";
import type { WorkflowResources } from "../definition";
import { NOTHING_RESERVED_OR_REFUNDED, faultTo, invoke, lambdaRetry, states } from "./common";

/**
 * A Parallel branch's one Task: the Lambda, given the raw input and the execution's name, answering its
 * payload; retried also on `transient`, the errors of what it calls (both only read, so a retry is safe).
 */
const rawInputTask = (functionName: string, transient: readonly string[]) => ({
  ...invoke(functionName, { "order.$": "$.order", "executionName.$": "$.executionName" }),
  OutputPath: "$.Payload",
  Retry: lambdaRetry(...transient),
  End: true as const,
});

export function checks(r: WorkflowResources) {
  return states({
    VerifyPaymentAndCheckStock: {
      Type: "Parallel",
      Comment: "The raw input goes only to these two Lambdas; card data stops here.",
      // The execution's input, whatever it is (null, false and 0 included), as each Lambda's `order`.
      Parameters: { "order.$": "$$.Execution.Input", "executionName.$": "$$.Execution.Name" },
      Branches: [
        machine({
          StartAt: "VerifyPaymentDetails",
          States: { VerifyPaymentDetails: rawInputTask(r.verifyPaymentDetailsFunction, [GATEWAY_UNAVAILABLE_ERROR]) },
        }),
        machine({
          StartAt: "RetrieveStockLevels",
          States: { RetrieveStockLevels: rawInputTask(r.retrieveStockLevelsFunction, TRANSIENT_STORE_ERRORS) },
        }),
      ],
      // What the rest of the workflow needs, and nothing more (the original workflow's TidyOrder, folded in here).
      ResultSelector: {
        "orderId.$": "$[0].orderId",
        "paymentVerified.$": "$[0].paymentVerified",
        "rejection.$": "$[0].rejection",
        "item.$": "$[0].item",
        "notice.$": "$[0].notice",
        "charge.$": "$[0].charge",
        // Only the counts: the items travel once, in the record item (the 256 KiB state limit).
        "quantitiesInStock.$": "$[1].quantitiesInStock",
        ...NOTHING_RESERVED_OR_REFUNDED,
      },
      // The raw input may not even be an object, so the fault replaces it (no ResultPath) rather than joining it.
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "RecoverOrderId" }],
      Next: "PaymentVerified?",
    },
    "PaymentVerified?": {
      Type: "Choice",
      Choices: [
        { Variable: "$.paymentVerified", BooleanEquals: true, Next: "CheckStock" },
        { Variable: "$.rejection.error", StringEquals: "INVALID_ORDER", Next: "InvalidOrder" },
      ],
      Default: "PaymentNotVerified",
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
      Next: "ReserveStock",
    },
  });
}
