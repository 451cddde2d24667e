/**
 * IAM policy documents of the workflow, as plain data. Each grant names exactly the resources it
 * needs; the only `Resource: "*"` statements hold actions that AWS defines on no resource type.
 */

export interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: { readonly Service: string } | { readonly AWS: string | readonly string[] } | "*";
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Statement[];
}

/** A policy document of `statements`. */
export const document = (...statements: Statement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

/** X-Ray trace upload: AWS defines these actions on no resource, so `*` is the only form. */
export const XRAY_WRITE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] as const;

/**
 * What Step Functions needs to deliver its logs to CloudWatch Logs. AWS documents these on `*`
 * only (log delivery is configured through the account's resource policy).
 */
export const LOG_DELIVERY_ACTIONS = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
] as const;

/** Trust policy for a Lambda function's role. */
export function lambdaTrustPolicy(): PolicyDocument {
  return document({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });
}

/** Trust policy for the state machine's role, pinned to this account (confused-deputy protection). */
export function statesTrustPolicy(accountId: string, partition: string, region: string): PolicyDocument {
  return document({
    Effect: "Allow",
    Principal: { Service: "states.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: { "aws:SourceAccount": accountId },
      ArnLike: { "aws:SourceArn": `arn:${partition}:states:${region}:${accountId}:stateMachine:*` },
    },
  });
}

export interface FunctionGrants {
  /** ARN of the function's own log group. */
  readonly logGroupArn: string;
  /** The orders table's ARN and the actions on it, for a function that uses it (workflow/functions.ts). */
  readonly ordersTable?: { readonly arn: string; readonly actions: readonly string[] };
  /** The inventory table's ARN and the actions on it, for a function that uses stock. */
  readonly inventoryTable?: { readonly arn: string; readonly actions: readonly string[] };
}

/** A function writes to its own log group and to X-Ray, and uses the table only if it needs to. */
export function functionPolicy(g: FunctionGrants): PolicyDocument {
  const statements: Statement[] = [
    {
      Sid: "OwnLogGroup",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${g.logGroupArn}:*`,
    },
    { Sid: "Tracing", Effect: "Allow", Action: [...XRAY_WRITE_ACTIONS], Resource: "*" },
  ];
  if (g.ordersTable !== undefined) {
    statements.push({
      Sid: "OrdersTable",
      Effect: "Allow",
      Action: [...g.ordersTable.actions],
      Resource: g.ordersTable.arn,
    });
  }
  if (g.inventoryTable !== undefined) {
    statements.push({
      Sid: "InventoryTable",
      Effect: "Allow",
      Action: [...g.inventoryTable.actions],
      Resource: g.inventoryTable.arn,
    });
  }
  return document(...statements);
}

export interface StateMachineGrants {
  /** Exactly the functions the definition invokes. */
  readonly functionArns: readonly string[];
  readonly tableArn: string;
  readonly topicArn: string;
  readonly topicKeyArn: string;
}

/** The state machine invokes the functions its definition names, records orders (PROCESSED and FAILED), and publishes. */
export function stateMachinePolicy(g: StateMachineGrants): PolicyDocument {
  return document(
    { Sid: "InvokeWorkflowFunctions", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [...g.functionArns] },
    { Sid: "RecordFailedOrders", Effect: "Allow", Action: "dynamodb:PutItem", Resource: g.tableArn },
    { Sid: "PublishNotifications", Effect: "Allow", Action: "sns:Publish", Resource: g.topicArn },
    // Publishing to a KMS-encrypted topic needs a data key from the topic's key.
    {
      Sid: "EncryptNotifications",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: g.topicKeyArn,
    },
    { Sid: "DeliverLogs", Effect: "Allow", Action: [...LOG_DELIVERY_ACTIONS], Resource: "*" },
    {
      Sid: "Tracing",
      Effect: "Allow",
      Action: [...XRAY_WRITE_ACTIONS, "xray:GetSamplingRules", "xray:GetSamplingTargets"],
      Resource: "*",
    },
  );
}

/**
 * Nobody may publish over plain HTTP. The topic policy grants nothing: within the account, the
 * publisher's own policy grants the publish (an Allow here for the state machine's role would be a
 * second grant of the same call; tests/engine/iam/statements.test.ts shows each grant is needed).
 */
export function topicPolicy(topicArn: string): PolicyDocument {
  return document(denyInsecurePublish(topicArn));
}

/** A topic's statement that nobody may publish to it over plain HTTP. */
export function denyInsecurePublish(topicArn: string): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "sns:Publish",
    Resource: topicArn,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
