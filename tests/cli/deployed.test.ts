/**
 * `npm run order` on a deployed stack, with Step Functions and DynamoDB mocked (aws-sdk-client-mock):
 * the histories below have the shape GetExecutionHistory returns for this definition.
 */
import * as assert from "assert";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from "@aws-sdk/client-sfn";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { main } from "../../cli/order";
import { DeployedError, DeployedWorkflow, RunCommand, readStackOutputs, reportFromHistory } from "../../cli/deployed";
import { JSON_LINE_KEYS } from "../../cli/format";
import { orderExecutionName } from "../../cli/names";
import { CapturedIo } from "../support/commands";
import {
  ACCOUNT,
  CHECK_STATES,
  DEFINITION,
  FAILED_CAUSE,
  FAILED_NOTICE,
  History,
  ORDER,
  paymentFailedHistory,
  PROCESSED_NOTICE,
  REGION,
  STATE_MACHINE_ARN,
  succeededHistory,
  TABLE,
  TOPIC,
} from "../support/deployedHistory";

describe("reports from a deployed stack's execution history", () => {
  it("lists the states entered, nested ones included; counts retries as transitions; reads the charge and the notification", () => {
    const { report, published } = reportFromHistory(ORDER, "web-1001-abc", { status: "SUCCEEDED" }, succeededHistory());
    assert.deepStrictEqual(report, {
      orderId: "web-1001",
      executionName: "web-1001-abc",
      status: "SUCCEEDED",
      error: null,
      cause: null,
      states: [...CHECK_STATES(2), "ReserveStock", "ChargePayment", "RecordProcessed", "NotifyOrderProcessed"],
      transitions: 13 + 1,
      charged: true,
      notifications: [PROCESSED_NOTICE],
      published: [{ topicArn: TOPIC, message: PROCESSED_NOTICE, attributes: { state: "PROCESSED" } }],
      lambdaInvocations: 5,
    });
    assert.deepStrictEqual(published, [
      { topicArn: TOPIC, message: PROCESSED_NOTICE, attributes: { state: "PROCESSED" } },
    ]);
  });

  it("reads a failed execution's error and cause, and the FAILED notification with its reason attribute", () => {
    const events = paymentFailedHistory();
    // GetExecutionHistory pages may come in any order; the ids put them back.
    const { report, published } = reportFromHistory(
      ORDER,
      "web-1001-abc",
      { status: "FAILED", error: "PAYMENT_FAILED", cause: FAILED_CAUSE },
      [...events].reverse(),
    );
    assert.deepStrictEqual(report.states, [
      ...CHECK_STATES(1),
      "ReserveStock",
      "ChargePayment",
      "PaymentFailed",
      "ReleaseStock",
      "RecordFailedOrder",
      "ComposeNotification",
      "NotifyOrderFailed",
      "OrderFailed",
    ]);
    assert.strictEqual(report.status, "FAILED");
    assert.strictEqual(report.error, "PAYMENT_FAILED");
    assert.strictEqual(report.cause, FAILED_CAUSE);
    assert.strictEqual(report.charged, false);
    assert.strictEqual(report.transitions, report.states.length);
    assert.deepStrictEqual(report.notifications, [FAILED_NOTICE]);
    assert.deepStrictEqual(
      published.map((p) => p.attributes),
      [{ state: "FAILED", reason: "PAYMENT_FAILED" }],
    );
  });

  it("takes the error from the history when DescribeExecution does not give it (a timeout)", () => {
    const h = new History();
    const entered = h.enter("Parallel", "VerifyPaymentAndCheckStock", h.add("ExecutionStarted", 0));
    h.add("ExecutionTimedOut", entered, {
      executionTimedOutEventDetails: { error: "States.Timeout", cause: "The execution ran for more than 300 seconds." },
    });
    const { report } = reportFromHistory({}, "exec-1", { status: "TIMED_OUT" }, h.events);
    assert.strictEqual(report.status, "FAILED");
    assert.strictEqual(report.error, "States.Timeout");
    assert.strictEqual(report.orderId, "exec-1", "no orderId and no notification: the execution's name");
  });
});

