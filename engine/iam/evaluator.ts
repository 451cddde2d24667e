/**
 * IAM decisions for the local engine: one request (a principal, an action, a resource, the context
 * AWS would set) evaluated by @cloud-copilot/iam-simulate in Strict mode against the identity
 * policies of the principal's role and the resource's own policy, as AWS evaluates a request within
 * one account. Decisions are cached per (role, action, resource, context): a run asks the same few
 * questions again and again.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";

/** A policy document as JSON (parsed). */
export type PolicyJson = Readonly<Record<string, unknown>>;

/** One named identity policy of a role: a role policy, an inline policy or an attached managed policy. */
export interface IdentityPolicy {
  readonly name: string;
  readonly policy: PolicyJson;
}

/** One request as AWS authorizes it. */
export interface AccessRequest {
  /** The role whose session signs the request. */
  readonly roleArn: string;
  /** The session name, for messages: Lambda uses the function's name, Step Functions a random one. */
  readonly session: string;
  /** `dynamodb:PutItem`. */
  readonly action: string;
  readonly resource: string;
  /** Request context keys beyond the principal's own (aws:SecureTransport, kms:EncryptionContext:...). */
  readonly context?: Readonly<Record<string, string>>;
}

/** Which policy decided a denial, as AWS names it in the message. */
export type DenialReason =
  | "no identity-based policy allows"
  | "an explicit deny in an identity-based policy"
  | "no resource-based policy allows"
  | "an explicit deny in a resource-based policy";

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: DenialReason };

/** The policies a decision is made against. */
export interface PolicySource {
  /** The identity policies of a role of the stack; undefined for a role the stack does not declare. */
  identityPolicies(roleArn: string): readonly IdentityPolicy[] | undefined;
  /** The resource-based policy of a resource (topic policy, key policy), if it has one. */
  resourcePolicy(resourceArn: string): PolicyJson | undefined;
}

/**
 * iam-simulate (0.1.x) recognizes a condition key with a variable part only after a slash
 * (`aws:PrincipalTag/Team`), so it ignores KMS's `kms:EncryptionContext:<key>` and every condition on
 * it fails. The engine renames that key, in the policies and in the request alike, to one it reads
 * (`aws:RequestTag/<the original key>`): the same operator compares the same values.
 */
const ENCRYPTION_CONTEXT = /^kms:encryptioncontext:/i;
const alias = (key: string): string => (ENCRYPTION_CONTEXT.test(key) ? `aws:RequestTag/${key}` : key);

function aliasKeys<T extends Readonly<Record<string, unknown>>>(record: T): T {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [alias(k), v])) as T;
}

const aliased = new WeakMap<PolicyJson, PolicyJson>();

/** The policy with its encryption-context condition keys renamed (see {@link alias}). */
function readable(policy: PolicyJson): PolicyJson {
  let found = aliased.get(policy);
  if (found === undefined) {
    const statements = policy["Statement"];
    const list = Array.isArray(statements) ? (statements as unknown[]) : [statements];
    const renamed = list.map((statement) => {
      const st = statement as Record<string, unknown>;
      const condition = st["Condition"] as Record<string, Record<string, unknown>> | undefined;
      if (condition === undefined) return st;
      const operators = Object.entries(condition).map(([op, keys]) => [op, aliasKeys(keys)]);
      return { ...st, Condition: Object.fromEntries(operators) as unknown };
    });
    found = { ...policy, Statement: renamed };
    aliased.set(policy, found);
  }
  return found;
}

/** `arn:aws:sts::<account>:assumed-role/<role name>/<session>`, as AWS names a role session. */
export function sessionArn(roleArn: string, session: string): string {
  const [, partition, , , account, resource] = roleArn.split(":");
  const roleName = resource.slice(resource.lastIndexOf("/") + 1);
  return `arn:${partition}:sts::${account}:assumed-role/${roleName}/${session}`;
}

/** What a decision depends on: the role, the action, the resource and the context (no context and `{}` alike). */
export function decisionKey(request: Omit<AccessRequest, "session">): string {
  const context = request.context === undefined ? "{}" : JSON.stringify(request.context);
  return `${request.roleArn}\n${request.action}\n${request.resource}\n${context}`;
}

export class AccessEvaluator {
  private readonly cache = new Map<string, Promise<Decision>>();

  constructor(private readonly policies: PolicySource) {}

  /** How many distinct requests were simulated (the rest came from the cache). */
  get simulations(): number {
    return this.cache.size;
  }

  /** `key`: the request's {@link decisionKey}, when the caller has made it already. */
  decide(request: AccessRequest, key: string = decisionKey(request)): Promise<Decision> {
    let decision = this.cache.get(key);
    if (decision === undefined) {
      decision = this.simulate(request, request.context ?? {});
      this.cache.set(key, decision);
    }
    return decision;
  }

  private async simulate(request: AccessRequest, context: Readonly<Record<string, string>>): Promise<Decision> {
    const identity = this.policies.identityPolicies(request.roleArn);
    if (identity === undefined) throw new Error(`${request.roleArn} is not a role of the stack`);
    const [, , , , account] = request.roleArn.split(":");
    const principal = sessionArn(request.roleArn, request.session);
    const resourcePolicy = this.policies.resourcePolicy(request.resource);
    const result = await runSimulation(
      {
        request: {
          principal,
          action: request.action,
          resource: { resource: request.resource, accountId: resourceAccount(request.resource, account) },
          contextVariables: {
            "aws:PrincipalArn": request.roleArn,
            "aws:PrincipalAccount": account,
            "aws:PrincipalType": "AssumedRole",
            "aws:PrincipalIsAWSService": "false",
            "aws:SecureTransport": "true",
            ...aliasKeys(context),
          },
        },
        identityPolicies: identity.map((p) => ({ name: p.name, policy: readable(p.policy) })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourcePolicy === undefined ? {} : { resourcePolicy: readable(resourcePolicy) }),
      },
      { simulationMode: "Strict" },
    );
    if (result.resultType === "error") {
      throw new Error(`iam-simulate cannot evaluate ${request.action}: ${JSON.stringify(result.errors)}`);
    }
    if (result.overallResult === "Allowed") return { allowed: true };
    const analysis = result.resultType === "single" ? result.result.analysis : result.results[0]?.analysis;
    return { allowed: false, reason: denialReason(analysis) };
  }
}

/** The account in an ARN (a key policy's `*` and similar have none: the caller's). */
function resourceAccount(arn: string, fallback: string): string {
  const account = arn.split(":")[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : fallback;
}

interface Analysis {
  readonly identityAnalysis?: { readonly result: string };
  readonly resourceAnalysis?: { readonly result: string };
}

/** Which policy AWS would name: an explicit deny first, then the policy that had to allow and did not. */
function denialReason(analysis: Analysis | undefined): DenialReason {
  if (analysis?.resourceAnalysis?.result === "ExplicitlyDenied") return "an explicit deny in a resource-based policy";
  if (analysis?.identityAnalysis?.result === "ExplicitlyDenied") return "an explicit deny in an identity-based policy";
  if (analysis?.identityAnalysis?.result === "Allowed") return "no resource-based policy allows";
  return "no identity-based policy allows";
}
