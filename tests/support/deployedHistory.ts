/**
 * A deployed stack as the deployed runner's tests see it: its ARNs and names, the definition it
 * runs, a sample order, and execution histories in the shape GetExecutionHistory returns for this
 * definition (built event by event by History).
 */
import type { HistoryEvent, HistoryEventType } from "@aws-sdk/client-sfn";
import { render } from "../../workflow/asl";
import { orderWorkflowDefinition, workflowResources } from "../../workflow/definition";
import { CHARGE_STATE } from "../../workflow/execution/charge";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";
export const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:orders-workflow-5d1e2f3`;
export const TABLE = "orders-table-7a8b9c0";
export const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:orders-notifications-1f2e3d4`;
const fn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders-${name}-0a1b2c3`;
export const DEFINITION = render(orderWorkflowDefinition(workflowResources(fn, TABLE, TOPIC)));

export const ORDER = {
  orderId: "web-1001",
  orderContents: { items: [{ itemId: "item-c9f4x", price: 1000, itemDescription: "Macbook" }] },
  orderTotal: 1000,
  customerId: "c-id-56392",
  paymentDetails: { name: "John Doe", cardType: "MASTERCARD", cardNumber: "5555 5555 5555 4444", expiration: "12/30" },
};

/** Builds a history as Step Functions writes it: ids in order, each event pointing at the one before it. */
export class History {
  readonly events: HistoryEvent[] = [];
  private clock = Date.parse("2026-01-15T10:00:00.000Z");

  add(type: HistoryEventType, previousEventId: number, details: Partial<HistoryEvent> = {}): number {
    const id = this.events.length + 1;
    this.events.push({ id, previousEventId, type, timestamp: new Date((this.clock += 7)), ...details });
    return id;
  }

  enter(
    kind: "Task" | "Pass" | "Choice" | "Parallel" | "Map" | "Succeed" | "Fail",
    name: string,
    previous: number,
    input: unknown = {},
  ): number {
    return this.add(`${kind}StateEntered`, previous, {
      stateEnteredEventDetails: { name, input: JSON.stringify(input) },
    });
  }

  exit(
    kind: "Task" | "Pass" | "Choice" | "Parallel" | "Map" | "Succeed",
    name: string,
    previous: number,
    output: unknown = {},
  ): number {
    return this.add(`${kind}StateExited`, previous, {
      stateExitedEventDetails: { name, output: JSON.stringify(output) },
    });
  }

  /** A state that passes straight through. */
  step(kind: "Pass" | "Choice", name: string, previous: number): number {
    return this.exit(kind, name, this.enter(kind, name, previous));
  }

  /** One attempt of a Task: TaskScheduled (with the parameters, the 10 s timeout) and TaskStarted. */
  private attempt(call: { resourceType: string; resource: string; parameters: unknown }, previous: number): number {
    const { resourceType, resource } = call;
    const scheduled = this.add("TaskScheduled", previous, {
      taskScheduledEventDetails: {
        resourceType,
        resource,
        region: REGION,
        parameters: JSON.stringify(call.parameters),
        timeoutInSeconds: 10,
      },
    });
    return this.add("TaskStarted", scheduled, { taskStartedEventDetails: { resourceType, resource } });
  }

  /**
   * A Task state: scheduled, started, and failed once per error in `failures` (each retried: the
   * next TaskScheduled follows the TaskFailed), then either succeeded with `output` and exited, or
   * failed with `fail` (caught: no TaskStateExited).
   */
  task(
    name: string,
    previous: number,
    call: {
      resourceType: string;
      resource: string;
      parameters: unknown;
      output?: unknown;
      failures?: string[];
      fail?: { error: string; cause: string };
    },
  ): number {
    const { resourceType, resource } = call;
    let last = this.enter("Task", name, previous);
    for (const error of [...(call.failures ?? []), ...(call.fail ? [call.fail.error] : [])]) {
      last = this.attempt(call, last);
      const cause = error === call.fail?.error ? call.fail.cause : `Injected ${error}`;
      last = this.add("TaskFailed", last, { taskFailedEventDetails: { resourceType, resource, error, cause } });
    }
    if (call.fail) return last;
    last = this.attempt(call, last);
    last = this.add("TaskSucceeded", last, {
      taskSucceededEventDetails: { resourceType, resource, output: JSON.stringify(call.output ?? {}) },
    });
    return this.exit("Task", name, last);
  }

  lambda(
    name: string,
    previous: number,
    payload: unknown,
    options: { failures?: string[]; fail?: { error: string; cause: string } } = {},
  ): number {
    return this.task(name, previous, {
      resourceType: "lambda",
      resource: "invoke",
      parameters: { FunctionName: fn(name), Payload: {} },
      output: {
        ExecutedVersion: "$LATEST",
        Payload: payload,
        SdkHttpMetadata: { httpStatusCode: 200 },
        StatusCode: 200,
      },
      ...options,
    });
  }

  publish(name: string, previous: number, message: unknown, attributes: Record<string, string>): number {
    const MessageAttributes = Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, { DataType: "String", StringValue: v }]),
    );
    return this.task(name, previous, {
      resourceType: "sns",
      resource: "publish",
      parameters: { TopicArn: TOPIC, Message: JSON.stringify(message), MessageAttributes },
      output: { MessageId: "5f1b0c36-2bb2-5d3e-8a61-0c9e5f2a7d11", SdkHttpMetadata: { httpStatusCode: 200 } },
    });
  }

  /** The Parallel of both checks, the Choice and the Map over `items` items, all in stock. */
  checks(orderId: string, items: number): number {
    const parallel = this.enter(
      "Parallel",
      "VerifyPaymentAndCheckStock",
      this.add("ExecutionStarted", 0, { executionStartedEventDetails: { input: JSON.stringify(ORDER) } }),
    );
    const started = this.add("ParallelStateStarted", parallel);
    const verify = this.lambda("VerifyPaymentDetails", started, { orderId, paymentVerified: true });
    this.lambda("RetrieveStockLevels", started, { items: [] });
    const joined = this.exit("Parallel", "VerifyPaymentAndCheckStock", this.add("ParallelStateSucceeded", verify));
    const verified = this.step("Choice", "PaymentVerified?", joined);
    let last = this.add("MapStateStarted", this.enter("Map", "CheckStock", verified), {
      mapStateStartedEventDetails: { length: items },
    });
    const mapStarted = last;
    for (let index = 0; index < items; index++) {
      const iteration = this.add("MapIterationStarted", mapStarted, {
        mapIterationStartedEventDetails: { name: "CheckStock", index },
      });
      const choice = this.step("Choice", "InStock?", iteration);
      last = this.add("SucceedStateExited", this.enter("Succeed", "ItemInStock", choice), {
        stateExitedEventDetails: { name: "ItemInStock" },
      });
      last = this.add("MapIterationSucceeded", last, {
        mapIterationSucceededEventDetails: { name: "CheckStock", index },
      });
    }
    return this.exit("Map", "CheckStock", this.add("MapStateSucceeded", last));
  }
}

export const PROCESSED_NOTICE = {
  orderId: "web-1001",
  state: "PROCESSED",
  customerId: "c-id-56392",
  orderTotal: 1000,
  message: "Order web-1001 for customer c-id-56392 was charged 1000.00 and recorded.",
};

/** SUCCEEDED, the charge retried once after a Lambda service error. */
export function succeededHistory(): HistoryEvent[] {
  const h = new History();
  const checked = h.checks("web-1001", 2);
  const reserved = h.lambda("ReserveStock", checked, { record: { StockState: { S: "RESERVED" } } });
  const charged = h.lambda(
    CHARGE_STATE,
    reserved,
    { orderId: "web-1001", charged: true, chargeId: "ch_1", notification: PROCESSED_NOTICE },
    { failures: ["Lambda.ServiceException"] },
  );
  const recorded = h.task("RecordProcessed", charged, {
    resourceType: "dynamodb",
    resource: "putItem",
    parameters: { TableName: TABLE, Item: {} },
    output: {},
  });
  const notified = h.publish("NotifyOrderProcessed", recorded, PROCESSED_NOTICE, { state: "PROCESSED" });
  h.add("ExecutionSucceeded", notified, { executionSucceededEventDetails: { output: "{}" } });
  return h.events;
}

export const FAILED_CAUSE = "The payment provider declined the charge for order web-1001.";
export const FAILED_NOTICE = {
  orderId: "web-1001",
  customerId: "c-id-56392",
  orderTotal: 1000,
  state: "FAILED",
  reason: "PAYMENT_FAILED",
  message: `Order web-1001 failed (PAYMENT_FAILED): ${FAILED_CAUSE}`,
};

/** FAILED with PAYMENT_FAILED: the charge declined (caught), recorded, notified. */
export function paymentFailedHistory(): HistoryEvent[] {
  const h = new History();
  const checked = h.checks("web-1001", 1);
  const reserved = h.lambda("ReserveStock", checked, { record: { StockState: { S: "RESERVED" } } });
  const declined = h.lambda(CHARGE_STATE, reserved, undefined, {
    fail: { error: "PaymentError", cause: '{"errorType":"PaymentError","errorMessage":"declined"}' },
  });
  const reason = h.step("Pass", "PaymentFailed", declined);
  const released = h.lambda("ReleaseStock", reason, { record: { StockState: { S: "RELEASED" } } });
  const recorded = h.task("RecordFailedOrder", released, {
    resourceType: "dynamodb",
    resource: "putItem",
    parameters: { TableName: TABLE, Item: {} },
    output: {},
  });
  const composed = h.step("Pass", "ComposeNotification", recorded);
  const notified = h.publish("NotifyOrderFailed", composed, FAILED_NOTICE, {
    state: "FAILED",
    reason: "PAYMENT_FAILED",
  });
  const failed = h.enter("Fail", "OrderFailed", notified);
  h.add("ExecutionFailed", failed, { executionFailedEventDetails: { error: "PAYMENT_FAILED", cause: FAILED_CAUSE } });
  return h.events;
}

export const CHECK_STATES = (items: number) => [
  "VerifyPaymentAndCheckStock",
  "VerifyPaymentDetails",
  "RetrieveStockLevels",
  "PaymentVerified?",
  "CheckStock",
  ...Array.from({ length: items }, () => ["InStock?", "ItemInStock"]).flat(),
];
