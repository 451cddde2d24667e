/**
 * Applies a pack's policies to recorded resources the way the Pulumi engine's analyzer does:
 * every resource to every resource policy (with the engine's argument bag), then the whole stack to
 * every stack policy, at the enforcement levels the pack's config sets.
 */
import type { Resource, Unwrap } from "@pulumi/pulumi";
import type { ResolvedResource } from "@pulumi/pulumi/queryable";
import {
  EnforcementLevel,
  Policies,
  Policy,
  PolicyPackConfig,
  PolicyProviderResource,
  PolicyResource,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { isRecord } from "../lib/document";
import { RecordedResource } from "../../program/load";

/** One reported violation. URN, type and name are absent when a stack policy blames the whole stack. */
export interface Violation {
  readonly policy: string;
  readonly enforcementLevel: "advisory" | "mandatory";
  readonly urn: string | undefined;
  readonly type: string | undefined;
  readonly name: string | undefined;
  readonly message: string;
}

/** A policy threw instead of reporting: a bug in the policy or a resource it cannot read. */
export class PolicyError extends Error {}

/** A `--policy-pack-config` file is malformed or names a policy the pack does not have. */
export class PolicyConfigError extends Error {}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

class NotApplicable extends Error {}

/** Checks a `--policy-pack-config` document against the pack, as the CLI does before a preview. */
export function validatePolicyConfig(policies: Policies, config: unknown): PolicyPackConfig {
  if (!isRecord(config)) {
    throw new PolicyConfigError("the policy config must be a JSON object of policy name → level or settings");
  }
  const names = new Set(policies.map((p) => p.name));
  for (const [name, value] of Object.entries(config)) {
    if (name !== "all" && !names.has(name)) {
      throw new PolicyConfigError(`the policy config names "${name}", which is not a policy of this pack`);
    }
    const level = typeof value === "string" ? value : isRecord(value) ? value["enforcementLevel"] : undefined;
    if (level !== undefined && !LEVELS.includes(level as EnforcementLevel)) {
      throw new PolicyConfigError(
        `"${name}" has enforcement level ${JSON.stringify(level)}; use one of ${LEVELS.join(", ")}`,
      );
    }
    if (typeof value !== "string" && !isRecord(value)) {
      throw new PolicyConfigError(`"${name}" must be an enforcement level or an object of settings`);
    }
  }
  return config as PolicyPackConfig;
}

/** The level a policy runs at: its config entry, else the config's "all", else its own, else the pack's. */
export function enforcementLevelOf(
  policy: Policy,
  config: PolicyPackConfig,
  packLevel: EnforcementLevel,
): EnforcementLevel {
  const levelIn = (entry: PolicyPackConfig[string] | undefined): EnforcementLevel | undefined =>
    typeof entry === "string" ? entry : entry?.enforcementLevel;
  return levelIn(config[policy.name]) ?? levelIn(config["all"]) ?? policy.enforcementLevel ?? packLevel;
}

/** A policy's settings: its schema's defaults overlaid with its config entry, without the level. */
function settingsOf(policy: Policy, config: PolicyPackConfig): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (schema.default !== undefined) {
      settings[key] = schema.default;
    }
  }
  const entry = config[policy.name];
  if (isRecord(entry)) {
    for (const [key, value] of Object.entries(entry)) {
      if (key !== "enforcementLevel") {
        settings[key] = value;
      }
    }
  }
  return settings;
}

function isResourcePolicy(
  policy: ResourceValidationPolicy | StackValidationPolicy,
): policy is ResourceValidationPolicy {
  return "validateResource" in policy && policy.validateResource !== undefined;
}

function isStackPolicy(policy: ResourceValidationPolicy | StackValidationPolicy): policy is StackValidationPolicy {
  return "validateStack" in policy && typeof policy.validateStack === "function";
}

