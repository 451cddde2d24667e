/**
 * JSON text, size and depth of any JSON value, however deeply nested. `JSON.parse` reads 5,000 levels
 * of nesting without trouble, but `JSON.stringify` (and any recursive walk) runs out of stack there
 * (RangeError: Maximum call stack size exceeded); these walk with an explicit stack instead.
 */

type Frame =
  | { readonly kind: "array"; readonly value: readonly unknown[]; index: number }
  | { readonly kind: "object"; readonly entries: ReadonlyArray<readonly [string, unknown]>; index: number };

/** What JSON.stringify writes for a value that holds nothing to walk, or undefined when it has parts. */
function scalarText(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") {
    // Numbers that are not finite become null, as in JSON.stringify; undefined is the caller's to handle.
    return JSON.stringify(value) ?? "null";
  }
  return undefined;
}

function frameOf(value: object, sortKeys: boolean): Frame {
  if (Array.isArray(value)) {
    return { kind: "array", value, index: 0 };
  }
  const entries = Object.entries(value).filter(
    ([, v]) => v !== undefined && typeof v !== "function" && typeof v !== "symbol",
  );
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { kind: "object", entries, index: 0 };
}

/** Visits a JSON value depth first, without recursion: `emit` gets the text in order. */
function walk(root: unknown, emit: (text: string, depth: number) => void, sortKeys = false): void {
  const first = scalarText(root);
  if (first !== undefined) {
    emit(first, 0);
    return;
  }
  const stack: Frame[] = [frameOf(root as object, sortKeys)];
  emit(stack[0].kind === "array" ? "[" : "{", 1);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const length = frame.kind === "array" ? frame.value.length : frame.entries.length;
    if (frame.index >= length) {
      stack.pop();
      emit(frame.kind === "array" ? "]" : "}", stack.length + 1);
      continue;
    }
    const i = frame.index++;
    let child: unknown;
    let prefix = i > 0 ? "," : "";
    if (frame.kind === "array") {
      child = frame.value[i];
      if (child === undefined || typeof child === "function" || typeof child === "symbol") child = null;
    } else {
      const [key, value] = frame.entries[i];
      prefix += `${JSON.stringify(key)}:`;
      child = value;
    }
    const text = scalarText(child);
    if (text !== undefined) {
      emit(prefix + text, stack.length);
    } else {
      const next = frameOf(child as object, sortKeys);
      stack.push(next);
      emit(prefix + (next.kind === "array" ? "[" : "{"), stack.length);
    }
  }
}

/** `JSON.stringify(value)` for any JSON value (as JSON.parse returns them), however deep. */
export function toJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const parts: string[] = [];
  walk(value, (text) => parts.push(text));
  return parts.join("");
}

/** The size of a value's JSON text in UTF-8 bytes, as Step Functions measures its limits. */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(toJson(value), "utf8");
}

/** How many arrays and objects deep a value is nested (0 for a string, number, boolean or null). */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  walk(value, (_text, depth) => {
    if (depth > deepest) deepest = depth;
  });
  return deepest;
}

/** JSON with object keys sorted (by UTF-16 code unit), so that equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  walk(value, (text) => parts.push(text), true);
  return parts.join("");
}
