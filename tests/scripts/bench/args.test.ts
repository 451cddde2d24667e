/** The bench's command line (scripts/bench/args.ts): defaults, every flag, the floors, and what it refuses. */
import { strict as assert } from "assert";
import { KNOWN_FLAGS, parseOptions } from "../../../scripts/bench/args";

describe("the bench's command line", function () {
  it("defaults to the figures docs/bench.md gives", function () {
    assert.deepEqual(parseOptions([]), {
      json: false,
      runs: 5,
      invocations: 1000,
      batch: 500,
      largeBatch: 2000,
      forceLargeBatch: false,
      concurrency: 16,
      expressMs: 200,
      expressColdMs: 1000,
      ordersPerSecond: 100,
    });
  });

  it("reads every flag", function () {
    const argv = ["--json", "--runs", "2", "--invocations", "30", "--batch", "40", "--large-batch", "50"];
    argv.push("--force-large-batch", "--concurrency", "3", "--express-ms", "150", "--express-cold-ms", "900", "--orders-per-second", "250");
    assert.deepEqual(parseOptions(argv), {
      json: true,
      runs: 2,
      invocations: 30,
      batch: 40,
      largeBatch: 50,
      forceLargeBatch: true,
      concurrency: 3,
      expressMs: 150,
      expressColdMs: 900,
      ordersPerSecond: 250,
    });
    assert.equal(KNOWN_FLAGS.length, 10);
  });

  it("raises counts to what a measurement needs, and lets the large batch and the Express durations be 0", function () {
    const options = parseOptions(["--runs", "0", "--invocations", "1", "--batch", "0", "--concurrency", "0", "--large-batch", "0", "--express-ms", "0"]);
    assert.equal(options.runs, 1);
    assert.equal(options.invocations, 2, "the probe needs a first invocation and at least one more");
    assert.equal(options.batch, 1);
    assert.equal(options.concurrency, 1);
    assert.equal(options.largeBatch, 0, "0 turns the large batch off");
    assert.equal(options.expressMs, 0);
  });

  it("refuses a flag it does not know, naming it and the known ones", function () {
    assert.throws(() => parseOptions(["--run", "3"]), (error: Error) => {
      assert.match(error.message, /^unknown option --run \(known: --json, --force-large-batch, --runs,/);
      return true;
    });
    assert.throws(() => parseOptions(["--help"]), /unknown option --help/);
  });

  it("refuses a count that is not a whole number of at least 0, naming the flag and the value", function () {
    assert.throws(() => parseOptions(["--runs", "x"]), /^Error: --runs needs a whole number \(got x\)$/);
    assert.throws(() => parseOptions(["--batch", "2.5"]), /--batch needs a whole number \(got 2\.5\)/);
    assert.throws(() => parseOptions(["--concurrency", "-1"]), /--concurrency needs a whole number \(got -1\)/);
    assert.throws(() => parseOptions(["--invocations"]), /--invocations needs a whole number \(got undefined\)/);
  });
});
