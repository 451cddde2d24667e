/**
 * The stack as `pulumi up` would register it, checked under Pulumi mocks: which resources exist,
 * how they are named and parented, every IAM statement, encryption, logging, tracing, and the
 * state machine's definition.
 */
import { strict as assert } from "assert";
import { LoadedProgram, RecordedResource } from "../program/load";
import { devStack } from "./support/devStack";
import { PolicyDocument, Statement } from "../components/policies";
import { validateDefinition } from "../workflow/validate";

const T = {
  table: "aws:dynamodb/table:Table",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  key: "aws:kms/key:Key",
  fn: "aws:lambda/function:Function",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  stateMachine: "aws:sfn/stateMachine:StateMachine",
  component: "orders:workflow:OrderWorkflow",
};

const actions = (s: Statement): string[] => (typeof s.Action === "string" ? [s.Action] : [...s.Action]);
const resourcesOf = (s: Statement): string[] =>
  s.Resource === undefined ? [] : typeof s.Resource === "string" ? [s.Resource] : [...s.Resource];

describe("the stack under mocks (dev config)", function () {
  let stack: LoadedProgram;
  const ofType = (type: string): RecordedResource[] => stack.resources.filter((r) => r.type === type);
  const one = (type: string): RecordedResource => {
    const found = ofType(type);
    assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
    return found[0];
  };
  const byName = (type: string, name: string): RecordedResource => {
    const found = ofType(type).find((r) => r.name === name);
    assert.ok(found, `no ${type} named ${name}`);
    return found;
  };
  const policyOfRole = (roleName: string): PolicyDocument => {
    const role = byName(T.role, roleName);
    const attached = ofType(T.rolePolicy).filter((p) => p.inputs.role === role.id);
    assert.equal(attached.length, 1, `${roleName} should have exactly one inline policy`);
    return JSON.parse(attached[0].inputs.policy as string) as PolicyDocument;
  };
  const arnOf = (r: RecordedResource): string => r.outputs.arn as string;
  const notifications = (): RecordedResource => byName(T.topic, "orders-notifications");
  const ordersTable = (): RecordedResource => byName(T.table, "orders-customer-orders");
  const inventoryTable = (): RecordedResource => byName(T.table, "orders-inventory");

  before(async function () {
    this.timeout(120_000);
    stack = await devStack();
  });

  describe("resources", function () {
    it("registers two tables (orders, inventory), two topics (notifications, alarms) with their keys and policies, the execution data key, six functions, seven roles, one state machine and seven log groups", function () {
      assert.deepEqual(
        ofType(T.table)
          .map((t) => t.name)
          .sort(),
        ["orders-customer-orders", "orders-inventory"],
      );
      assert.deepEqual(
        ofType(T.topic)
          .map((t) => t.name)
          .sort(),
        ["orders-alarms", "orders-notifications"],
      );
      assert.deepEqual(
        ofType(T.key)
          .map((k) => k.name)
          .sort(),
        ["orders-alarms-key", "orders-execution-data-key", "orders-notifications-key"],
      );
      assert.equal(ofType(T.topicPolicy).length, 2);
      assert.equal(ofType(T.fn).length, 6);
      assert.equal(ofType(T.role).length, 7);
      assert.equal(ofType(T.stateMachine).length, 1);
      assert.equal(ofType(T.logGroup).length, 7);
    });

    it("gives each function its own role", function () {
      const roles = ofType(T.fn).map((f) => f.inputs.role);
      assert.equal(new Set(roles).size, 6);
      const lambdaRoles = ofType(T.role)
        .filter((r) => r.name !== "orders-state-machine-role")
        .map(arnOf);
      assert.deepEqual([...roles].sort(), [...lambdaRoles].sort());
    });

    it("names every child from the component's name and parents it under the component", function () {
      const component = one(T.component);
      const components = new Set([component.urn, ...ofType("orders:workflow:WorkflowFunction").map((r) => r.urn)]);
      for (const r of stack.resources) {
        if (r.type === "pulumi:pulumi:Stack" || r === component) continue;
        assert.ok(r.name.startsWith("orders-"), `${r.type} ${r.name} is not named from the component`);
        assert.ok(
          r.parent !== undefined && components.has(r.parent),
          `${r.type} ${r.name} is not parented to the component`,
        );
      }
      for (const fnComponent of ofType("orders:workflow:WorkflowFunction"))
        assert.equal(fnComponent.parent, component.urn);
    });

    it("sets no physical name, so stacks and components never collide (but the alias, whose name is its state machine's)", function () {
      for (const r of stack.resources.filter((x) => x.custom && x.type !== "aws:sfn/alias:Alias")) {
        assert.equal(r.inputs.name, undefined, `${r.type} ${r.name} hard-codes its name`);
      }
    });
  });

  describe("IAM", function () {
    it("attaches no managed policy to any role", function () {
      assert.equal(ofType(T.attachment).length, 0);
      for (const role of ofType(T.role)) {
        assert.ok(!role.inputs.managedPolicyArns || (role.inputs.managedPolicyArns as unknown[]).length === 0);
      }
    });

    it("trusts exactly one service principal per role; the state machine role pins the account", function () {
      for (const role of ofType(T.role)) {
        const trust = JSON.parse(role.inputs.assumeRolePolicy as string) as PolicyDocument;
        assert.equal(trust.Statement.length, 1);
        const [s] = trust.Statement;
        assert.deepEqual(actions(s), ["sts:AssumeRole"]);
        const expected = role.name === "orders-state-machine-role" ? "states.amazonaws.com" : "lambda.amazonaws.com";
        assert.deepEqual(s.Principal, { Service: expected });
        if (expected === "states.amazonaws.com") {
          assert.deepEqual(s.Condition?.StringEquals, { "aws:SourceAccount": "123456789012" });
          assert.deepEqual(s.Condition?.ArnLike, {
            "aws:SourceArn": "arn:aws:states:us-east-1:123456789012:stateMachine:*",
          });
        }
      }
    });

    it("grants each function its own log group and X-Ray, and the tables only to the functions that use them", function () {
      const table = arnOf(ordersTable());
      const inventory = arnOf(inventoryTable());
      const grants: Record<string, Statement[]> = {
        "retrieve-stock-levels": [
          { Sid: "InventoryTable", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: inventory },
        ],
        "reserve-stock": [
          { Sid: "OrdersTable", Effect: "Allow", Action: ["dynamodb:PutItem", "dynamodb:GetItem"], Resource: table },
          { Sid: "InventoryTable", Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: inventory },
        ],
        "release-stock": [
          { Sid: "OrdersTable", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: table },
          { Sid: "InventoryTable", Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: inventory },
        ],
      };
      const functions = ["verify-payment-details", "retrieve-stock-levels", "reserve-stock", "charge-payment"];
      for (const fn of [...functions, "refund-payment", "release-stock"]) {
        const logGroup = arnOf(byName(T.logGroup, `orders-${fn}-logs`));
        const expected: Statement[] = [
          {
            Sid: "OwnLogGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logGroup}:*`,
          },
          {
            Sid: "Tracing",
            Effect: "Allow",
            Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            Resource: "*",
          },
        ];
        expected.push(...(grants[fn] ?? []));
        assert.deepEqual(policyOfRole(`orders-${fn}-role`).Statement, expected, fn);
      }
    });

    it("lets the state machine invoke exactly the six functions, write the orders table, publish to the topic, use its key", function () {
      const statements = policyOfRole("orders-state-machine-role").Statement;
      const sid = (id: string) => statements.find((s) => s.Sid === id) as Statement;
      // The published versions the definition invokes, and nothing else (not the unqualified ARNs).
      assert.deepEqual(
        resourcesOf(sid("InvokeWorkflowFunctions")).sort(),
        ofType(T.fn)
          .map((f) => f.outputs.qualifiedArn as string)
          .sort(),
      );
      for (const arn of resourcesOf(sid("InvokeWorkflowFunctions"))) assert.match(arn, /:function:orders-[\w-]+:1$/);
      assert.deepEqual(actions(sid("InvokeWorkflowFunctions")), ["lambda:InvokeFunction"]);
      assert.deepEqual(
        [actions(sid("RecordFailedOrders")), resourcesOf(sid("RecordFailedOrders"))],
        [["dynamodb:PutItem"], [arnOf(ordersTable())]],
      );
      assert.deepEqual(
        [actions(sid("PublishNotifications")), resourcesOf(sid("PublishNotifications"))],
        [["sns:Publish"], [arnOf(notifications())]],
      );
      assert.deepEqual(
        [actions(sid("EncryptNotifications")), resourcesOf(sid("EncryptNotifications"))],
        [["kms:GenerateDataKey", "kms:Decrypt"], [arnOf(byName(T.key, "orders-notifications-key"))]],
      );
      assert.deepEqual(
        statements.map((s) => s.Sid),
        [
          "InvokeWorkflowFunctions",
          "RecordFailedOrders",
          "PublishNotifications",
          "EncryptNotifications",
          "DeliverLogs",
          "Tracing",
        ],
      );
    });

    it("has no wildcard action, and Resource * only with log-delivery and X-Ray actions", function () {
      const statements = ofType(T.rolePolicy).flatMap(
        (p) => (JSON.parse(p.inputs.policy as string) as PolicyDocument).Statement,
      );
      assert.ok(statements.length > 0);
      for (const s of statements) {
        for (const action of actions(s)) {
          assert.ok(action !== "*" && !action.endsWith(":*"), `wildcard action ${action}`);
          if (resourcesOf(s).includes("*")) assert.match(action, /^(xray|logs):/, `${action} granted on *`);
        }
        assert.equal(s.Effect, "Allow");
      }
      const onStar = statements.filter((s) => resourcesOf(s).includes("*")).flatMap(actions);
      for (const a of onStar.filter((x) => x.startsWith("logs:")))
        assert.match(a, /Delivery|ResourcePolic|DescribeLogGroups|ListLogDeliveries/);
    });

    it("refuses every publish to the topic over plain HTTP, and grants nothing (the role's policy does)", function () {
      const topicPolicy = byName(T.topicPolicy, "orders-notifications-policy");
      const policy = JSON.parse(topicPolicy.inputs.policy as string) as PolicyDocument;
      assert.equal(topicPolicy.inputs.arn, arnOf(notifications()));
      assert.deepEqual(
        policy.Statement.filter((s) => s.Effect === "Allow"),
        [],
      );
      const deny = policy.Statement.find((s) => s.Effect === "Deny") as Statement;
      assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
    });
  });

  describe("data at rest", function () {
    for (const [name, key] of [
      ["orders-customer-orders", "OrderId"],
      ["orders-inventory", "ItemId"],
    ] as const) {
      it(`keys ${name} on ${key}, on demand, with PITR and server-side encryption`, function () {
        const table = byName(T.table, name).inputs;
        assert.equal(table.hashKey, key);
        assert.deepEqual(table.attributes, [{ name: key, type: "S" }]);
        assert.equal(table.billingMode, "PAY_PER_REQUEST");
        assert.deepEqual(table.pointInTimeRecovery, { enabled: true });
        assert.deepEqual(table.serverSideEncryption, { enabled: true });
        assert.equal(table.deletionProtectionEnabled, false, "the dev stack turns deletion protection off");
      });
    }

    it("encrypts the topic with its own rotating KMS key", function () {
      const key = byName(T.key, "orders-notifications-key");
      assert.equal(notifications().inputs.kmsMasterKeyId, arnOf(key));
      assert.equal(key.inputs.enableKeyRotation, true);
    });
  });

  describe("functions", function () {
    it("run nodejs22.x on arm64 with X-Ray, JSON logs in their own log group with retention, and the dev rates", function () {
      const rates: Record<string, [string, string]> = {
        "orders-verify-payment-details": ["SIMULATED_PAYMENT_FAILURE_RATE", "0.25"],
        "orders-retrieve-stock-levels": ["SIMULATED_STOCK_FAILURE_RATE", "0.1"],
        "orders-reserve-stock": ["INVENTORY_MODE", "simulated"],
        "orders-charge-payment": ["SIMULATED_CHARGE_FAILURE_RATE", "0.25"],
        "orders-refund-payment": ["SIMULATED_CHARGE_FAILURE_RATE", "0.25"],
        "orders-release-stock": ["INVENTORY_MODE", "simulated"],
      };
      for (const fn of ofType(T.fn)) {
        const i = fn.inputs;
        assert.equal(i.runtime, "nodejs22.x");
        assert.deepEqual(i.architectures, ["arm64"]);
        assert.deepEqual(i.tracingConfig, { mode: "Active" });
        const logGroup = byName(T.logGroup, `${fn.name}-logs`);
        assert.equal((i.loggingConfig as Record<string, unknown>).logGroup, logGroup.outputs.name);
        assert.equal((i.loggingConfig as Record<string, unknown>).logFormat, "JSON");
        assert.equal(logGroup.inputs.retentionInDays, 7);
        const variables = (i.environment as { variables: Record<string, string> }).variables;
        const [key, value] = rates[fn.name];
        assert.equal(variables[key], value);
        assert.equal(i.handler, "__index.handler");
      }
      const reserve = byName(T.fn, "orders-reserve-stock");
      const variables = (reserve.inputs.environment as { variables: Record<string, string> }).variables;
      assert.equal(variables.ORDERS_TABLE_NAME, ordersTable().outputs.name);
      assert.equal(variables.INVENTORY_TABLE_NAME, inventoryTable().outputs.name);
    });
  });

  describe("state machine", function () {
    it("logs to its own vended log group without execution data, with tracing on", function () {
      const sm = one(T.stateMachine).inputs;
      const logGroup = byName(T.logGroup, "orders-state-machine-logs");
      assert.match(logGroup.outputs.name as string, /^\/aws\/vendedlogs\/states\/orders-/);
      assert.deepEqual(sm.loggingConfiguration, {
        level: "ALL",
        includeExecutionData: false,
        logDestination: `${arnOf(logGroup)}:*`,
      });
      assert.deepEqual(sm.tracingConfiguration, { enabled: true });
      assert.equal(sm.type, "STANDARD");
      assert.equal(sm.roleArn, arnOf(byName(T.role, "orders-state-machine-role")));
    });

    it("has a definition that passes asl-validator and is wired to the real functions, table and topic", function () {
      const definition = one(T.stateMachine).inputs.definition as string;
      assert.deepEqual(validateDefinition(definition), []);
      const parsed = JSON.parse(definition) as { States: Record<string, { Parameters?: Record<string, unknown> }> };
      // The published versions: a deploy never changes the code under a running execution.
      const fn = (name: string) => byName(T.fn, name).outputs.qualifiedArn as string;
      assert.equal(parsed.States.ChargePayment.Parameters?.FunctionName, fn("orders-charge-payment"));
      assert.match(definition, new RegExp(`"FunctionName": "${fn("orders-verify-payment-details")}"`));
      assert.match(definition, new RegExp(`"FunctionName": "${fn("orders-retrieve-stock-levels")}"`));
      assert.equal(parsed.States.RecordFailedOrder.Parameters?.TableName, ordersTable().outputs.name);
      assert.equal(parsed.States.NotifyOrderProcessed.Parameters?.TopicArn, arnOf(notifications()));
      assert.equal(parsed.States.NotifyOrderFailed.Parameters?.TopicArn, arnOf(notifications()));
    });
  });

  describe("outputs", function () {
    it("exports the state machine ARN and console URL, the tables' names, topic ARN and function names", function () {
      const o = stack.outputs;
      const sm = arnOf(one(T.stateMachine));
      assert.equal(o.stateMachineArn, sm);
      assert.equal(
        o.stateMachineConsoleUrl,
        `https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/statemachines/view/${sm}`,
      );
      assert.equal(o.tableName, ordersTable().outputs.name);
      assert.equal(o.inventoryTableName, inventoryTable().outputs.name);
      assert.equal(o.topicArn, arnOf(notifications()));
      assert.deepEqual(o.functionNames, {
        verifyPaymentDetails: byName(T.fn, "orders-verify-payment-details").outputs.name,
        retrieveStockLevels: byName(T.fn, "orders-retrieve-stock-levels").outputs.name,
        reserveStock: byName(T.fn, "orders-reserve-stock").outputs.name,
        chargePayment: byName(T.fn, "orders-charge-payment").outputs.name,
        refundPayment: byName(T.fn, "orders-refund-payment").outputs.name,
        releaseStock: byName(T.fn, "orders-release-stock").outputs.name,
      });
    });
  });
});
