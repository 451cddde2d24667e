import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ORDERS_TABLE_KEY } from "../handlers/contract";
import { FailureRates, NO_FAILURES, mapRates } from "../handlers/ports/config";
import { render } from "../workflow/asl";
import {
  LAMBDA_TASK_TIMEOUT_SECONDS,
  invokedFunctions,
  orderWorkflowDefinition,
  workflowResources,
} from "../workflow/definition";
import { FunctionKey, functionEnvironment, functionResourceName, perFunction } from "../workflow/functions";
import { AlarmArgs, Alarms } from "./alarms";
import { encryptionConfiguration, executionDataKey } from "./encryption";
import { Operations, operations } from "./operations";
import { stateMachinePolicy, statesTrustPolicy, topicPolicy } from "./policies";
import { WorkflowFunction } from "./workflowFunction";

export type WorkflowType = "STANDARD" | "EXPRESS";
export type WorkflowLogLevel = "ALL" | "ERROR" | "FATAL" | "OFF";

export interface OrderWorkflowArgs {
  /**
   * Probabilities (0 to 1) with which the simulated payment gateway and inventory fail, passed to
   * the Lambdas' environment; 0 turns a simulation off.
   * @default `{ payment: 0, stock: 0, charge: 0 }` (nothing fails on purpose)
   * @example
   * ```ts
   * // The seed's rates, so that every route of the workflow shows up.
   * { simulatedFailureRates: { payment: 0.25, stock: 0.1, charge: 0.25 } }
   * ```
   */
  readonly simulatedFailureRates?: FailureRates<pulumi.Input<number>>;
  /**
   * STANDARD: exactly-once steps, execution-name idempotency, runs of up to a year, and an execution
   * history (`npm run order` needs it). EXPRESS: at-least-once, billed by duration, cheaper at volume.
   * @default `"STANDARD"`
   */
  readonly workflowType?: pulumi.Input<WorkflowType>;
  /**
   * The state machine's log level. Execution data (which holds card details) is never logged.
   * @default `"ERROR"`
   * @example
   * ```ts
   * { logLevel: "OFF" } // no state machine logs; the log group is still created and configured
   * ```
   */
  readonly logLevel?: pulumi.Input<WorkflowLogLevel>;
  /**
   * Days CloudWatch Logs keeps the state machine's and the functions' logs.
   * @default `30`
   */
  readonly logRetentionDays?: pulumi.Input<number>;
  /**
   * DynamoDB deletion protection on the orders table: `pulumi destroy` fails until it is turned off.
   * @default `true`
   * @example
   * ```ts
   * { tableDeletionProtection: false } // a development stack that is torn down often
   * ```
   */
  readonly tableDeletionProtection?: pulumi.Input<boolean>;
  /**
   * The functions' Lambda runtime: nodejs22.x or newer.
   * @default `"nodejs22.x"`
   */
  readonly lambdaRuntime?: string;
  /**
   * The functions' architecture: `arm64` (cheaper per GB-second) or `x86_64`.
   * @default `"arm64"`
   */
  readonly lambdaArchitecture?: pulumi.Input<string>;
  /**
   * Memory of each function, in MB (CPU scales with it).
   * @default `128`
   */
  readonly lambdaMemorySize?: pulumi.Input<number>;
  /**
   * The alarms on what needs a person (components/alarms.ts; a runbook per alarm in
   * docs/operations.md), their period and thresholds.
   * @default on: every alarm, period `300` s, `1` evaluation period, every threshold `1`
   * @example
   * ```ts
   * { alarms: { periodSeconds: 60, thresholds: { lambdaThrottles: 10 } } }
   * ```
   */
  readonly alarms?: AlarmArgs;
}

export const DEFAULTS = {
  simulatedFailureRates: NO_FAILURES,
  workflowType: "STANDARD",
  logLevel: "ERROR",
  logRetentionDays: 30,
  tableDeletionProtection: true,
  lambdaRuntime: "nodejs22.x",
  lambdaArchitecture: "arm64",
  lambdaMemorySize: 128,
} as const;

