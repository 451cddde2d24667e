// The offline runner as CI and developers call it: `npm run policy --silent -- [--json] [--program PATH]`.
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
    .filter(line => line.trim() !== "")
    .map(line => JSON.parse(line) as JsonViolation);
}

describe("npm run policy (the offline runner)", function () {
  this.timeout(120_000);

  /** The programs that must fail, and the policy each must name. */
  const mustFail: Record<string, string> = {
    "callback-default-role": "iam-no-broad-managed-policies",
    "iam-wildcard-action": "iam-no-wildcard-actions",
    "sns-unencrypted": "sns-kms-encryption",
    "dynamodb-no-pitr": "dynamodb-point-in-time-recovery",
    "sfn-no-logging": "stepfunctions-logging",
  };
  const results = new Map<string, CliResult>();

  before(async function () {
    // Separate processes, so they may run side by side.
    await Promise.all(
      Object.keys(mustFail).map(async fixture => results.set(fixture, await runPolicyCli(["--json", "--program", fixturePath(fixture)]))),
    );
  });

  for (const [fixture, policy] of Object.entries(mustFail)) {
    it(`exits 1 on ${fixture}, naming ${policy}`, function () {
      const result = results.get(fixture);
      assert.ok(result);
      assert.equal(result.code, 1, result.stderr);
      const violations = jsonLines(result.stdout);
      const named = violations.filter(v => v.policy === policy);
      assert.ok(named.length > 0, result.stdout);
      for (const v of violations) {
        assert.deepEqual(Object.keys(v), ["policy", "enforcementLevel", "urn", "type", "name", "message"]);
      }
      assert.equal(named[0].enforcementLevel, "mandatory");
      assert.match(named[0].urn ?? "", /^urn:pulumi:dev::[^:]+::[^:]+.*::/);
    });
  }

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
    const result = await runPolicyCli(["--json", "--policy-config", config, "--program", fixturePath("sns-unencrypted")]);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(jsonLines(result.stdout).map(v => [v.policy, v.enforcementLevel]), [["sns-kms-encryption", "advisory"]]);
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
    assert.match(badArgument.stderr, /unknown argument --programme\nusage:/);
  });
});
