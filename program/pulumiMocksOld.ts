/**
 * Pulumi mocks that give every resource the outputs AWS would (ARNs, autonamed names, ids), so
 * that a program can be registered, inspected and policy-checked without the CLI or an account.
 */
import * as pulumi from "@pulumi/pulumi";
import { createMocks } from "./mocks";

export const MOCK_ACCOUNT = "123456789012";
export const MOCK_REGION = "us-east-1";

/** One resource as the program registered it. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly id: string;
  readonly custom: boolean;
  /** The inputs the program gave (Outputs resolved). */
  readonly inputs: Record<string, unknown>;
  /** The mocked state: inputs plus computed outputs such as `arn`. */
  readonly state: Record<string, unknown>;
}

/** Records every registration; `resources` is the stack as the engine would see it. */
export class RecordingMocks implements pulumi.runtime.Mocks {
  public readonly resources: RegisteredResource[] = [];
  /** The outputs AWS would give, as the policy pack's offline runner mocks them (one source of ARN formats). */
  private readonly aws = createMocks({ accountId: MOCK_ACCOUNT, region: MOCK_REGION, partition: "aws" });

  constructor(
    private readonly project: string,
    private readonly stack: string,
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = args.inputs as Record<string, unknown>;
    const { id, state } = this.aws.newResource(args) as { id: string | undefined; state: Record<string, unknown> };
    const urn = `urn:pulumi:${this.stack}::${this.project}::${args.type}::${args.name}`;
    this.resources.push({ type: args.type, name: args.name, urn, id: id ?? args.name, custom: args.custom ?? true, inputs, state });
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return this.aws.call(args) as Record<string, unknown>;
  }
}

/** Installs the mocks and the stack's configuration; call before the program is imported. */
export async function installMocks(
  project: string,
  stack: string,
  config: Record<string, string> = {},
): Promise<RecordingMocks> {
  const mocks = new RecordingMocks(project, stack);
  // Config keys are "namespace:key", as in a stack file.
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(mocks, project, stack, false);
  return mocks;
}
