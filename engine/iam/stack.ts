/**
 * The access model of a stack, read from its resources as the program registers them under Pulumi
 * mocks (program/load.ts): each role's identity policies (role policies, inline policies, the
 * stack's managed policies attached to it), each resource's own policy (topic policies, key
 * policies, KMS's default key policy for a key that declares none), and who acts through which
 * role (each function, the state machine). Nothing here knows the workflow: any role, any resource.
 */
import type { RecordedResource } from "../../program/load";

/** What the model reads of a resource (all a cached stack keeps: stackCache.ts). */
type Resource = Pick<RecordedResource, "type" | "name" | "inputs" | "outputs">;
import type { IdentityPolicy, PolicyJson, PolicySource } from "./evaluator";

/** A function of the stack: what the engine needs to act as it. */
export interface StackFunction {
  readonly name: string;
  readonly arn: string;
  readonly roleArn: string;
  /** The log group its runtime writes to (`loggingConfig.logGroup`, else `/aws/lambda/<name>`), as an ARN. */
  readonly logGroupArn: string;
  /** `tracingConfig.mode` is Active: the runtime uploads trace segments with the function's role. */
  readonly tracing: boolean;
  /** Its environment variables as deployed (the names of the tables it uses are among them). */
  readonly environment: Readonly<Record<string, string>>;
}

/** A state machine of the stack. */
export interface StackStateMachine {
  readonly arn: string;
  readonly roleArn: string;
  /** The definition as deployed (with the stack's ARNs and names). */
  readonly definition: unknown;
  readonly tracing: boolean;
  /** A log level other than OFF: creating the machine checks the role's log-delivery permissions. */
  readonly logging: boolean;
  /** The customer managed key of its execution data, if any. */
  readonly executionKeyArn: string | undefined;
}

export interface Environment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

const input = (r: Resource, key: string): unknown => r.inputs[key];
const output = (r: Resource, key: string): string => {
  const value = r.outputs[key];
  return typeof value === "string" ? value : "";
};

function parse(text: unknown): PolicyJson | undefined {
  if (typeof text !== "string" || text === "") return undefined;
  return JSON.parse(text) as PolicyJson;
}

