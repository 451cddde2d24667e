/**
 * The workflow's alarms: CloudWatch MetricAlarms on what needs a person, each publishing to an
 * alarm topic of its own (encrypted with its own key, separate from the order notifications).
 * docs/operations.md has a runbook per alarm, under the alarm's key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COMPENSATION_FAILED, FAILED_ORDERS_METRIC, INTERNAL_ERROR } from "../workflow/execution/outcomes";
import { FUNCTION_KEYS, FunctionKey } from "../workflow/functions";
import { KeyAccount, alarmTopicKeyPolicy, alarmTopicPolicy } from "./operationsPolicies";

/** The alarms, by key (each key's runbook is in docs/operations.md). */
export const ALARM_KEYS = [
  "executionsTimedOut",
  "executionsAborted",
  "executionsThrottled",
  "internalErrors",
  "compensationFailures",
  "lambdaErrors",
  "lambdaThrottles",
  "dynamodbThrottles",
  "dynamodbSystemErrors",
  "notificationsFailed",
  "deadLetters",
] as const;
export type AlarmKey = (typeof ALARM_KEYS)[number];

/**
 * When each alarm fires: its metric's sum over one period reaches the threshold. Every default is 1:
 * none of these should ever happen, and one is worth a look (a business outcome is never counted).
 */
export const DEFAULT_THRESHOLDS: Readonly<Record<AlarmKey, number>> = Object.fromEntries(
  ALARM_KEYS.map((key) => [key, 1]),
) as Record<AlarmKey, number>;

export interface AlarmArgs {
  /**
   * Whether the alarms (and their topic) are created.
   * @default `true`
   */
  readonly enabled?: boolean;
  /**
   * Seconds of each alarm's period (60 or a multiple of 60).
   * @default `300`
   */
  readonly periodSeconds?: number;
  /**
   * Periods in a row the threshold must be reached before an alarm fires.
   * @default `1`
   */
  readonly evaluationPeriods?: number;
  /**
   * Thresholds by alarm key; a key left out keeps its default.
   * @default every threshold `1` ({@link DEFAULT_THRESHOLDS})
   * @example
   * ```ts
   * { thresholds: { lambdaThrottles: 10, dynamodbThrottles: 25 } }
   * ```
   */
  readonly thresholds?: Partial<Record<AlarmKey, number>>;
}

export const ALARM_DEFAULTS = { enabled: true, periodSeconds: 300, evaluationPeriods: 1 } as const;

/** Checks thresholds read from a stack's config: known keys, each a number of 0 or more. */
export function checkThresholds(raw: unknown): Partial<Record<AlarmKey, number>> {
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new Error("alarmThresholds must be an object of alarm keys to numbers");
  const out: Partial<Record<AlarmKey, number>> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(ALARM_KEYS as readonly string[]).includes(key))
      throw new Error(`alarmThresholds: unknown alarm "${key}" (the alarms are ${ALARM_KEYS.join(", ")})`);
    if (typeof value !== "number" || !(value >= 0))
      throw new Error(`alarmThresholds: ${key} must be a number of 0 or more (got ${JSON.stringify(value)})`);
    out[key as AlarmKey] = value;
  }
  return out;
}

/** What the alarms watch. */
export interface AlarmTargets {
  readonly stateMachineArn: pulumi.Input<string>;
  readonly functionNames: Readonly<Record<FunctionKey, pulumi.Input<string>>>;
  readonly tableName: pulumi.Input<string>;
  readonly notificationTopicName: pulumi.Input<string>;
  readonly deadLetterQueueName: pulumi.Input<string>;
  /** The namespace of the workflow's own metric (workflow/execution/outcomes.ts). */
  readonly namespace: string;
}

/** One metric (summed over the period), or metric math over several. */
type Metric =
  | {
      readonly namespace: string;
      readonly metricName: string;
      readonly dimensions: Record<string, pulumi.Input<string>>;
    }
  | { readonly metricQueries: aws.types.input.cloudwatch.MetricAlarmMetricQuery[] };

/** The metric math that adds one metric over several operations of the table (DynamoDB reports per operation). */
function tableSum(
  tableName: pulumi.Input<string>,
  period: number,
  metrics: ReadonlyArray<{ name: string; operation?: string }>,
): Metric {
  const queries = metrics.map((m, i) => ({
    id: `m${i}`,
    returnData: false,
    metric: {
      namespace: "AWS/DynamoDB",
      metricName: m.name,
      period,
      stat: "Sum",
      dimensions: { TableName: tableName, ...(m.operation === undefined ? {} : { Operation: m.operation }) },
    },
  }));
  return {
    metricQueries: [
      ...queries,
      { id: "total", expression: queries.map((q) => `FILL(${q.id}, 0)`).join(" + "), returnData: true },
    ],
  };
}

/** One alarm's metric, with the key of its threshold and its resource name's suffix. */
interface AlarmMetric {
  readonly key: AlarmKey;
  readonly suffix: string;
  readonly description: string;
  readonly metric: Metric;
}

/** Each alarm's metric; the Lambda alarms come once per function. */
function alarmMetrics(t: AlarmTargets, period: number): AlarmMetric[] {
  return [...executionMetrics(t), ...resourceMetrics(t, period)];
}

