/**
 * aws-local-stepfunctions, loaded with one upstream bug fixed.
 *
 * Version 3.0.0 removes every backslash from every intrinsic function's string result (meant to
 * unescape `\{`, `\}` and `\'` in `States.Format` templates). That breaks `States.JsonToString`:
 * a string holding `"` or `\` comes out as invalid JSON, so a notification about an order whose
 * cause quotes a value could not be published locally, while AWS publishes it. The fix keeps the
 * library's behaviour for every function but `States.JsonToString`.
 */
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import { patchDeepClone } from "./deepClone";
import "./polyfills";

type Library = typeof import("aws-local-stepfunctions");

/** The exact text of the bug; if a new version changes it, loading fails loudly rather than silently. */
export const BUGGY = `    if (typeof result === "string") {
      result = result.replaceAll("\\\\", "");
    }`;
export const FIXED = `    if (typeof result === "string" && this.funcDefinition.name !== "States.JsonToString") {
      result = result.replaceAll("\\\\", "");
    }`;

interface CompilableModule {
  filename: string;
  paths: string[];
  exports: unknown;
  _compile(source: string, filename: string): void;
}
type ModuleInternals = {
  new (id: string, parent?: unknown): CompilableModule;
  _nodeModulePaths(dir: string): string[];
};

function load(): Library {
  const file = require.resolve("aws-local-stepfunctions");
  const source = fs.readFileSync(file, "utf8");
  if (!source.includes(BUGGY)) {
    throw new Error(`${file} no longer contains the intrinsic-function bug this project patches; review local/stepFunctionsRuntime.ts`);
  }
  const internals = Module as unknown as ModuleInternals;
  const patched = new internals(file, module);
  patched.filename = file;
  patched.paths = internals._nodeModulePaths(path.dirname(file));
  patched._compile(patchDeepClone(source.replace(BUGGY, FIXED), file), file);
  return patched.exports as Library;
}

export const { StateMachine } = load();
