/**
 * Retry backoff, Task timeouts and the execution's TimeoutSeconds on the virtual clock
 * (engine/clock.ts): counted as AWS counts them, without sleeping.
 */
import * as assert from "assert";
import { runDefinition, taskError } from "../support/libraryRun";

const failing = async () => {
  throw taskError("Boom");
};
const task = (extra: object) => ({
  StartAt: "T",
  States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true, ...extra } },
});

describe("the virtual clock", function () {
  it("counts IntervalSeconds × BackoffRate^n between attempts: 1 + 2 + 4 s", async function () {
    const outcome = await runDefinition(
      task({ Retry: [{ ErrorEquals: ["Boom"], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3 }] }),
      {},
      { T: failing },
    );
    assert.deepStrictEqual(
      [outcome.status, outcome.error, outcome.retries, outcome.elapsedMs],
      ["FAILED", "Boom", 3, 7000],
    );
  });

  it("caps each wait at MaxDelaySeconds: 1 + 2 + 3 + 3 s", async function () {
    const retry = [{ ErrorEquals: ["Boom"], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 4, MaxDelaySeconds: 3 }];
    assert.strictEqual((await runDefinition(task({ Retry: retry }), {}, { T: failing })).elapsedMs, 9000);
  });

  it("draws each wait from [0, delay] with JitterStrategy FULL", async function () {
    const retry = [
      { ErrorEquals: ["Boom"], IntervalSeconds: 10, BackoffRate: 1, MaxAttempts: 5, JitterStrategy: "FULL" },
    ];
    const { elapsedMs } = await runDefinition(task({ Retry: retry }), {}, { T: failing });
    assert.ok(elapsedMs >= 0 && elapsedMs <= 50_000, String(elapsedMs));
    assert.notStrictEqual(elapsedMs, 50_000);
  });

  it("times the execution out (TIMED_OUT, States.Timeout) when backoff passes the definition's TimeoutSeconds", async function () {
    const definition = {
      ...task({ Retry: [{ ErrorEquals: ["Boom"], IntervalSeconds: 4, BackoffRate: 2, MaxAttempts: 3 }] }),
      TimeoutSeconds: 10,
    };
    const outcome = await runDefinition(definition, {}, { T: failing });
    assert.deepStrictEqual([outcome.status, outcome.error, outcome.elapsedMs], ["TIMED_OUT", "States.Timeout", 10_000]);
  });

  it("fails a Task with States.Timeout when it runs past its TimeoutSeconds, and a Task without one has no 60 s default", async function () {
    const slow = (seconds: number) => async (_input: unknown, clock: { advance(ms: number): void }) => {
      clock.advance(seconds * 1000);
      return {};
    };
    const timed = await runDefinition(task({ TimeoutSeconds: 5 }), {}, { T: slow(6) });
    assert.deepStrictEqual([timed.status, timed.error, timed.elapsedMs], ["FAILED", "States.Timeout", 6000]);
    const untimed = await runDefinition(task({}), {}, { T: slow(3600) });
    assert.strictEqual(untimed.status, "SUCCEEDED");
  });

  it("runs Parallel branches concurrently: the state takes as long as its longest branch", async function () {
    const branch = (seconds: number) => ({
      StartAt: `W${seconds}`,
      States: { [`W${seconds}`]: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } },
    });
    const definition = {
      StartAt: "Both",
      States: { Both: { Type: "Parallel", Branches: [branch(3), branch(5)], End: true } },
    };
    const wait = (seconds: number) => async (_input: unknown, clock: { sleep(ms: number): Promise<void> }) => {
      await clock.sleep(seconds * 1000);
      return {};
    };
    const outcome = await runDefinition(definition, {}, { W3: wait(3), W5: wait(5) });
    assert.deepStrictEqual([outcome.status, outcome.elapsedMs], ["SUCCEEDED", 5000]);
  });
});
