/**
 * Runs a Pulumi program offline, as `pulumi preview` would run it: its resources register with
 * Pulumi's mock monitor (program/mocks.ts answers with the outputs AWS would give), and each
 * registration is recorded as the engine would hand it to a policy (program/recorder.ts). The one
 * offline loader: the policy check, the stack and component tests, the bundle tests and the bench use it.
 */
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { isRecord } from "../policy/lib/document";
import { createMocks, DEFAULT_ENVIRONMENT } from "./mocks";
import { isMockMonitor, PulumiModule, RecordedResource, Recorder } from "./recorder";
import { readStackSettings, SecretHandling, StackConfigError, StackSettings } from "./stackConfig";

export type { RecordedResource } from "./recorder";

export interface LoadedProgram {
  /** The program's entry module; undefined for a callback program. */
  readonly programPath: string | undefined;
  readonly settings: StackSettings;
  /** Every resource registered, in the order their registrations started. */
  readonly resources: readonly RecordedResource[];
  /** The stack's outputs (the program's exports, or what its function returned), every Output resolved. */
  readonly outputs: Record<string, unknown>;
}

/** The program could not be run: missing, failing to compile, throwing, its config unusable, or a registration failing. */
export class ProgramLoadError extends Error {}

/** A program given as code: it constructs resources; what it returns (if an object) is the stack's outputs. */
export type ProgramCallback = () => unknown;

/** The program: a module to load, or a callback to run. */
export type ProgramSource =
  | { readonly programPath: string; readonly program?: undefined; readonly projectDir?: undefined }
  | {
      readonly program: ProgramCallback;
      readonly programPath?: undefined;
      /** Where Pulumi.yaml is looked for. @default process.cwd() */
      readonly projectDir?: string;
    };

export type LoadOptions = ProgramSource & {
  /** The stack whose Pulumi.<stack>.yaml config the program sees. @default "dev" */
  readonly stack?: string;
  /** Config set on top of the stack's ("namespace:key" → value, as in a stack file). */
  readonly config?: Readonly<Record<string, string>>;
  /** What a `secure:` config value does (see {@link SecretHandling}). @default "refuse" */
  readonly secrets?: SecretHandling;
  /** Whether a Pulumi.yaml without the stack's file is an error. @default true */
  readonly requireStackFile?: boolean;
  /**
   * Whether the program runs inside a `pulumi:pulumi:Stack` resource, which is then recorded and
   * parents the program's top-level resources, as in `pulumi preview`.
   * @default true
   */
  readonly stackResource?: boolean;
  /** Longest wait for the program's resources to finish registering. @default 120000 */
  readonly timeoutMs?: number;
};

/**
 * How the offline policy check loads a program: a `secure:` value is handed over as a placeholder
 * (no policy reads config values), a stack without its own file has Pulumi.yaml's defaults only,
 * and there is no Stack resource, so that what policies see and the counts it prints are as before.
 */
export const POLICY_CHECK = {
  secrets: "placeholder",
  requireStackFile: false,
  stackResource: false,
} as const satisfies Partial<LoadOptions>;

/**
 * Loads the program under mocks and returns every resource it registered and the stack's outputs.
 * The program's own copy of @pulumi/pulumi is used, so this works wherever the program's dependencies are.
 */
export async function loadProgram(options: LoadOptions): Promise<LoadedProgram> {
  const { programPath, projectDir, main } = entryOf(options);
  const settings = withOverrides(readSettings(projectDir, options), options.config);
  // A module program gets its own copy of @pulumi/pulumi; a callback the one its caller imported, as this loader does.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pulumiModule = require(
    programPath !== undefined ? resolveFrom(projectDir, "@pulumi/pulumi") : "@pulumi/pulumi",
  ) as PulumiModule;
  if (programPath !== undefined) {
    registerTypeScript(projectDir);
  }
  const recorder = await installMocks(pulumiModule, settings);

  const failures: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    failures.push(reason);
  };
  const timeoutMs = options.timeoutMs ?? 120_000;
  process.on("unhandledRejection", onRejection);
  const setAside = programPath !== undefined ? setAsideProjectModules() : undefined;
  let exported: unknown;
  try {
    exported = await ((options.stackResource ?? true)
      ? pulumiModule.runtime.runInPulumiStack(async () => main())
      : main());
    // `disconnect` waits for Pulumi's own queue of outstanding work, which a resource joins when it is
    // constructed, not only when its registration is sent, so resources created inside `apply` or
    // after slow inputs are waited for too.
    await withTimeout(pulumiModule.runtime.disconnect(), timeoutMs, "resources still registering");
  } catch (e) {
    throw new ProgramLoadError(describeError(e));
  } finally {
    process.off("unhandledRejection", onRejection);
    setAside?.restore();
  }
  const failed = [...failures, ...recorder.failures];
  if (failed.length > 0) {
    throw new ProgramLoadError(failed.map(describeError).join("\n"));
  }
  const outputs = await withTimeout(
    resolveOutputs(pulumiModule, exported),
    timeoutMs,
    "stack outputs still unresolved",
  );
  return { programPath, settings, resources: recorder.resources(), outputs };
}