/** KMS's default key policy: the account may use the key as its IAM policies allow (KMS developer guide). */
export function defaultKeyPolicy(env: Environment): PolicyJson {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: `arn:${env.partition}:iam::${env.account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  };
}

export class StackAccessModel implements PolicySource {
  private readonly roles = new Map<string, IdentityPolicy[]>();
  private readonly resourcePolicies = new Map<string, PolicyJson>();
  private readonly topicKeys = new Map<string, string>();
  readonly functions: StackFunction[] = [];
  readonly stateMachines: StackStateMachine[] = [];

  constructor(
    readonly resources: readonly Resource[],
    readonly env: Environment,
  ) {
    this.readRoles();
    this.readResourcePolicies();
    this.readActors();
  }

  identityPolicies(roleArn: string): readonly IdentityPolicy[] | undefined {
    return this.roles.get(roleArn);
  }

  resourcePolicy(resourceArn: string): PolicyJson | undefined {
    return this.resourcePolicies.get(resourceArn);
  }

  /** Every role of the stack, by ARN. */
  roleArns(): string[] {
    return [...this.roles.keys()];
  }

  /** The key that encrypts a topic (its `kmsMasterKeyId`, as a key ARN), if it is encrypted. */
  topicKey(topicArn: string): string | undefined {
    return this.topicKeys.get(topicArn);
  }

  /** The same stack with other identity policies for one role (the statement-removal test uses it). */
  withIdentityPolicies(roleArn: string, policies: readonly IdentityPolicy[]): PolicySource {
    return {
      identityPolicies: (arn) => (arn === roleArn ? policies : this.identityPolicies(arn)),
      resourcePolicy: (arn) => this.resourcePolicy(arn),
    };
  }

  private ofType(type: string): Resource[] {
    return this.resources.filter((r) => r.type === type);
  }

  private readRoles(): void {
    const managed = new Map(this.ofType("aws:iam/policy:Policy").map((p) => [output(p, "arn"), p]));
    const byName = new Map<string, string>();
    for (const role of this.ofType("aws:iam/role:Role")) {
      const arn = output(role, "arn");
      byName.set(output(role, "name"), arn);
      const inline = (input(role, "inlinePolicies") as { name?: string; policy?: string }[] | undefined) ?? [];
      const policies: IdentityPolicy[] = inline.flatMap((p, i) => {
        const policy = parse(p.policy);
        return policy === undefined ? [] : [{ name: `inline policy ${p.name ?? i + 1}`, policy }];
      });
      for (const policyArn of (input(role, "managedPolicyArns") as string[] | undefined) ?? []) {
        policies.push(this.managedPolicy(managed, policyArn));
      }
      this.roles.set(arn, policies);
    }
    const roleOf = (ref: unknown): IdentityPolicy[] => {
      const arn = byName.get(String(ref)) ?? String(ref);
      const policies = this.roles.get(arn);
      if (policies === undefined)
        throw new Error(`a policy is attached to ${String(ref)}, which is no role of the stack`);
      return policies;
    };
    for (const rp of this.ofType("aws:iam/rolePolicy:RolePolicy")) {
      const policy = parse(input(rp, "policy"));
      if (policy !== undefined) roleOf(input(rp, "role")).push({ name: `role policy ${rp.name}`, policy });
    }
    for (const at of this.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
      roleOf(input(at, "role")).push(this.managedPolicy(managed, String(input(at, "policyArn"))));
    }
  }

  /** A managed policy of the stack; one defined elsewhere (AWS-managed) has no document here to evaluate. */
  private managedPolicy(managed: Map<string, Resource>, arn: string): IdentityPolicy {
    const policy = managed.get(arn);
    const document = policy === undefined ? undefined : parse(input(policy, "policy"));
    if (policy === undefined || document === undefined) {
      throw new Error(`${arn} is not a managed policy of the stack: the engine cannot evaluate what it grants`);
    }
    return { name: `policy ${policy.name}`, policy: document };
  }

  private readResourcePolicies(): void {
    const keysById = new Map<string, string>();
    for (const key of this.ofType("aws:kms/key:Key")) {
      const arn = output(key, "arn");
      keysById.set(output(key, "keyId"), arn);
      keysById.set(arn, arn);
      this.resourcePolicies.set(arn, parse(input(key, "policy")) ?? defaultKeyPolicy(this.env));
    }
    for (const kp of this.ofType("aws:kms/keyPolicy:KeyPolicy")) {
      const keyArn = keysById.get(String(input(kp, "keyId")));
      const policy = parse(input(kp, "policy"));
      if (keyArn !== undefined && policy !== undefined) this.resourcePolicies.set(keyArn, policy);
    }
    for (const tp of this.ofType("aws:sns/topicPolicy:TopicPolicy")) {
      const policy = parse(input(tp, "policy"));
      if (policy !== undefined) this.resourcePolicies.set(String(input(tp, "arn")), policy);
    }
    for (const topic of this.ofType("aws:sns/topic:Topic")) {
      const key = input(topic, "kmsMasterKeyId");
      if (typeof key === "string" && key !== "") this.topicKeys.set(output(topic, "arn"), keysById.get(key) ?? key);
    }
  }

  private readActors(): void {
    const { partition, region, account } = this.env;
    for (const fn of this.ofType("aws:lambda/function:Function")) {
      const name = output(fn, "name");
      const logging = input(fn, "loggingConfig") as { logGroup?: string } | undefined;
      const tracing = input(fn, "tracingConfig") as { mode?: string } | undefined;
      const environment = input(fn, "environment") as { variables?: Record<string, string> } | undefined;
      this.functions.push({
        environment: environment?.variables ?? {},
        name,
        arn: output(fn, "arn"),
        roleArn: String(input(fn, "role")),
        logGroupArn: `arn:${partition}:logs:${region}:${account}:log-group:${logging?.logGroup ?? `/aws/lambda/${name}`}`,
        tracing: tracing?.mode === "Active",
      });
    }
    for (const sm of this.ofType("aws:sfn/stateMachine:StateMachine")) {
      const logging = input(sm, "loggingConfiguration") as { level?: string } | undefined;
      const tracing = input(sm, "tracingConfiguration") as { enabled?: boolean } | undefined;
      const encryption = input(sm, "encryptionConfiguration") as { kmsKeyId?: string; type?: string } | undefined;
      this.stateMachines.push({
        arn: output(sm, "arn"),
        roleArn: String(input(sm, "roleArn")),
        definition: JSON.parse(String(input(sm, "definition"))) as unknown,
        tracing: tracing?.enabled === true,
        logging: (logging?.level ?? "OFF") !== "OFF",
        executionKeyArn: encryption?.type === "CUSTOMER_MANAGED_KMS_KEY" ? encryption.kmsKeyId : undefined,
      });
    }
  }

  /** The function an ARN (qualified or not) names. */
  functionOf(arn: string): StackFunction | undefined {
    return this.functions.find((f) => arn === f.arn || arn.startsWith(`${f.arn}:`));
  }
}
