/**
 * A second fix to aws-local-stepfunctions 3.0.0, applied by runtime.ts like the first: its `cloneJSON`
 * (which copies every execution's input, and every state's) recurses once per level of nesting, so an
 * input nested about 5,000 levels deep (which JSON.parse reads without trouble) fails the whole
 * execution with "RangeError: Maximum call stack size exceeded" before any state runs. The fix copies
 * with an explicit stack, defining keys as own properties (as Object.fromEntries did: a `__proto__`
 * key stays a plain key).
 */

/** The exact text of the recursive copy; if a new version changes it, loading fails loudly. */
export const RECURSIVE_CLONE = `function cloneJSON(value) {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(cloneJSON);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneJSON(v)]));
}`;

export const ITERATIVE_CLONE = `function cloneJSON(value) {
  if (value === null || typeof value !== "object") return value;
  const root = Array.isArray(value) ? new Array(value.length) : {};
  const stack = [[value, root]];
  while (stack.length > 0) {
    const [from, to] = stack.pop();
    for (const [k, v] of Object.entries(from)) {
      let copy = v;
      if (v !== null && typeof v === "object") {
        copy = Array.isArray(v) ? new Array(v.length) : {};
        stack.push([v, copy]);
      }
      Object.defineProperty(to, k, { value: copy, writable: true, enumerable: true, configurable: true });
    }
  }
  return root;
}`;

/** The library's source with the iterative copy; throws when the recursive one is not found. */
export function patchDeepClone(source: string, file: string): string {
  if (!source.includes(RECURSIVE_CLONE)) {
    throw new Error(
      `${file} no longer contains the recursive cloneJSON this project patches; review engine/deepClone.ts`,
    );
  }
  return source.replace(RECURSIVE_CLONE, ITERATIVE_CLONE);
}
