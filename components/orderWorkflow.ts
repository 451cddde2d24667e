/**
 * OrderWorkflow, the component the Pulumi program creates (its documented arguments and defaults are
 * orderWorkflowArgs.ts's): the tables and the notification topic with its key (storage.ts), one
 * WorkflowFunction per function of the registry (workflow/functions.ts), the state machine
 * (stateMachine.ts) and the operations pack (operations.ts); its children are exposed through `nodes`.
 * Resources only, no business logic.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { mapRates } from "../handlers/ports/config";
import { LAMBDA_TASK_TIMEOUT_SECONDS } from "../workflow/definition";
import { FunctionKey, functionEnvironment, functionResourceName, perFunction } from "../workflow/functions";
import type { Alarms } from "./alarms";
import { executionDataKey } from "./encryption";
import { DEFAULTS, type OrderWorkflowArgs } from "./orderWorkflowArgs";
import { Operations, operations } from "./operations";
import { allFunctions, stateMachine } from "./stateMachine";
import { storage } from "./storage";
import { WorkflowFunction } from "./workflowFunction";

export type { OrderWorkflowArgs, WorkflowLogLevel, WorkflowType } from "./orderWorkflowArgs";

/** The resources an OrderWorkflow creates, to read or extend without forking the component. */
export interface OrderWorkflowNodes {
  /** The CustomerOrders table, keyed on `OrderId`: every order's record, with its stock reservation. */
  readonly table: aws.dynamodb.Table;
  /** The Inventory table, keyed on `ItemId`: each item's units `Available` (read in inventoryMode `table`). */
  readonly inventoryTable: aws.dynamodb.Table;
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

/** One WorkflowFunction per function of the registry, each with the environment and grants it declares. */
function workflowFunctions(
  name: string,
  args: OrderWorkflowArgs,
  tables: { readonly table: aws.dynamodb.Table; readonly inventoryTable: aws.dynamodb.Table },
  parent: Parent,
) {
  const { table, inventoryTable } = tables;
  const inventory = {
    mode: pulumi.output(args.inventoryMode ?? DEFAULTS.inventoryMode),
    tableName: inventoryTable.name,
  };
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
          environment: functionEnvironment<pulumi.Input<string>>(key, { rates, tableName: table.name, inventory }),
          ...(spec.ordersTable === undefined ? {} : { ordersTable: { arn: table.arn, actions: spec.ordersTable } }),
          ...(spec.inventoryTable === undefined
            ? {}
            : { inventoryTable: { arn: inventoryTable.arn, actions: spec.inventoryTable } }),
        },
        parent,
      ),
  );
}

/**
 * Every child of an OrderWorkflow, in the order they are created: the account it deploys to, the
 * table and topic, the functions, the state machine, the operations pack. A new resource goes here
 * (and into OrderWorkflowNodes).
 */
function children(name: string, args: OrderWorkflowArgs, parent: Parent) {
  const identity = aws.getCallerIdentityOutput({}, parent);
  const region = aws.getRegionOutput({}, parent);
  const partition = aws.getPartitionOutput({}, parent);
  const account = { accountId: identity.accountId, partition: partition.partition, region: region.region };

  const deletionProtection = args.tableDeletionProtection ?? DEFAULTS.tableDeletionProtection;
  const { table, inventoryTable, topicKey, topic } = storage(name, deletionProtection, parent);
  const functions = workflowFunctions(name, args, { table, inventoryTable }, parent);
  const executionKey = executionDataKey(name, parent);
  const machine = stateMachine(
    name,
    {
      workflowType: args.workflowType ?? DEFAULTS.workflowType,
      logLevel: args.logLevel ?? DEFAULTS.logLevel,
      logRetentionDays: args.logRetentionDays ?? DEFAULTS.logRetentionDays,
    },
    { table, topicKey, topic, functions, executionKey },
    account,
    parent,
  );
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
  const nodes: OrderWorkflowNodes = {
    table,
    inventoryTable,
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
  return { nodes, region: region.region };
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
  public readonly inventoryTableName: pulumi.Output<string>;
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
    const { nodes, region } = children(name, args, { parent: this });
    this.children = nodes;
    const { stateMachine: machine, table, topic, functions, alias, alarms } = nodes;
    this.stateMachineArn = machine.arn;
    this.stateMachineName = machine.name;
    this.consoleUrl = pulumi.interpolate`https://${region}.console.aws.amazon.com/states/home?region=${region}#/statemachines/view/${machine.arn}`;
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.inventoryTableName = nodes.inventoryTable.name;
    this.topicArn = topic.arn;
    this.functionNames = allFunctions(perFunction((key) => functions[key].functionName));
    this.stateMachineLogGroupName = nodes.stateMachineLogGroup.name;
    this.aliasArn = alias.arn;
    this.alarmTopicArn = alarms === undefined ? pulumi.output(undefined) : alarms.topic.arn;
    this.deadLetterQueueUrl = nodes.deadLetterQueue.url;
    this.operatorPolicyArn = nodes.operatorPolicy.arn;
    this.runnerPolicyArn = nodes.runnerPolicy.arn;
    this.dashboardName = nodes.dashboard.dashboardName;
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
      inventoryTableName: this.inventoryTableName,
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
