/** The typed ASL model and the workflow's definition, independent of Pulumi. */
import { strict as assert } from "assert";
import { StateMachineDefinition, allStates, checkGraph, machine, render } from "../../workflow/asl";
import {
  LAMBDA_INVOKE,
  WorkflowResources,
  invokedFunctions,
  orderWorkflowDefinition,
  workflowResources,
} from "../../workflow/definition";
import { FUNCTION_KEYS, WORKFLOW_FUNCTIONS } from "../../workflow/functions";
import { validateDefinition } from "../../workflow/validate";

const resources: WorkflowResources = workflowResources(
  (key) => `arn:aws:lambda:us-east-1:123456789012:function:${key}`,
  "orders-table",
  "arn:aws:sns:us-east-1:123456789012:orders-topic",
);

describe("the typed ASL model", function () {
  it("rejects at compile time a transition to a state that does not exist", function () {
    // Each of these lines is a compile error; `tsc --noEmit` fails if one of them compiles.
    const bad = [
      // @ts-expect-error "Nope" is not a state of this machine
      () => machine({ StartAt: "A", States: { A: { Type: "Pass", Next: "Nope" }, B: { Type: "Succeed" } } }),
      // @ts-expect-error StartAt names no state
      () => machine({ StartAt: "Z", States: { A: { Type: "Pass", End: true } } }),
      () =>
        machine({
          StartAt: "A",
          // @ts-expect-error a Choice rule's Next names no state
          States: { A: { Type: "Choice", Choices: [{ Variable: "$.x", BooleanEquals: true, Next: "Q" }] } },
        }),
      // @ts-expect-error a state cannot both name a Next and End
      () => machine({ StartAt: "A", States: { A: { Type: "Pass", Next: "A", End: true } } }),
    ];
    assert.equal(bad.length, 4);
  });

  it("rejects unreachable states and missing terminal states at render time", function () {
    const unreachable = machine({ StartAt: "A", States: { A: { Type: "Succeed" }, B: { Type: "Succeed" } } });
    assert.throws(() => checkGraph(unreachable), /B: unreachable from StartAt/);
    const loop = machine({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" } } });
    assert.throws(() => render(loop), /no terminal state/);
  });
});

describe("the order workflow definition", function () {
  const definition: StateMachineDefinition = orderWorkflowDefinition(resources);
  const json = render(definition);

  it("passes asl-validator", function () {
    assert.deepEqual(validateDefinition(json), []);
  });

  it("reads top to bottom like the original workflow's graph", function () {
    assert.deepEqual(Object.keys(definition.States).slice(0, 7), [
      "VerifyPaymentAndCheckStock",
      "PaymentVerified?",
      "CheckStock",
      "ReserveStock",
      "ChargePayment",
      "RecordProcessed",
      "NotifyOrderProcessed",
    ]);
    const parallel = definition.States.VerifyPaymentAndCheckStock;
    assert.equal(parallel.Type, "Parallel");
    if (parallel.Type === "Parallel")
      assert.deepEqual(
        parallel.Branches.map((b) => b.StartAt),
        ["VerifyPaymentDetails", "RetrieveStockLevels"],
      );
  });

  it("uses JSONPath throughout (the local engine runs JSONPath, not JSONata)", function () {
    assert.doesNotMatch(json, /QueryLanguage|\{%/);
  });

  it("retries every Lambda on the transient errors AWS documents, with backoff and full jitter", function () {
    const tasks = allStates(definition).filter(([, s]) => s.Type === "Task");
    assert.equal(tasks.length, 12);
    for (const [name, task] of tasks) {
      if (task.Type !== "Task") continue;
      assert.ok(task.Retry && task.Retry.length > 0, `${name} has no Retry`);
      const first = task.Retry[0];
      assert.equal(first.JitterStrategy, "FULL", name);
      assert.ok((first.BackoffRate ?? 1) > 1, name);
      if (task.Resource.endsWith("lambda:invoke")) {
        for (const e of [
          "Lambda.ServiceException",
          "Lambda.AWSLambdaException",
          "Lambda.SdkClientException",
          "Lambda.TooManyRequestsException",
        ]) {
          assert.ok(first.ErrorEquals.includes(e), `${name} does not retry ${e}`);
        }
      }
      // The two parallel tasks are caught by the Parallel state that holds them.
      const catcher =
        name === "VerifyPaymentDetails" || name === "RetrieveStockLevels"
          ? definition.States.VerifyPaymentAndCheckStock
          : task;
      assert.ok(
        "Catch" in catcher && catcher.Catch?.some((c) => c.ErrorEquals.includes("States.ALL")),
        `${name} can fail uncaught`,
      );
    }
  });

  it("sends the raw input, which holds card data, only to the two parallel Lambdas (the verification again on the fault path)", function () {
    const rawInputReaders = allStates(definition).filter(([, s]) =>
      /"order\.\$":"\$(\$\.Execution\.Input)?"/.test(JSON.stringify(s)),
    );
    assert.deepEqual(
      rawInputReaders.map(([name]) => name),
      ["VerifyPaymentAndCheckStock", "CheckOrderId"],
    );
    const check = definition.States.CheckOrderId;
    assert.ok(check.Type === "Task" && check.Parameters?.FunctionName === resources.verifyPaymentDetailsFunction);
    assert.doesNotMatch(JSON.stringify(check.ResultSelector), /paymentDetails|charge|\$\.order/);
    const parallel = definition.States.VerifyPaymentAndCheckStock;
    assert.ok(parallel.Type === "Parallel" && parallel.ResultSelector);
    assert.doesNotMatch(JSON.stringify(parallel.ResultSelector), /paymentDetails|\$\.order/);
  });

  it("ends every failure reason in one record, one notification and a Fail state", function () {
    for (const reason of ["InvalidOrder", "PaymentNotVerified", "OutOfStock", "StockTaken", "InternalError"]) {
      const state = definition.States[reason];
      assert.ok(state.Type === "Pass" && state.Next === "RecordFailedOrder", reason);
    }
    // After the reservation, each reason first undoes what the order holds, in reverse.
    const undo: Record<string, string> = {
      PaymentFailed: "ReleaseStock",
      ChargeFault: "RefundPayment",
      RecordFault: "RefundPayment",
      ReservationFault: "ReleaseUncertainReservation",
    };
    for (const [reason, compensation] of Object.entries(undo)) {
      const state = definition.States[reason];
      assert.ok(state.Type === "Pass" && state.Next === compensation, reason);
    }
    const refund = definition.States.RefundPayment;
    assert.ok(refund.Type === "Task" && refund.Next === "ReleaseStock");
    const release = definition.States.ReleaseStock;
    assert.ok(release.Type === "Task" && release.Next === "RecordFailedOrder");
    const record = definition.States.RecordFailedOrder;
    assert.ok(record.Type === "Task" && record.Next === "ComposeNotification");
    const notify = definition.States.NotifyOrderFailed;
    assert.ok(notify.Type === "Task" && notify.Next === "OrderFailed");
  });
});

describe("the definition's resources and the function registry", function () {
  const definition = orderWorkflowDefinition(resources);

  it("invokes each function of the registry from the Task state the registry names, with its own ARN", function () {
    const states = new Map(allStates(definition));
    for (const key of FUNCTION_KEYS) {
      const state = states.get(WORKFLOW_FUNCTIONS[key].state);
      assert.ok(state?.Type === "Task", `${key}: no Task state ${WORKFLOW_FUNCTIONS[key].state}`);
      assert.equal(state.Resource, LAMBDA_INVOKE);
      assert.equal(state.Parameters?.FunctionName, resources[`${key}Function`], key);
    }
  });

  it("lists the functions it invokes once each, in the order of its states: exactly the registry's", function () {
    assert.deepEqual(invokedFunctions(definition), [
      resources.verifyPaymentDetailsFunction,
      resources.retrieveStockLevelsFunction,
      resources.reserveStockFunction,
      resources.chargePaymentFunction,
      resources.refundPaymentFunction,
      resources.releaseStockFunction,
    ]);
  });

  it("lists a function invoked from two states once", function () {
    const twice = machine({
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: LAMBDA_INVOKE, Parameters: { FunctionName: "f" }, Next: "B" },
        B: { Type: "Task", Resource: LAMBDA_INVOKE, Parameters: { FunctionName: "f" }, Next: "C" },
        C: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "t" }, End: true },
      },
    });
    assert.deepEqual(invokedFunctions(twice), ["f"]);
  });

  it("builds the resources from one ARN per function of the registry", function () {
    assert.deepEqual(
      workflowResources((key) => `arn:${key}`, "table", "topic"),
      {
        verifyPaymentDetailsFunction: "arn:verifyPaymentDetails",
        retrieveStockLevelsFunction: "arn:retrieveStockLevels",
        reserveStockFunction: "arn:reserveStock",
        chargePaymentFunction: "arn:chargePayment",
        refundPaymentFunction: "arn:refundPayment",
        releaseStockFunction: "arn:releaseStock",
        tableName: "table",
        topicArn: "topic",
      },
    );
  });
});
