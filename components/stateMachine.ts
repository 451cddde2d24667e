/**
 * The state machine of an OrderWorkflow: its definition wired to the resources' ARNs and names, its
 * role (allowed exactly what the definition does, on exact ARNs), its log group (execution data is
 * never logged), and the notification topic's policy that lets the role publish. Which states there
 * are is workflow/definition.ts's; the documents are components/policies.ts's.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { render } from "../workflow/asl";
import { invokedFunctions, orderWorkflowDefinition, workflowResources } from "../workflow/definition";
import { FunctionKey, perFunction } from "../workflow/functions";
import { encryptionConfiguration } from "./encryption";
import { stateMachinePolicy, statesTrustPolicy, topicPolicy } from "./policies";
import { WorkflowFunction } from "./workflowFunction";

/** The account the stack deploys to (the state machine role's trust pins it). */
export interface Account {
  readonly accountId: pulumi.Output<string>;
  readonly partition: pulumi.Output<string>;
  readonly region: pulumi.Output<string>;
}

/** The state machine's settings, resolved from OrderWorkflowArgs (defaults applied). */
export interface StateMachineSettings {
  readonly workflowType: pulumi.Input<string>;
  readonly logLevel: pulumi.Input<string>;
  readonly logRetentionDays: pulumi.Input<number>;
}

/** What the state machine uses: the functions it invokes, what it writes to, and its key. */
export interface StateMachineResources {
  readonly table: aws.dynamodb.Table;
  readonly topic: aws.sns.Topic;
  readonly topicKey: aws.kms.Key;
  readonly functions: Record<FunctionKey, WorkflowFunction>;
  readonly executionKey: aws.kms.Key;
}

export interface WorkflowStateMachine {
  readonly stateMachine: aws.sfn.StateMachine;
  readonly stateMachineRole: aws.iam.Role;
  readonly stateMachineLogGroup: aws.cloudwatch.LogGroup;
}

type Parent = { readonly parent: pulumi.Resource };

/** One output holding each function's value (pulumi.all types its keys as any string). */
export function allFunctions(
  values: Record<FunctionKey, pulumi.Output<string>>,
): pulumi.Output<Record<FunctionKey, string>> {
  return pulumi.all(values) as pulumi.Output<Record<FunctionKey, string>>;
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
export function stateMachine(
  name: string,
  settings: StateMachineSettings,
  resources: StateMachineResources,
  account: Account,
  parent: Parent,
): WorkflowStateMachine {
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
    { namePrefix: `/aws/vendedlogs/states/${name}-`, retentionInDays: settings.logRetentionDays },
    parent,
  );
  const machine = new aws.sfn.StateMachine(
    `${name}-state-machine`,
    {
      type: settings.workflowType,
      roleArn: stateMachineRole.arn,
      definition: wired.definition,
      loggingConfiguration: {
        level: settings.logLevel,
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
