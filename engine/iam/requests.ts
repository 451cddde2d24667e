/**
 * What IAM checks for a call: the actions and resources AWS authorizes for a Step Functions Task's
 * integration or an SDK request, from the request itself (no knowledge of this workflow). Names in
 * the request must already be the stack's (access.ts translates the local ones).
 */

/** One action on one resource, with the request context AWS sets for it. */
export interface Requirement {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
}

export interface Scope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** The stack's name or ARN for a name the request uses (the local engine's names differ). */
  readonly resolve: (name: string) => string;
}

type Body = Record<string, unknown>;
const isBody = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);

function tableArn(scope: Scope, table: unknown, index?: unknown): string {
  const name = scope.resolve(String(table));
  const arn = name.startsWith("arn:")
    ? name
    : `arn:${scope.partition}:dynamodb:${scope.region}:${scope.account}:table/${name}`;
  return typeof index === "string" && index !== "" ? `${arn}/index/${index}` : arn;
}

/** TransactWriteItems / TransactGetItems: each item is authorized as its own action (DynamoDB developer guide). */
const TRANSACT_ACTIONS: Record<string, string> = {
  Put: "dynamodb:PutItem",
  Update: "dynamodb:UpdateItem",
  Delete: "dynamodb:DeleteItem",
  ConditionCheck: "dynamodb:ConditionCheckItem",
  Get: "dynamodb:GetItem",
};

/** Operations that act on no table. */
const ACCOUNT_OPERATIONS = new Set(["ListTables", "DescribeLimits", "DescribeEndpoints", "ListBackups"]);

/** What DynamoDB authorizes for `operation` (`PutItem`) with this request body. */
export function dynamodbRequirements(scope: Scope, operation: string, body: unknown): Requirement[] {
  const b = isBody(body) ? body : {};
  if (operation === "TransactWriteItems" || operation === "TransactGetItems") {
    const items = Array.isArray(b["TransactItems"]) ? (b["TransactItems"] as unknown[]) : [];
    return items.filter(isBody).flatMap((item) =>
      Object.entries(item).flatMap(([kind, request]) => {
        const action = TRANSACT_ACTIONS[kind];
        if (action === undefined || !isBody(request)) throw new Error(`unknown transaction item ${kind}`);
        return [{ action, resource: tableArn(scope, request["TableName"]) }];
      }),
    );
  }
  if (operation === "BatchWriteItem" || operation === "BatchGetItem") {
    const tables = isBody(b["RequestItems"]) ? Object.keys(b["RequestItems"]) : [];
    return tables.map((t) => ({ action: `dynamodb:${operation}`, resource: tableArn(scope, t) }));
  }
  if (ACCOUNT_OPERATIONS.has(operation)) return [{ action: `dynamodb:${operation}`, resource: "*" }];
  const table = b["TableName"] ?? b["TableArn"] ?? b["ResourceArn"];
  if (table === undefined) throw new Error(`DynamoDB ${operation} names no table: the engine cannot authorize it`);
  return [{ action: `dynamodb:${operation}`, resource: tableArn(scope, table, b["IndexName"]) }];
}

/** Publishing to a topic, and the data key SNS asks of the topic's KMS key for it (SNS developer guide, key management). */
export function publishRequirements(scope: Scope, topicArn: string, keyArn: string | undefined): Requirement[] {
  const publish: Requirement = { action: "sns:Publish", resource: topicArn };
  if (keyArn === undefined) return [publish];
  const context = {
    "kms:EncryptionContext:aws:sns:topicArn": topicArn,
    "kms:ViaService": `sns.${scope.region}.amazonaws.com`,
    "kms:CallerAccount": scope.account,
  };
  return [
    publish,
    { action: "kms:GenerateDataKey", resource: keyArn, context },
    { action: "kms:Decrypt", resource: keyArn, context },
  ];
}

/** Which service an integration calls and which operation, from a Task's `Resource`. */
export interface Integration {
  readonly service: string;
  /** PascalCase, as the API names it: `PutItem`, `Invoke`, `Publish`. */
  readonly operation: string;
  /** Optimized integration (`arn:aws:states:::dynamodb:putItem`) or AWS SDK integration (`...:::aws-sdk:...`). */
  readonly sdk: boolean;
}

export function integrationOf(resource: string): Integration | undefined {
  const m = /^arn:[^:]+:states:::(aws-sdk:)?([a-z0-9-]+):([A-Za-z0-9]+)(\.[A-Za-z]+)?$/.exec(resource);
  if (m === null) return undefined;
  return { service: m[2], operation: m[3].charAt(0).toUpperCase() + m[3].slice(1), sdk: m[1] !== undefined };
}

/** What a Task's integration is authorized for, given its (translated) parameters. */
export function taskRequirements(
  scope: Scope,
  integration: Integration,
  params: unknown,
  topicKey: (topicArn: string) => string | undefined,
): Requirement[] {
  const p = isBody(params) ? params : {};
  switch (integration.service) {
    case "lambda": {
      if (integration.operation !== "Invoke") break;
      const fn = scope.resolve(String(p["FunctionName"]));
      const arn = fn.startsWith("arn:")
        ? fn
        : `arn:${scope.partition}:lambda:${scope.region}:${scope.account}:function:${fn}`;
      return [{ action: "lambda:InvokeFunction", resource: arn }];
    }
    case "dynamodb":
      return dynamodbRequirements(scope, integration.operation, p);
    case "sns": {
      if (integration.operation !== "Publish") break;
      const topic = scope.resolve(String(p["TopicArn"] ?? p["TargetArn"]));
      return publishRequirements(scope, topic, topicKey(topic));
    }
  }
  throw new Error(`the engine cannot say what IAM authorizes for ${integration.service}:${integration.operation}`);
}
