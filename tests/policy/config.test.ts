/** Enforcement levels and policy settings from the pack's config, as `--policy-pack-config` sets them. */
import { strict as assert } from "assert";
import { packArgs } from "../../policy/pack";
import { enforcementLevelOf, PolicyConfigError, validatePolicyConfig } from "../../policy/runner/evaluate";
import { violationsOf } from "../support/policy";

describe("policy pack config", function () {
  it("states a level for every policy: mandatory, but advisory where the issue marks it", function () {
    const advisory = packArgs.policies
      .filter((p) => p.enforcementLevel === "advisory")
      .map((p) => p.name)
      .sort();
    // Issue 14 marks its two operations rules advisory: a stack may decide otherwise, knowingly.
    assert.deepEqual(advisory, [
      "dynamodb-deletion-protection",
      "iam-states-role-source-condition",
      "stepfunctions-alarms",
      "stepfunctions-customer-managed-key",
    ]);
    for (const policy of packArgs.policies) {
      assert.ok(policy.enforcementLevel === "mandatory" || policy.enforcementLevel === "advisory", policy.name);
    }
  });

  it('resolves a policy\'s level from its entry, then "all", then the policy', function () {
    const policy = packArgs.policies.find((p) => p.name === "sns-kms-encryption");
    assert.ok(policy);
    assert.equal(enforcementLevelOf(policy, {}, "advisory"), "mandatory");
    assert.equal(enforcementLevelOf(policy, { all: "advisory" }, "advisory"), "advisory");
    assert.equal(
      enforcementLevelOf(
        policy,
        { all: "advisory", "sns-kms-encryption": { enforcementLevel: "disabled" } },
        "advisory",
      ),
      "disabled",
    );
  });

  it("turns a mandatory violation advisory, or off", async function () {
    const advisory = await violationsOf("sns-unencrypted", { "sns-kms-encryption": "advisory" });
    assert.deepEqual(
      advisory.map((v) => [v.policy, v.enforcementLevel]),
      [["sns-kms-encryption", "advisory"]],
    );
    assert.deepEqual(await violationsOf("sns-unencrypted", { "sns-kms-encryption": "disabled" }), []);
  });

  it("makes an advisory policy mandatory", async function () {
    const violations = await violationsOf("dynamodb-no-deletion-protection", {
      "dynamodb-deletion-protection": "mandatory",
    });
    assert.deepEqual(
      violations.map((v) => v.enforcementLevel),
      ["mandatory"],
    );
  });

  it("passes settings to the policies: a newer minimum runtime", async function () {
    const violations = await violationsOf("compliant", {
      "lambda-supported-runtime": { minimumNodejsMajorVersion: 24 },
    });
    assert.deepEqual([...new Set(violations.map((v) => v.policy))], ["lambda-supported-runtime"]);
  });

  it("passes settings to the policies: a deliberate reference outside the stack", async function () {
    const violations = await violationsOf("iam-foreign-resource", {
      "iam-grants-stack-resources-only": {
        allowedResourceArns: [
          "arn:aws:dynamodb:us-east-1:123456789012:table/legacy-orders",
          "arn:aws:dynamodb:*:*:table/*",
        ],
      },
    });
    assert.deepEqual(
      violations.map((v) => v.message.match(/AWSLambdaBasicExecutionRole/) !== null),
      [true],
    );
  });

  it("passes settings to the policies: a variable wrongly taken for a secret", async function () {
    const violations = await violationsOf("lambda-secret-environment", {
      "lambda-no-secret-environment": { allowedVariables: ["databasePassword"] },
    });
    assert.deepEqual(
      violations.map((v) => v.message.startsWith("Environment variable UPSTREAM")),
      [true],
    );
  });

  it("rejects a config naming an unknown policy or level", function () {
    assert.throws(() => validatePolicyConfig(packArgs.policies, { "no-such-policy": "advisory" }), PolicyConfigError);
    assert.throws(() => validatePolicyConfig(packArgs.policies, { "sns-kms-encryption": "loud" }), PolicyConfigError);
    assert.throws(() => validatePolicyConfig(packArgs.policies, ["sns-kms-encryption"]), PolicyConfigError);
    assert.deepEqual(validatePolicyConfig(packArgs.policies, { all: "advisory" }), { all: "advisory" });
  });

  it("accepts an imported role by config, or reports it as advisory", async function () {
    const imported = await violationsOf("lambda-foreign-role", {
      "workload-role-of-stack": { importedRoleArns: ["arn:aws:iam::123456789012:role/legacy-admin"] },
    });
    assert.deepEqual(imported, []);
    const advisory = await violationsOf("lambda-foreign-role", { "workload-role-of-stack": "advisory" });
    assert.deepEqual(
      advisory.map((v) => [v.policy, v.enforcementLevel, v.name]),
      [["workload-role-of-stack", "advisory", "legacy-sync"]],
    );
  });

  it("trusts an account named in trustedAccounts, and only that one", async function () {
    const trusted = await violationsOf("kms-keypolicy-other-account", {
      "kms-key-policy-no-outside-access": { trustedAccounts: ["111122223333"] },
    });
    assert.deepEqual(trusted, []);
    const other = await violationsOf("kms-keypolicy-other-account", {
      "kms-key-policy-no-outside-access": { trustedAccounts: ["444455556666"] },
    });
    assert.match(
      other.map((v) => v.message).join("\n"),
      /account 111122223333 may kms:Decrypt, kms:ReEncryptFrom, kms:ReEncryptTo/,
    );
  });
});