/** Where the program is, where its project is, and how it is run. */
function entryOf(options: LoadOptions): { programPath: string | undefined; projectDir: string; main: ProgramCallback } {
  if (options.program !== undefined) {
    return {
      programPath: undefined,
      projectDir: path.resolve(options.projectDir ?? process.cwd()),
      main: options.program,
    };
  }
  const programPath = path.resolve(options.programPath);
  if (!fs.existsSync(programPath)) {
    throw new ProgramLoadError(`${programPath} does not exist`);
  }
  return { programPath, projectDir: path.dirname(programPath), main: () => runModule(programPath) };
}

function readSettings(projectDir: string, options: LoadOptions): StackSettings {
  try {
    return readStackSettings(projectDir, options.stack ?? "dev", {
      secrets: options.secrets,
      requireStackFile: options.requireStackFile,
    });
  } catch (e) {
    throw e instanceof StackConfigError ? new ProgramLoadError(e.message) : e;
  }
}

function withOverrides(settings: StackSettings, config: Readonly<Record<string, string>> | undefined): StackSettings {
  return config === undefined ? settings : { ...settings, config: { ...settings.config, ...config } };
}

/** Sets the program's config and Pulumi's mock monitor, with a recorder on every registration. */
async function installMocks(pulumiModule: PulumiModule, settings: StackSettings): Promise<Recorder> {
  const region = settings.config["aws:region"] ?? DEFAULT_ENVIRONMENT.region;
  pulumiModule.runtime.setAllConfig(settings.config, [...settings.secretKeys]);
  await pulumiModule.runtime.setMocks(
    createMocks({ ...DEFAULT_ENVIRONMENT, region }),
    settings.project,
    settings.stack,
    false,
  );
  const monitor: unknown = pulumiModule.runtime.getMonitor();
  if (!isMockMonitor(monitor)) {
    throw new ProgramLoadError("@pulumi/pulumi did not install its mock monitor");
  }
  const recorder = new Recorder(settings, pulumiModule);
  recorder.attach(monitor);
  return recorder;
}

/** Requires the program; a program may also be `export = async () => { ... }`, which Pulumi runs and whose result is the outputs. */
async function runModule(programPath: string): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported: unknown = require(programPath);
  const main =
    typeof exported === "function"
      ? exported
      : isRecord(exported) && typeof exported["default"] === "function"
        ? exported["default"]
        : undefined;
  return typeof main === "function" ? await (main as () => unknown)() : exported;
}

/** The program's outputs as plain values: every Output (nested ones too) resolved, undefined ones left out. */
async function resolveOutputs(pulumiModule: PulumiModule, exported: unknown): Promise<Record<string, unknown>> {
  const outputs: Record<string, unknown> = {};
  if (!isRecord(exported)) {
    return outputs;
  }
  for (const [key, value] of Object.entries(exported)) {
    const resolved = await new Promise<unknown>((resolve) => {
      // `output` lifts nested Outputs too; typed loosely, as an export may be anything.
      (pulumiModule.output(value) as pulumi.Output<unknown>).apply((v) => {
        resolve(v);
        return v;
      });
    });
    // As in Pulumi, an undefined value is no stack output.
    if (resolved !== undefined) {
      outputs[key] = resolved;
    }
  }
  return outputs;
}

/** The loader's and the policy pack's own modules, which stay loaded across programs. */
const KEPT_DIRS = [__dirname, path.resolve(__dirname, "..", "policy")];

function isProjectModule(file: string): boolean {
  return (
    !file.includes(`${path.sep}node_modules${path.sep}`) &&
    !KEPT_DIRS.some((dir) => file.startsWith(`${dir}${path.sep}`))
  );
}

/**
 * A program declares its resources when its modules are evaluated, so they must be evaluated afresh
 * for every load, even when the same process loaded them before (tests do). The module cache is put
 * back as it was afterwards, so that other code in the process keeps the module instances it had.
 */
function setAsideProjectModules(): { restore(): void } {
  const saved = new Map<string, NodeJS.Module>();
  for (const [key, mod] of Object.entries(require.cache)) {
    if (mod !== undefined && isProjectModule(key)) {
      saved.set(key, mod);
      delete require.cache[key];
    }
  }
  return {
    restore: () => {
      for (const key of Object.keys(require.cache)) {
        if (isProjectModule(key)) {
          delete require.cache[key];
        }
      }
      for (const [key, mod] of saved) {
        require.cache[key] = mod;
      }
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProgramLoadError(`${what} after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function resolveFrom(dir: string, request: string): string {
  try {
    return require.resolve(request, { paths: [dir] });
  } catch {
    throw new ProgramLoadError(`cannot find ${request} from ${dir}; install the program's dependencies first`);
  }
}

/** TypeScript programs load through ts-node (transpile only); already registered when the runner itself runs under ts-node. */
function registerTypeScript(programDir: string): void {
  if (require.extensions[".ts"] !== undefined) {
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tsNode = require(resolveFrom(programDir, "ts-node")) as typeof import("ts-node");
  tsNode.register({ transpileOnly: true });
}

/** The error's message and the first frame in the program's own code, where there is one. */
function describeError(e: unknown): string {
  if (!(e instanceof Error)) {
    return String(e);
  }
  const frame = (e.stack ?? "")
    .split("\n")
    .slice(1)
    .map((line) => line.trim())
    .find(
      (line) =>
        line.startsWith("at ") &&
        line.includes(path.sep) &&
        !line.includes(`${path.sep}node_modules${path.sep}`) &&
        !line.includes("(node:"),
    );
  return frame !== undefined ? `${e.message}\n    ${frame}` : e.message;
}
