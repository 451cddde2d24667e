/**
 * IAM policy documents as the policies read them. AWS accepts a string or a list almost everywhere
 * and any casing of condition keys; normalising once here keeps each policy a few plain loops.
 */

/** One principal of a statement; `kind` is "*" for the bare `"Principal": "*"`. */
export interface Principal {
  readonly kind: string;
  readonly value: string;
}

/** One `Condition` entry, e.g. `StringEquals` / `aws:SourceAccount` / ["123456789012"]. */
export interface ConditionEntry {
  readonly operator: string;
  /** The condition key as written; compare with {@link hasConditionKey}, which ignores case. */
  readonly key: string;
  readonly values: readonly string[];
}

export interface Statement {
  /** Zero-based position in the document, for messages when there is no Sid. */
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[] | undefined;
  readonly notActions: readonly string[] | undefined;
  readonly resources: readonly string[] | undefined;
  readonly notResources: readonly string[] | undefined;
  readonly principals: readonly Principal[] | undefined;
  readonly notPrincipals: readonly Principal[] | undefined;
  readonly conditions: readonly ConditionEntry[];
}

export interface PolicyDocument {
  readonly statements: readonly Statement[];
}

export type ParsedDocument =
  { readonly ok: true; readonly document: PolicyDocument } | { readonly ok: false; readonly error: string };

/** Parses a policy document given as JSON text (the usual form) or as an object. */
export function parsePolicyDocument(value: unknown): ParsedDocument {
  let raw: unknown = value;
  if (typeof value === "string") {
    try {
      raw = JSON.parse(value);
    } catch (e) {
      return { ok: false, error: `not valid JSON (${(e as Error).message})` };
    }
  }
  if (!isRecord(raw)) {
    return { ok: false, error: "not a JSON object" };
  }
  const rawStatements = raw["Statement"];
  if (rawStatements === undefined) {
    return { ok: true, document: { statements: [] } };
  }
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  const statements: Statement[] = [];
  for (const [index, entry] of list.entries()) {
    if (!isRecord(entry)) {
      return { ok: false, error: `statement ${index + 1} is not an object` };
    }
    statements.push(normaliseStatement(entry, index));
  }
  return { ok: true, document: { statements } };
}

function normaliseStatement(raw: Record<string, unknown>, index: number): Statement {
  return {
    index,
    sid: typeof raw["Sid"] === "string" && raw["Sid"] !== "" ? raw["Sid"] : undefined,
    // Anything but an explicit Deny is treated as Allow, the stricter reading for these checks.
    effect: raw["Effect"] === "Deny" ? "Deny" : "Allow",
    actions: stringList(raw["Action"]),
    notActions: stringList(raw["NotAction"]),
    resources: stringList(raw["Resource"]),
    notResources: stringList(raw["NotResource"]),
    principals: principalList(raw["Principal"]),
    notPrincipals: principalList(raw["NotPrincipal"]),
    conditions: conditionList(raw["Condition"]),
  };
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => String(v));
}

function principalList(value: unknown): Principal[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === "string") {
    return [{ kind: value === "*" ? "*" : "AWS", value }];
  }
  if (!isRecord(value)) {
    return [{ kind: "unknown", value: JSON.stringify(value) }];
  }
  const principals: Principal[] = [];
  for (const [kind, ids] of Object.entries(value)) {
    for (const id of stringList(ids) ?? []) {
      principals.push({ kind, value: id });
    }
  }
  return principals;
}

function conditionList(value: unknown): ConditionEntry[] {
  if (!isRecord(value)) {
    return [];
  }
  const entries: ConditionEntry[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (!isRecord(block)) {
      continue;
    }
    for (const [key, values] of Object.entries(block)) {
      entries.push({ operator, key, values: stringList(values) ?? [] });
    }
  }
  return entries;
}

/** True when the statement carries a condition on one of `keys` (condition keys are case-insensitive). */
export function hasConditionKey(statement: Statement, keys: readonly string[]): boolean {
  const wanted = new Set(keys.map((k) => k.toLowerCase()));
  return statement.conditions.some((c) => wanted.has(c.key.toLowerCase()));
}

/** "statement "Sid"" or "statement #2", for messages. */
export function describeStatement(statement: Statement): string {
  return statement.sid !== undefined ? `statement "${statement.sid}"` : `statement #${statement.index + 1}`;
}

/**
 * IAM's wildcard match (`*` any run of characters, `?` one character), case-insensitive as IAM
 * compares action names.
 */
export function wildcardMatch(pattern: string, value: string): boolean {
  const source = pattern
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "i").test(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
