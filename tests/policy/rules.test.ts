/**
 * Every rule of the pack, both ways: fixtures that violate it and fixtures that pass it. Each
 * fixture also trips exactly the policies listed for it, so a fixture that stops testing what its
 * name says (or a policy that starts firing where it should not) fails here.
 */
import { strict as assert } from "assert";
import { packArgs } from "../../policy/pack";
import { describeViolations, violationsOf } from "../support/policy";

/** Every fixture program and exactly the policies it violates. */
const FIXTURES: Record<string, readonly string[]> = {
  compliant: [],
  "iam-wildcard-action": ["iam-no-wildcard-actions"],
  "iam-wildcard-action-spellings": ["iam-no-wildcard-actions"],
  "iam-wildcard-read-only": [],
  "iam-unreadable-policy": ["iam-no-wildcard-actions"],
  "iam-wildcard-resource": ["iam-no-wildcard-resources"],
  "iam-not-action": ["iam-no-not-action-not-resource"],
  "callback-default-role": [
    "iam-no-broad-managed-policies",
    "iam-grants-stack-resources-only",
    "lambda-tracing-active",
    "lambda-log-group-retention",
  ],
  "callback-own-role": ["lambda-tracing-active", "lambda-log-group-retention"],
  "iam-managed-admin": ["iam-no-broad-managed-policies", "iam-grants-stack-resources-only"],
  "iam-passrole-wildcard": [
    "iam-pass-role-scoped",
    "iam-no-wildcard-actions",
    "iam-no-wildcard-resources",
    "iam-grants-stack-resources-only",
  ],
  "iam-scoped-grants": [],
  // "*" lets Step Functions of any account assume the role too, so the confused-deputy rule fires as well.
  "iam-trust-wildcard": ["iam-trust-expected-service-principal", "iam-states-role-source-condition"],
  "iam-trust-wrong-service": ["iam-trust-expected-service-principal", "iam-states-role-source-condition"],
  "sfn-role-no-source-condition": ["iam-states-role-source-condition"],
  "lambda-old-runtime": ["lambda-supported-runtime"],
  "lambda-newer-runtime": [],
  "lambda-no-tracing": ["lambda-tracing-active"],
  "lambda-no-log-group": ["lambda-log-group-retention"],
  "lambda-log-group-no-retention": ["lambda-log-group-retention"],
  "lambda-default-log-group": [],
  "lambda-secret-environment": ["lambda-no-secret-environment"],
  "lambda-secret-reference": [],
  "lambda-secret-shapes": ["lambda-no-secret-environment"],
  "lambda-shared-role": ["lambda-dedicated-role"],
  "dynamodb-no-pitr": ["dynamodb-point-in-time-recovery"],
  "dynamodb-unencrypted": ["dynamodb-encryption"],
  "dynamodb-no-deletion-protection": ["dynamodb-deletion-protection"],
  "dynamodb-provisioned": ["dynamodb-on-demand-or-autoscaling"],
  "dynamodb-provisioned-autoscaling": [],
  "sns-unencrypted": ["sns-kms-encryption"],
  "sns-public-policy": ["sns-topic-policy-no-public-grant"],
  "sfn-no-logging": ["stepfunctions-logging"],
  "sfn-logs-execution-data": ["stepfunctions-logging"],
  "sfn-no-tracing": ["stepfunctions-tracing"],
  "iam-foreign-resource": ["iam-grants-stack-resources-only"],
  "sfn-invokes-foreign-function": ["stepfunctions-invoke-stack-functions-only", "iam-grants-stack-resources-only"],
  "kms-key-policy-public": ["kms-key-policy-no-outside-access"],
  "kms-keypolicy-other-account": ["kms-key-policy-no-outside-access"],
  "kms-key-policy-own-account": [],
  "dynamodb-resource-policy-public": ["dynamodb-resource-policy-no-outside-access"],
  "dynamodb-resource-policy-own-role": [],
  "sqs-queue-policy-public": ["sqs-queue-policy-no-outside-access"],
  "sqs-queue-service-unscoped": ["sqs-queue-policy-no-outside-access"],
  "sqs-subscribed-queue": [],
  "sns-policy-negated-conditions": ["sns-topic-policy-no-public-grant"],
  "sns-policy-wildcard-like": ["sns-topic-policy-no-public-grant"],
  "sns-policy-not-principal": ["sns-topic-policy-no-public-grant"],
  "sns-subscription-http": ["sns-subscription-https-only"],
  "sns-subscription-https": [],
  "lambda-permission-public": ["lambda-permission-no-outside-access"],
  "lambda-permission-scoped": [],
  "lambda-function-url-public": ["lambda-function-url-iam-auth", "lambda-permission-no-outside-access"],
  "lambda-function-url-iam": [],
  "lambda-foreign-role": ["workload-role-of-stack"],
  "sfn-foreign-role": ["workload-role-of-stack", "stepfunctions-invoke-stack-functions-only"],
  "iam-user-access-key": ["iam-no-users-or-access-keys"],
  "sfn-aws-owned-key": ["stepfunctions-customer-managed-key"],
  "sfn-no-alarms": ["stepfunctions-alarms"],
};

