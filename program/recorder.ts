/**
 * Records each registration the mock monitor answers as the engine would hand it to a policy:
 * inputs, outputs, ID, URN with its chain of parent types, parent, dependencies, options, provider.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import type { PolicyResourceOptions } from "@pulumi/policy";
import { isRecord } from "../policy/lib/document";

/** One resource as the program registered it. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** The URN the engine would give it, parent types included. */
  readonly urn: string;
  /** The ID the mocks gave a custom resource; undefined for a component. */
  readonly id: string | undefined;
  readonly custom: boolean;
  /** The resource's inputs, as `analyze` gets them (resource references as IDs, assets as asset objects). */
  readonly inputs: Record<string, unknown>;
  /** The resource's outputs under the mocks (inputs plus `arn`, `name`, ...), as `analyzeStack` gets them; {} for a component. */
  readonly outputs: Record<string, unknown>;
  /** The URN of the parent, undefined for a resource without one. */
  readonly parent: string | undefined;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly opts: PolicyResourceOptions;
  /** The URN of the explicit provider resource, if the resource has one. */
  readonly provider: string | undefined;
}

export type PulumiModule = typeof pulumi;

type Callback = (err: unknown, response?: RegisterResourceResponse) => void;

/** The mock monitor's method the recorder wraps. */
export interface MockMonitorLike {
  registerResource(req: RegisterResourceRequest, callback: Callback): Promise<void>;
}

export function isMockMonitor(value: unknown): value is MockMonitorLike {
  return isRecord(value) && typeof value["registerResource"] === "function";
}

/** The stack resource's type, which names no parent type in its children's URNs. */
const STACK_TYPE = "pulumi:pulumi:Stack";

export class Recorder {
  readonly failures: unknown[] = [];
  private readonly recorded: { order: number; resource: RecordedResource }[] = [];
  /** The mock monitor's URNs (last parent type only) to the engine's (the full chain of parent types). */
  private readonly engineUrns = new Map<string, string>();
  private started = 0;

  constructor(
    private readonly names: { readonly project: string; readonly stack: string },
    private readonly pulumiModule: PulumiModule,
  ) {}

  /** Wraps the monitor's `registerResource` so that every answered registration is recorded. */
  attach(monitor: MockMonitorLike): void {
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => register(req, this.observe(req, callback));
  }

  private observe(req: RegisterResourceRequest, callback: Callback): Callback {
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
    return [...this.recorded].sort((a, b) => a.order - b.order).map((r) => r.resource);
  }

  private record(order: number, req: RegisterResourceRequest, response: RegisterResourceResponse): void {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent() ? this.engineUrn(req.getParent()) : undefined;
    const qualifiedType =
      parent !== undefined && !parent.includes(`::${STACK_TYPE}::`) ? `${parent.split("::")[2]}$${type}` : type;
    const urn = `urn:pulumi:${this.names.stack}::${this.names.project}::${qualifiedType}::${name}`;
    this.engineUrns.set(response.getUrn(), urn);

    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = deps.getUrnsList().map((u) => this.engineUrn(u));
    });
    const timeouts = req.getCustomtimeouts();
    const opts: PolicyResourceOptions = {
      protect: req.getProtect() ?? false,
      ignoreChanges: req.getIgnorechangesList(),
      aliases: req
        .getAliasesList()
        .map((a) => a.getUrn())
        .filter((u) => u !== ""),
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
        id: req.getCustom() && response.getId() !== "" ? response.getId() : undefined,
        custom: req.getCustom(),
        inputs: this.plain(req.getObject()?.toJavaScript()),
        outputs: req.getCustom() ? this.plain(response.getObject()?.toJavaScript()) : {},
        parent,
        dependencies: req.getDependenciesList().map((u) => this.engineUrn(u)),
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
      return value.map((v) => this.plainValue(v));
    }
    if (!isRecord(value)) {
      return value;
    }
    switch (value[rpc.specialSigKey]) {
      case rpc.specialSecretSig:
        return this.plainValue(value["value"]);
      case rpc.specialResourceSig:
        return typeof value["id"] === "string" && value["id"] !== ""
          ? value["id"]
          : this.engineUrn(String(value["urn"]));
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
        return typeof value["path"] === "string"
          ? new asset.FileArchive(value["path"])
          : new asset.RemoteArchive(String(value["uri"]));
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
