// The project name and stack config a program would get from `pulumi preview`: Pulumi.yaml's `name`
// and `config` defaults, overlaid with Pulumi.<stack>.yaml's `config:` values.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { isRecord } from "../policy/lib/document";

export interface StackSettings {
  readonly project: string;
  readonly stack: string;
  /** "namespace:key" → value as the CLI hands it to a program (non-strings as JSON). */
  readonly config: Record<string, string>;
  /** Config keys whose values are secrets; they are `secure:` in the file and cannot be decrypted here. */
  readonly secretKeys: readonly string[];
  /** The Pulumi.yaml found, if any. */
  readonly projectFile: string | undefined;
  /** The Pulumi.<stack>.yaml read, if any. */
  readonly stackFile: string | undefined;
}

/** Stands in for `secure:` values, which only the CLI can decrypt. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Reads the settings of the Pulumi project that contains `programPath` (the nearest Pulumi.yaml above it). */
export function readStackSettings(programPath: string, stack: string): StackSettings {
  const projectFile = findUp(path.dirname(programPath), "Pulumi.yaml");
  if (projectFile === undefined) {
    return { project: "project", stack, config: {}, secretKeys: [], projectFile: undefined, stackFile: undefined };
  }
  const projectDoc = readYaml(projectFile);
  const project = typeof projectDoc["name"] === "string" ? projectDoc["name"] : "project";
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const put = (rawKey: string, value: unknown): void => {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    if (isRecord(value) && "secure" in value) {
      config[key] = SECRET_PLACEHOLDER;
      secretKeys.push(key);
    } else if (value !== undefined && value !== null) {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  };
  // Project-level config declares a key with a `default` (or a plain value).
  const declared = isRecord(projectDoc["config"]) ? projectDoc["config"] : {};
  for (const [key, spec] of Object.entries(declared)) {
    put(key, isRecord(spec) ? (spec["value"] ?? spec["default"]) : spec);
  }
  const stackFile = path.join(path.dirname(projectFile), `Pulumi.${stack}.yaml`);
  const hasStackFile = fs.existsSync(stackFile);
  if (hasStackFile) {
    const stackDoc = readYaml(stackFile);
    for (const [key, value] of Object.entries(isRecord(stackDoc["config"]) ? stackDoc["config"] : {})) {
      put(key, value);
    }
  }
  return { project, stack, config, secretKeys, projectFile, stackFile: hasStackFile ? stackFile : undefined };
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
  const doc: unknown = parse(fs.readFileSync(file, "utf8"));
  return isRecord(doc) ? doc : {};
}
