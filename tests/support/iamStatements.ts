/**
 * A role's identity policies with one statement taken out, for the IAM tests: each statement of each
 * of the role's policies, named by its Sid (or its position), and the policies without it.
 */
import type { IdentityPolicy, PolicyJson } from "../../engine/iam/evaluator";
import type { StackAccessModel } from "../../engine/iam/stack";

export interface WithoutStatement {
  /** `role policy orders-state-machine-policy / RecordFailedOrders`. */
  readonly label: string;
  readonly sid: string;
  readonly policies: readonly IdentityPolicy[];
}

function statementsOf(policy: PolicyJson): PolicyJson[] {
  const s = policy["Statement"];
  return (Array.isArray(s) ? s : [s]) as PolicyJson[];
}

/** Every way of removing one statement from the role's identity policies. */
export function withoutEachStatement(model: StackAccessModel, roleArn: string): WithoutStatement[] {
  const policies = model.identityPolicies(roleArn) ?? [];
  const variants: WithoutStatement[] = [];
  for (const [i, policy] of policies.entries()) {
    const statements = statementsOf(policy.policy);
    for (const [j, statement] of statements.entries()) {
      const sid = typeof statement["Sid"] === "string" ? statement["Sid"] : `statement ${j + 1}`;
      const rest = statements.filter((_, k) => k !== j);
      const reduced = rest.length === 0 ? [] : [{ ...policy, policy: { ...policy.policy, Statement: rest } }];
      variants.push({
        label: `${policy.name} / ${sid}`,
        sid,
        policies: [...policies.slice(0, i), ...reduced, ...policies.slice(i + 1)],
      });
    }
  }
  return variants;
}

/** The role of the stack whose ARN ends with `/<name>-<suffix>` (Pulumi's autonaming). */
export function roleNamed(model: StackAccessModel, name: string): string {
  const arn = model.roleArns().find((a) => new RegExp(`:role/${name}-[0-9a-f]{7}$`).test(a));
  if (arn === undefined) throw new Error(`the stack has no role ${name}`);
  return arn;
}

/** The same role's policies without the statement `sid`. */
export function withoutSid(model: StackAccessModel, roleArn: string, sid: string): readonly IdentityPolicy[] {
  const found = withoutEachStatement(model, roleArn).find((v) => v.sid === sid);
  if (found === undefined) throw new Error(`${roleArn} has no statement ${sid}`);
  return found.policies;
}
