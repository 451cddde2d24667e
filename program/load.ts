// Runs a Pulumi program offline: its resources register with Pulumi's mock monitor, and each
// registration is recorded with what the engine would hand a policy (inputs, outputs, URN, parent,
// dependencies, options, provider).
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import type { PolicyResourceOptions } from "@pulumi/policy";
import { isRecord } from "../policy/lib/document";
import { createMocks, DEFAULT_ENVIRONMENT } from "./mocks";
import { readStackSettings, StackSettings } from "./stackConfig";

/** One resource as the program registered it. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** The URN the engine would give it, parent types included. */
  readonly urn: string;
  readonly custom: boolean;
  /** The resource's inputs, as `analyze` gets them. */
  readonly inputs: Record<string, unknown>;
  /** The resource's outputs under the mocks, as `analyzeStack` gets them. */
  readonly outputs: Record<string, unknown>;
  readonly parent: string | undefined;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly opts: PolicyResourceOptions;
  /** The URN of the explicit provider resource, if the resource has one. */
  readonly provider: string | undefined;
}

export interface LoadedProgram {
  readonly programPath: string;
  readonly settings: StackSettings;
  readonly resources: readonly RecordedResource[];
}

/** The program could not be run: missing, failing to compile, throwing, or failing a registration. */
export class ProgramLoadError extends Error {}

export interface LoadOptions {
  readonly programPath: string;
  /** The stack whose Pulumi.<stack>.yaml config the program sees; "dev" unless given. */
  readonly stack?: string;
  /** Longest wait for the program's resources to finish registering. */
  readonly timeoutMs?: number;
}

type PulumiModule = typeof pulumi;

/** The mock monitor's methods this runner wraps; `resources` is where it keeps registered state. */
interface MockMonitorLike {
  registerResource(req: RegisterResourceRequest, callback: (err: unknown, response?: RegisterResourceResponse) => void): Promise<void>;
}

function isMockMonitor(value: unknown): value is MockMonitorLike {
  return isRecord(value) && typeof value["registerResource"] === "function";
}

/**
 * Loads the program at `programPath` under mocks and returns every resource it registered. The
 * program's own copy of @pulumi/pulumi is used, so this works wherever the program's dependencies are.
 */
export async function loadProgram(options: LoadOptions): Promise<LoadedProgram> {
  const programPath = path.resolve(options.programPath);
  if (!fs.existsSync(programPath)) {
    throw new ProgramLoadError(`${programPath} does not exist`);
  }
  const programDir = path.dirname(programPath);
  const settings = readStackSettings(programPath, options.stack ?? "dev");
  const pulumiPath = resolveFrom(programDir, "@pulumi/pulumi");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pulumiModule = require(pulumiPath) as PulumiModule;
  registerTypeScript(programDir);

  const region = settings.config["aws:region"] ?? DEFAULT_ENVIRONMENT.region;
  pulumiModule.runtime.setAllConfig(settings.config, [...settings.secretKeys]);
  await pulumiModule.runtime.setMocks(createMocks({ ...DEFAULT_ENVIRONMENT, region }), settings.project, settings.stack, false);
  const monitor: unknown = pulumiModule.runtime.getMonitor();
  if (!isMockMonitor(monitor)) {
    throw new ProgramLoadError("@pulumi/pulumi did not install its mock monitor");
  }
  const recorder = new Recorder(settings, pulumiModule);
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => register(req, recorder.observe(req, callback));

  const failures: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    failures.push(reason);
  };
  process.on("unhandledRejection", onRejection);
  const setAside = setAsideProjectModules();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported: unknown = require(programPath);
    // A program may also be `export = async () => { ... }`, which Pulumi runs.
    const main = typeof exported === "function" ? exported : isRecord(exported) && typeof exported["default"] === "function" ? exported["default"] : undefined;
    if (typeof main === "function") {
      await (main as () => unknown)();
    }
    await settle(pulumiModule, options.timeoutMs ?? 120_000);
  } catch (e) {
    throw new ProgramLoadError(describeError(e));
  } finally {
    process.off("unhandledRejection", onRejection);
    setAside.restore();
  }
  const failed = [...failures, ...recorder.failures];
  if (failed.length > 0) {
    throw new ProgramLoadError(failed.map(describeError).join("\n"));
  }
  return { programPath, settings, resources: recorder.resources() };
}

/** The loader's and the policy pack's own modules, which stay loaded across programs. */
const KEPT_DIRS = [__dirname, path.resolve(__dirname, "..", "policy")];