/** The alarms on the executions: the state machine's own metrics and the orders that need a person. */
function executionMetrics(t: AlarmTargets): AlarmMetric[] {
  const states = (metricName: string): Metric => ({
    namespace: "AWS/States",
    metricName,
    dimensions: { StateMachineArn: t.stateMachineArn },
  });
  const failed = (reason: string): Metric => ({
    namespace: t.namespace,
    metricName: FAILED_ORDERS_METRIC.name,
    dimensions: { [FAILED_ORDERS_METRIC.reasonDimension]: reason },
  });
  return [
    {
      key: "executionsTimedOut",
      suffix: "executions-timed-out",
      description: "Executions timed out",
      metric: states("ExecutionsTimedOut"),
    },
    {
      key: "executionsAborted",
      suffix: "executions-aborted",
      description: "Executions aborted",
      metric: states("ExecutionsAborted"),
    },
    {
      key: "executionsThrottled",
      suffix: "executions-throttled",
      description: "State transitions throttled",
      metric: states("ExecutionThrottled"),
    },
    {
      key: "internalErrors",
      suffix: "internal-errors",
      description: `Orders that ended ${INTERNAL_ERROR}`,
      metric: failed(INTERNAL_ERROR),
    },
    {
      key: "compensationFailures",
      suffix: "compensation-failures",
      description: `Orders that ended ${COMPENSATION_FAILED}`,
      metric: failed(COMPENSATION_FAILED),
    },
  ];
}

/** The alarms on the resources: each function's errors and throttles, the table, the topic, the queue. */
function resourceMetrics(t: AlarmTargets, period: number): AlarmMetric[] {
  const perFunction = (key: AlarmKey, metricName: string, what: string): AlarmMetric[] =>
    FUNCTION_KEYS.map((fn) => ({
      key,
      suffix: `${key}-${fn}`,
      description: `${what} of ${fn}`,
      metric: { namespace: "AWS/Lambda", metricName, dimensions: { FunctionName: t.functionNames[fn] } },
    }));
  return [
    ...perFunction("lambdaErrors", "Errors", "Invocation errors"),
    ...perFunction("lambdaThrottles", "Throttles", "Throttled invocations"),
    {
      key: "dynamodbThrottles",
      suffix: "dynamodb-throttles",
      description: "Throttled reads and writes on the orders table",
      metric: tableSum(t.tableName, period, [{ name: "ReadThrottleEvents" }, { name: "WriteThrottleEvents" }]),
    },
    {
      key: "dynamodbSystemErrors",
      suffix: "dynamodb-system-errors",
      description: "DynamoDB system errors on the orders table (PutItem, GetItem)",
      metric: tableSum(t.tableName, period, [
        { name: "SystemErrors", operation: "PutItem" },
        { name: "SystemErrors", operation: "GetItem" },
      ]),
    },
    {
      key: "notificationsFailed",
      suffix: "notifications-failed",
      description: "Order notifications SNS could not deliver",
      metric: {
        namespace: "AWS/SNS",
        metricName: "NumberOfNotificationsFailed",
        dimensions: { TopicName: t.notificationTopicName },
      },
    },
    {
      key: "deadLetters",
      suffix: "dead-letters",
      description: "Executions waiting in the dead-letter queue for a person",
      metric: {
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: t.deadLetterQueueName },
      },
    },
  ];
}

export interface Alarms {
  readonly topicKey: aws.kms.Key;
  readonly topic: aws.sns.Topic;
  readonly alarms: aws.cloudwatch.MetricAlarm[];
}

/** The alarm topic (its own key, publishable by this account's alarms only) and one alarm per metric. */
export function workflowAlarms(
  name: string,
  args: AlarmArgs,
  targets: AlarmTargets,
  account: pulumi.Output<KeyAccount>,
  parent: { readonly parent: pulumi.Resource },
): Alarms {
  const topicKey = new aws.kms.Key(
    `${name}-alarms-key`,
    {
      description: `Encrypts the ${name} alarm notifications`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: account.apply((a) => JSON.stringify(alarmTopicKeyPolicy(a))),
    },
    parent,
  );
  const topic = new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: topicKey.arn }, parent);
  new aws.sns.TopicPolicy(
    `${name}-alarms-policy`,
    {
      arn: topic.arn,
      policy: pulumi.all([topic.arn, account]).apply(([arn, a]) => JSON.stringify(alarmTopicPolicy(arn, a))),
    },
    parent,
  );
  const thresholds = { ...DEFAULT_THRESHOLDS, ...args.thresholds };
  const period = args.periodSeconds ?? ALARM_DEFAULTS.periodSeconds;
  const alarms = alarmMetrics(targets, period).map(({ key, suffix, description, metric }) => {
    return new aws.cloudwatch.MetricAlarm(
      `${name}-${suffix}`,
      {
        alarmDescription: `${description}. Runbook: docs/operations.md#${key.toLowerCase()}`,
        ...("metricQueries" in metric ? metric : { ...metric, statistic: "Sum", period }),
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: thresholds[key],
        evaluationPeriods: args.evaluationPeriods ?? ALARM_DEFAULTS.evaluationPeriods,
        treatMissingData: "notBreaching",
        alarmActions: [topic.arn],
        okActions: [topic.arn],
      },
      parent,
    );
  });
  return { topicKey, topic, alarms };
}
