/**
 * Runs a Pulumi program in this process under mocks, as `pulumi preview` would run it, and returns
 * every resource it registered (with its parent) and the stack's outputs.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { RegisteredResource, installMocks } from "./pulumiMocksOld";

export interface LoadedResource extends RegisteredResource {
  /** The URN of the resource's parent, or undefined for the stack itself. */
  readonly parentUrn?: string;
  /** The resource options the program gave (parent, dependsOn, protect, ...). */
  readonly opts: pulumi.CustomResourceOptions | pulumi.ComponentResourceOptions;
}

export interface LoadedProgram {
  readonly project: string;
  readonly stack: string;
  readonly resources: LoadedResource[];
  readonly outputs: Record<string, unknown>;
}

export interface LoadOptions {
  readonly project: string;
  readonly stack: string;
  /** Stack configuration, keys as in a stack file ("project:key", "aws:region"). */
  readonly config?: Record<string, string>;
  /** Runs inside the stack before the program, e.g. to construct resources directly. */
  readonly program?: () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;
}

async function resolve(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    return new Promise((done) => value.apply((v) => done(v)));
  }
  return value;
}

/** Loads `modulePath` (a TypeScript or JavaScript module) or runs `options.program`. */
export async function loadProgram(modulePath: string | undefined, options: LoadOptions): Promise<LoadedProgram> {
  const mocks = await installMocks(options.project, options.stack, options.config ?? {});
  // Registration order differs from construction order, so options are matched by type and name.
  const registrations = new Map<string, { resource: pulumi.Resource; opts: pulumi.ResourceOptions }>();
  const exports = await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      registrations.set(`${args.type}::${args.name}`, { resource: args.resource, opts: args.opts });
      return undefined;
    });
    if (options.program) return (await options.program()) ?? {};
    const resolved = path.resolve(modulePath ?? "index.ts");
    // Loaded synchronously by a path known only at run time, as `pulumi` loads a program; `import()`
    // would wrap a CommonJS module's exports (esModuleInterop) and add a `default` output.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(resolved) as Record<string, unknown>;
  });
  await pulumi.runtime.disconnect();

  const urnOf = async (resource: pulumi.Resource | undefined) => (resource ? resolve(resource.urn) : undefined);
  const resources: LoadedResource[] = [];
  for (const registered of mocks.resources) {
    const registration = registrations.get(`${registered.type}::${registered.name}`);
    const urn = ((await urnOf(registration?.resource)) as string | undefined) ?? registered.urn;
    const opts = registration?.opts ?? {};
    resources.push({ ...registered, urn, parentUrn: (await urnOf(opts.parent)) as string | undefined, opts });
  }
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exports ?? {})) outputs[key] = await resolve(value);
  return { project: options.project, stack: options.stack, resources, outputs };
}
