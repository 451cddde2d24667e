/** The bounded pool that runs a batch of orders with a fixed concurrency. */
import * as assert from "assert";
import { runPool } from "../../cli/pool";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the bounded pool", () => {
  it("returns results, and hands them on, in input order though they finish in any order", async () => {
    const delays = [30, 5, 20, 0, 10, 25, 1];
    const handed: Array<[string, number]> = [];
    const progress: number[] = [];
    const results = await runPool(
      delays,
      async (ms, i) => {
        await sleep(ms);
        return `order ${i}`;
      },
      { concurrency: 3, onResult: (r, i) => handed.push([r, i]), onProgress: (done) => progress.push(done) },
    );
    assert.deepStrictEqual(
      results,
      delays.map((_, i) => `order ${i}`),
    );
    assert.deepStrictEqual(
      handed,
      delays.map((_, i) => [`order ${i}`, i]),
    );
    assert.deepStrictEqual(progress, [1, 2, 3, 4, 5, 6, 7]);
  });

  it("never runs more than `concurrency` tasks at once, and keeps that many busy", async () => {
    let running = 0;
    let most = 0;
    await runPool(
      Array.from({ length: 40 }, (_, i) => i),
      async (i) => {
        running++;
        most = Math.max(most, running);
        await sleep(i % 3);
        running--;
      },
      { concurrency: 5 },
    );
    assert.strictEqual(most, 5);
  });

  it("starts nothing more after a failure, lets running tasks end, and rejects with the first error", async () => {
    const started: number[] = [];
    let settled = 0;
    await assert.rejects(
      runPool(
        Array.from({ length: 20 }, (_, i) => i),
        async (i) => {
          started.push(i);
          await sleep(i === 2 ? 1 : 15);
          settled++;
          if (i === 2) throw new Error("order 2 broke the engine");
        },
        { concurrency: 4 },
      ),
      /order 2 broke the engine/,
    );
    assert.deepStrictEqual(started, [0, 1, 2, 3]);
    assert.strictEqual(settled, 4, "the pool waited for the tasks already running");
  });

  it("handles an empty list, and refuses a concurrency below 1", async () => {
    assert.deepStrictEqual(await runPool([], () => Promise.resolve(1), { concurrency: 16 }), []);
    await assert.rejects(
      runPool([1], () => Promise.resolve(1), { concurrency: 0 }),
      RangeError,
    );
  });
});
