/**
 * The operations pack of the dev stack under mocks: the execution data key and its policy, versions
 * and the live alias, the alarms and their topic, the dead-letter route, the dashboard, and the
 * operator's and runner's policies; every new grant names exactly its resource.
 */
import { strict as assert } from "assert";
import { ALARM_KEYS } from "../../components/alarms";
import { statusChangePattern } from "../../components/deadLetter";
import { PolicyDocument, Statement } from "../../components/policies";
import { LoadedProgram, RecordedResource } from "../../program/load";
import { BUSINESS_OUTCOMES, FAILED_ORDERS_METRIC } from "../../workflow/execution/outcomes";
import { FUNCTION_KEYS } from "../../workflow/functions";
import { devStack } from "../support/devStack";

const doc = (r: RecordedResource, key = "policy"): PolicyDocument =>
  JSON.parse(r.inputs[key] as string) as PolicyDocument;
const list = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === "string" ? [v] : [...v];

describe("the operations pack (dev stack under mocks)", function () {
  let stack: LoadedProgram;
  before(async function () {
    this.timeout(120_000);
    stack = await devStack();
  });
  const ofType = (type: string) => stack.resources.filter((r) => r.type === type);
  const byName = (type: string, name: string): RecordedResource => {
    const found = ofType(type).find((r) => r.name === name);
    assert.ok(found, `no ${type} named ${name}`);
    return found;
  };
  const machine = () => byName("aws:sfn/stateMachine:StateMachine", "orders-state-machine");
  const arn = (r: RecordedResource) => r.outputs.arn as string;
  const machineArn = () => arn(machine());
  const role = () => byName("aws:iam/role:Role", "orders-state-machine-role");
  const key = () => byName("aws:kms/key:Key", "orders-execution-data-key");

  describe("execution data", function () {
    it("is encrypted with the stack's own rotating key", function () {
      assert.deepEqual(machine().inputs.encryptionConfiguration, {
        type: "CUSTOMER_MANAGED_KMS_KEY",
        kmsKeyId: arn(key()),
        kmsDataKeyReusePeriodSeconds: 300,
      });
      assert.equal(key().inputs.enableKeyRotation, true);
    });

    it("has a key policy that lets the state machine's role use the key for this state machine's data only", function () {
      const policy = byName("aws:kms/keyPolicy:KeyPolicy", "orders-execution-data-key-policy");
      assert.equal(policy.inputs.keyId, key().id);
      const statements = doc(policy).Statement;
      const sid = (s: string) => statements.find((x) => x.Sid === s) as Statement;
      assert.deepEqual(
        statements.map((s) => s.Sid),
        [
          "AccountAdministersTheKey",
          "StateMachineEncryptsItsExecutions",
          "StateMachineEncryptsItsLogDelivery",
          "LogDeliveryDecrypts",
        ],
      );
      assert.deepEqual(sid("AccountAdministersTheKey").Principal, { AWS: "arn:aws:iam::123456789012:root" });
      const executions = sid("StateMachineEncryptsItsExecutions");
      assert.deepEqual(executions.Principal, { AWS: arn(role()) });
      assert.deepEqual(list(executions.Action), ["kms:Decrypt", "kms:GenerateDataKey"]);
      assert.deepEqual(executions.Condition, {
        StringEquals: { "kms:EncryptionContext:aws:states:stateMachineArn": machineArn() },
      });
      assert.deepEqual(sid("StateMachineEncryptsItsLogDelivery").Condition, {
        StringLike: { "kms:EncryptionContext:SourceArn": "arn:aws:logs:us-east-1:123456789012:*" },
      });
      assert.deepEqual(
        [sid("LogDeliveryDecrypts").Principal, sid("LogDeliveryDecrypts").Action],
        [{ Service: "delivery.logs.amazonaws.com" }, "kms:Decrypt"],
      );
      assert.deepEqual(sid("LogDeliveryDecrypts").Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
    });
  });

  describe("versions", function () {
    it("publishes the state machine and every function, and the live alias routes all executions to the published version", function () {
      assert.equal(machine().inputs.publish, true);
      for (const fn of ofType("aws:lambda/function:Function")) assert.equal(fn.inputs.publish, true, fn.name);
      const alias = byName("aws:sfn/alias:Alias", "orders-live");
      assert.equal(alias.inputs.name, "live");
      assert.deepEqual(alias.inputs.routingConfigurations, [
        { stateMachineVersionArn: machine().outputs.stateMachineVersionArn, weight: 100 },
      ]);
      assert.equal(stack.outputs.stateMachineAliasArn, `${machineArn()}:live`);
    });
  });

  describe("alarms", function () {
    const alarms = () => ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    it("registers one alarm per key (the Lambda ones per function), each acting on the encrypted alarm topic", function () {
      const topic = byName("aws:sns/topic:Topic", "orders-alarms");
      assert.equal(topic.inputs.kmsMasterKeyId, arn(byName("aws:kms/key:Key", "orders-alarms-key")));
      assert.equal(alarms().length, ALARM_KEYS.length + 2 * (FUNCTION_KEYS.length - 1));
      for (const alarm of alarms()) {
        assert.deepEqual(
          [alarm.inputs.alarmActions, alarm.inputs.threshold, alarm.inputs.treatMissingData],
          [[arn(topic)], 1, "notBreaching"],
          alarm.name,
        );
        assert.notEqual(arn(topic), stack.outputs.topicArn, "alarms never go to the order notifications");
      }
      assert.equal(stack.outputs.alarmTopicArn, arn(topic));
    });

    it("counts INTERNAL_ERROR orders from the state machine's log group, never ExecutionsFailed (business outcomes end FAILED too)", function () {
      const filter = byName("aws:cloudwatch/logMetricFilter:LogMetricFilter", "orders-failed-orders");
      assert.equal(
        filter.inputs.logGroupName,
        byName("aws:cloudwatch/logGroup:LogGroup", "orders-state-machine-logs").outputs.name,
      );
      assert.equal(filter.inputs.pattern, '{ $.type = "ExecutionFailed" }');
      const internal = byName("aws:cloudwatch/metricAlarm:MetricAlarm", "orders-internal-errors").inputs;
      assert.deepEqual(
        [internal.namespace, internal.metricName, internal.dimensions],
        ["OrderWorkflow/dev/orders", FAILED_ORDERS_METRIC.name, { Reason: "INTERNAL_ERROR" }],
      );
      assert.ok(alarms().every((a) => a.inputs.metricName !== "ExecutionsFailed"));
      const compensation = byName("aws:cloudwatch/metricAlarm:MetricAlarm", "orders-compensation-failures").inputs;
      assert.deepEqual(compensation.dimensions, { Reason: "COMPENSATION_FAILED" });
    });

    it("watches the state machine, each function, the table and the notification topic by their names", function () {
      const dims = (name: string) => byName("aws:cloudwatch/metricAlarm:MetricAlarm", name).inputs.dimensions;
      assert.deepEqual(dims("orders-executions-timed-out"), { StateMachineArn: machineArn() });
      assert.deepEqual(dims("orders-lambdaErrors-chargePayment"), {
        FunctionName: byName("aws:lambda/function:Function", "orders-charge-payment").outputs.name,
      });
      assert.deepEqual(dims("orders-notifications-failed"), {
        TopicName: byName("aws:sns/topic:Topic", "orders-notifications").outputs.name,
      });
      const system = byName("aws:cloudwatch/metricAlarm:MetricAlarm", "orders-dynamodb-system-errors").inputs
        .metricQueries as Array<{ metric?: { dimensions: unknown } }>;
      const table = byName("aws:dynamodb/table:Table", "orders-customer-orders").outputs.name;
      assert.deepEqual(
        system.flatMap((q) => (q.metric ? [q.metric.dimensions] : [])),
        [
          { TableName: table, Operation: "PutItem" },
          { TableName: table, Operation: "GetItem" },
        ],
      );
    });

    it("lets only this account's CloudWatch alarms publish to the alarm topic and use its key", function () {
      const policy = doc(byName("aws:sns/topicPolicy:TopicPolicy", "orders-alarms-policy")).Statement;
      const allow = policy.filter((s) => s.Effect === "Allow");
      assert.equal(allow.length, 1);
      assert.deepEqual(
        [allow[0].Principal, allow[0].Resource],
        [{ Service: "cloudwatch.amazonaws.com" }, arn(byName("aws:sns/topic:Topic", "orders-alarms"))],
      );
      assert.deepEqual(allow[0].Condition?.StringEquals, { "aws:SourceAccount": "123456789012" });
      const keyPolicy = doc(byName("aws:kms/key:Key", "orders-alarms-key")).Statement.find(
        (s) => s.Sid === "CloudWatchAlarmsPublish",
      );
      assert.deepEqual(keyPolicy?.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
    });
  });

  describe("the dead-letter route", function () {
    it("matches this state machine's TIMED_OUT, ABORTED and non-business FAILED executions", function () {
      const rule = byName("aws:cloudwatch/eventRule:EventRule", "orders-executions-needing-a-person");
      const pattern = JSON.parse(rule.inputs.eventPattern as string) as ReturnType<typeof statusChangePattern>;
      assert.deepEqual(pattern, statusChangePattern(machineArn()));
      assert.deepEqual((pattern.detail as { $or: unknown[] }).$or[1], {
        status: ["FAILED"],
        error: [{ "anything-but": [...BUSINESS_OUTCOMES] }],
      });
    });

    it("sends to an encrypted queue that only events.amazonaws.com, for that rule, may send to, and never the execution's input", function () {
      const queue = byName("aws:sqs/queue:Queue", "orders-dead-letters");
      assert.equal(queue.inputs.sqsManagedSseEnabled, true);
      const policy = byName("aws:sqs/queuePolicy:QueuePolicy", "orders-dead-letters-policy");
      assert.equal(policy.inputs.queueUrl, queue.outputs.url);
      const rule = byName("aws:cloudwatch/eventRule:EventRule", "orders-executions-needing-a-person");
      assert.match(arn(rule), /^arn:aws:events:us-east-1:123456789012:rule\//);
      assert.deepEqual(doc(policy).Statement, [
        {
          Sid: "StatusChangeRuleSends",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: arn(queue),
          Condition: { ArnEquals: { "aws:SourceArn": arn(rule) } },
        },
      ]);
      const target = byName("aws:cloudwatch/eventTarget:EventTarget", "orders-dead-letters-target");
      assert.deepEqual([target.inputs.rule, target.inputs.arn], [rule.outputs.name, arn(queue)]);
      const paths = (target.inputs.inputTransformer as { inputPaths: Record<string, string> }).inputPaths;
      assert.ok(!Object.values(paths).some((p) => /input|output/.test(p)), "the execution's input holds card details");
    });
  });

  describe("the dashboard", function () {
    it("shows outcomes per reason code, durations, throttles and the dead-letter queue's depth", function () {
      const dashboard = byName("aws:cloudwatch/dashboard:Dashboard", "orders-dashboard");
      const body = JSON.parse(dashboard.inputs.dashboardBody as string) as {
        widgets: Array<{ properties: { title: string; metrics: unknown[][] } }>;
      };
      assert.deepEqual(
        body.widgets.map((w) => w.properties.title),
        [
          "Orders by outcome (reason code)",
          "Execution duration (ms)",
          "Lambda duration (ms)",
          "Throttles",
          "Dead-letter queue depth",
        ],
      );
      const reasons = body.widgets[0].properties.metrics
        .filter((m) => m[1] === FAILED_ORDERS_METRIC.name)
        .map((m) => m[3]);
      for (const reason of ["INTERNAL_ERROR", ...BUSINESS_OUTCOMES]) assert.ok(reasons.includes(reason), reason);
      assert.deepEqual(body.widgets[4].properties.metrics[0].slice(0, 4), [
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        "QueueName",
        byName("aws:sqs/queue:Queue", "orders-dead-letters").outputs.name,
      ]);
    });
  });

  describe("who may read executions", function () {
    const executions = () => `arn:aws:states:us-east-1:123456789012:execution:${machine().outputs.name as string}:*`;
    const decrypt = (): Statement => ({
      Sid: "DecryptExecutionData",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: arn(key()),
      Condition: { StringEquals: { "kms:EncryptionContext:aws:states:stateMachineArn": machineArn() } },
    });

    it("the operator may list, read and redrive this state machine's executions, and decrypt their data, nothing else", function () {
      const policy = byName("aws:iam/policy:Policy", "orders-operator");
      assert.deepEqual(doc(policy).Statement, [
        {
          Sid: "ListExecutions",
          Effect: "Allow",
          Action: ["states:ListExecutions", "states:DescribeStateMachine"],
          Resource: machineArn(),
        },
        {
          Sid: "InspectAndRedriveExecutions",
          Effect: "Allow",
          Action: ["states:DescribeExecution", "states:GetExecutionHistory", "states:RedriveExecution"],
          Resource: executions(),
        },
        decrypt(),
      ]);
      assert.equal(stack.outputs.operatorPolicyArn, arn(policy));
    });

    it("the runner starts executions through the alias only", function () {
      const statements = doc(byName("aws:iam/policy:Policy", "orders-runner")).Statement;
      assert.deepEqual(statements[0], {
        Sid: "StartThroughTheAlias",
        Effect: "Allow",
        Action: "states:StartExecution",
        Resource: `${machineArn()}:live`,
      });
      assert.deepEqual(statements[statements.length - 1], decrypt());
    });

    it("no new grant is broader than its resource: no '*' resource, no wildcard action, no other state machine", function () {
      for (const name of ["orders-operator", "orders-runner"]) {
        for (const s of doc(byName("aws:iam/policy:Policy", name)).Statement) {
          for (const action of list(s.Action)) assert.ok(!action.includes("*"), `${name}: ${action}`);
          for (const resource of list(s.Resource)) {
            assert.notEqual(resource, "*", name);
            assert.ok(
              resource.startsWith(machineArn()) ||
                resource === executions() ||
                resource === arn(key()) ||
                resource === arn(byName("aws:dynamodb/table:Table", "orders-customer-orders")),
              `${name}: ${resource}`,
            );
          }
        }
      }
    });
  });
});
