/**
 * DynamoDB: the orders table can be restored, is encrypted with KMS, is hard to delete by mistake,
 * and never throttles because someone guessed a capacity.
 */
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { StackIndex, stringProp } from "../lib/stack";

export const dynamodbPointInTimeRecovery: ResourceValidationPolicy = {
  name: "dynamodb-point-in-time-recovery",
  description:
    "Every table has point-in-time recovery, so that a bad deployment or a buggy handler can be undone " +
    "by restoring the table to any second of the last 35 days.",
  remediationSteps: "Set `pointInTimeRecovery: { enabled: true }` on the table.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, _args, reportViolation) => {
    if (table.pointInTimeRecovery?.enabled !== true) {
      reportViolation("Point-in-time recovery is off. Set pointInTimeRecovery: { enabled: true }.");
    }
  }),
};

export const dynamodbEncryption: ResourceValidationPolicy = {
  name: "dynamodb-encryption",
  description:
    "Every table is encrypted with a KMS key (server-side encryption enabled), so access to the data is " +
    "also governed, and logged, by KMS. With `requireCustomerManagedKey` the key must be this stack's own.",
  remediationSteps:
    "Set `serverSideEncryption: { enabled: true }` (AWS-managed key `aws/dynamodb`), or add `kmsKeyArn` for a " +
    "customer-managed key.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      requireCustomerManagedKey: {
        type: "boolean",
        default: false,
        description: "Also require `serverSideEncryption.kmsKeyArn` (a customer-managed key).",
      },
    },
  },
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, reportViolation) => {
    const { requireCustomerManagedKey = false } = args.getConfig<{ requireCustomerManagedKey?: boolean }>();
    const sse = table.serverSideEncryption;
    if (sse?.enabled !== true) {
      reportViolation("Server-side encryption with KMS is not enabled. Set serverSideEncryption: { enabled: true }.");
    } else if (requireCustomerManagedKey && !sse.kmsKeyArn) {
      reportViolation(
        "The table uses the AWS-managed key; this pack's config requires a customer-managed key. Set serverSideEncryption.kmsKeyArn.",
      );
    }
  }),
};

export const dynamodbDeletionProtection: ResourceValidationPolicy = {
  name: "dynamodb-deletion-protection",
  description:
    "Tables have deletion protection, so that neither a console click nor a replaced resource drops the " +
    "order records. Advisory: a dev stack that is torn down often may leave it off.",
  remediationSteps: "Set `deletionProtectionEnabled: true` (e.g. from stack config, true outside dev).",
  enforcementLevel: "advisory",
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, _args, reportViolation) => {
    if (table.deletionProtectionEnabled !== true) {
      reportViolation("Deletion protection is off. Set deletionProtectionEnabled: true.");
    }
  }),
};

const TARGET = "aws:appautoscaling/target:Target";
const SCALING_POLICY = "aws:appautoscaling/policy:Policy";
const DIMENSIONS = ["dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits"];

export const dynamodbOnDemandOrAutoscaling: StackValidationPolicy = {
  name: "dynamodb-on-demand-or-autoscaling",
  description:
    "Every table is billed on demand (PAY_PER_REQUEST), or, if provisioned, has Application Auto Scaling " +
    "targets and policies for both read and write capacity: a fixed capacity throttles orders at a peak " +
    "and is paid for when idle.",
  remediationSteps:
    'Set `billingMode: "PAY_PER_REQUEST"`, or declare an `aws.appautoscaling.Target` and a target-tracking ' +
    "`aws.appautoscaling.Policy` for `dynamodb:table:ReadCapacityUnits` and `...WriteCapacityUnits` on `table/<name>`.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const stack = new StackIndex(args.resources);
    for (const table of stack.ofType("aws:dynamodb/table:Table")) {
      const billingMode = stringProp(table, "billingMode") ?? "PROVISIONED";
      if (billingMode === "PAY_PER_REQUEST") {
        continue;
      }
      const resourceId = `table/${stringProp(table, "name") ?? table.name}`;
      const covered = (type: string, dimension: string): boolean =>
        stack
          .ofType(type)
          .some((r) => stringProp(r, "resourceId") === resourceId && stringProp(r, "scalableDimension") === dimension);
      const missing = DIMENSIONS.filter((d) => !covered(TARGET, d) || !covered(SCALING_POLICY, d));
      if (missing.length > 0) {
        reportViolation(
          `Table ${table.name} is provisioned (${billingMode}) without auto scaling of ${missing.join(" and ")}. ` +
            'Use billingMode: "PAY_PER_REQUEST" or add an appautoscaling Target and Policy for each.',
          table.urn,
        );
      }
    }
  },
};

export const dynamodbPolicies = [
  dynamodbPointInTimeRecovery,
  dynamodbEncryption,
  dynamodbDeletionProtection,
  dynamodbOnDemandOrAutoscaling,
];
