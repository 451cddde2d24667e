/**
 * Policy documents of the operations pack (components/operations.ts), as plain data: the execution
 * data key's policy, the alarm topic's key and topic policies, the dead-letter queue's policy, and
 * the managed policies an operator or the deployed runner attaches. Each grant names exactly the
 * resource it is for; the key policies' `Resource: "*"` means "this key", as in every key policy.
 */
import { type PolicyDocument, type Statement, denyInsecurePublish, document } from "./policies";

/** What a key policy needs to know of the account. */
export interface KeyAccount {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
}

/**
 * AWS's default key policy statement: the account administers the key and may grant its use with
 * IAM policies (without it, nobody could ever change the key policy again).
 */
function accountAdministers(a: KeyAccount): Statement {
  return {
    Sid: "AccountAdministersTheKey",
    Effect: "Allow",
    Principal: { AWS: `arn:${a.partition}:iam::${a.accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

/** The encryption context Step Functions gives KMS for a state machine's data: its ARN. */
export const STATES_ENCRYPTION_CONTEXT = "kms:EncryptionContext:aws:states:stateMachineArn";

export interface ExecutionKeyGrants extends KeyAccount {
  readonly stateMachineArn: string;
  readonly stateMachineRoleArn: string;
}

/**
 * The key that encrypts the state machine's definition and execution history, as the Step Functions
 * developer guide ("Data at rest encryption") documents it: the execution role may Decrypt and
 * GenerateDataKey for this state machine's data only (the encryption-context condition); with
 * logging on, the role may GenerateDataKey for the log delivery (SourceArn in this account's logs)
 * and delivery.logs.amazonaws.com may Decrypt. The grants are in the key policy (the guide allows
 * key policy or IAM), because only after the state machine exists is its ARN known.
 */
export function executionKeyPolicy(g: ExecutionKeyGrants): PolicyDocument {
  return document(
    accountAdministers(g),
    {
      Sid: "StateMachineEncryptsItsExecutions",
      Effect: "Allow",
      Principal: { AWS: g.stateMachineRoleArn },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: { StringEquals: { [STATES_ENCRYPTION_CONTEXT]: g.stateMachineArn } },
    },
    {
      Sid: "StateMachineEncryptsItsLogDelivery",
      Effect: "Allow",
      Principal: { AWS: g.stateMachineRoleArn },
      Action: "kms:GenerateDataKey",
      Resource: "*",
      Condition: {
        StringLike: { "kms:EncryptionContext:SourceArn": `arn:${g.partition}:logs:${g.region}:${g.accountId}:*` },
      },
    },
    // Confused-deputy protection: only log deliveries of this account's resources.
    {
      Sid: "LogDeliveryDecrypts",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": g.accountId } },
    },
  );
}

/** The key of the alarm topic: CloudWatch alarms publish to it, so CloudWatch may use the key (and only this account's). */
export function alarmTopicKeyPolicy(a: KeyAccount): PolicyDocument {
  return document(accountAdministers(a), {
    Sid: "CloudWatchAlarmsPublish",
    Effect: "Allow",
    Principal: { Service: "cloudwatch.amazonaws.com" },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": a.accountId } },
  });
}

/** Only this account's CloudWatch alarms publish to the alarm topic, and never over plain HTTP. */
export function alarmTopicPolicy(topicArn: string, a: KeyAccount): PolicyDocument {
  return document(
    {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": a.accountId },
        ArnLike: { "aws:SourceArn": `arn:${a.partition}:cloudwatch:${a.region}:${a.accountId}:alarm:*` },
      },
    },
    denyInsecurePublish(topicArn),
  );
}

/** Only EventBridge, for the one rule that routes this state machine's failures, may send to the dead-letter queue. */
export function deadLetterQueuePolicy(queueArn: string, ruleArn: string): PolicyDocument {
  return document({
    Sid: "StatusChangeRuleSends",
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: "sqs:SendMessage",
    Resource: queueArn,
    Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
  });
}

/** The ARN pattern of one state machine's executions (every execution, whatever version or alias started it). */
export function executionArnPattern(stateMachineArn: string): string {
  const [, partition, , region, account, , name] = stateMachineArn.split(":");
  return `arn:${partition}:states:${region}:${account}:execution:${name}:*`;
}

export interface ReaderGrants {
  readonly stateMachineArn: string;
  readonly executionKeyArn: string;
}

/** Reading an execution's input, output or history decrypts it: kms:Decrypt, for this state machine's data only. */
function decryptExecutionData(g: ReaderGrants): Statement {
  return {
    Sid: "DecryptExecutionData",
    Effect: "Allow",
    Action: "kms:Decrypt",
    Resource: g.executionKeyArn,
    Condition: { StringEquals: { [STATES_ENCRYPTION_CONTEXT]: g.stateMachineArn } },
  };
}

/**
 * An operator (`npm run redrive`): lists the state machine's executions, reads and redrives them.
 * Nothing else: no StartExecution, no StopExecution, no other state machine.
 */
export function operatorPolicy(g: ReaderGrants): PolicyDocument {
  return document(
    {
      Sid: "ListExecutions",
      Effect: "Allow",
      Action: ["states:ListExecutions", "states:DescribeStateMachine"],
      Resource: g.stateMachineArn,
    },
    {
      Sid: "InspectAndRedriveExecutions",
      Effect: "Allow",
      Action: ["states:DescribeExecution", "states:GetExecutionHistory", "states:RedriveExecution"],
      Resource: executionArnPattern(g.stateMachineArn),
    },
    decryptExecutionData(g),
  );
}

export interface RunnerGrants extends ReaderGrants {
  readonly aliasArn: string;
  readonly tableArn: string;
}

/** The deployed runner (`npm run order`): starts executions through the alias only, reads them and their records. */
export function runnerPolicy(g: RunnerGrants): PolicyDocument {
  return document(
    { Sid: "StartThroughTheAlias", Effect: "Allow", Action: "states:StartExecution", Resource: g.aliasArn },
    { Sid: "ReadTheDefinition", Effect: "Allow", Action: "states:DescribeStateMachine", Resource: g.stateMachineArn },
    {
      Sid: "ReadExecutions",
      Effect: "Allow",
      Action: ["states:DescribeExecution", "states:GetExecutionHistory"],
      Resource: executionArnPattern(g.stateMachineArn),
    },
    { Sid: "ReadOrderRecords", Effect: "Allow", Action: "dynamodb:GetItem", Resource: g.tableArn },
    decryptExecutionData(g),
  );
}
