/**
 * The Lambda code exactly as `aws.lambda.CallbackFunction` ships it: the factory serialized by
 * Pulumi's closure serializer into `__index.js`, loaded here as a fresh module that can require
 * only what the Lambda Node.js runtime provides (the AWS SDK v3).
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as vm from "vm";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/** A Lambda handler as the runtime calls it (the context is not used by ours). */
export type LambdaHandler = (event: unknown, context?: unknown) => Promise<unknown>;

/** Serializes a callback factory with the options `CallbackFunction` uses, giving `__index.js`. */
export async function serializeFactory(factory: (...args: never[]) => unknown): Promise<string> {
  const closure = await pulumi.runtime.serializeFunction(factory, {
    serialize: () => true,
    exportName: "handler",
    isFactoryFunction: true,
    allowSecrets: true,
  });
  return closure.text;
}

/** What the Lambda Node.js runtime provides: the AWS SDK v3 clients (and what they depend on). */
const RUNTIME_PACKAGES = ["@aws-sdk/client-dynamodb", "@aws-sdk/client-sns"];

/** Finds a package's folder as Node would from `fromDir`: the nearest node_modules that has it. */
function findPackage(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`package ${name} is not installed (looked from ${fromDir})`);
  }
}

/** Every package a set of packages needs: name → folder, as the runtime's node_modules would hold them. */
function dependencyClosure(roots: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const queue = roots.map((name) => ({ name, from: process.cwd() }));
  while (queue.length > 0) {
    const { name, from } = queue.pop() as { name: string; from: string };
    if (found.has(name)) continue;
    const location = findPackage(name, from);
    found.set(name, location);
    const manifest = JSON.parse(fs.readFileSync(path.join(location, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    queue.push(...Object.keys(manifest.dependencies ?? {}).map((dep) => ({ name: dep, from: location })));
  }
  return found;
}

let runtimeDir: string | undefined;

/**
 * A folder standing in for the Lambda runtime: its node_modules holds the AWS SDK v3 and nothing
 * else, so a bundle that needs any other package fails to load here as it would in AWS.
 */
function lambdaRuntimeDir(): string {
  if (runtimeDir) return runtimeDir;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "order-workflow-lambda-"));
  for (const [name, location] of dependencyClosure(RUNTIME_PACKAGES)) {
    const link = path.join(dir, "node_modules", name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(location, link, "dir");
  }
  runtimeDir = dir;
  return dir;
}

/** Where a bundle's console output goes (the engine keeps it per function; AWS sends it to CloudWatch). */
export type LogSink = (line: string) => void;

let loaded = 0;

/** Writes a bundle as `__index.js` in a folder of its own beside the runtime's node_modules; returns its path. */
export function placeBundle(text: string): string {
  const file = path.join(lambdaRuntimeDir(), `bundle-${process.pid}-${loaded++}`, "__index.js");
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, text);
  return file;
}

/** A bundle compiled as Node wraps a CommonJS module, with the Lambda's console. */
type ModuleWrapper = (
  exports: object,
  require: NodeJS.Require,
  module: object,
  filename: string,
  dirname: string,
  console: Console,
) => void;

/**
 * Loads a serialized bundle as a new module and returns its `handler`. `env` is what the function's
 * configuration sets; it is in `process.env` while the module initialises, as in a Lambda container.
 * The module's `console` writes to `log`, as the Lambda runtime captures a function's output.
 */
export function loadBundle(text: string, env: Record<string, string>, log: LogSink = () => undefined): LambdaHandler {
  const file = placeBundle(text);
  const write = (...args: unknown[]) => log(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  const lambdaConsole = { ...console, log: write, info: write, warn: write, error: write, debug: write };
  const module = { exports: {} as { handler?: LambdaHandler } };
  const init = vm.compileFunction(text, ["exports", "require", "module", "__filename", "__dirname", "console"], {
    filename: file,
  }) as ModuleWrapper;
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  try {
    init(module.exports, createRequire(file), module, file, path.dirname(file), lambdaConsole);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const handler = module.exports.handler;
  if (typeof handler !== "function") throw new Error(`${file} exports no handler function`);
  return handler;
}