/** The resources an OrderWorkflow creates, to read or extend without forking the component. */
export interface OrderWorkflowNodes {
  /** The CustomerOrders table, keyed on `OrderId`: the charge function's records and the failed orders. */
  readonly table: aws.dynamodb.Table;
  /** The notification topic: one message per execution, with a `state` (and `reason`) attribute. */
  readonly topic: aws.sns.Topic;
  /** The KMS key that encrypts the topic. */
  readonly topicKey: aws.kms.Key;
  /** The state machine. */
  readonly stateMachine: aws.sfn.StateMachine;
  /** The state machine's role: it invokes the functions, records failed orders and publishes. */
  readonly stateMachineRole: aws.iam.Role;
  /** The state machine's log group (under /aws/vendedlogs/states/). */
  readonly stateMachineLogGroup: aws.cloudwatch.LogGroup;
  /** Each function by its key in workflow/functions.ts, with its Lambda, role and log group. */
  readonly functions: Readonly<Record<FunctionKey, WorkflowFunction>>;
  /** The customer managed key of the state machine's definition and execution history. */
  readonly executionKey: aws.kms.Key;
  /** The `live` alias, which routes every execution to the version the last deploy published. */
  readonly alias: aws.sfn.Alias;
  /** The alarms and their topic (undefined with `alarms: { enabled: false }`). */
  readonly alarms: Alarms | undefined;
  /** The rule that routes executions needing a person to the dead-letter queue, and the queue. */
  readonly statusChangeRule: aws.cloudwatch.EventRule;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly dashboard: aws.cloudwatch.Dashboard;
  /** The managed policies to attach: an operator's (npm run redrive) and the deployed runner's (npm run order). */
  readonly operatorPolicy: aws.iam.Policy;
  readonly runnerPolicy: aws.iam.Policy;
}

type Parent = { readonly parent: pulumi.Resource };

/** One output holding each function's value (pulumi.all types its keys as any string). */
function allFunctions(values: Record<FunctionKey, pulumi.Output<string>>): pulumi.Output<Record<FunctionKey, string>> {
  return pulumi.all(values) as pulumi.Output<Record<FunctionKey, string>>;
}

/** The table, and the topic with its key. */
function storage(name: string, args: OrderWorkflowArgs, parent: Parent) {
  const table = new aws.dynamodb.Table(
    `${name}-customer-orders`,
    {
      attributes: [{ name: ORDERS_TABLE_KEY, type: "S" }],
      hashKey: ORDERS_TABLE_KEY,
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: args.tableDeletionProtection ?? DEFAULTS.tableDeletionProtection,
    },
    parent,
  );
  const topicKey = new aws.kms.Key(
    `${name}-notifications-key`,
    { description: `Encrypts the ${name} order notifications`, enableKeyRotation: true, deletionWindowInDays: 30 },
    parent,
  );
  const topic = new aws.sns.Topic(`${name}-notifications`, { kmsMasterKeyId: topicKey.arn }, parent);
  return { table, topicKey, topic };
}

/** One WorkflowFunction per function of the registry, each with the environment and grants it declares. */
function workflowFunctions(name: string, args: OrderWorkflowArgs, table: aws.dynamodb.Table, parent: Parent) {
  const lambdaSettings = {
    runtime: args.lambdaRuntime ?? DEFAULTS.lambdaRuntime,
    architecture: args.lambdaArchitecture ?? DEFAULTS.lambdaArchitecture,
    memorySize: args.lambdaMemorySize ?? DEFAULTS.lambdaMemorySize,
    // Below the state machine's task timeout, so a slow invocation is ended by Lambda first.
    timeout: LAMBDA_TASK_TIMEOUT_SECONDS - 2,
    logRetentionDays: args.logRetentionDays ?? DEFAULTS.logRetentionDays,
  };
  const rates = mapRates(args.simulatedFailureRates ?? DEFAULTS.simulatedFailureRates, (rate) =>
    pulumi.output(rate).apply(String),
  );
  return perFunction(
    (key, spec): WorkflowFunction =>
      new WorkflowFunction(
        functionResourceName(name, key),
        {
          ...lambdaSettings,
          callbackFactory: spec.factory,
          description: spec.description,
          environment: functionEnvironment<pulumi.Input<string>>(key, { rates, tableName: table.name }),
          ...(spec.ordersTable === undefined ? {} : { ordersTable: { arn: table.arn, actions: spec.ordersTable } }),
        },
        parent,
      ),
  );
}

/** The account the stack deploys to (the state machine role's trust pins it). */
interface Account {
  readonly accountId: pulumi.Output<string>;
  readonly partition: pulumi.Output<string>;
  readonly region: pulumi.Output<string>;
}

