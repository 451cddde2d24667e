/**
 * Principals outside the stack: a workload acts only through a role this stack creates (whose
 * grants the other rules can read), and a workload stack creates no long-lived IAM identities.
 */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ROLE_CONSUMERS } from "../lib/iam";
import { StackIndex, stringProp } from "../lib/stack";

export const workloadRoleOfStack: StackValidationPolicy = {
  name: "workload-role-of-stack",
  description:
    "Every Lambda function, state machine, EventBridge target and pipe acts through a role this stack declares. " +
    "A role given as the ARN of a pre-existing role passes every other rule unread: nothing here shows what it may do.",
  remediationSteps:
    "Declare an `aws.iam.Role` in this stack for the workload and pass its `arn`. For a role imported on purpose, " +
    "list its ARN in this policy's `importedRoleArns` config (or set the policy to advisory), and review its grants by hand.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      importedRoleArns: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "ARNs of roles created outside this stack that workloads may use.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const imported = new Set(args.getConfig<{ importedRoleArns?: string[] }>().importedRoleArns ?? []);
    const stack = new StackIndex(args.resources);
    for (const { type, property } of ROLE_CONSUMERS) {
      for (const workload of stack.ofType(type)) {
        const role = stringProp(workload, property);
        if (role === undefined || imported.has(role) || stack.findRole(role) !== undefined) {
          continue;
        }
        reportViolation(
          `${workload.name} (${type}) uses role ${role}, which this stack does not create, so its permissions cannot be ` +
            "checked. Declare the role in this stack, or list it in importedRoleArns.",
          workload.urn,
        );
      }
    }
  },
};

/** IAM identities with long-lived credentials, and what gives them permissions or credentials. */
const IDENTITY_TYPES = new Set([
  "aws:iam/user:User",
  "aws:iam/group:Group",
  "aws:iam/accessKey:AccessKey",
  "aws:iam/userLoginProfile:UserLoginProfile",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/groupPolicy:GroupPolicy",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  "aws:iam/userGroupMembership:UserGroupMembership",
  "aws:iam/groupMembership:GroupMembership",
  "aws:iam/serviceSpecificCredential:ServiceSpecificCredential",
  "aws:iam/signingCertificate:SigningCertificate",
  "aws:iam/sshKey:SshKey",
]);

export const iamNoUsersOrAccessKeys: ResourceValidationPolicy = {
  name: "iam-no-users-or-access-keys",
  description:
    "A workload stack creates no IAM users, groups, access keys, login profiles or other long-lived credentials, " +
    "and attaches no policy to them: workloads use roles, whose credentials expire, and people sign in through IAM Identity Center.",
  remediationSteps:
    "Remove the user, group or key. Give the workload a role (a function's or state machine's own), and give " +
    "people access through IAM Identity Center in the account's own stack.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (IDENTITY_TYPES.has(args.type)) {
      reportViolation(
        `${args.type} ${args.name} gives an IAM user or group long-lived access. Use a role of this stack instead.`,
      );
    }
  },
};

export const principalPolicies = [workloadRoleOfStack, iamNoUsersOrAccessKeys];
