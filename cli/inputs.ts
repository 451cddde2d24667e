/**
 * Orders from files: a JSON file holding one order or an array of orders, or JSON Lines (one order
 * per line). The orders themselves are not checked here: answering a malformed order is the
 * workflow's job. What is checked is that the files can be read and hold JSON, and that no order is
 * larger than Step Functions accepts; every problem is an InputError naming the file and, for bad
 * JSON, the line and column. So a run either starts every order or none.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { describeOversize, oversizedInput } from "../workflow/execution/inputLimit";

export class InputError extends Error {
  override readonly name = "InputError";
}

export interface OrderInput {
  readonly order: unknown;
  /** Where the order came from, for people: `orders.jsonl:17`, `orders.json #3`, `samples/order.json`. */
  readonly source: string;
}

export type InputFormat = "json" | "jsonl";

/** The order run when no file is given. */
export const SAMPLE_ORDER = path.join(__dirname, "..", "samples", "order.json");

/** The files given, or else the sample order (named from the working directory, for messages). */
export function filesOrSample(files: readonly string[]): string[] {
  return files.length > 0 ? [...files] : [path.relative(process.cwd(), SAMPLE_ORDER)];
}

/**
 * The largest input (a file, or standard input) read at once: every order is held in memory, and
 * V8 cannot hold a string much over 512 MiB at all. Larger batches are split into several runs.
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

function tooLarge(name: string, bytes: number | undefined): InputError {
  const size = bytes === undefined ? "" : `${bytes.toLocaleString("en-US")} bytes; `;
  return new InputError(
    `${name}: file too large (${size}at most ${MAX_FILE_BYTES.toLocaleString("en-US")} bytes are read at once): split it into several files and run them one after another`,
  );
}

/** The name standard input goes by in sources and messages. */
export const STDIN_NAME = "stdin";

/** Reads every order of `files` (`-` is standard input), in the order given. */
export async function readOrders(files: readonly string[], readStdin: () => Promise<string>): Promise<OrderInput[]> {
  const orders: OrderInput[] = [];
  for (const file of files) {
    if (file === "-") {
      orders.push(...parseOrders(await readStdin(), STDIN_NAME));
    } else {
      orders.push(...parseOrders(await readText(file), file, formatOf(file)));
    }
  }
  for (const { order, source } of orders) {
    const bytes = oversizedInput(order);
    if (bytes !== undefined) throw new InputError(`${source}: the order is ${describeOversize(bytes)}`);
  }
  return orders;
}

/** Everything standard input holds. */
export async function readStandardInput(
  stream: NodeJS.ReadableStream = process.stdin,
  limit = MAX_FILE_BYTES,
): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    bytes += buffer.length;
    if (bytes > limit) throw tooLarge(STDIN_NAME, undefined);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** JSON Lines by extension; anything else is told apart by its content. */
function formatOf(file: string): InputFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  return ext === ".jsonl" || ext === ".ndjson" ? "jsonl" : undefined;
}

async function readText(file: string, limit = MAX_FILE_BYTES): Promise<string> {
  try {
    const { size } = await fs.stat(file);
    if (size > limit) throw tooLarge(file, size);
    return await fs.readFile(file, "utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    // Grown past the limit since it was measured, or larger than V8 can hold in a string.
    if (code === "ERR_STRING_TOO_LONG" || code === "ERR_FS_FILE_TOO_LARGE" || error instanceof RangeError)
      throw tooLarge(file, undefined);
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES" || code === "EPERM"
            ? "permission denied"
            : (error as Error).message;
    throw new InputError(`cannot read ${file}: ${why}`);
  }
}

/**
 * The orders in `text`. Without a format: JSON when the whole text parses, JSON Lines when it does
 * not but its first line does on its own (and there is more than one line).
 */
export function parseOrders(text: string, name: string, format?: InputFormat): OrderInput[] {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") {
    throw new InputError(`${name} is empty: expected an order, an array of orders, or one order per line`);
  }
  if (format === "jsonl") return parseJsonLines(body, name);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    if (format === undefined && looksLikeJsonLines(body)) return parseJsonLines(body, name);
    throw jsonError(name, body, 0, error);
  }
  if (!Array.isArray(value)) return [{ order: value, source: name }];
  if (value.length === 0) throw new InputError(`${name} holds an empty array: no orders to run`);
  return value.map((order, i) => ({ order: order as unknown, source: `${name} #${i + 1}` }));
}

function looksLikeJsonLines(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (lines.length < 2) return false;
  try {
    JSON.parse(lines[0]);
    return true;
  } catch {
    return false;
  }
}

function parseJsonLines(text: string, name: string): OrderInput[] {
  const orders: OrderInput[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      orders.push({ order: JSON.parse(line) as unknown, source: `${name}:${i + 1}` });
    } catch (error) {
      throw jsonError(name, line, i, error);
    }
  });
  return orders;
}

/** `name:LINE:COLUMN: invalid JSON: what`, for a text that JSON.parse refused; `firstLine` is 0-based. */
function jsonError(name: string, text: string, firstLine: number, error: unknown): InputError {
  const found = locateJsonError(text);
  if (found === undefined) return new InputError(`${name}:${firstLine + 1}: invalid JSON: ${(error as Error).message}`);
  const before = text.slice(0, found.offset);
  const line = firstLine + before.split("\n").length;
  const column = found.offset - (before.lastIndexOf("\n") + 1) + 1;
  return new InputError(`${name}:${line}:${column}: invalid JSON: ${found.problem}`);
}

class JsonProblem extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/**
 * Where and why a text is not JSON. JSON.parse does not always say where (V8 quotes the text
 * instead), so this walks the grammar of RFC 8259 and stops at the first thing that breaks it.
 */
export function locateJsonError(text: string): { offset: number; problem: string } | undefined {
  let i = 0;
  const found = () => (i >= text.length ? "the end of the input" : JSON.stringify(text[i]));
  const fail = (problem: string): never => {
    throw new JsonProblem(i, problem);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        if (/^u[0-9a-fA-F]{4}/.test(text.slice(i + 1, i + 6))) i += 6;
        else if ('"\\/bfnrt'.includes(text[i + 1] ?? "x")) i += 2;
        else fail(`invalid escape \\${text[i + 1] ?? ""} in a string`);
      } else if (c < " ") {
        fail("a control character (such as a line break) inside a string");
      } else {
        i++;
      }
    }
    fail("a string is not closed");
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${found()}`);
        string();
        space();
        if (text[i] !== ":") fail(`expected ':' after a property name, found ${found()}`);
        i++;
        value();
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return;
        } else fail(`expected ',' or '}' after a property value, found ${found()}`);
      }
    } else if (c === "[") {
      i++;
      space();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return;
        } else fail(`expected ',' or ']' after an array element, found ${found()}`);
      }
    } else if (c === '"') {
      string();
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      const number = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
      number.lastIndex = i;
      const match = number.exec(text);
      if (match === null || match[0] === "-") fail("an invalid number");
      i = number.lastIndex;
    } else {
      const literal = ["true", "false", "null"].find((word) => text.startsWith(word, i));
      if (literal === undefined) fail(`expected a value, found ${found()}`);
      i += (literal as string).length;
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
  } catch (error) {
    if (error instanceof JsonProblem) return { offset: error.offset, problem: error.problem };
    // Too deeply nested for this walk: the caller falls back on JSON.parse's message.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  return undefined;
}