/** For each rule, the fixtures that show the right way: "compliant" plus any alternative the rule accepts. */
const PASSING: Record<string, readonly string[]> = {
  "iam-no-wildcard-actions": ["compliant", "iam-wildcard-read-only"],
  "iam-no-wildcard-resources": ["compliant"],
  "iam-no-not-action-not-resource": ["compliant", "iam-scoped-grants"],
  "iam-no-broad-managed-policies": ["compliant", "callback-own-role"],
  "iam-pass-role-scoped": ["compliant", "iam-scoped-grants"],
  "iam-trust-expected-service-principal": ["compliant"],
  "iam-states-role-source-condition": ["compliant"],
  "lambda-supported-runtime": ["compliant", "lambda-newer-runtime"],
  "lambda-tracing-active": ["compliant"],
  "lambda-log-group-retention": ["compliant", "lambda-default-log-group"],
  "lambda-no-secret-environment": ["compliant", "lambda-secret-reference"],
  "lambda-dedicated-role": ["compliant"],
  "dynamodb-point-in-time-recovery": ["compliant"],
  "dynamodb-encryption": ["compliant"],
  "dynamodb-deletion-protection": ["compliant"],
  "dynamodb-on-demand-or-autoscaling": ["compliant", "dynamodb-provisioned-autoscaling"],
  "sns-kms-encryption": ["compliant"],
  "sns-topic-policy-no-public-grant": ["compliant", "sqs-subscribed-queue"],
  "sns-subscription-https-only": [
    "compliant",
    "sns-subscription-https",
    "sqs-subscribed-queue",
    "lambda-permission-scoped",
  ],
  "stepfunctions-logging": ["compliant"],
  "stepfunctions-tracing": ["compliant"],
  "iam-grants-stack-resources-only": ["compliant", "iam-scoped-grants"],
  "stepfunctions-invoke-stack-functions-only": ["compliant"],
  "kms-key-policy-no-outside-access": ["compliant", "kms-key-policy-own-account"],
  "dynamodb-resource-policy-no-outside-access": ["compliant", "dynamodb-resource-policy-own-role"],
  "sqs-queue-policy-no-outside-access": ["compliant", "sqs-subscribed-queue"],
  "lambda-permission-no-outside-access": ["compliant", "lambda-permission-scoped", "lambda-function-url-iam"],
  "lambda-function-url-iam-auth": ["compliant", "lambda-function-url-iam"],
  "workload-role-of-stack": ["compliant"],
  "iam-no-users-or-access-keys": ["compliant"],
  "stepfunctions-customer-managed-key": ["compliant"],
  "stepfunctions-alarms": ["compliant"],
};

