/**
 * dynalite's condition expressions, parsed once per shape: its PEG parser (dynalite/db/conditionParser)
 * took a quarter of the engine's CPU (docs/bench.md), parsing the same two conditions for every order.
 *
 * What a parse returns depends on the expression, the ExpressionAttributeNames, whether it is a key
 * condition, and of each ExpressionAttributeValue only its type, except in `attribute_type(...)` (which
 * reads the type name) and `BETWEEN` (which compares its bounds): the parser's other checks ask a value
 * for its type (`getType`), and it embeds the value object itself where the expression names it. So
 * an expression without those two is parsed once per shape with a stand-in of the same type for each
 * value, and every request of that shape gets a copy of that tree with its own value objects put back
 * where the stand-ins are, and the names and values the parse used marked used, as the parser marks
 * them. Error messages name types and names, never values, so they are the same too. An expression
 * with `attribute_type` or `BETWEEN` is parsed each time (and so is one whose values are not all objects,
 * which dynalite's validations refuse before it is parsed); a syntax error (thrown) is never cached.
 */

/** What dynalite's validations hand the parser (validations/index.js `validateExpressions`). */
interface ParseContext {
  readonly attrNames?: Record<string, string>;
  readonly attrVals?: Record<string, Record<string, unknown>>;
  readonly unusedAttrNames?: Record<string, true>;
  readonly unusedAttrVals?: Record<string, true>;
  readonly isKeyCondition?: boolean;
}
type Parse = (input: string, options: { context: ParseContext }) => unknown;

interface Shape {
  readonly tree: unknown;
  /** Each stand-in in `tree`, and the value name it stands for. */
  readonly standIns: ReadonlyMap<object, string>;
  readonly usedNames: readonly string[];
  readonly usedValues: readonly string[];
}

/** Expressions whose parse reads a value's content, not only its type. */
const READS_VALUES = /attribute_type|between/i;
/** The parser's order of types (`getImmediateType`): a value's type is the first it holds. */
const TYPES = ["S", "N", "B", "NULL", "BOOL", "SS", "NS", "BS", "L", "M"];
/** Distinct shapes kept (the cache starts over when full). */
const LIMIT = 1000;

const typeOf = (value: Record<string, unknown>) => TYPES.find((type) => value[type] != null) ?? "";

/** The keys of `unused` that the parse removed (it removes each name or value it resolves). */
function used(before: readonly string[], after: Record<string, true> | undefined): string[] {
  return before.filter((key) => after === undefined || !(key in after));
}

/** A copy of `tree`, each stand-in replaced by the request's own value object. */
function fill(tree: unknown, shape: Shape, values: Record<string, unknown>): unknown {
  if (typeof tree !== "object" || tree === null) return tree;
  const name = shape.standIns.get(tree);
  if (name !== undefined) return values[name];
  if (Array.isArray(tree)) return tree.map((node) => fill(node, shape, values));
  // The parser's sets of paths have no prototype: neither has their copy.
  const copy = Object.create(Object.getPrototypeOf(tree) as object | null) as Record<string, unknown>;
  for (const [key, node] of Object.entries(tree)) copy[key] = fill(node, shape, values);
  return copy;
}

/** Parses `input` with a stand-in of the same type for each value. */
function parseShape(parse: Parse, input: string, context: ParseContext, types: Record<string, string>): Shape {
  const standIns = new Map<object, string>();
  const standInValues: Record<string, Record<string, unknown>> = {};
  for (const [name, type] of Object.entries(types)) {
    const standIn = type === "" ? {} : { [type]: true };
    standIns.set(standIn, name);
    standInValues[name] = standIn;
  }
  const [names, values] = [Object.keys(context.unusedAttrNames ?? {}), Object.keys(context.unusedAttrVals ?? {})];
  const attrVals = context.attrVals === undefined ? undefined : standInValues;
  const tree = parse(input, { context: { ...context, attrVals } });
  return {
    tree,
    standIns,
    usedNames: used(names, context.unusedAttrNames),
    usedValues: used(values, context.unusedAttrVals),
  };
}

let installed = false;

/** Caches the parses of dynalite's condition parser (every dynalite of this process shares the module). */
export function cacheConditionParses(): void {
  if (installed) return;
  installed = true;
  // dynalite ships no type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const parser = require("dynalite/db/conditionParser") as { parse: Parse };
  const parse = parser.parse;
  const cache = new Map<string, Shape>();
  parser.parse = (input, options) => {
    const context = options.context;
    const values = context.attrVals ?? {};
    const objects = Object.values(values).every((value) => typeof value === "object" && value !== null);
    if (READS_VALUES.test(input) || !objects) return parse(input, options);
    const types = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, typeOf(value)]));
    const attrTypes = context.attrVals === undefined ? null : types;
    const key = JSON.stringify([input, context.attrNames ?? null, attrTypes, !!context.isKeyCondition]);
    let shape = cache.get(key);
    if (shape === undefined) {
      shape = parseShape(parse, input, context, types);
      if (cache.size >= LIMIT) cache.clear();
      cache.set(key, shape);
    } else {
      for (const name of shape.usedNames) delete context.unusedAttrNames?.[name];
      for (const value of shape.usedValues) delete context.unusedAttrVals?.[value];
    }
    return fill(shape.tree, shape, values);
  };
}
