// Engine stand-ins for an offline check: every AWS resource gets the outputs AWS would give it (a
// physical name the way Pulumi autonames, an ARN in AWS's format for its type, an ID), so that the
// ARNs a program writes into its policy documents are the ARNs of the resources it declares.
import { createHash } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { isRecord } from "../policy/lib/document";

export interface MockEnvironment {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

export const DEFAULT_ENVIRONMENT: MockEnvironment = { accountId: "123456789012", region: "us-east-1", partition: "aws" };

type Inputs = Record<string, unknown>;

function hex(seed: string, length: number): string {
  return createHash("sha1").update(seed).digest("hex").slice(0, length);
}

function str(inputs: Inputs, key: string): string | undefined {
  const value = inputs[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The physical name Pulumi would pick: the given `name`, `namePrefix` plus a suffix, or `<logical name>-<7 hex>`. */
export function physicalName(type: string, logicalName: string, inputs: Inputs, nameKey = "name"): string {
  const given = str(inputs, nameKey);
  if (given !== undefined) {
    return given;
  }
  const suffix = hex(`${type}::${logicalName}`, 7);
  const prefix = str(inputs, `${nameKey}Prefix`);
  const name = prefix !== undefined ? `${prefix}${suffix}` : `${logicalName}-${suffix}`;
  return inputs["fifoTopic"] === true || inputs["fifoQueue"] === true ? `${name}.fifo` : name;
}

/** Resources AWS gives no ARN of their own: attachments, inline policies, permissions. */
const WITHOUT_ARN = new Set([
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/policyAttachment:PolicyAttachment",
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/groupPolicy:GroupPolicy",
  "aws:lambda/permission:Permission",
  "aws:cloudwatch/eventTarget:EventTarget",
  "aws:s3/bucketPolicy:BucketPolicy",
]);

/** The outputs of an AWS resource: its inputs plus `name`, `arn`, an ID and the extra ARNs of the type. */
function awsResource(args: pulumi.runtime.MockResourceArgs, env: MockEnvironment): pulumi.runtime.MockResourceResult {
  const inputs: Inputs = isRecord(args.inputs) ? args.inputs : {};
  const { accountId: account, region, partition: p } = env;
  const regional = (service: string): string => `arn:${p}:${service}:${region}:${account}`;
  const name = physicalName(args.type, args.name, inputs);
  if (WITHOUT_ARN.has(args.type)) {
    return { id: name, state: { ...inputs, ...(args.type === "aws:iam/rolePolicy:RolePolicy" ? { name } : {}) } };
  }
  const extra: Inputs = {};
  let arn: string;
  let id = name;
  switch (args.type) {
    case "aws:iam/role:Role":
      arn = `arn:${p}:iam::${account}:role${str(inputs, "path") ?? "/"}${name}`;
      extra["uniqueId"] = `AROA${hex(arn, 17).toUpperCase()}`;
      break;
    case "aws:iam/policy:Policy":
      arn = `arn:${p}:iam::${account}:policy${str(inputs, "path") ?? "/"}${name}`;
      id = arn;
      break;
    case "aws:lambda/function:Function":
      arn = `${regional("lambda")}:function:${name}`;
      // A function that publishes gets version 1 from its first deploy; otherwise only $LATEST exists.
      extra["version"] = inputs["publish"] === true ? "1" : "$LATEST";
      extra["qualifiedArn"] = `${arn}:${String(extra["version"])}`;
      extra["invokeArn"] = `arn:${p}:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`;
      break;
    case "aws:dynamodb/table:Table":
      arn = `${regional("dynamodb")}:table/${name}`;
      if (inputs["streamEnabled"] === true) {
        extra["streamArn"] = `${arn}/stream/2025-01-01T00:00:00.000`;
      }
      break;
    case "aws:sns/topic:Topic":
      arn = `${regional("sns")}:${name}`;
      id = arn;
      break;
    case "aws:sqs/queue:Queue":
      arn = `${regional("sqs")}:${name}`;
      id = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
      extra["url"] = id;
      break;
    case "aws:cloudwatch/logGroup:LogGroup":
      arn = `${regional("logs")}:log-group:${name}`;
      break;
    case "aws:sfn/stateMachine:StateMachine":
      arn = `${regional("states")}:stateMachine:${name}`;
      id = arn;
      if (inputs["publish"] === true) {
        extra["stateMachineVersionArn"] = `${arn}:1`;
      }
      break;
    case "aws:sfn/alias:Alias": {
      // arn:aws:states:<region>:<account>:stateMachine:<machine>:<alias>, from the version it routes to.
      const routes = Array.isArray(inputs["routingConfigurations"]) ? (inputs["routingConfigurations"] as unknown[]) : [];
      const first = routes.find(isRecord);
      const version = first === undefined ? undefined : str(first, "stateMachineVersionArn");
      arn = version === undefined ? `${regional("states")}:stateMachine:unknown:${name}` : `${version.replace(/:\d+$/, "")}:${name}`;
      id = arn;
      break;
    }
    case "aws:cloudwatch/eventRule:EventRule":
      arn = `${regional("events")}:rule/${name}`;
      break;
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      arn = `${regional("cloudwatch")}:alarm:${name}`;
      break;
    case "aws:kms/key:Key": {
      const keyId = [8, 4, 4, 4, 12].map((n, i) => hex(`${args.name}#${i}`, n)).join("-");
      arn = `${regional("kms")}:key/${keyId}`;
      id = keyId;
      extra["keyId"] = keyId;
      break;
    }
    case "aws:kms/alias:Alias":
      arn = `${regional("kms")}:${name}`;
      break;
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2": {
      const bucket = physicalName(args.type, args.name, inputs, "bucket");
      arn = `arn:${p}:s3:::${bucket}`;
      id = bucket;
      extra["bucket"] = bucket;
      break;
    }
    case "aws:secretsmanager/secret:Secret":
      arn = `${regional("secretsmanager")}:secret:${name}-${hex(name, 6)}`;
      id = arn;
      break;
    case "aws:ssm/parameter:Parameter":
      arn = `${regional("ssm")}:parameter/${name.replace(/^\//, "")}`;
      break;
    default: {
      // aws:<module>/<resource>:<Type> → arn:aws:<module>:<region>:<account>:<resource>/<name>
      const [, module = "aws", resource = "resource"] = /^aws:([^/]+)\/([^:]+):/.exec(args.type) ?? [];
      arn = `${regional(module)}:${resource.toLowerCase()}/${name}`;
    }
  }
  return { id, state: { ...inputs, name: inputs["name"] ?? name, arn: inputs["arn"] ?? arn, ...extra } };
}

/** The JSON `aws.iam.getPolicyDocument` renders from its statements, as the provider does. */
export function renderPolicyDocument(inputs: Inputs): string {
  const statements: Inputs[] = [];
  for (const source of listOf(inputs["sourcePolicyDocuments"])) {
    statements.push(...documentStatements(source));
  }
  const upsert = (statement: Inputs): void => {
    const at = typeof statement["Sid"] === "string" ? statements.findIndex(s => s["Sid"] === statement["Sid"]) : -1;
    if (at >= 0) {
      statements[at] = statement;
    } else {
      statements.push(statement);
    }
  };
  for (const raw of listOf(inputs["statements"])) {
    if (isRecord(raw)) {
      upsert(renderStatement(raw));
    }
  }
  for (const override of listOf(inputs["overridePolicyDocuments"])) {
    documentStatements(override).forEach(upsert);
  }
  const document: Inputs = { Version: str(inputs, "version") ?? "2012-10-17" };
  if (str(inputs, "policyId") !== undefined) {
    document["Id"] = inputs["policyId"];
  }
  document["Statement"] = statements;
  return JSON.stringify(document, undefined, 2);
}

function renderStatement(raw: Inputs): Inputs {
  const out: Inputs = {};
  const one = (values: unknown): unknown => {
    const list = listOf(values).map(String);
    return list.length === 1 ? list[0] : list;
  };
  if (str(raw, "sid") !== undefined) {
    out["Sid"] = raw["sid"];
  }
  out["Effect"] = str(raw, "effect") ?? "Allow";
  for (const [from, to] of [["actions", "Action"], ["notActions", "NotAction"], ["resources", "Resource"], ["notResources", "NotResource"]]) {
    if (listOf(raw[from]).length > 0) {
      out[to] = one(raw[from]);
    }
  }
  for (const [from, to] of [["principals", "Principal"], ["notPrincipals", "NotPrincipal"]]) {
    const principals = listOf(raw[from]).filter(isRecord);
    if (principals.length === 1 && principals[0]["type"] === "*") {
      out[to] = "*";
    } else if (principals.length > 0) {
      const byType: Record<string, string[]> = {};
      for (const principal of principals) {
        const type = String(principal["type"]);
        byType[type] = [...(byType[type] ?? []), ...listOf(principal["identifiers"]).map(String)];
      }
      out[to] = Object.fromEntries(Object.entries(byType).map(([type, ids]) => [type, ids.length === 1 ? ids[0] : ids]));
    }
  }
  const conditions = listOf(raw["conditions"]).filter(isRecord);
  if (conditions.length > 0) {
    const block: Record<string, Record<string, unknown>> = {};
    for (const condition of conditions) {
      const test = String(condition["test"]);
      block[test] = { ...(block[test] ?? {}), [String(condition["variable"])]: one(condition["values"]) };
    }
    out["Condition"] = block;
  }
  return out;
}

function documentStatements(source: unknown): Inputs[] {
  if (typeof source !== "string") {
    return [];
  }
  const parsed: unknown = JSON.parse(source);
  return isRecord(parsed) ? listOf(parsed["Statement"]).filter(isRecord) : [];
}

function listOf(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

/** Mocks for `pulumi.runtime.setMocks`: AWS resources and the AWS invokes a stack commonly makes. */
export function createMocks(env: MockEnvironment = DEFAULT_ENVIRONMENT): pulumi.runtime.Mocks {
  return {
    newResource: (args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult => {
      if (args.custom === false) {
        return { id: undefined, state: {} };
      }
      if (args.type.startsWith("aws:")) {
        return awsResource(args, env);
      }
      const inputs: Inputs = isRecord(args.inputs) ? args.inputs : {};
      return { id: `${args.name}-${hex(`${args.type}::${args.name}`, 7)}`, state: { ...inputs } };
    },
    call: (args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult => {
      const inputs: Inputs = isRecord(args.inputs) ? args.inputs : {};
      const { accountId, region, partition } = env;
      switch (args.token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
          return { id: accountId, accountId, arn: `arn:${partition}:iam::${accountId}:user/policy-check`, userId: "AIDAPOLICYCHECK" };
        case "aws:index/getRegion:getRegion":
          return { id: region, name: region, region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
        case "aws:index/getPartition:getPartition":
          return { id: partition, partition, dnsSuffix: "amazonaws.com", reverseDnsSuffix: "com.amazonaws" };
        case "aws:iam/getPolicyDocument:getPolicyDocument": {
          const json = renderPolicyDocument(inputs);
          return { ...inputs, id: hex(json, 10), json, minifiedJson: JSON.stringify(JSON.parse(json)) };
        }
        default:
          // An invoke this runner does not know answers with its own arguments, the usual mock.
          return { ...inputs };
      }
    },
  };
}