/** The definition, with the resources' ARNs and names, and the functions it invokes. */
function wiring(functions: Record<FunctionKey, WorkflowFunction>, table: aws.dynamodb.Table, topic: aws.sns.Topic) {
  // The published versions: invoking `<arn>:<version>` needs that ARN in the role's policy (an IAM
  // resource matches an ARN exactly or by wildcard; the unqualified ARN does not match a version's).
  const arns = allFunctions(perFunction((key) => functions[key].qualifiedArn));
  return pulumi.all([arns, table.name, topic.arn]).apply(([functionArns, tableName, topicArn]) => {
    const definition = orderWorkflowDefinition(workflowResources((key) => functionArns[key], tableName, topicArn));
    return { definition: render(definition), invoked: invokedFunctions(definition) };
  });
}

/** The state machine, its role (allowed exactly what its definition does), its log group, and the topic's policy. */
function stateMachine(
  name: string,
  args: OrderWorkflowArgs,
  resources: ReturnType<typeof storage> & {
    readonly functions: Record<FunctionKey, WorkflowFunction>;
    readonly executionKey: aws.kms.Key;
  },
  account: Account,
  parent: Parent,
) {
  const { table, topic, topicKey, functions, executionKey } = resources;
  const wired = wiring(functions, table, topic);
  const stateMachineRole = new aws.iam.Role(
    `${name}-state-machine-role`,
    {
      assumeRolePolicy: pulumi
        .all([account.accountId, account.partition, account.region])
        .apply(([accountId, part, reg]) => JSON.stringify(statesTrustPolicy(accountId, part, reg))),
    },
    parent,
  );
  const stateMachineRolePolicy = new aws.iam.RolePolicy(
    `${name}-state-machine-policy`,
    {
      role: stateMachineRole.id,
      policy: pulumi
        .all([wired.invoked, table.arn, topic.arn, topicKey.arn])
        .apply(([functionArns, tableArn, topicArn, topicKeyArn]) =>
          JSON.stringify(stateMachinePolicy({ functionArns, tableArn, topicArn, topicKeyArn })),
        ),
    },
    parent,
  );
  new aws.sns.TopicPolicy(
    `${name}-notifications-policy`,
    {
      arn: topic.arn,
      policy: topic.arn.apply((topicArn) => JSON.stringify(topicPolicy(topicArn))),
    },
    parent,
  );
  // Vended-logs prefix: Step Functions manages the log group's resource policy under it.
  const stateMachineLogGroup = new aws.cloudwatch.LogGroup(
    `${name}-state-machine-logs`,
    {
      namePrefix: `/aws/vendedlogs/states/${name}-`,
      retentionInDays: args.logRetentionDays ?? DEFAULTS.logRetentionDays,
    },
    parent,
  );
  const machine = new aws.sfn.StateMachine(
    `${name}-state-machine`,
    {
      type: args.workflowType ?? DEFAULTS.workflowType,
      roleArn: stateMachineRole.arn,
      definition: wired.definition,
      loggingConfiguration: {
        level: args.logLevel ?? DEFAULTS.logLevel,
        // Execution input holds card details: never write execution data to the logs.
        includeExecutionData: false,
        logDestination: pulumi.interpolate`${stateMachineLogGroup.arn}:*`,
      },
      tracingConfiguration: { enabled: true },
      // Execution input holds card details and stays in the history for 90 days: the stack's own key.
      encryptionConfiguration: encryptionConfiguration(executionKey),
      // Each change publishes a version; executions start through the `live` alias (operations.ts).
      publish: true,
    },
    // The role must be able to invoke, write and log before the first execution.
    { ...parent, dependsOn: [stateMachineRolePolicy] },
  );
  return { stateMachine: machine, stateMachineRole, stateMachineLogGroup };
}

/**
 * The order-processing workflow: the CustomerOrders table, the notification topic (and its key),
 * one Lambda per function of workflow/functions.ts, and the state machine that ties them together,
 * each with its own role. {@link OrderWorkflow.nodes} gives the resources themselves.
 *
 * @example
 * ```ts
 * const workflow = new OrderWorkflow("orders", { workflowType: "EXPRESS", logLevel: "OFF" });
 * export const stateMachineArn = workflow.stateMachineArn;
 * ```
 */