const policyNames = packArgs.policies.map((p) => p.name);

describe("policy pack rules", function () {
  it("has a violating and a passing fixture for every policy of the pack", function () {
    assert.deepEqual(Object.keys(PASSING).sort(), [...policyNames].sort());
    for (const name of policyNames) {
      assert.ok(
        Object.values(FIXTURES).some((violated) => violated.includes(name)),
        `no fixture violates ${name}`,
      );
    }
  });

  describe("each fixture trips exactly its policies", function () {
    for (const [fixture, expected] of Object.entries(FIXTURES)) {
      it(`${fixture}: ${expected.length === 0 ? "none" : expected.join(", ")}`, async function () {
        const violations = await violationsOf(fixture);
        assert.deepEqual(
          [...new Set(violations.map((v) => v.policy))].sort(),
          [...expected].sort(),
          describeViolations(violations),
        );
        for (const v of violations) {
          assert.ok(v.urn && v.type && v.name, `violation of ${v.policy} names no resource`);
        }
      });
    }
  });

  for (const name of policyNames) {
    describe(name, function () {
      for (const fixture of Object.keys(FIXTURES).filter((f) => FIXTURES[f].includes(name))) {
        it(`flags ${fixture}`, async function () {
          const violations = (await violationsOf(fixture)).filter((v) => v.policy === name);
          assert.ok(violations.length > 0, `${name} did not flag ${fixture}`);
        });
      }
      for (const fixture of PASSING[name] ?? []) {
        it(`passes ${fixture}`, async function () {
          const violations = (await violationsOf(fixture)).filter((v) => v.policy === name);
          assert.deepEqual(violations, []);
        });
      }
    });
  }

  describe("what the violations say", function () {
    const messages = async (fixture: string, policy: string): Promise<string[]> =>
      (await violationsOf(fixture)).filter((v) => v.policy === policy).map((v) => v.message);

    it("a default-role CallbackFunction: each full-access and power-user policy, not the X-Ray write-only one", async function () {
      const found = (await messages("callback-default-role", "iam-no-broad-managed-policies")).join("\n");
      for (const policy of [
        "AWSLambda_FullAccess",
        "AmazonS3FullAccess",
        "AmazonDynamoDBFullAccess",
        "AmazonCognitoPowerUser",
      ]) {
        assert.match(found, new RegExp(`policy/${policy}\\b`));
      }
      assert.doesNotMatch(found, /AWSXrayWriteOnlyAccess/);
    });

    it("managed policies through managedPolicyArns, PolicyAttachment and RolePolicyAttachmentsExclusive", async function () {
      const violations = (await violationsOf("iam-managed-admin")).filter(
        (v) => v.policy === "iam-no-broad-managed-policies",
      );
      assert.deepEqual(violations.map((v) => v.type).sort(), [
        "aws:iam/policyAttachment:PolicyAttachment",
        "aws:iam/role:Role",
        "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
      ]);
    });

    it('Resource "*": the resource types from the IAM reference, and actions it does not know', async function () {
      const found = (await messages("iam-wildcard-resource", "iam-no-wildcard-resources")).join("\n");
      assert.match(found, /dynamodb:PutItem \(table\)/);
      assert.match(found, /dynamodb:UpdateItem \(table\)/);
      assert.match(found, /"xray:PutTraceSegmentz" is not an action/);
    });

    it('iam:PassRole on "*" and on every role of the account', async function () {
      assert.equal((await messages("iam-passrole-wildcard", "iam-pass-role-scoped")).length, 2);
    });

    it("NotAction and NotResource each", async function () {
      const found = await messages("iam-not-action", "iam-no-not-action-not-resource");
      assert.equal(found.length, 2);
      assert.ok(found.some((m) => m.includes("NotAction")) && found.some((m) => m.includes("NotResource")));
    });

    it("a secret by its name and one by its value, never printing the value", async function () {
      const found = (await messages("lambda-secret-environment", "lambda-no-secret-environment")).join("\n");
      assert.match(found, /databasePassword is named like a secret/);
      assert.match(found, /UPSTREAM holds what looks like an AWS access key ID/);
      assert.doesNotMatch(found, /hunter2|AKIAIOSFODNN7EXAMPLE/);
    });

    it("both functions that share a role", async function () {
      const violations = (await violationsOf("lambda-shared-role")).filter((v) => v.policy === "lambda-dedicated-role");
      assert.deepEqual(violations.map((v) => v.name).sort(), ["first", "second"]);
    });

    it("foreign ARNs, patterns over other stacks' resources, and managed policies that cannot be checked", async function () {
      const found = (await messages("iam-foreign-resource", "iam-grants-stack-resources-only")).join("\n");
      assert.match(found, /table\/legacy-orders/);
      assert.match(found, /arn:aws:dynamodb:\*:\*:table\/\*/);
      assert.match(found, /AWSLambdaBasicExecutionRole/);
    });

    it("the state machine's role invoking a function of another stack", async function () {
      const found = (await messages("sfn-invokes-foreign-function", "stepfunctions-invoke-stack-functions-only")).join(
        "\n",
      );
      assert.match(found, /someone-elses-function/);
      assert.match(found, /function:\*/);
    });

    it('a topic policy open to "*", with no condition or with one that names nobody', async function () {
      const found = (await messages("sns-public-policy", "sns-topic-policy-no-public-grant")).join("\n");
      assert.match(found, /anyone \(an anonymous request\) may sns:Publish, sns:Subscribe/);
      assert.match(found, /if Bool aws:SecureTransport \["true"\]/);
    });

    it("each outsider a topic policy lets in through a condition that keeps nobody out", async function () {
      const found = (await messages("sns-policy-negated-conditions", "sns-topic-policy-no-public-grant")).join("\n");
      assert.match(found, /anyone \(an anonymous request\) may sns:Publish, sns:Subscribe\b/);
      assert.match(found, /an AWS service acting for another account's resource may .*sns:DeleteTopic/);
      assert.match(
        await messages("sns-policy-wildcard-like", "sns-topic-policy-no-public-grant").then((m) => m.join()),
        /an AWS service acting for another account's resource may sns:Publish/,
      );
      assert.match(
        await messages("sns-policy-not-principal", "sns-topic-policy-no-public-grant").then((m) => m.join()),
        /a role of any other account may sns:Publish/,
      );
    });

    it("a service principal without a source condition, and SNS scoped to the topic's ARN", async function () {
      assert.match(
        (await messages("sqs-queue-service-unscoped", "sqs-queue-policy-no-outside-access")).join(),
        /sns\.amazonaws\.com acting for another account's resource may sqs:SendMessage/,
      );
      assert.deepEqual(await messages("sqs-subscribed-queue", "sqs-queue-policy-no-outside-access"), []);
    });

    it("secret-shaped values by kind, never printing them", async function () {
      const found = (await messages("lambda-secret-shapes", "lambda-no-secret-environment")).join("\n");
      assert.match(found, /DATABASE holds what looks like a connection string with a password/);
      assert.match(found, /STRIPE holds what looks like a Stripe key/);
      assert.match(found, /STRIPE_RESTRICTED holds what looks like a Stripe key/);
      assert.match(found, /UPSTREAM_SESSION holds a long random-looking value/);
      assert.doesNotMatch(found, /Tr0ub4dor|sk_test_|rk_live_|Zx9Qm2/);
    });

    it("the state machine's log level and execution data", async function () {
      assert.match((await messages("sfn-no-logging", "stepfunctions-logging")).join(), /Logging is off/);
      assert.match(
        (await messages("sfn-logs-execution-data", "stepfunctions-logging")).join(),
        /includeExecutionData: false/,
      );
    });
  });
});
