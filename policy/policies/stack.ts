/**
 * Stack-wide: what this stack's roles may touch is this stack's resources, and the workflow's role
 * may call this stack's functions and no others.
 */
import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { coversAction } from "../lib/actions";
import { describeStatement, wildcardMatch } from "../lib/document";
import { Grant, StackIndex } from "../lib/stack";

function grantLabel(grant: Grant): string {
  return grant.kind === "external"
    ? `managed policy ${grant.policyArn} (attached by ${grant.source.name})`
    : grant.label;
}

export const iamGrantsStackResourcesOnly: StackValidationPolicy = {
  name: "iam-grants-stack-resources-only",
  description:
    "Each role's grants name only resources of this stack: every ARN in an Allow statement is a resource " +
    "the stack declares, or something under one (`<table arn>/index/*`, `<log group arn>:*`). `*` is judged " +
    "by iam-no-wildcard-resources. Managed policies from outside the stack cannot be checked and are reported.",
  remediationSteps:
    "Build ARNs from the outputs of this stack's resources (`table.arn`, `pulumi.interpolate`${logGroup.arn}:*``) " +
    "rather than patterns, and replace outside managed policies with inline policies. A deliberate reference to a " +
    "shared resource goes in this policy's `allowedResourceArns` config (patterns allowed).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedResourceArns: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "ARNs (IAM wildcards allowed) outside this stack that grants may name.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const allowed = args.getConfig<{ allowedResourceArns?: string[] }>().allowedResourceArns ?? [];
    const stack = new StackIndex(args.resources);
    for (const role of stack.roles()) {
      for (const grant of stack.grants(role)) {
        if (grant.kind === "external") {
          reportViolation(
            `Role ${role.name} gets ${grantLabel(grant)}, whose resources are not this stack's to check. ` +
              "Grant the needed actions on this stack's ARNs in an inline policy instead.",
            grant.source.urn,
          );
          continue;
        }
        if (grant.kind === "unreadable") {
          reportViolation(`Role ${role.name}'s ${grant.label} cannot be read: ${grant.error}.`, grant.source.urn);
          continue;
        }
        for (const statement of grant.document.statements) {
          if (statement.effect !== "Allow") {
            continue;
          }
          const foreign = (statement.resources ?? []).filter(
            (arn) => arn !== "*" && stack.ownerOf(arn) === undefined && !allowed.some((p) => wildcardMatch(p, arn)),
          );
          if (foreign.length > 0) {
            reportViolation(
              `Role ${role.name}'s ${grant.label}, ${describeStatement(statement)}, names ` +
                `${foreign.map((a) => `"${a}"`).join(", ")}, which ${foreign.length === 1 ? "is" : "are"} not a resource of this stack. ` +
                "Use the ARN output of the resource this stack declares.",
              grant.source.urn,
            );
          }
        }
      }
    }
  },
};

const INVOKE_ACTIONS = [
  "lambda:InvokeFunction",
  "lambda:InvokeAsync",
  "lambda:InvokeFunctionUrl",
  "lambda:InvokeWithResponseStream",
];

export const stepFunctionsInvokeStackFunctionsOnly: StackValidationPolicy = {
  name: "stepfunctions-invoke-stack-functions-only",
  description:
    "A state machine's role may invoke only the Lambda functions of this stack (their ARNs, or qualified " +
    "versions and aliases of them), and carries no managed policy that could grant more.",
  remediationSteps:
    "Grant `lambda:InvokeFunction` on `[fn.arn, pulumi.interpolate`${fn.arn}:*`]` for each function of the " +
    "workflow, in an inline policy of the state machine's own role.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const stack = new StackIndex(args.resources);
    for (const machine of stack.ofType("aws:sfn/stateMachine:StateMachine")) {
      const roleArn = machine.asType(aws.sfn.StateMachine)?.roleArn;
      const role = stack.findRole(roleArn);
      if (role === undefined) {
        reportViolation(
          `State machine ${machine.name} uses role ${roleArn ?? "(none)"}, which is not a role of this stack, so ` +
            "what it may invoke cannot be checked. Give it a role declared in this stack.",
          machine.urn,
        );
        continue;
      }
      for (const grant of stack.grants(role)) {
        if (grant.kind !== "document") {
          reportViolation(
            `State machine ${machine.name}'s role ${role.name} gets ${grantLabel(grant)}, which cannot be checked ` +
              "for Lambda invocations. Use an inline policy naming this stack's functions.",
            grant.source.urn,
          );
          continue;
        }
        for (const statement of grant.document.statements) {
          const invokes = (statement.actions ?? []).some((a) => INVOKE_ACTIONS.some((i) => coversAction(a, i)));
          if (statement.effect !== "Allow" || !invokes) {
            continue;
          }
          const others = (statement.resources ?? []).filter((arn) => !isStackFunction(stack.ownerOf(arn)));
          if (others.length > 0) {
            reportViolation(
              `State machine ${machine.name}'s role ${role.name} may invoke ${others.map((a) => `"${a}"`).join(", ")} ` +
                `(${grant.label}, ${describeStatement(statement)}), which ${others.length === 1 ? "is" : "are"} not ` +
                "a function of this stack. Name this stack's function ARNs only.",
              grant.source.urn,
            );
          }
        }
      }
    }
  },
};

function isStackFunction(owner: PolicyResource | undefined): boolean {
  return owner?.type === "aws:lambda/function:Function";
}

export const stackPolicies = [iamGrantsStackResourcesOnly, stepFunctionsInvokeStackFunctionsOnly];
