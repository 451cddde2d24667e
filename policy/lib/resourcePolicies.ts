/**
 * Where resource-based policies live in a stack, and what resource each one guards: KMS key
 * policies, DynamoDB resource policies, SQS queue policies, SNS topic policies, and the statements
 * that Lambda permissions add to a function's policy.
 */
import * as aws from "@pulumi/aws";
import { PolicyResource } from "@pulumi/policy";
import { StackIndex, stringProp } from "./stack";

/** A resource-based policy of the stack, with the resource it is attached to. */
export interface ResourcePolicy {
  /** The resource that declares the policy (blamed in a violation). */
  readonly source: PolicyResource;
  /** Where the policy sits, for messages: "key policy", "queue policy of orders-queue". */
  readonly label: string;
  /** The policy document as written (JSON text or an object). */
  readonly policy: unknown;
  /** The ARN of the guarded resource; the stack's own when it declares it. */
  readonly resourceArn: string;
  /** The IAM reference's service and resource type of the guarded resource. */
  readonly service: string;
  readonly resourceType: string;
}

export type ResourcePolicyKind = "kms" | "dynamodb" | "sqs" | "sns" | "lambda";

/** The parts of an ARN the simulation needs. */
export function arnParts(arn: string): { partition: string; region: string; account: string } | undefined {
  const parts = arn.split(":");
  return parts.length >= 6 && parts[0] === "arn"
    ? { partition: parts[1], region: parts[3], account: parts[4] }
    : undefined;
}

