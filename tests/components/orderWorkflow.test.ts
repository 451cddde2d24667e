/**
 * OrderWorkflow constructed directly under mocks, in the style of pulumi-awsx's component tests:
 * one instance with every argument left out, one with non-default arguments (EXPRESS, logging OFF,
 * no deletion protection, ...), side by side in one stack; each test asserts one thing that the
 * arguments change (or must not), and the `nodes` getter.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { OrderWorkflow, OrderWorkflowArgs } from "../../components/orderWorkflow";
import { PolicyDocument } from "../../components/policies";
import { LoadedProgram, loadProgram } from "../../program/load";
import type { RecordedResource as LoadedResource } from "../../program/recorder";
import { FUNCTION_KEYS, FunctionKey, functionResourceName, perFunction } from "../../workflow/functions";

const T = {
  component: "orders:workflow:OrderWorkflow",
  table: "aws:dynamodb/table:Table",
  fn: "aws:lambda/function:Function",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  stateMachine: "aws:sfn/stateMachine:StateMachine",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
};

/**
 * Runs `program` in a stack under the offline loader's mocks (no stack file: the config is given here).
 */
function underMocks(program: () => Record<string, unknown>): Promise<LoadedProgram> {
  return loadProgram({
    program,
    stack: "component-test",
    config: { "aws:region": "us-east-1" },
    requireStackFile: false,
  });
}

/** The functions' resource names after the component's: renaming one would replace a live Lambda. */
const FUNCTION_RESOURCES: Record<FunctionKey, string> = {
  verifyPaymentDetails: "verify-payment-details",
  retrieveStockLevels: "retrieve-stock-levels",
  reserveStock: "reserve-stock",
  chargePayment: "charge-payment",
  refundPayment: "refund-payment",
  releaseStock: "release-stock",
};

const CUSTOM: OrderWorkflowArgs = {
  workflowType: "EXPRESS",
  logLevel: "OFF",
  tableDeletionProtection: false,
  logRetentionDays: 14,
  lambdaArchitecture: "x86_64",
  lambdaMemorySize: 256,
  simulatedFailureRates: { payment: 1, stock: 0.5, charge: 0 },
  inventoryMode: "table",
};

/**
 * What the operations pack adds to a component with its alarms on: the execution data key and its
 * policy, the alias, the FailedOrders metric filter, the rule, its queue, queue policy and target,
 * the dashboard, the operator's and runner's policies (11); the alarm topic's key, topic and topic
 * policy (3), and the alarms: five on the state machine, two per function, two on the table, one on
 * the notifications and one on the dead-letter queue.
 */
const OPERATIONS_CHILDREN = 11 + 3 + (5 + 2 * FUNCTION_KEYS.length + 2 + 1 + 1);

/** The URNs of a component's nodes, as the getter returns them, and the functions' ARNs. */
function nodeUrns(workflow: OrderWorkflow): Record<string, pulumi.Output<unknown>> {
  const { table, inventoryTable, topic, topicKey, stateMachine, stateMachineRole, stateMachineLogGroup, functions } =
    workflow.nodes;
  return {
    nodes: pulumi.all({
      table: table.urn,
      inventoryTable: inventoryTable.urn,
      topic: topic.urn,
      topicKey: topicKey.urn,
      stateMachine: stateMachine.urn,
      stateMachineRole: stateMachineRole.urn,
      stateMachineLogGroup: stateMachineLogGroup.urn,
    }),
    functionNodes: pulumi.all(perFunction((key) => functions[key].function.arn)),
  };
}

