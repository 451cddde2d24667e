/**
 * Pulumi mocks that give every resource the outputs AWS would (ARNs, autonamed names, ids), so
 * that a program can be registered, inspected and policy-checked without the CLI or an account.
 */
import * as pulumi from "@pulumi/pulumi";

export const MOCK_ACCOUNT = "123456789012";
export const MOCK_REGION = "us-east-1";

/** One resource as the program registered it. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly id: string;
  readonly custom: boolean;
  /** The inputs the program gave (Outputs resolved). */
  readonly inputs: Record<string, unknown>;
  /** The mocked state: inputs plus computed outputs such as `arn`. */
  readonly state: Record<string, unknown>;
  readonly parent?: string;
}

/** A deterministic suffix, like Pulumi's autonaming, so that names are stable between runs. */
function suffix(name: string): string {
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, "0").slice(0, 7);
}

function physicalName(name: string, inputs: Record<string, unknown>): string {
  if (typeof inputs.name === "string") return inputs.name;
  const prefix = typeof inputs.namePrefix === "string" ? inputs.namePrefix : `${name}-`;
  return `${prefix}${suffix(name)}`;
}

function arnFor(type: string, name: string, id: string): string | undefined {
  const r = MOCK_REGION;
  const a = MOCK_ACCOUNT;
  switch (type) {
    case "aws:dynamodb/table:Table":
      return `arn:aws:dynamodb:${r}:${a}:table/${name}`;
    case "aws:sns/topic:Topic":
      return `arn:aws:sns:${r}:${a}:${name}`;
    case "aws:kms/key:Key":
      return `arn:aws:kms:${r}:${a}:key/${id}`;
    case "aws:lambda/function:Function":
      return `arn:aws:lambda:${r}:${a}:function:${name}`;
    case "aws:iam/role:Role":
      return `arn:aws:iam::${a}:role/${name}`;
    case "aws:iam/policy:Policy":
      return `arn:aws:iam::${a}:policy/${name}`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return `arn:aws:logs:${r}:${a}:log-group:${name}`;
    case "aws:sfn/stateMachine:StateMachine":
      return `arn:aws:states:${r}:${a}:stateMachine:${name}`;
    case "aws:sqs/queue:Queue":
      return `arn:aws:sqs:${r}:${a}:${name}`;
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2":
      return `arn:aws:s3:::${name}`;
    default:
      return undefined;
  }
}

/** Records every registration; `resources` is the stack as the engine would see it. */
export class RecordingMocks implements pulumi.runtime.Mocks {
  public readonly resources: RegisteredResource[] = [];

  constructor(
    private readonly project: string,
    private readonly stack: string,
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = args.inputs as Record<string, unknown>;
    const name = physicalName(args.name, inputs);
    const id = args.type === "aws:kms/key:Key" ? `0000${suffix(args.name)}-key` : name;
    const arn = arnFor(args.type, name, id);
    const state: Record<string, unknown> = { ...inputs, name, ...(arn ? { arn } : {}) };
    if (args.type === "aws:sqs/queue:Queue") state.url = `https://sqs.${MOCK_REGION}.amazonaws.com/${MOCK_ACCOUNT}/${name}`;
    const urn = `urn:pulumi:${this.stack}::${this.project}::${args.type}::${args.name}`;
    this.resources.push({ type: args.type, name: args.name, urn, id, custom: args.custom ?? true, inputs, state });
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/mock`, userId: "MOCK", id: MOCK_ACCOUNT };
      case "aws:index/getRegion:getRegion":
        return { name: MOCK_REGION, region: MOCK_REGION, id: MOCK_REGION, endpoint: `ec2.${MOCK_REGION}.amazonaws.com` };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" };
      default:
        return args.inputs as Record<string, unknown>;
    }
  }
}

/** Installs the mocks and the stack's configuration; call before the program is imported. */
export async function installMocks(
  project: string,
  stack: string,
  config: Record<string, string> = {},
): Promise<RecordingMocks> {
  const mocks = new RecordingMocks(project, stack);
  // Config keys are "namespace:key", as in a stack file.
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(mocks, project, stack, false);
  return mocks;
}

/** Resolves an Output's value (mocks resolve every Output). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}