export class OrderWorkflow extends pulumi.ComponentResource {
  public readonly stateMachineArn: pulumi.Output<string>;
  public readonly stateMachineName: pulumi.Output<string>;
  /** The state machine in the Step Functions console. */
  public readonly consoleUrl: pulumi.Output<string>;
  public readonly tableName: pulumi.Output<string>;
  public readonly tableArn: pulumi.Output<string>;
  public readonly topicArn: pulumi.Output<string>;
  /** Each function's Lambda name, by its key in workflow/functions.ts. */
  public readonly functionNames: pulumi.Output<Record<FunctionKey, string>>;
  public readonly stateMachineLogGroupName: pulumi.Output<string>;
  /** The `live` alias's ARN: start executions here (the deployed runner does). */
  public readonly aliasArn: pulumi.Output<string>;
  /** The alarm topic's ARN (subscribe the people on call); undefined when the alarms are off. */
  public readonly alarmTopicArn: pulumi.Output<string | undefined>;
  public readonly deadLetterQueueUrl: pulumi.Output<string>;
  public readonly operatorPolicyArn: pulumi.Output<string>;
  public readonly runnerPolicyArn: pulumi.Output<string>;
  public readonly dashboardName: pulumi.Output<string>;
  private readonly children: OrderWorkflowNodes;

  constructor(name: string, args: OrderWorkflowArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("orders:workflow:OrderWorkflow", name, {}, opts);
    const parent = { parent: this };
    const identity = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const account = { accountId: identity.accountId, partition: partition.partition, region: region.region };

    const { table, topicKey, topic } = storage(name, args, parent);
    const functions = workflowFunctions(name, args, table, parent);
    const executionKey = executionDataKey(name, parent);
    const machine = stateMachine(name, args, { table, topicKey, topic, functions, executionKey }, account, parent);
    const ops: Operations = operations(
      name,
      args.alarms ?? {},
      {
        ...machine,
        executionKey,
        table,
        topic,
        functionNames: perFunction((key) => functions[key].functionName),
        account: pulumi
          .all([account.accountId, account.partition, account.region])
          .apply(([accountId, part, reg]) => ({ accountId, partition: part, region: reg })),
      },
      parent,
    );
    this.children = {
      table,
      topic,
      topicKey,
      functions,
      ...machine,
      executionKey,
      alias: ops.alias,
      alarms: ops.alarms,
      statusChangeRule: ops.rule,
      deadLetterQueue: ops.queue,
      dashboard: ops.dashboard,
      operatorPolicy: ops.operatorPolicy,
      runnerPolicy: ops.runnerPolicy,
    };

    this.stateMachineArn = machine.stateMachine.arn;
    this.stateMachineName = machine.stateMachine.name;
    this.consoleUrl = pulumi.interpolate`https://${region.region}.console.aws.amazon.com/states/home?region=${region.region}#/statemachines/view/${machine.stateMachine.arn}`;
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.topicArn = topic.arn;
    this.functionNames = allFunctions(perFunction((key) => functions[key].functionName));
    this.stateMachineLogGroupName = machine.stateMachineLogGroup.name;
    this.aliasArn = ops.alias.arn;
    this.alarmTopicArn = ops.alarms === undefined ? pulumi.output(undefined) : ops.alarms.topic.arn;
    this.deadLetterQueueUrl = ops.queue.url;
    this.operatorPolicyArn = ops.operatorPolicy.arn;
    this.runnerPolicyArn = ops.runnerPolicy.arn;
    this.dashboardName = ops.dashboard.dashboardName;
    this.registerOutputs({
      aliasArn: this.aliasArn,
      alarmTopicArn: this.alarmTopicArn,
      deadLetterQueueUrl: this.deadLetterQueueUrl,
      operatorPolicyArn: this.operatorPolicyArn,
      runnerPolicyArn: this.runnerPolicyArn,
      dashboardName: this.dashboardName,
      stateMachineArn: this.stateMachineArn,
      stateMachineName: this.stateMachineName,
      consoleUrl: this.consoleUrl,
      tableName: this.tableName,
      topicArn: this.topicArn,
      functionNames: this.functionNames,
      stateMachineLogGroupName: this.stateMachineLogGroupName,
    });
  }

  /**
   * The resources this component created, to read their properties or extend them (alarms,
   * subscriptions, extra grants) without forking it.
   *
   * @example
   * ```ts
   * const { topic, functions } = workflow.nodes;
   * new aws.sns.TopicSubscription("ops", { topic: topic.arn, protocol: "email", endpoint: "ops@example.com" });
   * new aws.cloudwatch.MetricAlarm("charge-errors", {
   *   namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: functions.chargePayment.functionName },
   *   statistic: "Sum", period: 300, evaluationPeriods: 1, threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold",
   * });
   * ```
   */
  public get nodes(): OrderWorkflowNodes {
    return this.children;
  }
}