/** The resource type a typed validation (validateResourceOfType and friends) is limited to. */
function pulumiTypeOf(target: unknown): string | undefined {
  const type =
    typeof target === "function" || isRecord(target) ? (target as { __pulumiType?: unknown }).__pulumiType : undefined;
  return typeof type === "string" && type !== "" ? type : undefined;
}

/** `isType` as the engine implements it: the class's Pulumi type token, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const token = pulumiTypeOf(resourceClass);
  if (token !== undefined) {
    return token === type;
  }
  const { isInstance } = resourceClass as { isInstance?: (candidate: unknown) => boolean };
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** Props reach policies untyped; `asType` vouches for their shape by the type token, as the engine does. */
function trustedAs<T>(props: Record<string, unknown>): T {
  return props as T;
}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

export interface EvaluateOptions {
  /** The pack's config, as `--policy-pack-config` gives it. */
  readonly config?: PolicyPackConfig;
  /** The pack's default level for policies that set none. */
  readonly packEnforcementLevel?: EnforcementLevel;
  readonly stackTags?: ReadonlyMap<string, string>;
}

/** What every policy run shares: the settings it runs at and where its violations go. */
interface Run {
  readonly config: PolicyPackConfig;
  readonly packLevel: EnforcementLevel;
  readonly stackTags: ReadonlyMap<string, string>;
  readonly byUrn: ReadonlyMap<string, RecordedResource>;
  readonly violations: Violation[];
}

/** Runs every enabled policy over the resources and returns the violations, resource policies first. */
export async function evaluate(
  policies: Policies,
  resources: readonly RecordedResource[],
  options: EvaluateOptions = {},
): Promise<Violation[]> {
  const run: Run = {
    config: options.config ?? {},
    packLevel: options.packEnforcementLevel ?? "advisory",
    stackTags: options.stackTags ?? new Map<string, string>(),
    byUrn: new Map(resources.map((r) => [r.urn, r])),
    violations: [],
  };
  for (const policy of policies) {
    const level = enforcementLevelOf(policy, run.config, run.packLevel);
    if (level !== "disabled" && isResourcePolicy(policy) && policy.validateResource !== undefined) {
      await runResourcePolicy(run, policy, level, resources);
    }
  }
  const stackResources = toPolicyResources(resources);
  for (const policy of policies) {
    const level = enforcementLevelOf(policy, run.config, run.packLevel);
    if (level !== "disabled" && isStackPolicy(policy)) {
      await runStackPolicy(run, policy, level, resources, stackResources);
    }
  }
  return run.violations;
}

/** Where a policy's reports go: a violation blamed on the resource `blame` finds for the URN given. */
function reporter(
  run: Run,
  policy: Policy,
  level: EnforcementLevel,
  blame: (urn?: string) => RecordedResource | undefined,
): ReportViolation {
  return (message: string, urn?: string) => {
    const resource = blame(urn);
    run.violations.push({
      policy: policy.name,
      // "remediate" policies that still fail are reported as mandatory, as the engine does.
      enforcementLevel: level === "advisory" ? "advisory" : "mandatory",
      urn: resource?.urn ?? urn,
      type: resource?.type,
      name: resource?.name,
      message,
    });
  };
}

function providerOf(run: Run, resource: RecordedResource): PolicyProviderResource | undefined {
  const provider = resource.provider === undefined ? undefined : run.byUrn.get(resource.provider);
  return provider && { type: provider.type, props: provider.inputs, urn: provider.urn, name: provider.name };
}

/** The arguments the engine hands a resource policy for one resource. */
function resourceArgs(run: Run, resource: RecordedResource, settings: unknown): ResourceValidationArgs {
  const props = resource.inputs;
  const provider = providerOf(run, resource);
  return {
    type: resource.type,
    props,
    urn: resource.urn,
    name: resource.name,
    opts: resource.opts,
    stackTags: run.stackTags,
    ...(provider ? { provider } : {}),
    isType: <T extends Resource>(resourceClass: { new (...rest: never[]): T }) =>
      isTypeOf(resource.type, resourceClass),
    asType: <T extends Resource, TArgs>(resourceClass: { new (name: string, args: TArgs, ...rest: never[]): T }) =>
      isTypeOf(resource.type, resourceClass) ? trustedAs<Unwrap<NonNullable<TArgs>>>(props) : undefined,
    getConfig: <T extends object>() => settings as T,
    notApplicable,
  };
}

