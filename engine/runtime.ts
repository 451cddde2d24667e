/**
 * aws-local-stepfunctions, loaded with its upstream bugs fixed and the engine's hooks added
 * (engine/patches.ts: intrinsic functions keep their backslashes; retries, Task timeouts and the
 * execution's TimeoutSeconds run on a virtual clock; every state's input and output is measured
 * against Step Functions' payload quota; a Task without TimeoutSeconds has no 60 s default).
 */
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import { patchDeepClone } from "./deepClone";
import { PATCHES, Patch } from "./patches";

type Library = typeof import("aws-local-stepfunctions");

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

/** The library's text with every patch applied; throws, naming the patch, if a text is not there exactly once. */
export function patchSource(source: string, file: string, patches: readonly Patch[] = PATCHES): string {
  let patched = source;
  for (const patch of patches) {
    const at = patched.indexOf(patch.from);
    if (at < 0 || patched.indexOf(patch.from, at + 1) >= 0) {
      throw new Error(
        `${file} no longer contains, exactly once, the text this project patches (${patch.why}); review engine/patches.ts`,
      );
    }
    patched = patched.slice(0, at) + patch.to + patched.slice(at + patch.from.length);
  }
  return patched;
}

function load(): Library {
  const file = require.resolve("aws-local-stepfunctions");
  const source = patchSource(fs.readFileSync(file, "utf8"), file);
  const internals = Module as unknown as ModuleInternals;
  const patched = new internals(file, module);
  patched.filename = file;
  patched.paths = internals._nodeModulePaths(path.dirname(file));
  patched._compile(patchDeepClone(source, file), file);
  return patched.exports as Library;
}

export const { StateMachine, ExecutionTimeoutError } = load();
