/**
 * The project name and stack config a program would get from `pulumi preview`: Pulumi.yaml's `name`
 * and `config` defaults, overlaid with Pulumi.<stack>.yaml's `config:` values. The one reader of
 * stack configuration: the offline loader, the stack tests, the bench and the policy check use it.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { isRecord } from "../policy/lib/document";

export interface StackSettings {
  readonly project: string;
  readonly stack: string;
  /** "namespace:key" → value as the CLI hands it to a program (non-strings as JSON). */
  readonly config: Record<string, string>;
  /** Each key's value as written (YAML-typed, before it became a string) and the file it is from. */
  readonly written: Readonly<Record<string, WrittenValue>>;
  /** Config keys whose values are secrets (`secure:` in the file); only with `secrets: "placeholder"`. */
  readonly secretKeys: readonly string[];
  /** The Pulumi.yaml found, if any. */
  readonly projectFile: string | undefined;
  /** The Pulumi.<stack>.yaml read, if any. */
  readonly stackFile: string | undefined;
}

export interface WrittenValue {
  readonly value: unknown;
  /** Pulumi.yaml (a default) or Pulumi.<stack>.yaml. */
  readonly file: string;
}

/**
 * What to do with a `secure:` value, which only the Pulumi CLI can decrypt: `refuse` fails with a
 * message naming the key and the file; `placeholder` hands the program {@link SECRET_PLACEHOLDER}
 * (enough for a check that never reads the value, such as the policy pack).
 */
export type SecretHandling = "refuse" | "placeholder";

export interface ReadOptions {
  /** @default "refuse" */
  readonly secrets?: SecretHandling;
  /**
   * Whether a Pulumi.yaml without a Pulumi.<stack>.yaml beside it is an error (the stack is most
   * likely misspelt) rather than a stack with no config of its own.
   * @default true
   */
  readonly requireStackFile?: boolean;
}

/** Stands in for `secure:` values with `secrets: "placeholder"`. */
export const SECRET_PLACEHOLDER = "[secret]";

/** The stack configuration cannot be used as it is: which file and key, and why. */
export class StackConfigError extends Error {}

/** Reads the settings of the Pulumi project that contains `dir` (the nearest Pulumi.yaml at or above it). */
export function readStackSettings(dir: string, stack: string, options: ReadOptions = {}): StackSettings {
  const projectFile = findUp(dir, "Pulumi.yaml");
  if (projectFile === undefined) {
    return {
      project: "project",
      stack,
      config: {},
      written: {},
      secretKeys: [],
      projectFile: undefined,
      stackFile: undefined,
    };
  }
  const projectDoc = readYaml(projectFile);
  const project = typeof projectDoc["name"] === "string" ? projectDoc["name"] : "project";
  const config: Record<string, string> = {};
  const written: Record<string, WrittenValue> = {};
  const secretKeys: string[] = [];
  const put = (file: string, rawKey: string, value: unknown): void => {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    if (isRecord(value) && "secure" in value) {
      if ((options.secrets ?? "refuse") === "refuse") {
        throw new StackConfigError(
          `${file}: ${key} is a secret (secure:), which only the Pulumi CLI can decrypt; run it with the CLI, or give ${key} a plain value for an offline run`,
        );
      }
      config[key] = SECRET_PLACEHOLDER;
      written[key] = { value, file };
      secretKeys.push(key);
    } else if (value !== undefined && value !== null) {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
      written[key] = { value, file };
    }
  };
  // Project-level config declares a key with a `default` (or a `value`, or a plain value).
  const declared = isRecord(projectDoc["config"]) ? projectDoc["config"] : {};
  for (const [key, spec] of Object.entries(declared)) {
    put(projectFile, key, isRecord(spec) && !("secure" in spec) ? (spec["value"] ?? spec["default"]) : spec);
  }
  const stackFile = path.join(stackConfigDir(projectFile, projectDoc), `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile)) {
    if (options.requireStackFile ?? true) {
      throw new StackConfigError(`${stackFile} does not exist: ${projectFile} has no stack ${stack}`);
    }
    return { project, stack, config, written, secretKeys, projectFile, stackFile: undefined };
  }
  const stackDoc = readYaml(stackFile);
  const values = stackDoc["config"] ?? {};
  if (!isRecord(values)) {
    throw new StackConfigError(`${stackFile}: config must be a mapping of keys to values`);
  }
  for (const [key, value] of Object.entries(values)) {
    put(stackFile, key, value);
  }
  return { project, stack, config, written, secretKeys, projectFile, stackFile };
}

/** Where the stack files are: Pulumi.yaml's `stackConfigDir`, relative to it, or beside it. */
function stackConfigDir(projectFile: string, projectDoc: Record<string, unknown>): string {
  const dir = projectDoc["stackConfigDir"];
  return path.resolve(path.dirname(projectFile), typeof dir === "string" ? dir : ".");
}

function findUp(dir: string, file: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, file);
    if (fs.existsSync(candidate)) {
      return candidate;
    }
    if (path.dirname(current) === current) {
      return undefined;
    }
  }
}

function readYaml(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new StackConfigError(`${file}: ${(e as Error).message}`);
  }
  if (isRecord(doc)) {
    return doc;
  }
  if (doc === null || doc === undefined) {
    return {};
  }
  throw new StackConfigError(`${file}: not a YAML mapping`);
}