async function runResourcePolicy(
  run: Run,
  policy: ResourceValidationPolicy,
  level: EnforcementLevel,
  resources: readonly RecordedResource[],
): Promise<void> {
  const validateResource = policy.validateResource as ResourceValidation | ResourceValidation[];
  const validations: ResourceValidation[] = Array.isArray(validateResource) ? validateResource : [validateResource];
  const onlyType = validations.length === 1 ? pulumiTypeOf(validations[0]) : undefined;
  const settings = settingsOf(policy, run.config);
  for (const resource of resources) {
    if (onlyType !== undefined && onlyType !== resource.type) {
      continue;
    }
    const report = reporter(run, policy, level, () => resource);
    const args = resourceArgs(run, resource, settings);
    for (const validation of validations) {
      try {
        await validation(args, report);
      } catch (e) {
        if (!(e instanceof NotApplicable)) {
          throw new PolicyError(
            `policy ${policy.name} failed on ${resource.urn}: ${(e as Error).message ?? String(e)}`,
          );
        }
      }
    }
  }
}

async function runStackPolicy(
  run: Run,
  policy: StackValidationPolicy,
  level: EnforcementLevel,
  resources: readonly RecordedResource[],
  stackResources: PolicyResource[],
): Promise<void> {
  const onlyType = pulumiTypeOf(policy.validateStack);
  if (onlyType !== undefined && !resources.some((r) => r.type === onlyType)) {
    return;
  }
  const settings = settingsOf(policy, run.config);
  const args: StackValidationArgs = {
    resources: stackResources,
    stackTags: run.stackTags,
    getConfig: <T extends object>() => settings as T,
    notApplicable,
  };
  try {
    await policy.validateStack(
      args,
      reporter(run, policy, level, (urn) => (urn === undefined ? undefined : run.byUrn.get(urn))),
    );
  } catch (e) {
    if (!(e instanceof NotApplicable)) {
      throw new PolicyError(`policy ${policy.name} failed on the stack: ${(e as Error).message ?? String(e)}`);
    }
  }
}

/** The stack as `analyzeStack` sees it: outputs, with parents and dependencies linked to resources. */
function toPolicyResources(resources: readonly RecordedResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const list = resources.map((r) => {
    const resource: PolicyResource = {
      type: r.type,
      props: r.outputs,
      urn: r.urn,
      name: r.name,
      opts: r.opts,
      dependencies: [],
      propertyDependencies: {},
      isType: <T extends Resource>(resourceClass: { new (...rest: never[]): T }) => isTypeOf(r.type, resourceClass),
      asType: <T extends Resource>(resourceClass: { new (...rest: never[]): T }) =>
        isTypeOf(r.type, resourceClass) ? trustedAs<ResolvedResource<T>>(r.outputs) : undefined,
    };
    byUrn.set(r.urn, resource);
    return resource;
  });
  for (const [i, r] of resources.entries()) {
    const resource = list[i];
    const parent = r.parent === undefined ? undefined : byUrn.get(r.parent);
    if (parent) {
      resource.parent = parent;
    }
    const provider = r.provider === undefined ? undefined : byUrn.get(r.provider);
    if (provider) {
      resource.provider = { type: provider.type, props: provider.props, urn: provider.urn, name: provider.name };
    }
    resource.dependencies = r.dependencies.flatMap((u) => byUrn.get(u) ?? []);
    for (const [key, urns] of Object.entries(r.propertyDependencies)) {
      resource.propertyDependencies[key] = urns.flatMap((u) => byUrn.get(u) ?? []);
    }
  }
  return list;
}
