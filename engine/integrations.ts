/**
 * What the local engine's integrations hand the state machine, shaped as Step Functions shapes them:
 * a failed integration's error, a Lambda's error, a synchronous invocation's response, and the
 * DynamoDB client the integrations use (no retries of its own).
 */
import { randomUUID } from "crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** A DynamoDB client as the state machine's integrations use it: the environment's region and credentials. */
export function integrationClient(url: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: url,
    region: process.env.AWS_REGION,
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "local",
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
    },
    // Step Functions' integrations do not retry on their own; the definition's Retry does.
    maxAttempts: 1,
  });
}

/** An error as Step Functions reports a failed integration: its name is the error, its message the cause. */
export function taskError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/** A Lambda's error as the `lambda:invoke` integration surfaces it: Error = errorType, Cause = the JSON body. */
export function lambdaError(error: unknown): Error {
  const errorType = error instanceof Error ? error.name : "Error";
  const errorMessage = error instanceof Error ? error.message : String(error);
  return taskError(errorType, JSON.stringify({ errorType, errorMessage, trace: [] }));
}

/**
 * What the `lambda:invoke` integration returns for a synchronous invocation: the Invoke API's
 * response with the SDK's metadata, as Step Functions passes it to the state (and counts it).
 * `payloadBytes`: the payload's JSON size, when the caller has its text already.
 */
export function invokeResponse(payload: unknown, payloadBytes = Buffer.byteLength(JSON.stringify(payload), "utf8")) {
  const requestId = randomUUID();
  const trace = randomUUID().replaceAll("-", "");
  const headers: Record<string, string> = {
    Connection: "keep-alive",
    "Content-Length": String(payloadBytes),
    "Content-Type": "application/json",
    Date: new Date().toUTCString(),
    "X-Amz-Executed-Version": "$LATEST",
    "x-amzn-Remapped-Content-Length": "0",
    "x-amzn-RequestId": requestId,
    "X-Amzn-Trace-Id": `Root=1-${trace.slice(0, 8)}-${trace.slice(8)};Sampled=0`,
  };
  const allHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  return {
    ExecutedVersion: "$LATEST",
    Payload: payload,
    SdkHttpMetadata: { AllHttpHeaders: allHeaders, HttpHeaders: headers, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/**
 * The JSON size of an {@link invokeResponse} in UTF-8 bytes, its payload's text being `payloadBytes`
 * long: the response's own fields measured around a null payload, the payload's text put in its place.
 * The same as measuring it whole when the payload is what JSON.parse made of that text (its text again).
 */
export function invokeResponseBytes(response: ReturnType<typeof invokeResponse>, payloadBytes: number): number {
  return Buffer.byteLength(JSON.stringify({ ...response, Payload: null }), "utf8") - "null".length + payloadBytes;
}
