// SNS: order notifications are encrypted at rest, and the topic is never open to the world.
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { describeStatement, parsePolicyDocument } from "../lib/document";

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

/** Condition keys that narrow "anyone" down to a known account, organisation, source or network. */
const SCOPING_KEYS = [
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:SourceOwner",
  "aws:SourceOrgID",
  "aws:SourceOrgPaths",
  "aws:PrincipalAccount",
  "aws:PrincipalArn",
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:SourceVpc",
  "aws:SourceVpce",
];

export const snsTopicPolicyNoPublicGrant: ResourceValidationPolicy = {
  name: "sns-topic-policy-no-public-grant",
  description:
    "A topic policy (`aws.sns.TopicPolicy`, or a topic's `policy`) never allows the principal `*` without a " +
    "condition that names who may act: an account, organisation, source ARN or VPC (e.g. `aws:SourceAccount`).",
  remediationSteps:
    "Name the principal (an account root or a service), or keep `*` and add a condition such as " +
    "`StringEquals: { \"aws:SourceAccount\": <account id> }` or `ArnLike: { \"aws:SourceArn\": <arn> }`.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const document = args.asType(aws.sns.TopicPolicy)?.policy ?? args.asType(aws.sns.Topic)?.policy;
    if (document === undefined) {
      return;
    }
    const parsed = parsePolicyDocument(document);
    if (!parsed.ok) {
      reportViolation(`The topic policy cannot be read: ${parsed.error}.`);
      return;
    }
    for (const statement of parsed.document.statements) {
      const publicPrincipal = (statement.principals ?? []).some(p => p.value === "*");
      if (statement.effect !== "Allow" || !publicPrincipal) {
        continue;
      }
      const scoped = statement.conditions.some(
        c => SCOPING_KEYS.some(k => k.toLowerCase() === c.key.toLowerCase()) && c.values.length > 0 && !c.values.includes("*"),
      );
      if (!scoped) {
        reportViolation(
          `Topic policy ${describeStatement(statement)} allows ${JSON.stringify(statement.actions ?? statement.notActions)} ` +
          "to principal \"*\" without a condition naming who may act. Name the principal, or add an aws:SourceAccount/aws:SourceArn condition.",
        );
      }
    }
  },
};

export const snsPolicies = [snsKmsEncryption, snsTopicPolicyNoPublicGrant];
