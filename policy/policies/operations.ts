/**
 * Operations: a state machine keeps its execution data (card details, in the history for 90 days)
 * under the stack's own KMS key, and someone is told when its executions time out, abort, are
 * throttled or fail. Both advisory: a stack may decide otherwise, knowingly.
 */
import * as aws from "@pulumi/aws";
import {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";

export const stepFunctionsCustomerManagedKey: ResourceValidationPolicy = {
  name: "stepfunctions-customer-managed-key",
  description:
    "Every state machine encrypts its definition and execution history with a customer managed KMS key " +
    "(encryptionConfiguration type CUSTOMER_MANAGED_KMS_KEY), so that who may read execution data is the key policy's decision.",
  remediationSteps:
    'Set `encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: key.arn }` and give the execution role ' +
    "kms:Decrypt and kms:GenerateDataKey with the `kms:EncryptionContext:aws:states:stateMachineArn` condition (components/encryption.ts).",
  enforcementLevel: "advisory",
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, _args, reportViolation) => {
    const encryption = machine.encryptionConfiguration;
    if (encryption?.type !== "CUSTOMER_MANAGED_KMS_KEY" || !encryption.kmsKeyId) {
      reportViolation(
        `Execution data is encrypted with ${encryption?.type ?? "AWS_OWNED_KEY (the default)"}${encryption?.type === "CUSTOMER_MANAGED_KMS_KEY" ? " but no kmsKeyId" : ""}. ` +
          "Use a customer managed key of this stack.",
      );
    }
  }),
};

/** Whether an alarm watches the state machine with this ARN (a metric, or a metric of its metric math). */
function watches(alarm: PolicyResource, stateMachineArn: string): boolean {
  const props = alarm.props as {
    dimensions?: Record<string, unknown>;
    metricQueries?: Array<{ metric?: { dimensions?: Record<string, unknown> } }>;
  };
  const dimensions = [props.dimensions, ...(props.metricQueries ?? []).map((q) => q.metric?.dimensions)];
  return dimensions.some((d) => d !== undefined && d["StateMachineArn"] === stateMachineArn);
}

/** The AWS/States metrics an operator must hear of. */
export const WATCHED_STATES_METRICS = ["ExecutionsTimedOut", "ExecutionsAborted", "ExecutionThrottled"] as const;

export const stepFunctionsAlarms: StackValidationPolicy = {
  name: "stepfunctions-alarms",
  description:
    "Every state machine has CloudWatch alarms, with an action, on its timed-out, aborted and throttled executions " +
    `(${WATCHED_STATES_METRICS.join(", ")}): a workflow nobody watches loses orders quietly.`,
  remediationSteps:
    "Add an `aws.cloudwatch.MetricAlarm` per metric with `dimensions: { StateMachineArn: machine.arn }` and `alarmActions` " +
    "(an SNS topic of the stack), as components/alarms.ts does.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const alarms = args.resources.filter((r) => r.isType(aws.cloudwatch.MetricAlarm));
    for (const machine of args.resources.filter((r) => r.isType(aws.sfn.StateMachine))) {
      const arn = (machine.props as { arn?: unknown }).arn;
      if (typeof arn !== "string") {
        continue;
      }
      const mine = alarms.filter(
        (a) => watches(a, arn) && ((a.props as { alarmActions?: unknown[] }).alarmActions ?? []).length > 0,
      );
      const missing = WATCHED_STATES_METRICS.filter(
        (metric) => !mine.some((a) => (a.props as { metricName?: unknown }).metricName === metric),
      );
      if (missing.length > 0) {
        reportViolation(
          `State machine ${machine.name} has no alarm with an action on ${missing.join(", ")}.`,
          machine.urn,
        );
      }
    }
  },
};

export const operationsPolicies = [stepFunctionsCustomerManagedKey, stepFunctionsAlarms];