describe("running orders on a deployed stack", () => {
  // Mocked only while these tests run: the local engine's tests talk to DynamoDB for real.
  let sfn: AwsClientStub<SFNClient>;
  let dynamodb: AwsClientStub<DynamoDBClient>;
  before(() => {
    sfn = mockClient(SFNClient);
    dynamodb = mockClient(DynamoDBClient);
  });
  const executionArn = (name: string) =>
    `arn:aws:states:${REGION}:${ACCOUNT}:execution:orders-workflow-5d1e2f3:${name}`;

  beforeEach(() => {
    sfn.reset();
    dynamodb.reset();
    sfn
      .on(DescribeStateMachineCommand)
      .resolves({ stateMachineArn: STATE_MACHINE_ARN, type: "STANDARD", definition: DEFINITION });
    sfn
      .on(StartExecutionCommand)
      .callsFake((input: { name: string }) => ({ executionArn: executionArn(input.name), startDate: new Date() }));
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: "RUNNING" })
      .resolvesOnce({ status: "RUNNING" })
      .resolves({ status: "SUCCEEDED" });
    const events = succeededHistory();
    sfn
      .on(GetExecutionHistoryCommand)
      .callsFake((input: { nextToken?: string }) =>
        input.nextToken === undefined
          ? { events: events.slice(0, 20), nextToken: "page-2" }
          : { events: events.slice(20) },
      );
    dynamodb.on(GetItemCommand).resolves({
      Item: {
        OrderId: { S: "web-1001" },
        State: { S: "PROCESSED" },
        OrderTotal: { N: "1000" },
        PaymentMethod: { S: "MASTERCARD ****4444" },
      },
    });
  });
  after(() => {
    sfn.restore();
    dynamodb.restore();
  });

  it("starts an execution named from the order, waits for it, pages through its history and reads its record", async () => {
    const workflow = await DeployedWorkflow.connect({
      stateMachineArn: STATE_MACHINE_ARN,
      tableName: TABLE,
      pollIntervalMs: 0,
    });
    const report = await workflow.run(ORDER);
    workflow.close();

    const [start] = sfn.commandCalls(StartExecutionCommand);
    assert.deepStrictEqual(start.args[0].input, {
      stateMachineArn: STATE_MACHINE_ARN,
      name: orderExecutionName(ORDER),
      input: JSON.stringify(ORDER),
    });
    assert.strictEqual(sfn.commandCalls(DescribeExecutionCommand).length, 3, "polled until it ended");
    assert.deepStrictEqual(
      sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input.nextToken),
      [undefined, "page-2"],
    );
    assert.deepStrictEqual(dynamodb.commandCalls(GetItemCommand)[0].args[0].input, {
      TableName: TABLE,
      Key: { OrderId: { S: "web-1001" } },
      ConsistentRead: true,
    });
    assert.strictEqual(report.executionName, orderExecutionName(ORDER));
    assert.strictEqual(report.status, "SUCCEEDED");
    assert.strictEqual(report.charged, true);
    assert.strictEqual(report.states.length, 13);
    assert.deepStrictEqual(report.record, {
      OrderId: "web-1001",
      State: "PROCESSED",
      OrderTotal: 1000,
      PaymentMethod: "MASTERCARD ****4444",
    });
    assert.strictEqual(workflow.definition, DEFINITION);
  });

  it("reports the earlier execution when the same order was submitted before", async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: "Execution Already Exists", $metadata: {} }));
    const notices: string[] = [];
    const workflow = await DeployedWorkflow.connect({
      stateMachineArn: STATE_MACHINE_ARN,
      pollIntervalMs: 0,
      onNotice: (m) => notices.push(m),
    });
    const report = await workflow.run(ORDER);
    workflow.close();
    const name = orderExecutionName(ORDER);
    assert.strictEqual(sfn.commandCalls(DescribeExecutionCommand)[0].args[0].input.executionArn, executionArn(name));
    assert.deepStrictEqual(notices, [`order already submitted as execution ${name}: reporting that execution`]);
    assert.strictEqual(report.status, "SUCCEEDED");
    assert.strictEqual(report.record, null, "no table given: no record");
    assert.strictEqual(dynamodb.commandCalls(GetItemCommand).length, 0);
  });

  it("refuses an EXPRESS state machine, which keeps no history", async () => {
    sfn
      .on(DescribeStateMachineCommand)
      .resolves({ stateMachineArn: STATE_MACHINE_ARN, type: "EXPRESS", definition: DEFINITION });
    await assert.rejects(
      DeployedWorkflow.connect({ stateMachineArn: STATE_MACHINE_ARN }),
      (e: unknown) => e instanceof DeployedError && /EXPRESS/.test(e.message),
    );
  });

  describe("npm run order", () => {
    const pulumi =
      (outputs: unknown, calls: string[][] = []): RunCommand =>
      (file, args) => {
        calls.push([file, ...args]);
        return Promise.resolve(JSON.stringify(outputs));
      };
    beforeEach(() => {
      // The command polls at its own pace: let the executions be over at once.
      sfn.on(DescribeExecutionCommand).resolves({ status: "SUCCEEDED" });
    });

    it("--stack reads the stack's outputs with the Pulumi CLI, and --json prints the nine keys per order", async () => {
      const calls: string[][] = [];
      const io = new CapturedIo({ stdin: JSON.stringify(ORDER) });
      const status = await main(["--stack", "dev", "--json", "-"], io, {
        runCommand: pulumi({ stateMachineArn: STATE_MACHINE_ARN, tableName: TABLE, topicArn: TOPIC }, calls),
      });
      assert.strictEqual(status, 0, io.err);
      assert.deepStrictEqual(calls, [["pulumi", "stack", "output", "--json", "--stack", "dev"]]);
      const lines = io.out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.strictEqual(lines.length, 1);
      assert.deepStrictEqual(Object.keys(lines[0]), [...JSON_LINE_KEYS]);
      assert.strictEqual(lines[0].status, "SUCCEEDED");
      assert.strictEqual(io.err, "");
    });

    it("--stack starts every execution through the stack's live alias, and reads the state machine itself", async () => {
      const alias = `${STATE_MACHINE_ARN}:live`;
      const io = new CapturedIo({ stdin: JSON.stringify(ORDER) });
      const status = await main(["--stack", "dev", "--json", "-"], io, {
        runCommand: pulumi({ stateMachineArn: STATE_MACHINE_ARN, stateMachineAliasArn: alias, tableName: TABLE }),
      });
      assert.strictEqual(status, 0, io.err);
      assert.deepStrictEqual(
        sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.stateMachineArn),
        [alias],
      );
      assert.deepStrictEqual(
        sfn.commandCalls(DescribeStateMachineCommand).map((c) => c.args[0].input.stateMachineArn),
        [STATE_MACHINE_ARN],
      );
    });

    it("--state-machine-arn skips the Pulumi CLI; the report for people shows the path", async () => {
      const io = new CapturedIo({ stdin: JSON.stringify(ORDER) });
      const status = await main(["--state-machine-arn", STATE_MACHINE_ARN, "--table-name", TABLE, "-"], io, {
        runCommand: () => Promise.reject(new Error("the Pulumi CLI was not to be run")),
      });
      assert.strictEqual(status, 0, io.err);
      assert.ok(io.out.startsWith(`Order web-1001 (execution ${orderExecutionName(ORDER)}) · stdin\n`));
      assert.ok(
        io.out.includes(
          "\n  ✓ CheckStock\n      ✓ InStock? ×2\n      ✓ ItemInStock ×2\n  ✓ ReserveStock\n  ✓ ChargePayment\n  ✓ RecordProcessed\n",
        ),
        io.out,
      );
      assert.ok(io.out.includes("\n  charged: yes · 14 state transitions\n"));
    });

    it("says in a line what AWS answered, with exit status 1", async () => {
      sfn.on(DescribeStateMachineCommand).rejects(
        new StateMachineDoesNotExist({
          message: `State Machine Does Not Exist: '${STATE_MACHINE_ARN}'`,
          $metadata: {},
        }),
      );
      const io = new CapturedIo();
      assert.strictEqual(await main(["--state-machine-arn", STATE_MACHINE_ARN, "--table-name", TABLE], io), 1);
      assert.strictEqual(
        io.err,
        `error: AWS answered StateMachineDoesNotExist: State Machine Does Not Exist: '${STATE_MACHINE_ARN}'\n`,
      );
    });

    it("says what is wrong with the stack, with exit status 2", async () => {
      const io = new CapturedIo();
      assert.strictEqual(await main(["--stack", "dev"], io, { runCommand: pulumi({ topicArn: TOPIC }) }), 2);
      assert.strictEqual(io.err, "error: stack dev has no stateMachineArn output: has it been deployed (pulumi up)?\n");
    });
  });
});

