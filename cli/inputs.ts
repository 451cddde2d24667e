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
  const walk = new JsonWalk(text);
  try {
    walk.document();
  } catch (error) {
    if (error instanceof JsonProblem) return { offset: error.offset, problem: error.problem };
    // Too deeply nested for this walk: the caller falls back on JSON.parse's message.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  return undefined;
}

/** A walk over `text` by the JSON grammar; each step throws a JsonProblem at the first break. */
class JsonWalk {
  private i = 0;

  constructor(private readonly text: string) {}

  /** One value and nothing after it but white space. */
  document(): void {
    this.value();
    this.space();
    if (this.i < this.text.length) this.fail(`unexpected ${this.found()} after the end of the JSON value`);
  }

  private found(): string {
    return this.i >= this.text.length ? "the end of the input" : JSON.stringify(this.text[this.i]);
  }

  private fail(problem: string): never {
    throw new JsonProblem(this.i, problem);
  }

  private space(): void {
    while (this.i < this.text.length && " \t\n\r".includes(this.text[this.i])) this.i++;
  }

  private value(): void {
    this.space();
    const c = this.text[this.i];
    if (c === "{") this.object();
    else if (c === "[") this.array();
    else if (c === '"') this.string();
    else if (c === "-" || (c >= "0" && c <= "9")) this.number();
    else this.literal();
  }

  private object(): void {
    this.i++;
    this.space();
    if (this.text[this.i] === "}") {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text[this.i] !== '"') this.fail(`expected a property name in double quotes, found ${this.found()}`);
      this.string();
      this.space();
      if (this.text[this.i] !== ":") this.fail(`expected ':' after a property name, found ${this.found()}`);
      this.i++;
      this.value();
      if (this.closes("}", "a property value")) return;
    }
  }

  private array(): void {
    this.i++;
    this.space();
    if (this.text[this.i] === "]") {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      if (this.closes("]", "an array element")) return;
    }
  }

  /** After a member: true past the closing bracket, false past a comma, a problem otherwise. */
  private closes(bracket: "}" | "]", after: string): boolean {
    this.space();
    const c = this.text[this.i];
    if (c !== "," && c !== bracket) this.fail(`expected ',' or '${bracket}' after ${after}, found ${this.found()}`);
    this.i++;
    return c === bracket;
  }

  private string(): void {
    const text = this.text;
    this.i++;
    while (this.i < text.length) {
      const c = text[this.i];
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === "\\") this.escape();
      else if (c < " ") this.fail("a control character (such as a line break) inside a string");
      else this.i++;
    }
    this.fail("a string is not closed");
  }

  private escape(): void {
    const next = this.text[this.i + 1];
    if (/^u[0-9a-fA-F]{4}/.test(this.text.slice(this.i + 1, this.i + 6))) this.i += 6;
    else if ('"\\/bfnrt'.includes(next ?? "x")) this.i += 2;
    else this.fail(`invalid escape \\${next ?? ""} in a string`);
  }

  private number(): void {
    const number = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    number.lastIndex = this.i;
    const match = number.exec(this.text);
    if (match === null || match[0] === "-") this.fail("an invalid number");
    this.i = number.lastIndex;
  }

  private literal(): void {
    const literal = ["true", "false", "null"].find((word) => this.text.startsWith(word, this.i));
    if (literal === undefined) this.fail(`expected a value, found ${this.found()}`);
    this.i += literal.length;
  }
}
