/** The offline runner as CI and developers call it: `npm run policy --silent -- [--json] [--program PATH]`. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliResult, fixturePath, runPolicyCli } from "../support/policy";

interface JsonViolation {
  policy: string;
  enforcementLevel: string;
  urn: string | null;
  type: string | null;
  name: string | null;
  message: string;
}

function jsonLines(stdout: string): JsonViolation[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as JsonViolation);
}

describe("npm run policy (the offline runner)", function () {
  this.timeout(120_000);

  /** The issues' programs that must fail, the mandatory policy each must name, and on which resource. */
  const mustFail: Record<string, { readonly policy: string; readonly resource?: string }> = {
    "callback-default-role": { policy: "iam-no-broad-managed-policies" },
    "iam-wildcard-action": { policy: "iam-no-wildcard-actions" },
    "sns-unencrypted": { policy: "sns-kms-encryption" },
    "dynamodb-no-pitr": { policy: "dynamodb-point-in-time-recovery" },
    "sfn-no-logging": { policy: "stepfunctions-logging" },
    "iam-wildcard-action-spellings": { policy: "iam-no-wildcard-actions", resource: "record-order-role" },
    "kms-key-policy-public": { policy: "kms-key-policy-no-outside-access", resource: "open-key" },
    "kms-keypolicy-other-account": { policy: "kms-key-policy-no-outside-access", resource: "shared-key-policy" },
    "dynamodb-resource-policy-public": {
      policy: "dynamodb-resource-policy-no-outside-access",
      resource: "orders-policy",
    },
    "sqs-queue-policy-public": { policy: "sqs-queue-policy-no-outside-access", resource: "order-events-queue-policy" },
    "sqs-queue-service-unscoped": { policy: "sqs-queue-policy-no-outside-access", resource: "order-events-queue" },
    "sns-policy-negated-conditions": { policy: "sns-topic-policy-no-public-grant", resource: "order-events-policy" },
    "sns-policy-wildcard-like": { policy: "sns-topic-policy-no-public-grant", resource: "order-events-policy" },
    "sns-policy-not-principal": { policy: "sns-topic-policy-no-public-grant", resource: "alerts" },
    "lambda-permission-public": { policy: "lambda-permission-no-outside-access", resource: "anyone-invokes" },
    "lambda-function-url-public": { policy: "lambda-function-url-iam-auth", resource: "webhook-url" },
    "lambda-foreign-role": { policy: "workload-role-of-stack", resource: "legacy-sync" },
    "sfn-foreign-role": { policy: "workload-role-of-stack", resource: "nightly-workflow" },
    "iam-user-access-key": { policy: "iam-no-users-or-access-keys", resource: "deployer-key" },
    "sns-subscription-http": { policy: "sns-subscription-https-only", resource: "webhook" },
    "lambda-secret-shapes": { policy: "lambda-no-secret-environment", resource: "record-order" },
  };
  /** Compliant programs with the same resource types. */
  const mustPass = [
    "sqs-subscribed-queue",
    "lambda-secret-reference",
    "lambda-permission-scoped",
    "kms-key-policy-own-account",
  ];
  const results = new Map<string, CliResult>();

  before(async function () {
    this.timeout(600_000);
    // Separate processes, so they may run side by side (a few at a time).
    const queue = [...Object.keys(mustFail), ...mustPass];
    const worker = async (): Promise<void> => {
      for (let fixture = queue.shift(); fixture !== undefined; fixture = queue.shift()) {
        results.set(fixture, await runPolicyCli(["--json", "--program", fixturePath(fixture)]));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  });

  for (const [fixture, { policy, resource }] of Object.entries(mustFail)) {
    it(`exits 1 on ${fixture}, naming ${policy}${resource ? ` on ${resource}` : ""}`, function () {
      const result = results.get(fixture);
      assert.ok(result);
      assert.equal(result.code, 1, result.stderr);
      const violations = jsonLines(result.stdout);
      const named = violations.filter((v) => v.policy === policy && (resource === undefined || v.name === resource));
      assert.ok(named.length > 0, result.stdout);
      for (const v of violations) {
        assert.deepEqual(Object.keys(v), ["policy", "enforcementLevel", "urn", "type", "name", "message"]);
      }
      assert.equal(named[0].enforcementLevel, "mandatory");
      assert.match(named[0].urn ?? "", /^urn:pulumi:dev::[^:]+::[^:]+.*::/);
    });
  }

  for (const fixture of mustPass) {
    it(`exits 0 on ${fixture}, with an empty result and a closing summary on stderr`, function () {
      const result = results.get(fixture);
      assert.ok(result);
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      assert.equal(result.stdout, "");
      const summary = JSON.parse(result.stderr.trim().split("\n").pop() ?? "") as { summary: Record<string, number> };
      assert.equal(summary.summary.mandatory, 0);
      assert.equal(summary.summary.advisory, 0);
      assert.ok(summary.summary.resources > 0 && summary.summary.policies > 0);
    });
  }

  it("exits 2 when --stack names a stack that has no Pulumi.<stack>.yaml", async function () {
    const result = await runPolicyCli(["--stack", "prdo"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Pulumi\.prdo\.yaml does not exist: .*Pulumi\.yaml has no stack prdo/);
    assert.equal(result.stdout, "");
  });

  it("exits 0 and says so when nothing is violated", async function () {
    const result = await runPolicyCli(["--program", fixturePath("compliant")]);
    assert.equal(result.code, 0, result.stderr);
    // 16, and the state machine's data key, its alarm topic with its key, and three alarms.
    assert.match(result.stdout, /22 resources, \d+ policies, 0 mandatory and 0 advisory violations/);
  });

  it("exits 0 on advisory violations but prints them with the level, resource and fix", async function () {
    const result = await runPolicyCli(["--program", fixturePath("dynamodb-no-deletion-protection")]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ADVISORY {2}dynamodb-deletion-protection$/m);
    assert.match(result.stdout, /resource: urn:pulumi:dev::.*::aws:dynamodb\/table:Table::orders/);
    assert.match(result.stdout, /how to fix: Set `deletionProtectionEnabled: true`/);
  });

  it("exits 2 with a clear message when the program does not exist", async function () {
    const result = await runPolicyCli(["--program", "tests/policy/fixtures/no-such-program.ts"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot load program .*no-such-program\.ts:\n.*does not exist/);
    assert.equal(result.stdout, "");
  });

  it("exits 2 with the program's error and where it was thrown", async function () {
    const result = await runPolicyCli(["--program", fixturePath("throws-on-load")]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /the stack's configuration is incomplete\n\s+at .*throws-on-load\.ts:\d+/);
  });

  it("exits 2 when the program does not compile", async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
    const program = path.join(dir, "broken.ts");
    fs.writeFileSync(program, "export const = 1;\n");
    const result = await runPolicyCli(["--program", program]);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot load program/);
  });

  it("applies --policy-config levels: a mandatory policy made advisory no longer fails the run", async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
    const config = path.join(dir, "levels.json");
    fs.writeFileSync(config, JSON.stringify({ "sns-kms-encryption": "advisory" }));
    const result = await runPolicyCli([
      "--json",
      "--policy-config",
      config,
      "--program",
      fixturePath("sns-unencrypted"),
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      jsonLines(result.stdout).map((v) => [v.policy, v.enforcementLevel]),
      [["sns-kms-encryption", "advisory"]],
    );
  });

  it("exits 2 on a --policy-config naming a policy the pack lacks, and on unknown arguments", async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
    const config = path.join(dir, "levels.json");
    fs.writeFileSync(config, JSON.stringify({ "s3-no-public-read": "advisory" }));
    const badConfig = await runPolicyCli(["--policy-config", config, "--program", fixturePath("sns-unencrypted")]);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(badConfig.code, 2);
    assert.match(badConfig.stderr, /"s3-no-public-read", which is not a policy of this pack/);
    const badArgument = await runPolicyCli(["--programme", "index.ts"]);
    assert.equal(badArgument.code, 2);
    assert.match(badArgument.stderr, /unknown option --programme\nRun npm run policy -- --help for usage\./);
  });
});
