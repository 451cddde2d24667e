/**
 * A denied call, reported the way AWS reports it: the message IAM writes ("User: <session> is not
 * authorized to perform: <action> on resource: <arn> because no identity-based policy allows the
 * <action> action"), the error a Task state fails with for each integration, and the error body
 * DynamoDB sends an SDK client. The shapes and their sources are in docs/fidelity.md (IAM).
 */
import { randomUUID } from "crypto";
import type { DenialReason } from "./evaluator";
import type { Integration } from "./requests";
import type { Refusal } from "./callers";

/** IAM's message; SNS writes its actions as `SNS:Publish`. */
export function deniedMessage(principal: string, action: string, resource: string, reason: DenialReason): string {
  const shown = action.startsWith("sns:") ? `SNS:${action.slice(4)}` : action;
  const why = reason.startsWith("an explicit") ? `with ${reason}` : `because ${reason} the ${shown} action`;
  return `User: ${principal} is not authorized to perform: ${shown} on resource: ${resource} ${why}`;
}

/** The Java SDK's suffix Step Functions puts on an integration's cause. */
function sdkSuffix(service: string, status: number, code: string): string {
  return `(Service: ${service}; Status Code: ${status}; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null)`;
}

/** The error a Task state fails with when its integration's call is denied. */
export function taskDenial(integration: Integration, action: string, message: string): Error {
  const [name, cause] = taskDenialShape(integration, action, message);
  const error = new Error(cause);
  error.name = name;
  return error;
}

function taskDenialShape(integration: Integration, action: string, message: string): [string, string] {
  if (action.startsWith("kms:")) {
    // SNS asks KMS for the data key; KMS's refusal reaches the publisher as SNS's KMSAccessDenied.
    const kms = `${message} ${sdkSuffix("AWSKMS", 400, "AccessDeniedException")}`;
    return ["SNS.KMSAccessDeniedException", `${kms} ${sdkSuffix("AmazonSNS", 400, "KMSAccessDenied")}`];
  }
  switch (integration.service) {
    case "lambda":
      return ["Lambda.AWSLambdaException", `${message} ${sdkSuffix("AWSLambda", 403, "AccessDeniedException")}`];
    case "sns":
      return ["SNS.AuthorizationErrorException", `${message} ${sdkSuffix("AmazonSNS", 403, "AuthorizationError")}`];
    case "dynamodb":
      return integration.sdk
        ? [
            "DynamoDb.DynamoDbException",
            `${message} (Service: DynamoDb, Status Code: 400, Request ID: ${randomUUID()})`,
          ]
        : [
            "DynamoDB.AmazonDynamoDBException",
            `${message} ${sdkSuffix("AmazonDynamoDBv2", 400, "AccessDeniedException")}`,
          ];
    default:
      return [`${integration.service}.AccessDeniedException`, message];
  }
}

/** What DynamoDB answers an SDK client whose call is denied (HTTP 400, the JSON protocol's error body). */
export function dynamodbRefusal(message: string): Refusal {
  return { status: 400, body: { __type: "com.amazon.coral.service#AccessDeniedException", Message: message } };
}
