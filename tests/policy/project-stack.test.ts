/** The project's own stack (index.ts with the dev stack's config) against the pack. */
import { strict as assert } from "assert";
import * as path from "path";
import { packArgs } from "../../policy/pack";
import { evaluate } from "../../policy/runner/evaluate";
import { loadProgram, POLICY_CHECK } from "../../program/load";
import { ROOT } from "../support/commands";
import { describeViolations, runPolicyCli } from "../support/policy";

describe("the project's stack against the policy pack", function () {
  this.timeout(180_000);

  it("registers the workflow's resources and violates no mandatory policy", async function () {
    const program = await loadProgram({ programPath: path.join(ROOT, "index.ts"), stack: "dev", ...POLICY_CHECK });
    const types = new Set(program.resources.map((r) => r.type));
    for (const type of [
      "aws:lambda/function:Function",
      "aws:sfn/stateMachine:StateMachine",
      "aws:dynamodb/table:Table",
      "aws:sns/topic:Topic",
      "aws:iam/role:Role",
    ]) {
      assert.ok(types.has(type), `the stack declares no ${type}`);
    }
    const violations = await evaluate(packArgs.policies, program.resources, {
      packEnforcementLevel: packArgs.enforcementLevel,
    });
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
    assert.deepEqual(mandatory, [], describeViolations(mandatory));
  });

  it("passes `npm run policy` (no --program: index.ts, Pulumi.dev.yaml's config)", async function () {
    const result = await runPolicyCli(["--json"]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  });
});
