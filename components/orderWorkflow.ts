import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { mapRates } from "../handlers/ports/config";
import { render } from "../workflow/asl";
import {
  LAMBDA_TASK_TIMEOUT_SECONDS,
  invokedFunctions,
  orderWorkflowDefinition,
  workflowResources,
} from "../workflow/definition";
import { FunctionKey, functionEnvironment, functionResourceName, perFunction } from "../workflow/functions";
import type { Alarms } from "./alarms";
import { DEFAULTS, type OrderWorkflowArgs } from "./orderWorkflowArgs";
import { encryptionConfiguration, executionDataKey } from "./encryption";
import { Operations, operations } from "./operations";
import { storage } from "./storage";
import { stateMachinePolicy, statesTrustPolicy, topicPolicy } from "./policies";
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

/** One output holding each function's value (pulumi.all types its keys as any string). */
function allFunctions(values: Record<FunctionKey, pulumi.Output<string>>): pulumi.Output<Record<FunctionKey, string>> {
  return pulumi.all(values) as pulumi.Output<Record<FunctionKey, string>>;
}

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
      policy: pulumi
        .all([topic.arn, stateMachineRole.arn])
        .apply(([topicArn, roleArn]) => JSON.stringify(topicPolicy(topicArn, roleArn))),
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
    const parent = { parent: this };
    const identity = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const account = { accountId: identity.accountId, partition: partition.partition, region: region.region };

    const deletionProtection = args.tableDeletionProtection ?? DEFAULTS.tableDeletionProtection;
    const { table, inventoryTable, topicKey, topic } = storage(name, deletionProtection, parent);
    const functions = workflowFunctions(name, args, { table, inventoryTable }, parent);
    const executionKey = executionDataKey(name, parent);
    const resources = { table, inventoryTable, topicKey, topic, functions, executionKey };
    const machine = stateMachine(name, args, resources, account, parent);
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

    this.stateMachineArn = machine.stateMachine.arn;
    this.stateMachineName = machine.stateMachine.name;
    this.consoleUrl = pulumi.interpolate`https://${region.region}.console.aws.amazon.com/states/home?region=${region.region}#/statemachines/view/${machine.stateMachine.arn}`;
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.inventoryTableName = inventoryTable.name;
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
