/**
 * Step Functions' payload quota (engine/limits.ts): every state's input and output, inside Parallel
 * and Map too, and a Task's result, at most 262,144 UTF-8 bytes; beyond it the execution fails with
 * States.DataLimitExceeded, which a States.ALL Catch or Retry does not handle.
 */
import * as assert from "assert";
import { LocalWorkflow } from "../../engine/engine";
import { MAX_STATE_BYTES, jsonBytes } from "../../engine/limits";
import { Harness } from "../support/engineHarness";
import { runDefinition } from "../support/libraryRun";
import { sampleOrder } from "../support/sampleOrder";

/** A string of `bytes` UTF-8 bytes made of 3-byte characters. */
const text = (bytes: number) => "€".repeat(Math.floor(bytes / 3));
const CATCH_ALL = [{ ErrorEquals: ["States.ALL"], Next: "Caught" }];
const RETRY_ALL = [{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }];

describe("the 256 KiB state payload quota", function () {
  it("fails a Parallel whose output (two branches of 150 KB) is over the quota; States.ALL neither retries nor catches it", async function () {
    const definition = {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [0, 1].map(() => ({ StartAt: "Echo", States: { Echo: { Type: "Pass", End: true } } })),
          Retry: RETRY_ALL,
          Catch: CATCH_ALL,
          End: true,
        },
        Caught: { Type: "Succeed" },
      },
    };
    const input = { s: text(150_000) };
    const outcome = await runDefinition(definition, input);
    assert.strictEqual(outcome.status, "FAILED");
    assert.strictEqual(outcome.error, "States.DataLimitExceeded");
    assert.match(String(outcome.cause), /'Both' output has a size of \d+ bytes/);
    assert.strictEqual(outcome.retries, 0);
  });

  it("measures in UTF-8 bytes: 90,000 3-byte characters are over the quota, 90,000 ASCII ones are not", async function () {
    const definition = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
    assert.strictEqual((await runDefinition(definition, { s: "a".repeat(90_000) })).status, "SUCCEEDED");
    const over = await runDefinition(definition, { s: text(270_000) });
    assert.strictEqual(over.error, "States.DataLimitExceeded");
  });

  it("fails a Task whose integration returns more than the quota, even when its ResultSelector keeps little", async function () {
    const definition = {
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          ResultSelector: { "n.$": "$.n" },
          Catch: CATCH_ALL,
          End: true,
        },
        Caught: { Type: "Succeed" },
      },
    };
    const outcome = await runDefinition(definition, {}, { T: async () => ({ n: 1, big: text(MAX_STATE_BYTES + 3) }) });
    assert.strictEqual(outcome.error, "States.DataLimitExceeded");
    assert.match(String(outcome.cause), /'T' task result/);
  });

  it("checks a Map iteration's state too", async function () {
    const definition = {
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "Grow",
            States: { Grow: { Type: "Pass", Parameters: { "a.$": "$", "b.$": "$" }, End: true } },
          },
          End: true,
        },
      },
    };
    const outcome = await runDefinition(definition, [text(140_000)]);
    assert.strictEqual(outcome.error, "States.DataLimitExceeded");
    assert.match(String(outcome.cause), /'Grow' input after Parameters/);
  });

  describe("in the workflow", function () {
    let harness: Harness;
    let engine: LocalWorkflow;
    before(async function () {
      harness = await Harness.start(`CustomerOrders-size-${process.pid}`);
      engine = await harness.engine();
    });
    after(async () => harness.close());

    it("reports the largest state input or output of an execution (maxStateBytes), at least its input", async function () {
      const order = sampleOrder("size-reported");
      const report = await engine.run(order);
      assert.strictEqual(report.status, "SUCCEEDED", `${report.error}: ${report.cause}`);
      assert.ok((report.maxStateBytes ?? 0) >= jsonBytes(order), String(report.maxStateBytes));
      assert.ok((report.maxStateBytes ?? 0) < MAX_STATE_BYTES);
    });
  });
});
