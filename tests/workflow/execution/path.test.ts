/**
 * The one derivation of an execution's path (workflow/execution/path.ts), through both its views:
 * the steps the text report lists, and the status of every state the HTML report colours.
 */
import * as assert from "assert";
import { allStates, machine } from "../../../workflow/asl";
import {
  StateStatus,
  Step,
  deriveRun,
  executionPath,
  pathByState,
  transitionKey,
} from "../../../workflow/execution/path";
import type { ExecutionReport } from "../../../workflow/execution/report";
import {
  DEMO,
  LAMBDAS_DOWN_PATH,
  OUT_OF_STOCK_PATH,
  SUCCEEDED_PATH,
  orderDefinition as definition,
} from "../../support/paths";

function statuses(states: string[], status: ExecutionReport["status"], definition = DEMO): Record<string, StateStatus> {
  return Object.fromEntries(pathByState(definition, { states, status }).statuses);
}

describe("the path of an execution", () => {
  describe("pathByState: each state's outcome from the states entered (the HTML report's view)", () => {
    it("gives every state of the definition, nested ones included, a status", () => {
      const derived = pathByState(DEMO, { states: [], status: "FAILED" });
      assert.deepStrictEqual(
        [...derived.statuses.keys()].sort(),
        allStates(DEMO)
          .map(([name]) => name)
          .sort(),
      );
      assert.ok([...derived.statuses.values()].every((s) => s === "not-entered"));
      assert.strictEqual(derived.taken.size, 0);
    });

    it("a succeeded run: every state entered succeeded, the others were not entered", () => {
      const run = ["Fetch", "A", "B", "B2", "Each", "Check", "Check", "Ok", "Ok", "Save", "Notify"];
      assert.deepStrictEqual(statuses(run, "SUCCEEDED"), {
        Fetch: "succeeded",
        A: "succeeded",
        B: "succeeded",
        B2: "succeeded",
        Each: "succeeded",
        Check: "succeeded",
        Ok: "succeeded",
        Bad: "not-entered",
        Save: "succeeded",
        Notify: "succeeded",
        Recover: "not-entered",
        Failed: "not-entered",
      });
      const { taken } = pathByState(DEMO, { states: run, status: "SUCCEEDED" });
      for (const [from, to] of [
        ["Fetch", "Each"],
        ["B", "B2"],
        ["Each", "Save"],
        ["Check", "Ok"],
        ["Save", "Notify"],
      ]) {
        assert.ok(taken.has(transitionKey(from, to, false)), `${from} → ${to} taken`);
      }
      assert.ok(!taken.has(transitionKey("Save", "Notify", true)), "not through Save's Catch");
    });

    it("a Map whose iteration failed: the Map caught, the Fail failed; interleaved iterations each find their own next state", () => {
      const run = ["Fetch", "A", "B", "B2", "Each", "Check", "Check", "Check", "Ok", "Bad", "Ok", "Recover", "Failed"];
      const derived = statuses(run, "FAILED");
      assert.strictEqual(derived.Each, "caught");
      assert.strictEqual(derived.Check, "succeeded");
      assert.strictEqual(derived.Ok, "succeeded");
      assert.strictEqual(derived.Bad, "failed");
      assert.strictEqual(derived.Recover, "succeeded");
      assert.strictEqual(derived.Failed, "failed");
      assert.strictEqual(derived.Save, "not-entered");
      const { taken } = pathByState(DEMO, { states: run, status: "FAILED" });
      assert.ok(taken.has(transitionKey("Check", "Ok", false)));
      assert.ok(taken.has(transitionKey("Check", "Bad", false)), "the second iteration's Choice went to Bad");
      assert.ok(taken.has(transitionKey("Each", "Recover", true)), "through the Catch");
    });

    it("a Parallel caught with no Fail state inside: its branches' last states are unknown, not green", () => {
      const derived = statuses(["Fetch", "A", "B", "Recover", "Failed"], "FAILED");
      assert.strictEqual(derived.Fetch, "caught");
      assert.strictEqual(derived.A, "unknown", "A may have thrown: the states entered cannot say");
      assert.strictEqual(derived.B, "unknown", "B's Next never ran: failed or stopped");
      assert.strictEqual(derived.B2, "not-entered");
      assert.strictEqual(derived.Recover, "succeeded");
    });

    it("a Catch leading where Next does cannot be told apart: succeeded", () => {
      const derived = statuses(["Fetch", "A", "B", "B2", "Each", "Check", "Ok", "Save", "Notify"], "SUCCEEDED");
      assert.strictEqual(derived.Save, "succeeded");
    });

    it("the last state of a FAILED execution that is not a Fail state let the error out: failed", () => {
      const derived = statuses(["Fetch", "A", "B", "B2", "Each", "Check", "Ok", "Save"], "FAILED");
      assert.strictEqual(derived.Save, "failed");
      assert.strictEqual(derived.Each, "succeeded");
      assert.strictEqual(derived.Notify, "not-entered");
    });

    it("a failed Parallel at the end: the Parallel failed, its branches unknown", () => {
      const derived = statuses(["Fetch", "A", "B", "B2"], "FAILED");
      assert.strictEqual(derived.Fetch, "failed");
      assert.strictEqual(derived.A, "unknown");
      assert.strictEqual(derived.B, "succeeded", "B went on to B2");
      assert.strictEqual(derived.B2, "unknown");
    });

    it("a next state that is neither Next nor a Catch target is not guessed at: unknown", () => {
      assert.strictEqual(statuses(["Fetch", "A", "B", "B2", "Save", "Notify"], "SUCCEEDED").Fetch, "unknown");
    });

    it("ignores names the definition does not declare", () => {
      const derived = statuses(
        ["Nope", "Fetch", "A", "B", "B2", "Elsewhere", "Each", "Check", "Ok", "Save", "Notify"],
        "SUCCEEDED",
      );
      assert.strictEqual(derived.Fetch, "succeeded");
      assert.ok(!("Nope" in derived));
    });
  });

  describe("executionPath: the states entered as steps (the text report's view)", () => {
    it("nests the Parallel's branches and the Map's states, counting Map iterations", () => {
      const steps = executionPath(definition, SUCCEEDED_PATH, "SUCCEEDED");
      assert.deepStrictEqual(
        steps.map((s) => [s.name, s.outcome, s.children.map((c) => [c.name, c.count, c.outcome])]),
        [
          [
            "VerifyPaymentAndCheckStock",
            "succeeded",
            [
              ["VerifyPaymentDetails", 1, "succeeded"],
              ["RetrieveStockLevels", 1, "succeeded"],
            ],
          ],
          ["PaymentVerified?", "succeeded", []],
          [
            "CheckStock",
            "succeeded",
            [
              ["InStock?", 3, "succeeded"],
              ["ItemInStock", 3, "succeeded"],
            ],
          ],
          ["ReserveStock", "succeeded", []],
          ["ChargePayment", "succeeded", []],
          ["RecordProcessed", "succeeded", []],
          ["NotifyOrderProcessed", "succeeded", []],
        ],
      );
    });

    it("marks a state whose catcher took over as caught, a Fail state as failed", () => {
      const steps = executionPath(definition, OUT_OF_STOCK_PATH, "FAILED");
      const checkStock = steps.find((s) => s.name === "CheckStock");
      assert.strictEqual(checkStock?.outcome, "caught");
      assert.strictEqual(checkStock?.caughtTo, "OutOfStock");
      assert.deepStrictEqual(
        checkStock?.children.map((c) => [c.name, c.count, c.outcome]),
        [
          ["InStock?", 2, "succeeded"],
          ["ItemInStock", 1, "succeeded"],
          ["ItemOutOfStock", 1, "failed"],
        ],
      );
      assert.deepStrictEqual(steps.at(-1), {
        name: "OrderFailed",
        type: "Fail",
        outcome: "failed",
        count: 1,
        children: [],
      });
      // Its Catch and its Next both lead to NotifyOrderFailed: shown as it usually goes.
      assert.strictEqual(steps.find((s) => s.name === "RecordFailedOrder")?.outcome, "succeeded");
    });

    it("cannot tell which Task of a caught Parallel failed, and says so", () => {
      const steps = executionPath(definition, LAMBDAS_DOWN_PATH, "FAILED");
      assert.strictEqual(steps[0].outcome, "caught");
      assert.strictEqual(steps[0].caughtTo, "RecoverOrderId");
      assert.deepStrictEqual(
        steps[0].children.map((c) => c.outcome),
        ["unknown", "unknown"],
      );
    });

    it("marks the last state of an execution that failed without a Fail state as failed", () => {
      const steps = executionPath(definition, ["VerifyPaymentAndCheckStock", "VerifyPaymentDetails"], "FAILED");
      assert.strictEqual(steps[0].outcome, "failed");
    });
  });

  describe("one derivation, two views", () => {
    /** A loop at the top level: Again? sends the execution back to Work once. */
    const LOOP = machine({
      StartAt: "Work",
      States: {
        Work: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Broke" }],
          Next: "Again?",
        },
        "Again?": {
          Type: "Choice",
          Choices: [{ Variable: "$.again", BooleanEquals: true, Next: "Work" }],
          Default: "Done",
        },
        Done: { Type: "Succeed" },
        Broke: { Type: "Fail", Error: "BROKE", Cause: "it broke" },
      },
    });

    it("gives each step the status the graph gives its state, for every path of the order workflow", () => {
      const paths: Array<[string[], ExecutionReport["status"]]> = [
        [SUCCEEDED_PATH, "SUCCEEDED"],
        [OUT_OF_STOCK_PATH, "FAILED"],
        [LAMBDAS_DOWN_PATH, "FAILED"],
        [["VerifyPaymentAndCheckStock", "VerifyPaymentDetails"], "FAILED"],
      ];
      for (const [states, status] of paths) {
        const byState = pathByState(definition, { states, status }).statuses;
        const walk = (steps: readonly Step[]): void => {
          for (const step of steps) {
            assert.strictEqual(step.outcome, byState.get(step.name), `${step.name} in ${states.join(",")}`);
            walk(step.children);
          }
        };
        walk(executionPath(definition, states, status));
      }
    });

    it("a loop: each top-level entry is a step of its own, the graph shows the state's worst entry", () => {
      const states = ["Work", "Again?", "Work", "Broke"];
      const steps = executionPath(LOOP, states, "FAILED");
      assert.deepStrictEqual(
        steps.map((s) => [s.name, s.outcome, s.caughtTo]),
        [
          ["Work", "succeeded", undefined],
          ["Again?", "succeeded", undefined],
          ["Work", "caught", "Broke"],
          ["Broke", "failed", undefined],
        ],
      );
      const { statuses: byState, taken } = pathByState(LOOP, { states, status: "FAILED" });
      assert.strictEqual(byState.get("Work"), "caught");
      assert.strictEqual(byState.get("Done"), "not-entered");
      assert.deepStrictEqual(
        [...taken].sort(),
        [
          transitionKey("Work", "Again?", false),
          transitionKey("Again?", "Work", false),
          transitionKey("Work", "Broke", true),
        ].sort(),
      );
    });

    it("inside a Parallel that failed, a state whose Next was entered succeeded; one that ended its branch is unknown", () => {
      const steps = executionPath(DEMO, ["Fetch", "A", "B", "B2", "Recover", "Failed"], "FAILED");
      assert.deepStrictEqual(
        steps[0].children.map((c) => [c.name, c.outcome]),
        [
          ["A", "unknown"],
          ["B", "succeeded"],
          ["B2", "unknown"],
        ],
      );
    });

    it("a name the definition does not declare is a step of unknown outcome, and nobody's next state", () => {
      const run = deriveRun(
        DEMO,
        ["Fetch", "A", "B", "B2", "Elsewhere", "Each", "Check", "Ok", "Save", "Notify"],
        "SUCCEEDED",
      );
      assert.deepStrictEqual(run.outcomes, [
        "succeeded",
        "succeeded",
        "succeeded",
        "succeeded",
        "unknown",
        "succeeded",
        "succeeded",
        "succeeded",
        "succeeded",
        "succeeded",
      ]);
      const steps = executionPath(DEMO, run.states, "SUCCEEDED");
      assert.deepStrictEqual(
        steps.find((s) => s.name === "Elsewhere"),
        { name: "Elsewhere", type: undefined, outcome: "unknown", count: 1, children: [] },
      );
    });

    it("interleaved Map iterations: each entry of the Choice claims its own next entry", () => {
      const run = deriveRun(
        DEMO,
        ["Fetch", "A", "B", "B2", "Each", "Check", "Check", "Ok", "Bad", "Recover", "Failed"],
        "FAILED",
      );
      assert.deepStrictEqual(run.outcomes.slice(4), [
        "caught",
        "succeeded",
        "succeeded",
        "succeeded",
        "failed",
        "succeeded",
        "failed",
      ]);
      assert.deepStrictEqual(run.caughtTo[4], "Recover");
      assert.ok(
        run.taken.has(transitionKey("Check", "Ok", false)) && run.taken.has(transitionKey("Check", "Bad", false)),
      );
    });
  });
});
