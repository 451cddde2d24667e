/**
 * Engine stand-ins for an offline check: every AWS resource gets the outputs AWS would give it (a
 * physical name the way Pulumi autonames, an ARN in AWS's format for its type, an ID), so that the
 * ARNs a program writes into its policy documents are the ARNs of the resources it declares.
 */
import { createHash } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { isRecord } from "../policy/lib/document";

export interface MockEnvironment {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

export const DEFAULT_ENVIRONMENT: MockEnvironment = {
  accountId: "123456789012",
  region: "us-east-1",
  partition: "aws",
};

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

/** What an ARN builder is given: the resource, its physical name, and the environment's ARN prefixes. */
interface ArnContext {
  readonly args: pulumi.runtime.MockResourceArgs;
  readonly inputs: Inputs;
  readonly name: string;
  readonly env: MockEnvironment;
  /** `arn:<partition>:<service>:<region>:<account>`. */
  readonly regional: (service: string) => string;
}

/** A resource's ARN, and its ID and extra outputs where they are not the physical name and nothing. */
interface Identity {
  readonly arn: string;
  readonly id?: string;
  readonly extra?: Inputs;
}

const alias = (c: ArnContext): Identity => {
  // arn:aws:states:<region>:<account>:stateMachine:<machine>:<alias>, from the version it routes to.
  const routes = Array.isArray(c.inputs["routingConfigurations"])
    ? (c.inputs["routingConfigurations"] as unknown[])
    : [];
  const first = routes.find(isRecord);
  const version = first === undefined ? undefined : str(first, "stateMachineVersionArn");
  const arn =
    version === undefined
      ? `${c.regional("states")}:stateMachine:unknown:${c.name}`
      : `${version.replace(/:\d+$/, "")}:${c.name}`;
  return { arn, id: arn };
};

const bucket = (c: ArnContext): Identity => {
  const name = physicalName(c.args.type, c.args.name, c.inputs, "bucket");
  return { arn: `arn:${c.env.partition}:s3:::${name}`, id: name, extra: { bucket: name } };
};

/** The ARN formats of the types this project and its fixtures declare; others follow the generic form. */
const IDENTITIES: Readonly<Record<string, (c: ArnContext) => Identity>> = {
  "aws:iam/role:Role": (c) => {
    const arn = `arn:${c.env.partition}:iam::${c.env.accountId}:role${str(c.inputs, "path") ?? "/"}${c.name}`;
    return { arn, extra: { uniqueId: `AROA${hex(arn, 17).toUpperCase()}` } };
  },
  "aws:iam/policy:Policy": (c) => {
    const arn = `arn:${c.env.partition}:iam::${c.env.accountId}:policy${str(c.inputs, "path") ?? "/"}${c.name}`;
    return { arn, id: arn };
  },
  "aws:lambda/function:Function": (c) => {
    const arn = `${c.regional("lambda")}:function:${c.name}`;
    // A function that publishes gets version 1 from its first deploy; otherwise only $LATEST exists.
    const version = c.inputs["publish"] === true ? "1" : "$LATEST";
    const invokeArn = `arn:${c.env.partition}:apigateway:${c.env.region}:lambda:path/2015-03-31/functions/${arn}/invocations`;
    return { arn, extra: { version, qualifiedArn: `${arn}:${version}`, invokeArn } };
  },
  "aws:dynamodb/table:Table": (c) => {
    const arn = `${c.regional("dynamodb")}:table/${c.name}`;
    return {
      arn,
      extra: c.inputs["streamEnabled"] === true ? { streamArn: `${arn}/stream/2025-01-01T00:00:00.000` } : {},
    };
  },
  "aws:sns/topic:Topic": (c) => ({ arn: `${c.regional("sns")}:${c.name}`, id: `${c.regional("sns")}:${c.name}` }),
  "aws:sqs/queue:Queue": (c) => {
    const url = `https://sqs.${c.env.region}.amazonaws.com/${c.env.accountId}/${c.name}`;
    return { arn: `${c.regional("sqs")}:${c.name}`, id: url, extra: { url } };
  },
  "aws:cloudwatch/logGroup:LogGroup": (c) => ({ arn: `${c.regional("logs")}:log-group:${c.name}` }),
  "aws:sfn/stateMachine:StateMachine": (c) => {
    const arn = `${c.regional("states")}:stateMachine:${c.name}`;
    return { arn, id: arn, extra: c.inputs["publish"] === true ? { stateMachineVersionArn: `${arn}:1` } : {} };
  },
  "aws:sfn/alias:Alias": alias,
  "aws:cloudwatch/eventRule:EventRule": (c) => ({ arn: `${c.regional("events")}:rule/${c.name}` }),
  "aws:cloudwatch/metricAlarm:MetricAlarm": (c) => ({ arn: `${c.regional("cloudwatch")}:alarm:${c.name}` }),
  "aws:kms/key:Key": (c) => {
    const keyId = [8, 4, 4, 4, 12].map((n, i) => hex(`${c.args.name}#${i}`, n)).join("-");
    return { arn: `${c.regional("kms")}:key/${keyId}`, id: keyId, extra: { keyId } };
  },
  "aws:kms/alias:Alias": (c) => ({ arn: `${c.regional("kms")}:${c.name}` }),
  "aws:s3/bucket:Bucket": bucket,
  "aws:s3/bucketV2:BucketV2": bucket,
  "aws:secretsmanager/secret:Secret": (c) => {
    const arn = `${c.regional("secretsmanager")}:secret:${c.name}-${hex(c.name, 6)}`;
    return { arn, id: arn };
  },
  "aws:ssm/parameter:Parameter": (c) => ({ arn: `${c.regional("ssm")}:parameter/${c.name.replace(/^\//, "")}` }),
};

/** aws:<module>/<resource>:<Type> → arn:aws:<module>:<region>:<account>:<resource>/<name> */
function genericIdentity(c: ArnContext): Identity {
  const [, module = "aws", resource = "resource"] = /^aws:([^/]+)\/([^:]+):/.exec(c.args.type) ?? [];
  return { arn: `${c.regional(module)}:${resource.toLowerCase()}/${c.name}` };
}

/** The outputs of an AWS resource: its inputs plus `name`, `arn`, an ID and the extra ARNs of the type. */
function awsResource(args: pulumi.runtime.MockResourceArgs, env: MockEnvironment): pulumi.runtime.MockResourceResult {
  const inputs: Inputs = isRecord(args.inputs) ? args.inputs : {};
  const name = physicalName(args.type, args.name, inputs);
  if (WITHOUT_ARN.has(args.type)) {
    return { id: name, state: { ...inputs, ...(args.type === "aws:iam/rolePolicy:RolePolicy" ? { name } : {}) } };
  }
  const regional = (service: string): string => `arn:${env.partition}:${service}:${env.region}:${env.accountId}`;
  const context: ArnContext = { args, inputs, name, env, regional };
  const { arn, id = name, extra = {} } = (IDENTITIES[args.type] ?? genericIdentity)(context);
  return { id, state: { ...inputs, name: inputs["name"] ?? name, arn: inputs["arn"] ?? arn, ...extra } };
}

/** The JSON `aws.iam.getPolicyDocument` renders from its statements, as the provider does. */
export function renderPolicyDocument(inputs: Inputs): string {
  const statements: Inputs[] = [];
  for (const source of listOf(inputs["sourcePolicyDocuments"])) {
    statements.push(...documentStatements(source));
  }
  const upsert = (statement: Inputs): void => {
    const at = typeof statement["Sid"] === "string" ? statements.findIndex((s) => s["Sid"] === statement["Sid"]) : -1;
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
  for (const [from, to] of [
    ["actions", "Action"],
    ["notActions", "NotAction"],
    ["resources", "Resource"],
    ["notResources", "NotResource"],
  ]) {
    if (listOf(raw[from]).length > 0) {
      out[to] = one(raw[from]);
    }
  }
  for (const [from, to] of [
    ["principals", "Principal"],
    ["notPrincipals", "NotPrincipal"],
  ]) {
    const principals = listOf(raw[from]).filter(isRecord);
    if (principals.length === 1 && principals[0]["type"] === "*") {
      out[to] = "*";
    } else if (principals.length > 0) {
      const byType: Record<string, string[]> = {};
      for (const principal of principals) {
        const type = String(principal["type"]);
        byType[type] = [...(byType[type] ?? []), ...listOf(principal["identifiers"]).map(String)];
      }
      out[to] = Object.fromEntries(
        Object.entries(byType).map(([type, ids]) => [type, ids.length === 1 ? ids[0] : ids]),
      );
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
          return {
            id: accountId,
            accountId,
            arn: `arn:${partition}:iam::${accountId}:user/policy-check`,
            userId: "AIDAPOLICYCHECK",
          };
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