describe("a stack's outputs", () => {
  it("says when the Pulumi CLI is missing, or fails", async () => {
    const missing: RunCommand = () =>
      Promise.reject(Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" }));
    await assert.rejects(readStackOutputs("dev", missing), /the Pulumi CLI \(pulumi\) is not on the PATH/);
    const failing: RunCommand = () =>
      Promise.reject(Object.assign(new Error("exit 255"), { stderr: "error: no stack named 'dev' found\n" }));
    await assert.rejects(
      readStackOutputs("dev", failing),
      /^DeployedError: pulumi stack output --stack dev failed: error: no stack named 'dev' found$/,
    );
  });

  it("keeps the live alias's ARN when the stack exports it", async () => {
    const alias = `${STATE_MACHINE_ARN}:live`;
    const outputs = await readStackOutputs("dev", () =>
      Promise.resolve(JSON.stringify({ stateMachineArn: STATE_MACHINE_ARN, stateMachineAliasArn: alias })),
    );
    assert.deepStrictEqual(outputs, { stateMachineArn: STATE_MACHINE_ARN, stateMachineAliasArn: alias });
  });

  it("keeps the state machine's ARN and the table's name", async () => {
    const outputs = await readStackOutputs("dev", () =>
      Promise.resolve(JSON.stringify({ stateMachineArn: STATE_MACHINE_ARN, tableName: TABLE, functionNames: ["a"] })),
    );
    assert.deepStrictEqual(outputs, { stateMachineArn: STATE_MACHINE_ARN, tableName: TABLE });
  });
});
