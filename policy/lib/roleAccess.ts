/**
 * Who may assume a role, and which roles a statement may pass, decided by iam-simulate rather than
 * by the shape of a principal or an ARN pattern.
 */
import { anonymousPrincipal } from "@cloud-copilot/iam-simulate";
import { Statement } from "./document";
import { ANYTHING, isAllowed, otherAccount, outsidersFor } from "./simulate";
import { PolicyDocument } from "./document";

/** A statement back as a one-statement policy document, for simulation. */
export function statementPolicy(statement: Statement): unknown {
  const condition: Record<string, Record<string, readonly string[]>> = {};
  for (const c of statement.conditions) {
    condition[c.operator] = { ...(condition[c.operator] ?? {}), [c.key]: c.values };
  }
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: statement.effect,
        ...(statement.actions ? { Action: statement.actions } : {}),
        ...(statement.notActions ? { NotAction: statement.notActions } : {}),
        ...(statement.resources ? { Resource: statement.resources } : {}),
        ...(statement.notResources ? { NotResource: statement.notResources } : {}),
        ...(statement.conditions.length > 0 ? { Condition: condition } : {}),
      },
    ],
  };
}

/** The placeholder account of a resource rule, which does not see the stack's account. */
const SOME_ACCOUNT = "123456789012";

/**
 * The roles outside the one intended that a statement lets its holder pass: an unrelated
 * administrator role in every account its resources name, and a role of another account where an
 * ARN leaves the account open. Returns the ARNs the simulation allowed.
 */
export async function passableUnrelatedRoles(statement: Statement): Promise<string[]> {
  const targets = new Set<string>();
  for (const resource of statement.resources ?? []) {
    const parts = resource.split(":");
    const partition = parts[0] === "arn" && parts[1] && !/[*?]/.test(parts[1]) ? parts[1] : "aws";
    const account = parts.length >= 5 && /^\d{12}$/.test(parts[4]) ? parts[4] : SOME_ACCOUNT;
    targets.add(`arn:${partition}:iam::${account}:role/unrelated-administrator`);
    if (parts.length >= 6 && /[*?]/.test(parts[4])) {
      const stranger = otherAccount(account);
      targets.add(`arn:${partition}:iam::${stranger}:${parts.slice(5).join(":").replace(/[*?]/g, "x")}`);
    }
  }
  const policy = statementPolicy(statement);
  const allowed: string[] = [];
  for (const target of targets) {
    const account = target.split(":")[4];
    const request = { action: "iam:PassRole", resourceArn: target, account, context: {}, identityPolicy: policy };
    if (await isAllowed({ ...request, principal: `arn:aws:iam::${account}:role/holder` })) {
      allowed.push(target);
    }
  }
  return allowed;
}

/** The outsiders (anyone, a role of another account or of an account the policy names) who may assume the role. */
export async function outsidersWhoMayAssume(
  trustPolicy: unknown,
  document: PolicyDocument,
  roleArn: string,
): Promise<string[]> {
  const [, partition = "aws", , , account = SOME_ACCOUNT] = roleArn.split(":");
  const outsiders = outsidersFor(document, account, "us-east-1", partition).filter(
    (o) => o.principal === anonymousPrincipal || o.ownAccount,
  );
  const allowed: string[] = [];
  for (const outsider of outsiders) {
    const request = {
      principal: outsider.principal,
      action: "sts:AssumeRole",
      resourceArn: roleArn,
      account,
      context: outsider.context,
    };
    if (
      await isAllowed({
        ...request,
        resourcePolicy: trustPolicy,
        ...(outsider.ownAccount ? { identityPolicy: ANYTHING } : {}),
      })
    ) {
      allowed.push(outsider.label);
    }
  }
  return allowed;
}

/**
 * True when Step Functions, acting for a state machine of another account, may assume the role
 * (the confused-deputy problem): the trust policy has no aws:SourceAccount/aws:SourceArn condition
 * that keeps other accounts out.
 */
export async function statesOfOtherAccountsMayAssume(trustPolicy: unknown, service: string): Promise<boolean> {
  const stranger = otherAccount(SOME_ACCOUNT);
  const resourceArn = `arn:aws:iam::${SOME_ACCOUNT}:role/state-machine-role`;
  return isAllowed({
    principal: service,
    action: "sts:AssumeRole",
    resourceArn,
    account: SOME_ACCOUNT,
    context: {
      "aws:SourceAccount": stranger,
      "aws:SourceArn": `arn:aws:states:us-east-1:${stranger}:stateMachine:outsider`,
      "aws:PrincipalIsAWSService": "true",
      "aws:PrincipalServiceName": service,
    },
    resourcePolicy: trustPolicy,
  });
}
