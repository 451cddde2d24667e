/**
 * What every section of the definition shares: the integrations' ARNs, the retry policies, the
 * transient error names, the Lambda Task and the Catcher that keeps the fault, and `states`, which
 * keeps a section's state names literal so that `machine` checks every `Next` across sections.
 */
import type { Catcher, JsonObject, Retrier, State } from "../asl";

export const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
export const DYNAMODB_PUT_ITEM = "arn:aws:states:::dynamodb:putItem";
export const SNS_PUBLISH = "arn:aws:states:::sns:publish";

/** A section of the definition: its states, with their names and targets kept as literals. */
export function states<const S extends { readonly [name: string]: State<string> }>(section: S): S {
  return section;
}

/** Exponential backoff with full jitter: 1 s, then up to 2 s, 4 s (capped at 10 s). */
export const backoff = {
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  MaxDelaySeconds: 10,
  JitterStrategy: "FULL",
} as const;

/** The transient errors AWS documents for Lambda invocations (retry recommended by AWS). */
export const LAMBDA_TRANSIENT_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
] as const;
export const DYNAMODB_TRANSIENT_ERRORS = [
  "DynamoDB.ProvisionedThroughputExceededException",
  "DynamoDB.ThrottlingException",
  "DynamoDB.RequestLimitExceeded",
  "DynamoDB.InternalServerErrorException",
] as const;
export const SNS_TRANSIENT_ERRORS = [
  "SNS.ThrottledException",
  "SNS.InternalErrorException",
  "SNS.KMSThrottlingException",
] as const;

export const lambdaRetry = (...extra: readonly string[]): Retrier[] => [
  { ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS, ...extra], ...backoff },
  // A function that timed out (Lambda's own timeout, or the task's) is retried once: every function
  // is safe to repeat (the charge is idempotent per order, the reservation per order and execution).
  {
    ErrorEquals: ["Sandbox.Timedout", "States.Timeout"],
    IntervalSeconds: 1,
    MaxAttempts: 1,
    BackoffRate: 2,
    JitterStrategy: "FULL",
  },
];

/** Six more attempts, over about 35 s at most (1, 2, 4, 8, 10, 10 s, each with full jitter). */
const generous = { ...backoff, MaxAttempts: 6 } as const;

/**
 * A write or a publish that is safe to repeat but must not give up early (the FAILED record, the
 * notifications): a conditional put of the same item lands once, and a notification is delivered at
 * least once anyway. Its integration's transient errors are retried as generously as a compensation;
 * any other error (a refused condition, a validation error, a denial) is not retried. With three
 * retries, four transient faults in a row (one order in ten thousand at a fault rate of 0.1) left an
 * order's record at PROCESSING, or a charged order unannounced.
 */
export const patientRetry = (transient: readonly string[]): Retrier[] => [{ ErrorEquals: [...transient], ...generous }];

/**
 * A step that is idempotent whatever the error (a compensation, the PROCESSED write): retried on its
 * integration's transient errors and then on any other, generously (six more attempts each, over
 * about 35 s), except on those named in `never`.
 */
export const idempotentRetry = (transient: readonly string[], never: readonly string[] = []): Retrier[] => [
  ...(never.length === 0 ? [] : [{ ErrorEquals: never, ...backoff, MaxAttempts: 0 }]),
  ...patientRetry(transient),
  { ErrorEquals: ["States.ALL"], ...generous },
];

/** Seconds a Lambda task may take before the state machine gives up on it. */
export const LAMBDA_TASK_TIMEOUT_SECONDS = 10;

export const invoke = (functionName: string, payload: JsonObject) => ({
  Type: "Task" as const,
  Resource: LAMBDA_INVOKE,
  Parameters: { FunctionName: functionName, Payload: payload },
  TimeoutSeconds: LAMBDA_TASK_TIMEOUT_SECONDS,
});

export const faultTo = <N extends string>(errors: readonly string[], next: N): Catcher<N> => ({
  ErrorEquals: errors,
  Next: next,
  ResultPath: "$.fault",
});

/**
 * What the saga's steps have added to the record so far, empty before the reservation: `stock` (its
 * StockState) and `refund` (its RefundId, and the charge it refunded, "none" before).
 */
export const NOTHING_RESERVED_OR_REFUNDED = {
  stock: { record: {} },
  refund: { record: {}, chargeId: "none" },
} as const;
