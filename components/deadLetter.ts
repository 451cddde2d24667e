/**
 * The dead-letter route: an EventBridge rule on "Step Functions Execution Status Change" for this
 * state machine, matching the ends that need a person (TIMED_OUT, ABORTED, and FAILED with an error
 * that is not a business outcome), sends a summary of each to an encrypted SQS queue that only this
 * rule may send to. docs/operations.md says how an operator reads it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BUSINESS_OUTCOMES } from "../workflow/execution/outcomes";
import { deadLetterQueuePolicy } from "./operationsPolicies";

/** Fourteen days, SQS's longest retention: the time an operator has to read a dead letter (and the redrive window). */
export const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/**
 * The rule's pattern. The event's `detail` carries what DescribeExecution returns, `error` included
 * for a FAILED execution, so business outcomes are filtered out by their error.
 */
export function statusChangePattern(stateMachineArn: string): Record<string, unknown> {
  return {
    source: ["aws.states"],
    "detail-type": ["Step Functions Execution Status Change"],
    detail: {
      stateMachineArn: [stateMachineArn],
      $or: [
        { status: ["TIMED_OUT", "ABORTED"] },
        { status: ["FAILED"], error: [{ "anything-but": [...BUSINESS_OUTCOMES] }] },
      ],
    },
  };
}

/**
 * What the queue receives of an event: which execution, how it ended and why; never its `input`
 * or `output` (the input holds card details).
 */
export const DEAD_LETTER_FIELDS = {
  executionArn: "$.detail.executionArn",
  name: "$.detail.name",
  status: "$.detail.status",
  error: "$.detail.error",
  cause: "$.detail.cause",
  startDate: "$.detail.startDate",
  stopDate: "$.detail.stopDate",
  time: "$.time",
} as const;

const DEAD_LETTER_TEMPLATE = `{${Object.keys(DEAD_LETTER_FIELDS)
  .map((key) => `"${key}": <${key}>`)
  .join(", ")}}`;

export interface DeadLetterRoute {
  readonly rule: aws.cloudwatch.EventRule;
  readonly queue: aws.sqs.Queue;
}

export function deadLetterRoute(
  name: string,
  stateMachineArn: pulumi.Output<string>,
  parent: { readonly parent: pulumi.Resource },
): DeadLetterRoute {
  const rule = new aws.cloudwatch.EventRule(
    `${name}-executions-needing-a-person`,
    {
      description: `Executions of the ${name} state machine that timed out, were aborted or failed without a business outcome`,
      eventPattern: stateMachineArn.apply((arn) => JSON.stringify(statusChangePattern(arn))),
    },
    parent,
  );
  const queue = new aws.sqs.Queue(
    `${name}-dead-letters`,
    { sqsManagedSseEnabled: true, messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS },
    parent,
  );
  const policy = new aws.sqs.QueuePolicy(
    `${name}-dead-letters-policy`,
    {
      queueUrl: queue.url,
      policy: pulumi
        .all([queue.arn, rule.arn])
        .apply(([queueArn, ruleArn]) => JSON.stringify(deadLetterQueuePolicy(queueArn, ruleArn))),
    },
    parent,
  );
  new aws.cloudwatch.EventTarget(
    `${name}-dead-letters-target`,
    {
      rule: rule.name,
      arn: queue.arn,
      inputTransformer: { inputPaths: { ...DEAD_LETTER_FIELDS }, inputTemplate: DEAD_LETTER_TEMPLATE },
    },
    { ...parent, dependsOn: [policy] },
  );
  return { rule, queue };
}
