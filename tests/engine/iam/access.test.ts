/**
 * The engine's IAM end to end: a call the stack's policies do not allow fails the way AWS reports
 * it, for each integration of the state machine, for a Lambda's SDK call to DynamoDB, for SNS's use
 * of the topic's key, and for the implicit calls (log delivery when the machine is created, a
 * function's log writes). Each case removes one statement from the stack's own policies.
 */
import * as assert from "assert";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { LocalWorkflow, localResources } from "../../../engine/engine";
import { WorkflowAccess, projectStackAccess } from "../../../engine/iam/access";
import type { StackAccessModel } from "../../../engine/iam/stack";
import { render } from "../../../workflow/asl";
import { DYNAMODB_PUT_ITEM, LAMBDA_INVOKE, SNS_PUBLISH, orderWorkflowDefinition } from "../../../workflow/definition";
import { NO_SIMULATED_FAILURES } from "../../support/engineHarness";
import { roleNamed, withoutSid } from "../../support/iamStatements";
import { sampleOrder } from "../../support/sampleOrder";

const MACHINE_ROLE = "orders-state-machine-role";
const RESERVE_ROLE = "orders-reserve-stock-role";
const LOCAL = localResources("CustomerOrders-local");
const SESSION = "arn:aws:sts::123456789012:assumed-role/orders-state-machine-role-[0-9a-f]{7}/[A-Z]{32}";
const REQUEST_ID = "Request ID: [0-9a-f-]{36}";

