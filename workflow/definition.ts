/**
 * The order workflow, top to bottom as the Step Functions console draws it.
 *
 *   VerifyPaymentAndCheckStock (Parallel: VerifyPaymentDetails | RetrieveStockLevels)
 *   → PaymentVerified? → CheckStock (Map: InStock? per item)                  (definition/checks.ts)
 *   → ReserveStock → ChargePayment → RecordProcessed → NotifyOrderProcessed  (definition/saga.ts: SUCCEEDED)
 *
 *   a failure after the reservation → <Reason> → RefundPayment? → ReleaseStock (definition/compensations.ts)
 *   every failure → <Reason> → RecordFailedOrder → ComposeNotification → NotifyOrderFailed → OrderFailed
 *   the Lambdas never answered → RecoverOrderId → CheckOrderId → UseCheckedOrderId | UseExecutionName → InternalError
 *   the order's id held by another execution → DuplicateOrder (same contents) | OrderConflict (other contents)
 *
 * The Lambdas guarantee the fields read here for any input (handlers/contract.ts), so no
 * JSONPath below can fail at run time. The same function renders the definition for AWS (with
 * Pulumi outputs resolved) and for the local engine (with local names).
 */
import { StateMachineDefinition, allStates, machine } from "./asl";
import { FUNCTION_KEYS, FunctionKey } from "./functions";
import { LAMBDA_INVOKE } from "./definition/common";
import { checks } from "./definition/checks";
import { compensations } from "./definition/compensations";
import { failedOrder, heldElsewhere, reasons } from "./definition/failure";
import { saga } from "./definition/saga";

export {
  DYNAMODB_PUT_ITEM,
  DYNAMODB_TRANSIENT_ERRORS,
  LAMBDA_INVOKE,
  LAMBDA_TASK_TIMEOUT_SECONDS,
  LAMBDA_TRANSIENT_ERRORS,
  SNS_PUBLISH,
  SNS_TRANSIENT_ERRORS,
} from "./definition/common";

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

/** The functions the definition invokes (each Task's `FunctionName`), once each, in the order of its states. */
export function invokedFunctions(definition: StateMachineDefinition): string[] {
  const names = allStates(definition).flatMap(([, state]) =>
    state.Type === "Task" && state.Resource === LAMBDA_INVOKE && typeof state.Parameters?.FunctionName === "string"
      ? [state.Parameters.FunctionName]
      : [],
  );
  return [...new Set(names)];
}
/**
 * The whole definition: the checks, the saga, its compensations, the failure paths. Each section is
 * in workflow/definition/; `machine` checks every `Next` against the states of all of them.
 */
export function orderWorkflowDefinition(r: WorkflowResources): StateMachineDefinition {
  return machine({
    Comment:
      "Order processing: verify payment and stock, reserve, charge, record, commit, notify; compensate in reverse",
    StartAt: "VerifyPaymentAndCheckStock",
    TimeoutSeconds: 300,
    States: {
      ...checks(r),
      ...saga(r),
      ...compensations(r),
      ...reasons(r),
      ...failedOrder(r),
      ...heldElsewhere(),
    },
  });
}