describe("OrderWorkflow, constructed directly", function () {
  let stack: LoadedProgram;

  before(async function () {
    this.timeout(120_000);
    stack = await underMocks(() => {
      new OrderWorkflow("plain");
      new OrderWorkflow("quiet", { alarms: { enabled: false } });
      new OrderWorkflow("tuned", {
        alarms: { periodSeconds: 60, evaluationPeriods: 3, thresholds: { lambdaThrottles: 10 } },
      });
      const custom = new OrderWorkflow("custom", CUSTOM);
      // Extending through the nodes, as a user would without forking the component.
      new aws.sns.TopicSubscription("custom-ops", {
        topic: custom.nodes.topic.arn,
        protocol: "email",
        endpoint: "ops@example.com",
      });
      return { ...nodeUrns(custom), customFunctionNames: custom.functionNames };
    });
  });

  const componentUrn = (name: string): string => {
    const found = stack.resources.find((r) => r.type === T.component && r.name === name);
    assert.ok(found, `no OrderWorkflow named ${name}`);
    return found.urn;
  };
  /** The resources of `type` that belong to the component `name` (named after it). */
  const of = (name: string, type: string): LoadedResource[] =>
    stack.resources.filter((r) => r.type === type && r.name.startsWith(`${name}-`));
  const one = (name: string, type: string): LoadedResource => {
    const found = of(name, type);
    assert.equal(found.length, 1, `expected one ${type} of ${name}, found ${found.length}`);
    return found[0];
  };
  const byName = (type: string, name: string): LoadedResource => {
    const found = stack.resources.find((r) => r.type === type && r.name === name);
    assert.ok(found, `no ${type} named ${name}`);
    return found;
  };
  const variables = (fn: LoadedResource): Record<string, string> =>
    (fn.inputs.environment as { variables: Record<string, string> }).variables;
  const logging = (name: string) => one(name, T.stateMachine).inputs.loggingConfiguration as Record<string, unknown>;

  describe("with every argument left out", function () {
    it("runs a STANDARD state machine", function () {
      assert.equal(one("plain", T.stateMachine).inputs.type, "STANDARD");
    });

    it("logs errors only", function () {
      assert.equal(logging("plain").level, "ERROR");
    });

    it("protects the table from deletion", function () {
      assert.equal(byName(T.table, "plain-customer-orders").inputs.deletionProtectionEnabled, true);
    });

    it("keeps the state machine's and every function's logs 30 days", function () {
      const groups = of("plain", T.logGroup);
      assert.equal(groups.length, 1 + FUNCTION_KEYS.length);
      for (const group of groups) assert.equal(group.inputs.retentionInDays, 30, group.name);
    });

    it("runs every function on nodejs22.x, arm64, 128 MB", function () {
      for (const fn of of("plain", T.fn)) {
        assert.deepEqual(
          [fn.inputs.runtime, fn.inputs.architectures, fn.inputs.memorySize],
          ["nodejs22.x", ["arm64"], 128],
          fn.name,
        );
      }
    });

    it("simulates no failure", function () {
      const rates = of("plain", T.fn).flatMap((fn) =>
        Object.entries(variables(fn)).filter(([key]) => key.endsWith("_FAILURE_RATE")),
      );
      assert.deepEqual(
        rates.map(([, value]) => value),
        ["0", "0", "0", "0"],
        "payment, stock, and the charge rate for the charge and the refund",
      );
    });

    it("reads stock from the simulation (inventoryMode simulated)", function () {
      const modes = of("plain", T.fn).flatMap((fn) => (variables(fn).INVENTORY_MODE === undefined ? [] : [fn.name]));
      assert.equal(modes.length, 3, "the stock, reserve and release functions");
      for (const fn of of("plain", T.fn)) {
        const mode = variables(fn).INVENTORY_MODE;
        if (mode !== undefined) assert.equal(mode, "simulated", fn.name);
      }
    });
  });

  describe("with non-default arguments", function () {
    it("EXPRESS: runs an EXPRESS state machine", function () {
      assert.equal(one("custom", T.stateMachine).inputs.type, "EXPRESS");
    });

    it("logLevel OFF: logs nothing, still never execution data, and keeps its log destination", function () {
      const group = byName(T.logGroup, "custom-state-machine-logs");
      assert.deepEqual(logging("custom"), {
        level: "OFF",
        includeExecutionData: false,
        logDestination: `${group.outputs.arn as string}:*`,
      });
    });

    it("tableDeletionProtection false: both tables can be deleted, and are still encrypted with point-in-time recovery", function () {
      for (const name of ["custom-customer-orders", "custom-inventory"]) {
        const table = byName(T.table, name).inputs;
        assert.equal(table.deletionProtectionEnabled, false, name);
        assert.deepEqual(
          [table.serverSideEncryption, table.pointInTimeRecovery],
          [{ enabled: true }, { enabled: true }],
        );
      }
    });

    it("logRetentionDays: every log group of the component keeps its logs that long", function () {
      for (const group of of("custom", T.logGroup)) assert.equal(group.inputs.retentionInDays, 14, group.name);
    });

    it("lambdaArchitecture and lambdaMemorySize: apply to every function, the runtime stays nodejs22.x", function () {
      for (const fn of of("custom", T.fn)) {
        assert.deepEqual(
          [fn.inputs.runtime, fn.inputs.architectures, fn.inputs.memorySize],
          ["nodejs22.x", ["x86_64"], 256],
          fn.name,
        );
      }
    });

    it("simulatedFailureRates and inventoryMode: each function gets its own rate and settings, and only its own", function () {
      const orders = byName(T.table, "custom-customer-orders").outputs.name as string;
      const inventoryTable = byName(T.table, "custom-inventory").outputs.name as string;
      // inventoryMode: table goes to every function that uses stock, with the inventory table's name.
      const inventory = { INVENTORY_MODE: "table", INVENTORY_TABLE_NAME: inventoryTable };
      const expected: Record<FunctionKey, Record<string, string>> = {
        verifyPaymentDetails: { SIMULATED_PAYMENT_FAILURE_RATE: "1" },
        retrieveStockLevels: { SIMULATED_STOCK_FAILURE_RATE: "0.5", ...inventory },
        reserveStock: { ORDERS_TABLE_NAME: orders, ...inventory },
        chargePayment: { SIMULATED_CHARGE_FAILURE_RATE: "0" },
        refundPayment: { SIMULATED_CHARGE_FAILURE_RATE: "0" },
        releaseStock: { ORDERS_TABLE_NAME: orders, ...inventory },
      };
      for (const key of FUNCTION_KEYS)
        assert.deepEqual(variables(byName(T.fn, functionResourceName("custom", key))), expected[key], key);
    });

    it("lets its state machine invoke exactly its own functions, not another component's", function () {
      const role = byName("aws:iam/role:Role", "custom-state-machine-role");
      const policy = of("custom", T.rolePolicy).find((p) => p.inputs.role === role.id);
      assert.ok(policy, "the state machine role has no inline policy");
      const invoke = (JSON.parse(policy.inputs.policy as string) as PolicyDocument).Statement.find(
        (s) => s.Sid === "InvokeWorkflowFunctions",
      );
      // Their published versions (qualified ARNs), which the definition invokes.
      const arns = FUNCTION_KEYS.map((key) => byName(T.fn, functionResourceName("custom", key)).outputs.qualifiedArn);
      assert.deepEqual(invoke?.Resource, arns);
    });

    it("names each function as the registry does, with the names the live stacks have", function () {
      for (const key of FUNCTION_KEYS)
        assert.equal(functionResourceName("custom", key), `custom-${FUNCTION_RESOURCES[key]}`);
      assert.deepEqual(
        of("custom", T.fn)
          .map((fn) => fn.name)
          .sort(),
        FUNCTION_KEYS.map((key) => `custom-${FUNCTION_RESOURCES[key]}`).sort(),
      );
    });

    it("keeps the resource names and parents: each child named from the component, under it", function () {
      const parents = new Set([
        componentUrn("custom"),
        ...of("custom", "orders:workflow:WorkflowFunction").map((r) => r.urn),
      ]);
      const children = stack.resources.filter((r) => r.name.startsWith("custom-") && r.type !== T.subscription);
      // The two tables, topic, key, topic policy, state machine, its role, policy and log group; per
      // function its component, Lambda, role, policy and log group; the operations pack (OPERATIONS_CHILDREN).
      assert.equal(children.length, 9 + 5 * FUNCTION_KEYS.length + OPERATIONS_CHILDREN);
      for (const r of children)
        assert.ok(r.parent !== undefined && parents.has(r.parent), `${r.type} ${r.name} is not under custom`);
    });
  });

  describe("alarms", function () {
    const alarm = "aws:cloudwatch/metricAlarm:MetricAlarm";
    it("are on by default: every alarm, period 300 s, one evaluation period, threshold 1", function () {
      const alarms = of("plain", alarm);
      assert.equal(alarms.length, OPERATIONS_CHILDREN - 14);
      for (const a of alarms) {
        const period =
          a.inputs.period ??
          (a.inputs.metricQueries as Array<{ metric?: { period: number } }>).find((q) => q.metric)?.metric?.period;
        assert.deepEqual([period, a.inputs.evaluationPeriods, a.inputs.threshold], [300, 1, 1], a.name);
      }
    });

    it("enabled false: no alarm and no alarm topic, the dead-letter route, dashboard and key stay", function () {
      assert.equal(of("quiet", alarm).length, 0);
      assert.ok(!stack.resources.some((r) => r.name === "quiet-alarms"));
      for (const [type, name] of [
        ["aws:sqs/queue:Queue", "quiet-dead-letters"],
        ["aws:cloudwatch/dashboard:Dashboard", "quiet-dashboard"],
        ["aws:kms/key:Key", "quiet-execution-data-key"],
      ]) {
        byName(type, name);
      }
    });

    it("periodSeconds, evaluationPeriods and thresholds apply; a threshold left out stays 1", function () {
      for (const a of of("tuned", alarm)) {
        const period =
          a.inputs.period ??
          (a.inputs.metricQueries as Array<{ metric?: { period: number } }>).find((q) => q.metric)?.metric?.period;
        assert.deepEqual(
          [period, a.inputs.evaluationPeriods, a.inputs.threshold],
          [60, 3, a.name.includes("lambdaThrottles") ? 10 : 1],
          a.name,
        );
      }
    });
  });

  describe("nodes", function () {
    it("gives the tables, topic, topic key, state machine, its role and its log group as the resources registered", function () {
      const nodes = stack.outputs.nodes as Record<string, string>;
      const urnOf = (type: string, name: string) => byName(type, name).urn;
      assert.deepEqual(nodes, {
        table: urnOf(T.table, "custom-customer-orders"),
        inventoryTable: urnOf(T.table, "custom-inventory"),
        topic: urnOf("aws:sns/topic:Topic", "custom-notifications"),
        topicKey: urnOf("aws:kms/key:Key", "custom-notifications-key"),
        stateMachine: urnOf(T.stateMachine, "custom-state-machine"),
        stateMachineRole: urnOf("aws:iam/role:Role", "custom-state-machine-role"),
        stateMachineLogGroup: urnOf(T.logGroup, "custom-state-machine-logs"),
      });
    });

    it("gives each function by its registry key, as the Lambda the state machine invokes", function () {
      const functions = stack.outputs.functionNodes as Record<string, string>;
      assert.deepEqual(Object.keys(functions), FUNCTION_KEYS);
      assert.deepEqual(
        functions,
        perFunction((key) => byName(T.fn, `custom-${FUNCTION_RESOURCES[key]}`).outputs.arn),
      );
    });

    it("lets a user extend the component: a subscription made from nodes.topic subscribes to its topic", function () {
      const subscription = byName(T.subscription, "custom-ops");
      assert.equal(subscription.inputs.topic, byName("aws:sns/topic:Topic", "custom-notifications").outputs.arn);
    });

    it("matches the functionNames output: the same keys, each the Lambda's name", function () {
      const names = stack.outputs.customFunctionNames as Record<string, string>;
      assert.deepEqual(
        names,
        perFunction((key) => byName(T.fn, functionResourceName("custom", key)).outputs.name),
      );
    });
  });
});
