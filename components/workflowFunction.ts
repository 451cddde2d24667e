/**
 * WorkflowFunction: one Lambda of the workflow as a component, with its own log group and role and
 * the handler bundled by CallbackFunction; which functions there are is workflow/functions.ts's.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { functionPolicy, lambdaTrustPolicy } from "./policies";

/**
 * Packages that must not be bundled: the Lambda Node.js runtime ships the AWS SDK v3, and the
 * Pulumi packages are deploy-time only. Every other runtime dependency of package.json is listed
 * here too, so an archive holds only the serialized handler.
 */
export const EXCLUDED_PACKAGES = ["@aws-sdk/client-dynamodb", "@aws-sdk/client-sns", "@aws-sdk/client-sfn"];

export interface WorkflowFunctionArgs<E, R> {
  /** Builds the handler once per container; SDK clients belong inside it, not captured outside. */
  readonly callbackFactory: aws.lambda.CallbackFactory<E, R>;
  /** What the function does, for the console. */
  readonly description: string;
  /** Environment variables (never secrets: they are visible in the console). */
  readonly environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Lambda runtime, nodejs22.x or newer. */
  readonly runtime: string;
  /** `arm64` (cheaper per GB-second) or `x86_64`. */
  readonly architecture: pulumi.Input<string>;
  /** Memory in MB; CPU scales with it. */
  readonly memorySize: pulumi.Input<number>;
  /** Seconds before Lambda stops an invocation. */
  readonly timeout: pulumi.Input<number>;
  /** Days CloudWatch keeps the function's logs. */
  readonly logRetentionDays: pulumi.Input<number>;
  /** The orders table's ARN and the actions granted on it, for a function that uses it. */
  readonly ordersTable?: { readonly arn: pulumi.Input<string>; readonly actions: readonly string[] };
  /** The inventory table's ARN and the actions granted on it, for a function that uses stock. */
  readonly inventoryTable?: { readonly arn: pulumi.Input<string>; readonly actions: readonly string[] };
}

/**
 * One Lambda of the workflow with what it alone needs: its log group (retention set), its own
 * role (its log group, X-Ray, and the table only if it uses it) and the bundled callback.
 */
export class WorkflowFunction<E = never, R = unknown> extends pulumi.ComponentResource {
  /** The Lambda itself (a CallbackFunction: its code is the serialized handler factory). */
  public readonly function: aws.lambda.CallbackFunction<E, R>;
  /** The function's own role: its log group, X-Ray, and the orders table only if it uses it. */
  public readonly role: aws.iam.Role;
  /** The function's own log group, with the stack's retention. */
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly functionName: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  /** The version this deploy published (`<arn>:<version>`): what the state machine invokes. */
  public readonly qualifiedArn: pulumi.Output<string>;

  constructor(name: string, args: WorkflowFunctionArgs<E, R>, opts?: pulumi.ComponentResourceOptions) {
    super("orders:workflow:WorkflowFunction", name, {}, opts);
    const parent = { parent: this };

    this.logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: args.logRetentionDays }, parent);

    this.role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: JSON.stringify(lambdaTrustPolicy()) }, parent);
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([this.logGroup.arn, args.ordersTable?.arn, args.inventoryTable?.arn])
          .apply(([logGroupArn, tableArn, inventoryArn]) =>
            JSON.stringify(
              functionPolicy({
                logGroupArn,
                ...(args.ordersTable === undefined || tableArn === undefined
                  ? {}
                  : { ordersTable: { arn: tableArn, actions: args.ordersTable.actions } }),
                ...(args.inventoryTable === undefined || inventoryArn === undefined
                  ? {}
                  : { inventoryTable: { arn: inventoryArn, actions: args.inventoryTable.actions } }),
              }),
            ),
          ),
      },
      parent,
    );

    this.function = new aws.lambda.CallbackFunction<E, R>(
      name,
      {
        callbackFactory: args.callbackFactory,
        description: args.description,
        role: this.role,
        runtime: args.runtime,
        architectures: [args.architecture],
        memorySize: args.memorySize,
        timeout: args.timeout,
        environment: { variables: args.environment },
        tracingConfig: { mode: "Active" },
        loggingConfig: {
          logFormat: "JSON",
          logGroup: this.logGroup.name,
          applicationLogLevel: "INFO",
          systemLogLevel: "WARN",
        },
        codePathOptions: { extraExcludePackages: [...EXCLUDED_PACKAGES] },
        // Each change publishes a version, and the definition invokes that version: a deploy never
        // changes the code under a running execution.
        publish: true,
      },
      // The function must not run before it may write its logs.
      { parent: this, dependsOn: [policy] },
    );

    this.functionName = this.function.name;
    this.arn = this.function.arn;
    this.qualifiedArn = this.function.qualifiedArn;
    this.registerOutputs({
      functionName: this.functionName,
      arn: this.arn,
      qualifiedArn: this.qualifiedArn,
      roleArn: this.role.arn,
      logGroupName: this.logGroup.name,
    });
  }
}
