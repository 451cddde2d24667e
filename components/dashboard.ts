/**
 * The workflow's CloudWatch dashboard: outcomes per reason code, execution and Lambda durations,
 * throttles, and the dead-letter queue's depth. The body is plain data (dashboardBody), so a test
 * reads exactly what the dashboard shows.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REASON_CODES } from "../handlers/contract";
import { BUSINESS_OUTCOMES, COMPENSATION_FAILED, FAILED_ORDERS_METRIC } from "../workflow/execution/outcomes";
import { FUNCTION_KEYS, FunctionKey } from "../workflow/functions";

export interface DashboardTargets {
  readonly region: string;
  readonly namespace: string;
  readonly stateMachineArn: string;
  readonly functionNames: Readonly<Record<FunctionKey, string>>;
  readonly tableName: string;
  readonly deadLetterQueueName: string;
  readonly periodSeconds: number;
}

/** Every reason an order can end with, once each: the reason codes, the business outcomes, a failed compensation. */
export const DASHBOARD_REASONS: readonly string[] = [
  ...new Set([...REASON_CODES, ...BUSINESS_OUTCOMES, COMPENSATION_FAILED]),
];

type MetricLine = Array<string | Record<string, string>>;

function widget(title: string, metrics: MetricLine[], t: DashboardTargets, x: number, y: number, stat = "Sum") {
  return {
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region: t.region, period: t.periodSeconds, stat, view: "timeSeries", stacked: false, metrics },
  };
}

export function dashboardBody(t: DashboardTargets): { widgets: unknown[] } {
  const lambda = (metric: string, stat?: string): MetricLine[] =>
    FUNCTION_KEYS.map((key): MetricLine => [
      "AWS/Lambda",
      metric,
      "FunctionName",
      t.functionNames[key],
      stat === undefined ? { label: key } : { stat, label: `${key} ${stat}` },
    ]);
  const outcomes: MetricLine[] = [
    ["AWS/States", "ExecutionsSucceeded", "StateMachineArn", t.stateMachineArn, { label: "PROCESSED" }],
    ...DASHBOARD_REASONS.map((reason): MetricLine => [
      t.namespace,
      FAILED_ORDERS_METRIC.name,
      FAILED_ORDERS_METRIC.reasonDimension,
      reason,
      { label: reason },
    ]),
  ];
  const durations: MetricLine[] = ["p50", "p99"].map((stat) => [
    "AWS/States",
    "ExecutionTime",
    "StateMachineArn",
    t.stateMachineArn,
    { stat, label: `execution ${stat}` },
  ]);
  const throttles: MetricLine[] = [
    ["AWS/States", "ExecutionThrottled", "StateMachineArn", t.stateMachineArn, { label: "state transitions" }],
    ...lambda("Throttles"),
    ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", t.tableName, { label: "table reads" }],
    ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", t.tableName, { label: "table writes" }],
  ];
  return {
    widgets: [
      widget("Orders by outcome (reason code)", outcomes, t, 0, 0),
      widget("Execution duration (ms)", durations, t, 12, 0, "p50"),
      widget("Lambda duration (ms)", [...lambda("Duration", "p50"), ...lambda("Duration", "p99")], t, 0, 6, "p50"),
      widget("Throttles", throttles, t, 12, 6),
      widget(
        "Dead-letter queue depth",
        [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", t.deadLetterQueueName]],
        t,
        0,
        12,
        "Maximum",
      ),
    ],
  };
}

export function workflowDashboard(
  name: string,
  targets: {
    [K in keyof DashboardTargets]: K extends "namespace" | "periodSeconds"
      ? DashboardTargets[K]
      : pulumi.Input<DashboardTargets[K]>;
  },
  parent: { readonly parent: pulumi.Resource },
): aws.cloudwatch.Dashboard {
  const body = pulumi
    .all([
      targets.region,
      targets.stateMachineArn,
      targets.functionNames,
      targets.tableName,
      targets.deadLetterQueueName,
    ])
    .apply(([region, stateMachineArn, functionNames, tableName, deadLetterQueueName]) =>
      JSON.stringify(
        dashboardBody({
          region,
          stateMachineArn,
          functionNames,
          tableName,
          deadLetterQueueName,
          namespace: targets.namespace,
          periodSeconds: targets.periodSeconds,
        }),
      ),
    );
  // A dashboard's name is its identity in the account: the stack and component name it.
  return new aws.cloudwatch.Dashboard(
    `${name}-dashboard`,
    { dashboardName: `${pulumi.getStack()}-${name}-orders`, dashboardBody: body },
    parent,
  );
}
