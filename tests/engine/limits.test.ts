/** The payload quotas' checks (engine/limits.ts): sizes measured, the largest kept, a size known already reused once. */
import * as assert from "assert";
import { DataLimitExceededError, StateLimits } from "../../engine/limits";

describe("StateLimits", function () {
  it("refuses a state's input over the quota as States.DataLimitExceeded, naming the state", function () {
    const limits = new StateLimits(10);
    assert.throws(
      () => limits.check("S", "input", { text: "more than ten bytes" }),
      (e: unknown) => {
        assert.ok(e instanceof DataLimitExceededError);
        assert.match(e.message, /'S' input has a size of 30 bytes/);
        return true;
      },
    );
  });

  it("takes a size given by measured() for the next check of that object, and measures it again after", function () {
    const limits = new StateLimits(100);
    const value = { small: true };
    limits.measured(value, 500);
    assert.throws(() => limits.check("S", "result", value), DataLimitExceededError);
    limits.check("S", "result", value);
    assert.strictEqual(limits.maxStateBytes, 500);
  });

  it("an output's size serves one later check of that object (the next state's input); the check after that measures again", function () {
    const limits = new StateLimits(20);
    const value: Record<string, string> = { a: "b" };
    limits.check("First", "output", value);
    limits.check("Second", "input", value);
    value["a"] = "much longer than twenty bytes";
    assert.throws(() => limits.check("Second", "parameters", value), DataLimitExceededError);
  });
});
