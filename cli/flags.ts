/**
 * The one command-line flag parser of every command and script (`npm start`, `npm run order`,
 * `load`, `bench`, `diagram`, `policy`), so that they all answer a flag the same way:
 * `--name value` and `--name=value` alike, `-h` for `--help`, `--` ending the flags, and every
 * problem (an unknown flag, a missing value, a value given to a switch, a flag given twice) a
 * UsageError naming the flag. A command prints it, with a pointer to its `--help`, and exits 2.
 *
 * `--help` and `--debug` are known to every command: `--debug` shows the stack trace of an
 * unexpected error (cli/process.ts), which is otherwise one line.
 */

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A switch (`--json`) or a flag with a value (`--seed 7`, `--seed=7`). */
export type FlagKind = "boolean" | "string";

export type FlagSpec = Readonly<Record<string, FlagKind>>;

export interface ParsedFlags {
  readonly values: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
}

/** The flags every command knows. */
export const COMMON_FLAGS: FlagSpec = { help: "boolean", debug: "boolean" };

/** Splits argv into flags and positionals; `--` ends the flags, `-` is a positional (standard input). */
export function parseFlags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
  const flags: FlagSpec = { ...COMMON_FLAGS, ...spec };
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    const long = arg === "-h" ? "--help" : arg;
    const equals = long.indexOf("=");
    const name = long.startsWith("--") ? long.slice(2, equals < 0 ? undefined : equals) : "";
    const kind = Object.prototype.hasOwnProperty.call(flags, name) ? flags[name] : undefined;
    if (kind === undefined) throw new UsageError(`unknown option ${equals < 0 ? arg : arg.slice(0, equals)}`);
    if (values.has(name)) throw new UsageError(`--${name} is given more than once`);
    if (kind === "boolean") {
      if (equals >= 0) throw new UsageError(`--${name} takes no value`);
      values.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (equals >= 0) {
      value = long.slice(equals + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
      value = argv[++i];
    }
    if (value === undefined || value === "") throw new UsageError(`--${name} needs a value`);
    values.set(name, value);
  }
  return { values, positionals };
}

/** A flag's value, or undefined when it was not given. */
export function stringFlag(parsed: ParsedFlags, name: string): string | undefined {
  const value = parsed.values.get(name);
  return typeof value === "string" ? value : undefined;
}

/** For a command that takes no FILE: a positional argument is a mistake. */
export function noPositionals(parsed: ParsedFlags): void {
  if (parsed.positionals.length > 0)
    throw new UsageError(`unexpected argument ${parsed.positionals[0]} (this command takes options only)`);
}

/** A whole number from `min` to `max`, or a UsageError naming the flag. */
export function wholeNumber(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${flag} must be a whole number ${range} (got "${text}")`);
  }
  return value;
}
