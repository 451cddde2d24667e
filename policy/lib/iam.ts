/**
 * Where IAM grants live on a single resource. In @pulumi/aws 7 a role gets permissions from its
 * `inlinePolicies`, from `aws.iam.RolePolicy`, and from managed policies attached through
 * `managedPolicyArns`, `RolePolicyAttachment`, `PolicyAttachment` or `RolePolicyAttachmentsExclusive`.
 */
import * as aws from "@pulumi/aws";
import { ResourceValidationArgs } from "@pulumi/policy";

/** A policy document found on a resource, before parsing. */
export interface DocumentSource {
  /** Where the document sits, for messages: `inline policy "orders"` or `policy`. */
  readonly label: string;
  readonly value: unknown;
}

/** The identity-policy documents a resource declares (role inline policies, role/user/group policies, managed policies). */
export function identityPolicyDocuments(args: ResourceValidationArgs): DocumentSource[] {
  const role = args.asType(aws.iam.Role);
  if (role) {
    return (role.inlinePolicies ?? [])
      .filter((p) => p.policy !== undefined && p.policy !== "")
      .map((p, i) => ({ label: `inline policy "${p.name ?? i + 1}"`, value: p.policy }));
  }
  const single =
    args.asType(aws.iam.RolePolicy)?.policy ??
    args.asType(aws.iam.Policy)?.policy ??
    args.asType(aws.iam.UserPolicy)?.policy ??
    args.asType(aws.iam.GroupPolicy)?.policy;
  return single === undefined ? [] : [{ label: "policy", value: single }];
}

/** A managed-policy ARN that a resource attaches to a role. */
export interface RoleAttachment {
  readonly policyArn: string;
  /** The role as the resource names it (a name, or for `Role.managedPolicyArns` the role itself). */
  readonly role: string;
}

/** The managed policies that a resource attaches to roles. */
export function roleAttachments(args: ResourceValidationArgs): RoleAttachment[] {
  const role = args.asType(aws.iam.Role);
  if (role) {
    return (role.managedPolicyArns ?? []).map((policyArn) => ({ policyArn, role: args.name }));
  }
  const attachment = args.asType(aws.iam.RolePolicyAttachment);
  if (attachment) {
    return [{ policyArn: attachment.policyArn, role: referenceName(attachment.role) }];
  }
  const shared = args.asType(aws.iam.PolicyAttachment);
  if (shared) {
    return (shared.roles ?? []).map((r) => ({ policyArn: shared.policyArn, role: referenceName(r) }));
  }
  const exclusive = args.asType(aws.iam.RolePolicyAttachmentsExclusive);
  if (exclusive) {
    return exclusive.policyArns.map((policyArn) => ({ policyArn, role: exclusive.roleName }));
  }
  return [];
}

/**
 * A property that takes `string | Role` reaches policies as the referenced resource's ID (a role's
 * ID is its name), the way the engine passes resource references to analyzers.
 */
export function referenceName(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** AWS-managed policies live in the reserved `aws` account: arn:aws:iam::aws:policy/... */
export function isAwsManagedPolicy(arn: string): boolean {
  return /^arn:[^:]+:iam::aws:policy\//.test(arn);
}

/**
 * AWS-managed policies of the full-access, power-user or administrator kind, known by AWS's own
 * naming: `AmazonDynamoDBFullAccess`, `AWSLambda_FullAccess`, `AmazonCognitoPowerUser`,
 * `PowerUserAccess`, `AdministratorAccess`, `AdministratorAccess-Amplify`, ...
 */
export function isBroadManagedPolicy(arn: string): boolean {
  if (!isAwsManagedPolicy(arn)) {
    return false;
  }
  const policyName = arn.slice(arn.lastIndexOf("/") + 1);
  return /FullAccess|PowerUser|Administrator|AdminAccess/i.test(policyName);
}

/** The service principals that act through a role, by the resource property that hands them the role. */
export const ROLE_CONSUMERS: readonly { readonly type: string; readonly property: string; readonly service: string }[] =
  [
    { type: "aws:lambda/function:Function", property: "role", service: "lambda.amazonaws.com" },
    { type: "aws:sfn/stateMachine:StateMachine", property: "roleArn", service: "states.amazonaws.com" },
    { type: "aws:cloudwatch/eventTarget:EventTarget", property: "roleArn", service: "events.amazonaws.com" },
    { type: "aws:pipes/pipe:Pipe", property: "roleArn", service: "pipes.amazonaws.com" },
  ];
