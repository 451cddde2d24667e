/**
 * The operations pack of an OrderWorkflow, composed from small modules: the execution data key's
 * policy (encryption.ts), the `live` alias, the dead-letter route (deadLetter.ts), the alarms and
 * their topic (alarms.ts), the dashboard (dashboard.ts) and the operator's and runner's managed
 * policies (operator.ts). No business rule lives here: which ends need a person is
 * workflow/execution/outcomes.ts's.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  EXECUTION_ERROR_FIELD,
  EXECUTION_FAILED_PATTERN,
  FAILED_ORDERS_METRIC,
  workflowNamespace,
} from "../workflow/execution/outcomes";
import { FunctionKey } from "../workflow/functions";
import { ALARM_DEFAULTS, AlarmArgs, Alarms, workflowAlarms } from "./alarms";
import { workflowDashboard } from "./dashboard";
import { DeadLetterRoute, deadLetterRoute } from "./deadLetter";
import { executionKeyPolicyResource } from "./encryption";
import { Access, accessPolicies } from "./operator";
import { KeyAccount } from "./operationsPolicies";

/** The alias executions start through: it routes all of them to the version the last deploy published. */
export const LIVE_ALIAS = "live";

export interface OperationsInputs {
  readonly stateMachine: aws.sfn.StateMachine;
  readonly stateMachineRole: aws.iam.Role;
  readonly stateMachineLogGroup: aws.cloudwatch.LogGroup;
  readonly executionKey: aws.kms.Key;
  readonly table: aws.dynamodb.Table;
  readonly topic: aws.sns.Topic;
  readonly functionNames: Readonly<Record<FunctionKey, pulumi.Output<string>>>;
  readonly account: pulumi.Output<KeyAccount>;
}

export interface Operations extends DeadLetterRoute, Access {
  readonly alias: aws.sfn.Alias;
  readonly executionKeyPolicy: aws.kms.KeyPolicy;
  /** Undefined when the alarms are turned off. */
  readonly alarms: Alarms | undefined;
  readonly failedOrdersFilter: aws.cloudwatch.LogMetricFilter;
  readonly dashboard: aws.cloudwatch.Dashboard;
}

export function operations(
  name: string,
  args: AlarmArgs,
  i: OperationsInputs,
  parent: { readonly parent: pulumi.Resource },
): Operations {
  const alias = new aws.sfn.Alias(
    `${name}-live`,
    {
      name: LIVE_ALIAS,
      description: "Executions start here: all of them on the version the last deploy published",
      routingConfigurations: [{ stateMachineVersionArn: i.stateMachine.stateMachineVersionArn, weight: 100 }],
    },
    parent,
  );
  const executionKeyPolicy = executionKeyPolicyResource(
    name,
    i.executionKey,
    { stateMachineArn: i.stateMachine.arn, stateMachineRoleArn: i.stateMachineRole.arn, account: i.account },
    parent,
  );
  const namespace = workflowNamespace(pulumi.getStack(), name);
  const failedOrdersFilter = failedOrders(name, i.stateMachineLogGroup, namespace, parent);
  const route = deadLetterRoute(name, i.stateMachine.arn, parent);
  const targets = {
    stateMachineArn: i.stateMachine.arn,
    functionNames: i.functionNames,
    tableName: i.table.name,
    deadLetterQueueName: route.queue.name,
    namespace,
  };
  const alarms =
    (args.enabled ?? ALARM_DEFAULTS.enabled)
      ? workflowAlarms(name, args, { ...targets, notificationTopicName: i.topic.name }, i.account, parent)
      : undefined;
  const dashboard = workflowDashboard(
    name,
    {
      ...targets,
      functionNames: pulumi.output(i.functionNames),
      region: i.account.apply((a) => a.region),
      periodSeconds: args.periodSeconds ?? ALARM_DEFAULTS.periodSeconds,
    },
    parent,
  );
  const access = accessPolicies(
    name,
    {
      stateMachineArn: i.stateMachine.arn,
      aliasArn: alias.arn,
      tableArn: i.table.arn,
      executionKeyArn: i.executionKey.arn,
    },
    parent,
  );
  return { alias, executionKeyPolicy, alarms, failedOrdersFilter, dashboard, ...route, ...access };
}

/** One FailedOrders count per ExecutionFailed log event, by its error (the reason code). */
function failedOrders(
  name: string,
  logGroup: aws.cloudwatch.LogGroup,
  namespace: string,
  parent: { readonly parent: pulumi.Resource },
) {
  return new aws.cloudwatch.LogMetricFilter(
    `${name}-failed-orders`,
    {
      logGroupName: logGroup.name,
      pattern: EXECUTION_FAILED_PATTERN,
      metricTransformation: {
        name: FAILED_ORDERS_METRIC.name,
        namespace,
        value: "1",
        unit: "Count",
        dimensions: { [FAILED_ORDERS_METRIC.reasonDimension]: EXECUTION_ERROR_FIELD },
      },
    },
    parent,
  );
}
