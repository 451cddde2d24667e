/**
 * dynalite's condition expressions, parsed once per distinct request: its PEG parser
 * (dynalite/db/conditionParser) took a quarter of the engine's CPU (docs/bench.md), parsing the same
 * claim condition for every order. A parse is a function of the expression, the request's
 * ExpressionAttributeNames and ExpressionAttributeValues and whether it is a key condition; the
 * cache is keyed by all four, so a hit is exactly what the parser would return (a copy of it), and the
 * names and values the parse used are marked used as the parser marks them. A parse that fails is
 * never cached: the parser runs again and reports the error itself.
 */

/** What dynalite's validations hand the parser (validations/index.js `validateExpressions`). */
interface ParseContext {
  readonly attrNames?: Record<string, string>;
  readonly attrVals?: Record<string, unknown>;
  readonly unusedAttrNames?: Record<string, true>;
  readonly unusedAttrVals?: Record<string, true>;
  readonly isKeyCondition?: boolean;
}
type Parse = (input: string, options: { context: ParseContext }) => unknown;

interface Parsed {
  readonly result: unknown;
  readonly usedNames: readonly string[];
  readonly usedValues: readonly string[];
}

/** Distinct parses kept (each order's own values make one each; the cache starts over when full). */
const LIMIT = 1000;

let installed = false;

/** The keys of `unused` that the parse removed (it removes each name or value it resolves). */
function used(before: readonly string[], after: Record<string, true> | undefined): string[] {
  return before.filter((key) => after === undefined || !(key in after));
}

/** Caches the parses of dynalite's condition parser (every dynalite of this process shares the module). */
export function cacheConditionParses(): void {
  if (installed) return;
  installed = true;
  // dynalite ships no type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const parser = require("dynalite/db/conditionParser") as { parse: Parse };
  const parse = parser.parse;
  const cache = new Map<string, Parsed>();
  parser.parse = (input, options) => {
    const context = options.context;
    const key = JSON.stringify([input, context.attrNames ?? null, context.attrVals ?? null, !!context.isKeyCondition]);
    const hit = cache.get(key);
    if (hit !== undefined) {
      for (const name of hit.usedNames) delete context.unusedAttrNames?.[name];
      for (const value of hit.usedValues) delete context.unusedAttrVals?.[value];
      return structuredClone(hit.result);
    }
    const [names, values] = [Object.keys(context.unusedAttrNames ?? {}), Object.keys(context.unusedAttrVals ?? {})];
    const result = parse(input, options);
    if (cache.size >= LIMIT) cache.clear();
    cache.set(key, {
      result: structuredClone(result),
      usedNames: used(names, context.unusedAttrNames),
      usedValues: used(values, context.unusedAttrVals),
    });
    return result;
  };
}
