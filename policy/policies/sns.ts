/** SNS: order notifications are encrypted at rest and never delivered over plain HTTP. */
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

export const snsKmsEncryption: ResourceValidationPolicy = {
  name: "sns-kms-encryption",
  description:
    "Every topic is encrypted at rest with a KMS key (`kmsMasterKeyId`); order notifications carry " +
    "customer IDs and amounts.",
  remediationSteps:
    "Set `kmsMasterKeyId` to a key of this stack (`key.id`), or `alias/aws/sns`; a customer-managed key is " +
    "needed for AWS services such as EventBridge to publish, and publishers need `kms:GenerateDataKey` and `kms:Decrypt` on it.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.sns.Topic, (topic, _args, reportViolation) => {
    if (!topic.kmsMasterKeyId) {
      reportViolation("The topic is not encrypted with KMS. Set kmsMasterKeyId to a KMS key ID, ARN or alias.");
    }
  }),
};

export const snsSubscriptionHttps: ResourceValidationPolicy = {
  name: "sns-subscription-https-only",
  description:
    "No topic subscription delivers over plain `http`: notifications carry order and customer details, and an " +
    "`http` endpoint receives them, and the subscription confirmation, unencrypted.",
  remediationSteps:
    'Set `protocol: "https"` and an `https://` endpoint, or subscribe a queue or function of this stack.',
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.sns.TopicSubscription, (subscription, _args, reportViolation) => {
    const endpoint = String(subscription.endpoint ?? "");
    if (subscription.protocol === "http" || endpoint.toLowerCase().startsWith("http://")) {
      reportViolation(
        `The subscription delivers to ${endpoint ? `"${endpoint}"` : "an endpoint"} over ${subscription.protocol}, unencrypted. ` +
          'Use protocol "https" with an https:// endpoint.',
      );
    }
  }),
};

// The topic policy rule, sns-topic-policy-no-public-grant, is simulated with the other resource
// policies in ./resourcePolicies.ts.
export const snsPolicies = [snsKmsEncryption, snsSubscriptionHttps];