/** The resource policies of one kind that the stack declares. */
export function resourcePolicies(stack: StackIndex, kind: ResourcePolicyKind): ResourcePolicy[] {
  switch (kind) {
    case "kms":
      return kmsPolicies(stack);
    case "dynamodb":
      return stack.ofType("aws:dynamodb/resourcePolicy:ResourcePolicy").map((r): ResourcePolicy => {
        const arn = stringProp(r, "resourceArn") ?? "";
        const type = arn.includes("/stream/") ? "stream" : "table";
        return {
          source: r,
          label: `resource policy of ${arn}`,
          policy: r.props["policy"],
          resourceArn: arn,
          service: "dynamodb",
          resourceType: type,
        };
      });
    case "sqs":
      return sqsPolicies(stack);
    case "sns":
      return snsPolicies(stack);
    case "lambda":
      return stack.ofType("aws:lambda/permission:Permission").map((r) => lambdaPermission(stack, r));
  }
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function kmsPolicies(stack: StackIndex): ResourcePolicy[] {
  const keys = stack.ofType("aws:kms/key:Key");
  const found: ResourcePolicy[] = [];
  for (const key of keys) {
    // A key without `policy` gets AWS's default key policy: the account's own principals only.
    if (present(key.props["policy"])) {
      found.push({
        source: key,
        label: "key policy",
        policy: key.props["policy"],
        resourceArn: stringProp(key, "arn") ?? "",
        service: "kms",
        resourceType: "key",
      });
    }
  }
  for (const r of stack.ofType("aws:kms/keyPolicy:KeyPolicy")) {
    const keyId = stringProp(r, "keyId") ?? "";
    const key = keys.find((k) => [stringProp(k, "keyId"), stringProp(k, "arn"), k.props["id"]].includes(keyId));
    const arn = (key && stringProp(key, "arn")) ?? keyId;
    found.push({
      source: r,
      label: `key policy of ${key?.name ?? keyId}`,
      policy: r.props["policy"],
      resourceArn: arn,
      service: "kms",
      resourceType: "key",
    });
  }
  return found;
}

/** A queue URL is https://sqs.<region>.amazonaws.com/<account>/<name>. */
function queueArnFromUrl(url: string): string {
  const match = /^https:\/\/sqs\.([^.]+)\.amazonaws\.com\/(\d{12})\/(.+)$/.exec(url);
  return match ? `arn:aws:sqs:${match[1]}:${match[2]}:${match[3]}` : url;
}

function sqsPolicies(stack: StackIndex): ResourcePolicy[] {
  const queues = stack.ofType("aws:sqs/queue:Queue");
  const found: ResourcePolicy[] = [];
  for (const queue of queues) {
    if (present(queue.props["policy"])) {
      found.push({
        source: queue,
        label: "queue policy",
        policy: queue.props["policy"],
        resourceArn: stringProp(queue, "arn") ?? "",
        service: "sqs",
        resourceType: "queue",
      });
    }
  }
  for (const r of stack.ofType("aws:sqs/queuePolicy:QueuePolicy")) {
    const url = stringProp(r, "queueUrl") ?? "";
    const queue = queues.find((q) => stringProp(q, "url") === url || stringProp(q, "arn") === url);
    const arn = (queue && stringProp(queue, "arn")) ?? queueArnFromUrl(url);
    found.push({
      source: r,
      label: `queue policy of ${queue?.name ?? url}`,
      policy: r.props["policy"],
      resourceArn: arn,
      service: "sqs",
      resourceType: "queue",
    });
  }
  return found;
}

function snsPolicies(stack: StackIndex): ResourcePolicy[] {
  const found: ResourcePolicy[] = [];
  for (const topic of stack.ofType("aws:sns/topic:Topic")) {
    if (present(topic.props["policy"])) {
      found.push({
        source: topic,
        label: "topic policy",
        policy: topic.props["policy"],
        resourceArn: stringProp(topic, "arn") ?? "",
        service: "sns",
        resourceType: "topic",
      });
    }
  }
  for (const r of stack.ofType("aws:sns/topicPolicy:TopicPolicy")) {
    const arn = stringProp(r, "arn") ?? "";
    found.push({
      source: r,
      label: `topic policy of ${arn}`,
      policy: r.props["policy"],
      resourceArn: arn,
      service: "sns",
      resourceType: "topic",
    });
  }
  return found;
}

/**
 * The statement a Lambda permission adds to its function's policy, as Lambda writes it: the
 * principal, the action on the function, and a condition for each of sourceArn, sourceAccount,
 * principalOrgId, functionUrlAuthType and eventSourceToken.
 */
function lambdaPermission(stack: StackIndex, r: PolicyResource): ResourcePolicy {
  const props = r.asType(aws.lambda.Permission);
  const ref = String(props?.function ?? "");
  const fn = stack
    .ofType("aws:lambda/function:Function")
    .find((f) => stringProp(f, "arn") === ref || stringProp(f, "name") === ref);
  const anyArn = stack.resources
    .map((x) => stringProp(x, "arn"))
    .find((a) => a !== undefined && arnParts(a)?.account !== "");
  const where = arnParts(anyArn ?? "") ?? { partition: "aws", region: "us-east-1", account: "123456789012" };
  const arn =
    (fn && stringProp(fn, "arn")) ??
    (ref.startsWith("arn:") ? ref : `arn:${where.partition}:lambda:${where.region}:${where.account}:function:${ref}`);
  const principal = String(props?.principal ?? "");
  const condition: Record<string, Record<string, string>> = {};
  const add = (operator: string, key: string, value: string | undefined): void => {
    if (value !== undefined && value !== "") {
      condition[operator] = { ...(condition[operator] ?? {}), [key]: value };
    }
  };
  add("ArnLike", "aws:SourceArn", props?.sourceArn);
  add("StringEquals", "aws:SourceAccount", props?.sourceAccount);
  add("StringEquals", "aws:PrincipalOrgID", props?.principalOrgId);
  add("StringEquals", "lambda:FunctionUrlAuthType", props?.functionUrlAuthType);
  add("StringEquals", "lambda:EventSourceToken", props?.eventSourceToken);
  const statement = {
    Sid: props?.statementId ?? r.name,
    Effect: "Allow",
    Principal:
      principal === "*"
        ? "*"
        : principal.endsWith(".amazonaws.com")
          ? { Service: principal }
          : { AWS: /^\d{12}$/.test(principal) ? `arn:${where.partition}:iam::${principal}:root` : principal },
    Action: String(props?.action ?? ""),
    Resource: arn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
  return {
    source: r,
    label: `permission on function ${fn?.name ?? ref}`,
    policy: { Version: "2012-10-17", Statement: [statement] },
    resourceArn: arn,
    service: "lambda",
    resourceType: "function",
  };
}
