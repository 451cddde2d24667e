/**
 * A view over all resources of a stack for the stack-wide policies: which grants reach each role,
 * who uses each role, and whether an ARN belongs to this stack.
 */
import * as aws from "@pulumi/aws";
import { PolicyResource } from "@pulumi/policy";
import { parsePolicyDocument, PolicyDocument } from "./document";
import { referenceName, ROLE_CONSUMERS } from "./iam";

/** One source of permissions of a role. */
export type Grant =
  /** A policy document the stack declares (inline, role policy, or a customer-managed policy of this stack). */
  | {
      readonly kind: "document";
      readonly source: PolicyResource;
      readonly label: string;
      readonly document: PolicyDocument;
    }
  /** A document that does not parse; no policy can vouch for it. */
  | { readonly kind: "unreadable"; readonly source: PolicyResource; readonly label: string; readonly error: string }
  /** A managed policy defined outside this stack (AWS-managed or another stack's), so its document is not here to check. */
  | { readonly kind: "external"; readonly source: PolicyResource; readonly policyArn: string };

/** A resource that acts through a role, and the service principal that assumes it. */
export interface Consumer {
  readonly resource: PolicyResource;
  readonly service: string;
}

export class StackIndex {
  private readonly owners: { readonly prefix: string; readonly resource: PolicyResource }[] = [];
  private readonly policiesByArn = new Map<string, PolicyResource>();

  constructor(readonly resources: readonly PolicyResource[]) {
    for (const r of resources) {
      const arn = stringProp(r, "arn");
      if (arn?.startsWith("arn:")) {
        this.owners.push({ prefix: arn, resource: r });
        // A state machine's executions are named after it but live beside it, not under it.
        const machine = /^(arn:[^:]+:states:[^:]*:[^:]*:)stateMachine:(.+)$/.exec(arn);
        if (machine) {
          this.owners.push({ prefix: `${machine[1]}execution:${machine[2]}`, resource: r });
          this.owners.push({ prefix: `${machine[1]}express:${machine[2]}`, resource: r });
        }
        if (r.isType(aws.iam.Policy)) {
          this.policiesByArn.set(arn, r);
        }
      }
      const stream = stringProp(r, "streamArn");
      if (stream?.startsWith("arn:")) {
        this.owners.push({ prefix: stream, resource: r });
      }
    }
  }

  ofType(type: string): PolicyResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  roles(): PolicyResource[] {
    return this.resources.filter((r) => r.isType(aws.iam.Role));
  }

  /** The role of this stack that a name or ARN refers to. */
  findRole(ref: string | undefined): PolicyResource | undefined {
    if (ref === undefined || ref === "") {
      return undefined;
    }
    return this.roles().find((r) => stringProp(r, "arn") === ref || stringProp(r, "name") === ref);
  }

  /**
   * The resource of this stack an ARN (or ARN pattern) of a policy refers to: the resource's own ARN,
   * or something under it (`<table arn>/index/*`, `<log group arn>:*`, `<function arn>:live`).
   * Wildcards are accepted only below a stack resource, never in the part that picks the resource.
   */
  ownerOf(arn: string): PolicyResource | undefined {
    for (const { prefix, resource } of this.owners) {
      if (arn === prefix || arn.startsWith(`${prefix}/`) || arn.startsWith(`${prefix}:`)) {
        return resource;
      }
    }
    return undefined;
  }

  /** Everything that grants permissions to `role`. */
  grants(role: PolicyResource): Grant[] {
    const grants: Grant[] = [];
    const roleProps = role.asType(aws.iam.Role);
    for (const [i, inline] of (roleProps?.inlinePolicies ?? []).entries()) {
      if (inline.policy !== undefined && inline.policy !== "") {
        grants.push(this.documentGrant(role, `inline policy "${inline.name ?? i + 1}"`, inline.policy));
      }
    }
    for (const arn of roleProps?.managedPolicyArns ?? []) {
      grants.push(this.attachedGrant(role, arn));
    }
    for (const r of this.resources) {
      const rolePolicy = r.asType(aws.iam.RolePolicy);
      if (rolePolicy && this.findRole(referenceName(rolePolicy.role)) === role) {
        grants.push(this.documentGrant(r, `role policy ${r.name}`, rolePolicy.policy));
      }
      const attachment = r.asType(aws.iam.RolePolicyAttachment);
      if (attachment && this.findRole(referenceName(attachment.role)) === role) {
        grants.push(this.attachedGrant(r, attachment.policyArn));
      }
      const shared = r.asType(aws.iam.PolicyAttachment);
      if (shared && (shared.roles ?? []).some((ref) => this.findRole(referenceName(ref)) === role)) {
        grants.push(this.attachedGrant(r, shared.policyArn));
      }
      const exclusive = r.asType(aws.iam.RolePolicyAttachmentsExclusive);
      if (exclusive && this.findRole(exclusive.roleName) === role) {
        for (const arn of exclusive.policyArns ?? []) {
          grants.push(this.attachedGrant(r, arn));
        }
      }
    }
    return grants;
  }

  /** The resources that act through `role`, with the service principal each needs the role to trust. */
  consumers(role: PolicyResource): Consumer[] {
    const arn = stringProp(role, "arn");
    if (arn === undefined) {
      return [];
    }
    const consumers: Consumer[] = [];
    for (const { type, property, service } of ROLE_CONSUMERS) {
      for (const r of this.ofType(type)) {
        if (stringProp(r, property) === arn) {
          consumers.push({ resource: r, service });
        }
      }
    }
    return consumers;
  }

  private documentGrant(source: PolicyResource, label: string, value: unknown): Grant {
    const parsed = parsePolicyDocument(value);
    return parsed.ok
      ? { kind: "document", source, label, document: parsed.document }
      : { kind: "unreadable", source, label, error: parsed.error };
  }

  private attachedGrant(source: PolicyResource, policyArn: string): Grant {
    const policy = this.policiesByArn.get(policyArn);
    if (policy) {
      return this.documentGrant(policy, `policy ${policy.name}`, policy.asType(aws.iam.Policy)?.policy);
    }
    return { kind: "external", source, policyArn };
  }
}

/** A string property of a resource, or undefined when it is absent or of another type. */
export function stringProp(resource: PolicyResource, property: string): string | undefined {
  const value: unknown = resource.props[property];
  return typeof value === "string" ? value : undefined;
}
