import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENV, ORDERS_TABLE_KEY } from "../handlers/contract";
import { chargePaymentFactory } from "../handlers/chargePayment";
import { retrieveStockLevelsFactory } from "../handlers/retrieveStockLevels";
import { verifyPaymentDetailsFactory } from "../handlers/verifyPaymentDetails";
import { render } from "../workflow/asl";
import { LAMBDA_TASK_TIMEOUT_SECONDS, orderWorkflowDefinition } from "../workflow/definition";
import { stateMachinePolicy, statesTrustPolicy, topicPolicy } from "./policies";
import { WorkflowFunction } from "./workflowFunction";

/** Probabilities (0 to 1) with which the simulated payment gateway and inventory fail. */
export interface SimulatedFailureRates {
  /** Payment verification declines (the seed: 0.25). */
  readonly payment: pulumi.Input<number>;
  /** Each item is out of stock (the seed: 0.1). */
  readonly stock: pulumi.Input<number>;
  /** The charge is declined with `PaymentError` (the seed: 0.25). */
  readonly charge: pulumi.Input<number>;
}

export interface OrderWorkflowArgs {
  /** Simulated failure rates passed to the Lambdas; 0 turns a simulation off. */
  readonly simulatedFailureRates: SimulatedFailureRates;
  /** STANDARD (exactly-once steps, execution-name idempotency, 1-year runs) or EXPRESS (at-least-once, cheaper at volume). */
  readonly workflowType?: pulumi.Input<"STANDARD" | "EXPRESS">;
  /** State machine log level: ALL, ERROR, FATAL or OFF. Execution data is never logged. */
  readonly logLevel?: pulumi.Input<"ALL" | "ERROR" | "FATAL" | "OFF">;
  /** Days CloudWatch keeps the state machine's and the functions' logs. */
  readonly logRetentionDays?: pulumi.Input<number>;
  /** Refuse to delete the orders table (DynamoDB deletion protection). On by default. */
  readonly tableDeletionProtection?: pulumi.Input<boolean>;
  /** Lambda runtime: nodejs22.x or newer. */
  readonly lambdaRuntime?: string;
  /** Lambda architecture: arm64 (default) or x86_64. */
  readonly lambdaArchitecture?: pulumi.Input<string>;
  /** Lambda memory in MB. */
  readonly lambdaMemorySize?: pulumi.Input<number>;
}

export const DEFAULTS = {
  workflowType: "STANDARD",
  logLevel: "ERROR",
  logRetentionDays: 30,
  tableDeletionProtection: true,
  lambdaRuntime: "nodejs22.x",
  lambdaArchitecture: "arm64",
  lambdaMemorySize: 128,
} as const;

/**
 * The order-processing workflow: the CustomerOrders table, the notification topic (and its key),
 * the three Lambdas, and the state machine that ties them together, each with its own role.
 */
export class OrderWorkflow extends pulumi.ComponentResource {
  public readonly stateMachineArn: pulumi.Output<string>;
  public readonly stateMachineName: pulumi.Output<string>;
  public readonly consoleUrl: pulumi.Output<string>;
  public readonly tableName: pulumi.Output<string>;
  public readonly tableArn: pulumi.Output<string>;
  public readonly topicArn: pulumi.Output<string>;
  public readonly functionNames: pulumi.Output<{ verifyPaymentDetails: string; retrieveStockLevels: string; chargePayment: string }>;
  public readonly stateMachineLogGroupName: pulumi.Output<string>;

