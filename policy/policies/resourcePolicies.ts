/**
 * Resource-based policies: no KMS key, table, queue, topic or function of this stack lets anyone
 * outside the stack's account change it. Each policy is simulated with @cloud-copilot/iam-simulate
 * for the requests an outsider could send, rather than read for a shape.
 */
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { parsePolicyDocument } from "../lib/document";
import { arnParts, resourcePolicies, ResourcePolicyKind } from "../lib/resourcePolicies";
import { outsideAccess, summariseAccess } from "../lib/simulate";
import { StackIndex } from "../lib/stack";

interface RuleSpec {
  readonly name: string;
  readonly kind: ResourcePolicyKind;
  /** What the rule guards, for the description: "KMS key policies (`aws.kms.Key` `policy`, `aws.kms.KeyPolicy`)". */
  readonly what: string;
  readonly remediation: string;
}

const OUTSIDERS =
  "Each policy is evaluated with @cloud-copilot/iam-simulate for an anonymous request, a role of another " +
  "account (and of every account the policy names), and each AWS service the policy names acting for another " +
  "account's resource, for every action on the resource that is not Read or List. A condition on a key the caller " +
  "sets (aws:SecureTransport, aws:UserAgent, ...) does not keep an outsider out; one on aws:SourceAccount, " +
  "aws:SourceArn, aws:PrincipalAccount or aws:PrincipalOrgID naming this stack's account or resources does.";

function resourcePolicyRule(spec: RuleSpec): StackValidationPolicy {
  return {
    name: spec.name,
    description: `${spec.what} let no principal outside this stack's account change the resource. ${OUTSIDERS}`,
    remediationSteps: spec.remediation,
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        trustedAccounts: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: "Account IDs that may be granted access on purpose (e.g. a log archive account).",
        },
      },
    },
    validateStack: async (args, reportViolation) => {
      const trustedAccounts = args.getConfig<{ trustedAccounts?: string[] }>().trustedAccounts ?? [];
      const stack = new StackIndex(args.resources);
      for (const found of resourcePolicies(stack, spec.kind)) {
        const parsed = parsePolicyDocument(found.policy);
        const where = arnParts(found.resourceArn);
        if (!parsed.ok || where === undefined) {
          reportViolation(
            `The ${found.label} cannot be checked: ${parsed.ok ? `"${found.resourceArn}" is not an ARN` : parsed.error}. ` +
              "Write it as an IAM policy JSON document on a resource of this stack.",
            found.source.urn,
          );
          continue;
        }
        const policy: unknown = typeof found.policy === "string" ? JSON.parse(found.policy) : found.policy;
        const access = await outsideAccess({
          policy,
          document: parsed.document,
          resourceArn: found.resourceArn,
          ownAccount: where.account,
          service: found.service,
          resourceType: found.resourceType,
          region: where.region,
          partition: where.partition,
          trustedAccounts,
        });
        if (access.length > 0) {
          reportViolation(
            `The ${found.label} lets outsiders in: ${summariseAccess(access)}. ${spec.remediation}`,
            found.source.urn,
          );
        }
      }
    },
  };
}

const SCOPE =
  "Name this account's principals or one service principal, and give a service a condition naming this stack's " +
  'resource (`ArnEquals: { "aws:SourceArn": <arn> }`) or account (`StringEquals: { "aws:SourceAccount": <id> }`).';

export const kmsKeyPolicyNoOutsideAccess = resourcePolicyRule({
  name: "kms-key-policy-no-outside-access",
  kind: "kms",
  what: "KMS key policies (`aws.kms.Key` `policy` and `aws.kms.KeyPolicy`)",
  remediation: `Leave the key's policy to AWS's default (the account's own principals), or grant \`kms:*\` to \`arn:aws:iam::<account>:root\` only. ${SCOPE}`,
});

export const dynamodbResourcePolicyNoOutsideAccess = resourcePolicyRule({
  name: "dynamodb-resource-policy-no-outside-access",
  kind: "dynamodb",
  what: "DynamoDB resource policies (`aws.dynamodb.ResourcePolicy`) on tables and streams",
  remediation: `Grant table access through the roles of this stack instead of a resource policy. ${SCOPE}`,
});

export const sqsQueuePolicyNoOutsideAccess = resourcePolicyRule({
  name: "sqs-queue-policy-no-outside-access",
  kind: "sqs",
  what: "SQS queue policies (`aws.sqs.Queue` `policy` and `aws.sqs.QueuePolicy`)",
  remediation:
    'For a queue subscribed to a topic, allow `sqs:SendMessage` to `{ Service: "sns.amazonaws.com" }` with ' +
    `\`ArnEquals: { "aws:SourceArn": topic.arn }\`. ${SCOPE}`,
});

export const snsTopicPolicyNoPublicGrant = resourcePolicyRule({
  name: "sns-topic-policy-no-public-grant",
  kind: "sns",
  what: "SNS topic policies (`aws.sns.TopicPolicy` and `aws.sns.Topic` `policy`), negated conditions, wildcard-only `StringLike` and `Allow` with `NotPrincipal` included,",
  remediation: `Name the publishing role, or keep \`*\` with \`StringEquals: { "aws:SourceAccount": <account id> }\`. ${SCOPE}`,
});

export const lambdaPermissionNoOutsideAccess = resourcePolicyRule({
  name: "lambda-permission-no-outside-access",
  kind: "lambda",
  what: "Lambda permissions (`aws.lambda.Permission`, the statements of a function's resource policy)",
  remediation:
    "Give the permission the service principal that invokes the function and its `sourceArn` (or `sourceAccount`); " +
    'never `principal: "*"` without them.',
});

export const lambdaFunctionUrlIamAuth: ResourceValidationPolicy = {
  name: "lambda-function-url-iam-auth",
  description:
    'A Lambda function URL uses `authorizationType: "AWS_IAM"`. With `NONE`, AWS authenticates no caller: the ' +
    "function can be called by anyone on the internet who learns the URL.",
  remediationSteps:
    'Set `authorizationType: "AWS_IAM"` and grant `lambda:InvokeFunctionUrl` to the callers\' roles; put an API ' +
    "Gateway or CloudFront with its own authentication in front of a function that must be public.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.lambda.FunctionUrl, (url, _args, reportViolation) => {
    if (url.authorizationType !== "AWS_IAM") {
      reportViolation(
        `The function URL of ${url.functionName} has authorizationType "${url.authorizationType}": anyone may invoke it. ` +
          'Set authorizationType: "AWS_IAM".',
      );
    }
  }),
};

export const resourcePolicyPolicies = [
  kmsKeyPolicyNoOutsideAccess,
  dynamodbResourcePolicyNoOutsideAccess,
  sqsQueuePolicyNoOutsideAccess,
  snsTopicPolicyNoPublicGrant,
  lambdaPermissionNoOutsideAccess,
  lambdaFunctionUrlIamAuth,
];