function isProjectModule(file: string): boolean {
  return !file.includes(`${path.sep}node_modules${path.sep}`) && !KEPT_DIRS.some((dir) => file.startsWith(`${dir}${path.sep}`));
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

/**
 * Waits until every resource the program started has registered. `disconnect` waits for Pulumi's
 * own queue of outstanding work, which a resource joins when it is constructed, not only when its
 * registration is sent, so resources created inside `apply` or after slow inputs are waited for too.
 */
async function settle(pulumiModule: PulumiModule, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`resources still registering after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([pulumiModule.runtime.disconnect(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

class Recorder {
  readonly failures: unknown[] = [];
  private readonly recorded: { order: number; resource: RecordedResource }[] = [];
  /** The mock monitor's URNs (last parent type only) to the engine's (the full chain of parent types). */
  private readonly engineUrns = new Map<string, string>();
  private started = 0;

  constructor(private readonly settings: StackSettings, private readonly pulumiModule: PulumiModule) {}

  observe(
    req: RegisterResourceRequest,
    callback: (err: unknown, response?: RegisterResourceResponse) => void,
  ): (err: unknown, response?: RegisterResourceResponse) => void {
    const order = this.started++;
    return (err, response) => {
      if (err !== null && err !== undefined) {
        this.failures.push(err);
      } else if (response !== undefined) {
        try {
          this.record(order, req, response);
        } catch (e) {
          this.failures.push(e);
        }
      }
      callback(err, response);
    };
  }

  resources(): RecordedResource[] {
    return [...this.recorded].sort((a, b) => a.order - b.order).map(r => r.resource);
  }

  private record(order: number, req: RegisterResourceRequest, response: RegisterResourceResponse): void {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent() ? this.engineUrn(req.getParent()) : undefined;
    const qualifiedType = parent !== undefined && !parent.includes("::pulumi:pulumi:Stack::") ? `${parent.split("::")[2]}$${type}` : type;
    const urn = `urn:pulumi:${this.settings.stack}::${this.settings.project}::${qualifiedType}::${name}`;
    this.engineUrns.set(response.getUrn(), urn);

    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = deps.getUrnsList().map(u => this.engineUrn(u));
    });
    const timeouts = req.getCustomtimeouts();
    const opts: PolicyResourceOptions = {
      protect: req.getProtect() ?? false,
      ignoreChanges: req.getIgnorechangesList(),
      aliases: req.getAliasesList().map(a => a.getUrn()).filter(u => u !== ""),
      customTimeouts: {
        createSeconds: seconds(timeouts?.getCreate()),
        updateSeconds: seconds(timeouts?.getUpdate()),
        deleteSeconds: seconds(timeouts?.getDelete()),
      },
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
      ...(parent !== undefined ? { parent } : {}),
    };
    const providerRef = req.getProvider();
    this.recorded.push({
      order,
      resource: {
        type,
        name,
        urn,
        custom: req.getCustom(),
        inputs: this.plain(req.getObject()?.toJavaScript()),
        outputs: req.getCustom() ? this.plain(response.getObject()?.toJavaScript()) : {},
        parent,
        dependencies: req.getDependenciesList().map(u => this.engineUrn(u)),
        propertyDependencies,
        opts,
        // A provider reference is "<urn>::<id>".
        provider: providerRef ? this.engineUrn(providerRef.slice(0, providerRef.lastIndexOf("::"))) : undefined,
      },
    });
  }

  private engineUrn(mockUrn: string): string {
    return this.engineUrns.get(mockUrn) ?? mockUrn;
  }

  /**
   * Plain JSON as policies see it: secrets unwrapped, a resource reference replaced by its ID (or
   * URN for a component), unknowns dropped, assets and archives as @pulumi/pulumi asset objects.
   */
  private plain(struct: unknown): Record<string, unknown> {
    const value = this.plainValue(struct);
    return isRecord(value) ? value : {};
  }

  private plainValue(value: unknown): unknown {
    const rpc = this.pulumiModule.runtime;
    const { asset } = this.pulumiModule;
    if (value === rpc.unknownValue) {
      return undefined;
    }
    if (Array.isArray(value)) {
      return value.map(v => this.plainValue(v));
    }
    if (!isRecord(value)) {
      return value;
    }
    switch (value[rpc.specialSigKey]) {
      case rpc.specialSecretSig:
        return this.plainValue(value["value"]);
      case rpc.specialResourceSig:
        return typeof value["id"] === "string" && value["id"] !== "" ? value["id"] : this.engineUrn(String(value["urn"]));
      case rpc.specialAssetSig:
        return typeof value["path"] === "string"
          ? new asset.FileAsset(value["path"])
          : typeof value["text"] === "string"
            ? new asset.StringAsset(value["text"])
            : new asset.RemoteAsset(String(value["uri"]));
      case rpc.specialArchiveSig: {
        if (isRecord(value["assets"])) {
          const assets: pulumi.asset.AssetMap = {};
          for (const [key, member] of Object.entries(value["assets"])) {
            const converted = this.plainValue(member);
            if (converted instanceof asset.Asset || converted instanceof asset.Archive) {
              assets[key] = converted;
            }
          }
          return new asset.AssetArchive(assets);
        }
        return typeof value["path"] === "string" ? new asset.FileArchive(value["path"]) : new asset.RemoteArchive(String(value["uri"]));
      }
      default: {
        const out: Record<string, unknown> = {};
        for (const [key, member] of Object.entries(value)) {
          const converted = this.plainValue(member);
          if (converted !== undefined) {
            out[key] = converted;
          }
        }
        return out;
      }
    }
  }
}

/** Custom timeouts travel as Go durations ("5m", "1h30m"); policies get seconds. */
function seconds(duration: string | undefined): number {
  if (!duration) {
    return 0;
  }
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/([\d.]+)(h|m|s|ms)/g)) {
    total += Number(amount) * ({ h: 3600, m: 60, s: 1, ms: 0.001 }[unit] ?? 0);
  }
  return total;
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
    .map(line => line.trim())
    .find(line => line.startsWith("at ") && line.includes(path.sep) && !line.includes(`${path.sep}node_modules${path.sep}`) && !line.includes("(node:"));
  return frame !== undefined ? `${e.message}\n    ${frame}` : e.message;
}
