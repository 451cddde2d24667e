/**
 * A second fix to aws-local-stepfunctions 3.0.0, applied by runtime.ts like the first: its `cloneJSON`
 * (which copies every execution's input, and every state's) recurses once per level of nesting, so an
 * input nested about 5,000 levels deep (which JSON.parse reads without trouble) fails the whole
 * execution with "RangeError: Maximum call stack size exceeded" before any state runs. The fix copies
 * with an explicit stack; a `__proto__` key is defined as an own property (as Object.fromEntries did:
 * it stays a plain key), every other key assigned (defining each one cost 3 % of the engine's CPU).
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
  const stack = [value, root];
  while (stack.length > 0) {
    const to = stack.pop();
    const from = stack.pop();
    const keys = Array.isArray(from) ? null : Object.keys(from);
    const length = keys === null ? from.length : keys.length;
    for (let i = 0; i < length; i++) {
      const k = keys === null ? i : keys[i];
      const v = from[k];
      let copy = v;
      if (v !== null && typeof v === "object") {
        copy = Array.isArray(v) ? new Array(v.length) : {};
        stack.push(v, copy);
      }
      // Assignment would set the prototype for this one key; define it as the own property it was.
      if (k === "__proto__") Object.defineProperty(to, k, { value: copy, writable: true, enumerable: true, configurable: true });
      else to[k] = copy;
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
