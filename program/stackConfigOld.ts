import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** The project's name, from Pulumi.yaml. */
export function projectName(dir = "."): string {
  const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name: string };
  return project.name;
}

/** A stack's configuration as `pulumi config` holds it: "namespace:key" → string value. */
export function readStackConfig(stack: string, dir = "."): Record<string, string> {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  const parsed = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed?.config ?? {})) {
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return config;
}