describe("IAM in the local engine", function () {
  this.timeout(300_000);
  let model: StackAccessModel;

  before(async function () {
    model = await projectStackAccess();
  });

  /** Access for the engine's definition with one statement of `role` removed. */
  async function accessWithout(role: string, sid: string): Promise<WorkflowAccess> {
    const arn = roleNamed(model, role);
    const definition = JSON.parse(render(orderWorkflowDefinition(LOCAL))) as unknown;
    return WorkflowAccess.create(model, definition, model.withIdentityPolicies(arn, withoutSid(model, arn, sid)));
  }

  /** An engine on the stack's policies with one statement of `role` removed. */
  function engineWithout(role: string, sid: string): Promise<LocalWorkflow> {
    const arn = roleNamed(model, role);
    const policies = model.withIdentityPolicies(arn, withoutSid(model, arn, sid));
    return LocalWorkflow.start({ rates: NO_SIMULATED_FAILURES, iam: { model, policies } });
  }

  async function denial(task: Promise<void>): Promise<Error> {
    const error = await task.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assert.ok(error instanceof Error, "the call was allowed");
    return error;
  }

  describe("a Task's integration, as the state machine's role", function () {
    it("lambda:invoke without lambda:InvokeFunction: Lambda.AWSLambdaException, IAM's message and a 403", async function () {
      const access = await accessWithout(MACHINE_ROLE, "InvokeWorkflowFunctions");
      const error = await denial(access.authorizeTask(LAMBDA_INVOKE, { FunctionName: LOCAL.chargePaymentFunction }));
      assert.strictEqual(error.name, "Lambda.AWSLambdaException");
      const fn = "arn:aws:lambda:us-east-1:123456789012:function:orders-charge-payment-[0-9a-f]{7}:1";
      const expected =
        `^User: ${SESSION} is not authorized to perform: lambda:InvokeFunction on resource: ${fn} because no ` +
        `identity-based policy allows the lambda:InvokeFunction action \\(Service: AWSLambda; Status Code: 403; ` +
        `Error Code: AccessDeniedException; ${REQUEST_ID}; Proxy: null\\)$`;
      assert.match(error.message, new RegExp(expected));
    });

    it("dynamodb:putItem without dynamodb:PutItem: DynamoDB.AmazonDynamoDBException on the table's ARN", async function () {
      const access = await accessWithout(MACHINE_ROLE, "RecordFailedOrders");
      const error = await denial(access.authorizeTask(DYNAMODB_PUT_ITEM, { TableName: LOCAL.tableName, Item: {} }));
      assert.strictEqual(error.name, "DynamoDB.AmazonDynamoDBException");
      const table = "arn:aws:dynamodb:us-east-1:123456789012:table/orders-customer-orders-[0-9a-f]{7}";
      const expected =
        `^User: ${SESSION} is not authorized to perform: dynamodb:PutItem on resource: ${table} because no ` +
        `identity-based policy allows the dynamodb:PutItem action \\(Service: AmazonDynamoDBv2; Status Code: 400; ` +
        `Error Code: AccessDeniedException; ${REQUEST_ID}; Proxy: null\\)$`;
      assert.match(error.message, new RegExp(expected));
    });

    it("sns:publish without sns:Publish: SNS.AuthorizationErrorException, SNS:Publish as SNS writes it", async function () {
      const access = await accessWithout(MACHINE_ROLE, "PublishNotifications");
      const error = await denial(access.authorizeTask(SNS_PUBLISH, { TopicArn: LOCAL.topicArn, Message: "{}" }));
      assert.strictEqual(error.name, "SNS.AuthorizationErrorException");
      const topic = "arn:aws:sns:us-east-1:123456789012:orders-notifications-[0-9a-f]{7}";
      const expected =
        `^User: ${SESSION} is not authorized to perform: SNS:Publish on resource: ${topic} because no ` +
        `identity-based policy allows the SNS:Publish action \\(Service: AmazonSNS; Status Code: 403; ` +
        `Error Code: AuthorizationError; ${REQUEST_ID}; Proxy: null\\)$`;
      assert.match(error.message, new RegExp(expected));
    });

    it("sns:publish without the topic key's GenerateDataKey: SNS.KMSAccessDeniedException naming KMS's refusal", async function () {
      const access = await accessWithout(MACHINE_ROLE, "EncryptNotifications");
      const error = await denial(access.authorizeTask(SNS_PUBLISH, { TopicArn: LOCAL.topicArn, Message: "{}" }));
      assert.strictEqual(error.name, "SNS.KMSAccessDeniedException");
      const key = "arn:aws:kms:us-east-1:123456789012:key/[0-9a-f-]{36}";
      const expected =
        `^User: ${SESSION} is not authorized to perform: kms:GenerateDataKey on resource: ${key} because no ` +
        `identity-based policy allows the kms:GenerateDataKey action \\(Service: AWSKMS; Status Code: 400; ` +
        `Error Code: AccessDeniedException; ${REQUEST_ID}; Proxy: null\\) \\(Service: AmazonSNS; ` +
        `Status Code: 400; Error Code: KMSAccessDenied; ${REQUEST_ID}; Proxy: null\\)$`;
      assert.match(error.message, new RegExp(expected));
    });
  });

  describe("an execution meets the denial where AWS would", function () {
    it("no lambda:InvokeFunction: no function runs and the order ends INTERNAL_ERROR, uncharged", async function () {
      const engine = await engineWithout(MACHINE_ROLE, "InvokeWorkflowFunctions");
      try {
        const report = await engine.run(sampleOrder("iam-no-invoke"));
        assert.deepStrictEqual([report.error, report.charged, report.lambdaInvocations], ["INTERNAL_ERROR", false, 0]);
        assert.strictEqual(
          report.cause,
          "A step failed with Lambda.AWSLambdaException and could not be recovered by retrying.",
        );
      } finally {
        await engine.close();
      }
    });

    it("no dynamodb:PutItem for the state machine: a failed order is notified but not recorded", async function () {
      const engine = await engineWithout(MACHINE_ROLE, "RecordFailedOrders");
      try {
        const report = await engine.run({ orderId: "iam-no-record" });
        assert.deepStrictEqual([report.error, report.record, report.notifications.length], ["INVALID_ORDER", null, 1]);
      } finally {
        await engine.close();
      }
    });

    it("no KMS grant for the topic's key: the failed order is recorded but nothing is published", async function () {
      const engine = await engineWithout(MACHINE_ROLE, "EncryptNotifications");
      try {
        const report = await engine.run({ orderId: "iam-no-key" });
        assert.deepStrictEqual(
          [report.error, report.record?.["State"], report.notifications],
          ["INVALID_ORDER", "FAILED", []],
        );
      } finally {
        await engine.close();
      }
    });

    it("no table grant for the reserve Lambda: its claim is refused, nothing is charged, INTERNAL_ERROR", async function () {
      const engine = await engineWithout(RESERVE_ROLE, "OrdersTable");
      try {
        const report = await engine.run(sampleOrder("iam-no-table"));
        assert.deepStrictEqual([report.error, report.charged], ["INTERNAL_ERROR", false]);
        assert.strictEqual(
          report.cause,
          "A step failed with AccessDeniedException and could not be recovered by retrying.",
        );
      } finally {
        await engine.close();
      }
    });

    it("the reserve Lambda's SDK client gets DynamoDB's AccessDeniedException with IAM's message", async function () {
      const engine = await engineWithout(RESERVE_ROLE, "OrdersTable");
      const client = new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, maxAttempts: 1 });
      try {
        const put = new PutItemCommand({ TableName: engine.tableName, Item: { OrderId: { S: "iam-sdk" } } });
        const access = engine.access as WorkflowAccess;
        const error = await access
          .asFunction(LOCAL.reserveStockFunction, () => client.send(put))
          .then(
            () => undefined,
            (e: unknown) => e as Error,
          );
        assert.strictEqual(error?.name, "AccessDeniedException");
        const session =
          "arn:aws:sts::123456789012:assumed-role/orders-reserve-stock-role-[0-9a-f]{7}/orders-reserve-stock-[0-9a-f]{7}";
        const table = "arn:aws:dynamodb:us-east-1:123456789012:table/orders-customer-orders-[0-9a-f]{7}";
        const expected = `^User: ${session} is not authorized to perform: dynamodb:PutItem on resource: ${table} because no identity-based policy allows the dynamodb:PutItem action$`;
        assert.match(error.message, new RegExp(expected));
        assert.strictEqual(await engine.readRecord("iam-sdk"), null);
      } finally {
        client.destroy();
        await engine.close();
      }
    });
  });

  describe("the implicit calls", function () {
    it("a role without the log-delivery grants: the engine does not start, as CreateStateMachine refuses", async function () {
      await assert.rejects(engineWithout(MACHINE_ROLE, "DeliverLogs"), {
        name: "AccessDeniedException",
        message: "The state machine IAM Role is not authorized to access the Log Destination",
      });
    });

    it("a function whose role may not write to its log group leaves no log lines", async function () {
      const engine = await engineWithout("orders-verify-payment-details-role", "OwnLogGroup");
      try {
        await engine.run(sampleOrder("iam-no-logs"));
        const handlers = engine.lambdaLogs.map((line) => (JSON.parse(line) as { handler?: string }).handler);
        assert.ok(handlers.includes("chargePayment"), "the other functions still log");
        assert.ok(!handlers.includes("verifyPaymentDetails"), "the function without the grant logged");
      } finally {
        await engine.close();
      }
    });
  });
});
