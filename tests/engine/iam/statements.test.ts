/**
 * No grant is unused: for each role of the stack and each statement of its policies in turn, the
 * statement is removed and the calls of a fixed set of executions are decided again; some call is
 * then denied.
 *
 * The executions run once, on the stack's own policies, and every call the engine authorized is
 * recorded (engine/iam/access.ts). Deciding the recorded calls again against the reduced policies is
 * equivalent to running the executions again with them: IAM decides each call from the call and the
 * policies alone, and removing an Allow statement can only turn an allowed call into a denied one.
 * So a re-run makes the same calls, each allowed, until the first call the reduced policies deny,
 * which is among the recorded calls; and if no recorded call is denied, the re-run is the same run.
 * (The end-to-end shape of each denial is shown in access.test.ts.)
 */
import * as assert from "assert";
import { LocalWorkflow } from "../../../engine/engine";
import { WorkflowAccess, projectStackAccess, type RecordedCall } from "../../../engine/iam/access";
import type { StackAccessModel } from "../../../engine/iam/stack";
import { FUNCTION_KEYS, functionResourceName } from "../../../workflow/functions";
import { NO_SIMULATED_FAILURES } from "../../support/engineHarness";
import { roleNamed, withoutEachStatement } from "../../support/iamStatements";
import { sampleOrder } from "../../support/sampleOrder";

/** The stack's roles, by their Pulumi names (index.ts names the component `orders`). */
const ROLES = [
  "orders-state-machine-role",
  ...FUNCTION_KEYS.map((key) => `${functionResourceName("orders", key)}-role`),
];

describe("IAM: every statement of every role is needed by some call", function () {
  this.timeout(300_000);
  let model: StackAccessModel;
  let calls: RecordedCall[];

  before(async function () {
    model = await projectStackAccess();
    // inventoryMode table, as prod runs: the stock functions read and write the Inventory table.
    const stock = Object.fromEntries(sampleOrder().orderContents.items.map((item) => [item.itemId, 10]));
    const engine = await LocalWorkflow.start({ rates: NO_SIMULATED_FAILURES, inventory: stock });
    const declining = await LocalWorkflow.start({ rates: { ...NO_SIMULATED_FAILURES, charge: 1 }, inventory: stock });
    try {
      const charged = await engine.run(sampleOrder("iam-statements"), "iam-statements-1");
      // The same order again, in another execution: the reservation's claim is refused and it reads the record.
      const duplicate = await engine.run(sampleOrder("iam-statements"), "iam-statements-2");
      // A malformed order: the state machine records the failure itself.
      const invalid = await engine.run({ orderId: "iam-statements-invalid" }, "iam-statements-3");
      // A declined charge: the release gives the reserved units back and marks the record.
      const declined = await declining.run(sampleOrder("iam-statements-declined"), "iam-statements-4");
      assert.deepStrictEqual(
        [charged.status, duplicate.error, invalid.error, declined.error],
        ["SUCCEEDED", "DUPLICATE_ORDER", "INVALID_ORDER", "PAYMENT_FAILED"],
      );
      calls = [engine, declining].flatMap((e) => [...(e.access as WorkflowAccess).calls.values()]);
    } finally {
      await engine.close();
      await declining.close();
    }
  });

  it("the executions' calls are all allowed by the stack's policies", async function () {
    assert.deepStrictEqual(await WorkflowAccess.deniedUnder(calls, model), []);
  });

  it("covers every role of the stack", function () {
    assert.deepStrictEqual(model.roleArns().sort(), ROLES.map((name) => roleNamed(model, name)).sort());
  });

  for (const role of ROLES) {
    it(`${role}: without any one of its statements, some call is denied`, async function () {
      const roleArn = roleNamed(model, role);
      const unused: string[] = [];
      const variants = withoutEachStatement(model, roleArn);
      assert.ok(variants.length > 0, `${role} has no statement`);
      for (const variant of variants) {
        const denied = await WorkflowAccess.deniedUnder(calls, model.withIdentityPolicies(roleArn, variant.policies));
        if (denied.length === 0) unused.push(variant.label);
      }
      assert.deepStrictEqual(unused, [], `grants no recorded call needs: ${unused.join(", ")}`);
    });
  }
});