  constructor(name: string, args: OrderWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orders:workflow:OrderWorkflow", name, {}, opts);
    const parent = { parent: this };
    const identity = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const logRetentionDays = args.logRetentionDays ?? DEFAULTS.logRetentionDays;

    const table = new aws.dynamodb.Table(
      `${name}-customer-orders`,
      {
        attributes: [{ name: ORDERS_TABLE_KEY, type: "S" }],
        hashKey: ORDERS_TABLE_KEY,
        billingMode: "PAY_PER_REQUEST",
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: args.tableDeletionProtection ?? DEFAULTS.tableDeletionProtection,
      },
      parent,
    );

    const topicKey = new aws.kms.Key(
      `${name}-notifications-key`,
      { description: `Encrypts the ${name} order notifications`, enableKeyRotation: true, deletionWindowInDays: 30 },
      parent,
    );
    const topic = new aws.sns.Topic(`${name}-notifications`, { kmsMasterKeyId: topicKey.arn }, parent);

    const lambdaSettings = {
      runtime: args.lambdaRuntime ?? DEFAULTS.lambdaRuntime,
      architecture: args.lambdaArchitecture ?? DEFAULTS.lambdaArchitecture,
      memorySize: args.lambdaMemorySize ?? DEFAULTS.lambdaMemorySize,
      // Below the state machine's task timeout, so a slow invocation is ended by Lambda first.
      timeout: LAMBDA_TASK_TIMEOUT_SECONDS - 2,
      logRetentionDays,
    };
    const rate = (value: pulumi.Input<number>) => pulumi.output(value).apply(String);
    const verifyPaymentDetails = new WorkflowFunction(
      `${name}-verify-payment-details`,
      {
        ...lambdaSettings,
        callbackFactory: verifyPaymentDetailsFactory,
        description: "Validates the order and verifies its payment details",
        environment: { [ENV.paymentFailureRate]: rate(args.simulatedFailureRates.payment) },
      },
      parent,
    );
    const retrieveStockLevels = new WorkflowFunction(
      `${name}-retrieve-stock-levels`,
      {
        ...lambdaSettings,
        callbackFactory: retrieveStockLevelsFactory,
        description: "Adds each item's stock level to the order",
        environment: { [ENV.stockFailureRate]: rate(args.simulatedFailureRates.stock) },
      },
      parent,
    );
    const chargePayment = new WorkflowFunction(
      `${name}-charge-payment`,
      {
        ...lambdaSettings,
        callbackFactory: chargePaymentFactory,
        description: "Charges the customer once per order and records the processed order",
        environment: { [ENV.chargeFailureRate]: rate(args.simulatedFailureRates.charge), [ENV.tableName]: table.name },
        tableArn: table.arn,
      },
      parent,
    );

    const stateMachineRole = new aws.iam.Role(
      `${name}-state-machine-role`,
      {
        assumeRolePolicy: pulumi
          .all([identity.accountId, partition.partition, region.region])
          .apply(([accountId, part, reg]) => JSON.stringify(statesTrustPolicy(accountId, part, reg))),
      },
      parent,
    );
    const stateMachineRolePolicy = new aws.iam.RolePolicy(
      `${name}-state-machine-policy`,
      {
        role: stateMachineRole.id,
        policy: pulumi
          .all([verifyPaymentDetails.arn, retrieveStockLevels.arn, chargePayment.arn, table.arn, topic.arn, topicKey.arn])
          .apply(([verifyArn, stockArn, chargeArn, tableArn, topicArn, topicKeyArn]) =>
            JSON.stringify(
              stateMachinePolicy({ functionArns: [verifyArn, stockArn, chargeArn], tableArn, topicArn, topicKeyArn }),
            ),
          ),
      },
      parent,
    );
    new aws.sns.TopicPolicy(
      `${name}-notifications-policy`,
      {
        arn: topic.arn,
        policy: pulumi.all([topic.arn, stateMachineRole.arn]).apply(([topicArn, roleArn]) => JSON.stringify(topicPolicy(topicArn, roleArn))),
      },
      parent,
    );

    // Vended-logs prefix: Step Functions manages the log group's resource policy under it.
    const stateMachineLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-state-machine-logs`,
      { namePrefix: `/aws/vendedlogs/states/${name}-`, retentionInDays: logRetentionDays },
      parent,
    );

    const definition = pulumi
      .all([verifyPaymentDetails.arn, retrieveStockLevels.arn, chargePayment.arn, table.name, topic.arn])
      .apply(([verifyArn, stockArn, chargeArn, tableName, topicArn]) =>
        render(
          orderWorkflowDefinition({
            verifyPaymentDetailsFunction: verifyArn,
            retrieveStockLevelsFunction: stockArn,
            chargePaymentFunction: chargeArn,
            tableName,
            topicArn,
          }),
        ),
      );

    const stateMachine = new aws.sfn.StateMachine(
      `${name}-state-machine`,
      {
        type: args.workflowType ?? DEFAULTS.workflowType,
        roleArn: stateMachineRole.arn,
        definition,
        loggingConfiguration: {
          level: args.logLevel ?? DEFAULTS.logLevel,
          // Execution input holds card details: never write execution data to the logs.
          includeExecutionData: false,
          logDestination: pulumi.interpolate`${stateMachineLogGroup.arn}:*`,
        },
        tracingConfiguration: { enabled: true },
      },
      // The role must be able to invoke, write and log before the first execution.
      { parent: this, dependsOn: [stateMachineRolePolicy] },
    );

    this.stateMachineArn = stateMachine.arn;
    this.stateMachineName = stateMachine.name;
    this.consoleUrl = pulumi.interpolate`https://${region.region}.console.aws.amazon.com/states/home?region=${region.region}#/statemachines/view/${stateMachine.arn}`;
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.topicArn = topic.arn;
    this.functionNames = pulumi
      .all([verifyPaymentDetails.functionName, retrieveStockLevels.functionName, chargePayment.functionName])
      .apply(([verify, stock, charge]) => ({ verifyPaymentDetails: verify, retrieveStockLevels: stock, chargePayment: charge }));
    this.stateMachineLogGroupName = stateMachineLogGroup.name;
    this.registerOutputs({
      stateMachineArn: this.stateMachineArn,
      stateMachineName: this.stateMachineName,
      consoleUrl: this.consoleUrl,
      tableName: this.tableName,
      topicArn: this.topicArn,
      functionNames: this.functionNames,
      stateMachineLogGroupName: this.stateMachineLogGroupName,
    });
  }
}
