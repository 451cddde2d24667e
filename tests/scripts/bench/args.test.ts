/** The bench's command line (scripts/bench/args.ts): defaults, every flag, the floors, and what it refuses. */
import { strict as assert } from "assert";
import { KNOWN_FLAGS, Options, parseOptions } from "../../../scripts/bench/args";
import { UsageError } from "../../../cli/flags";

function options(argv: string[]): Options {
  const parsed = parseOptions(argv);
  assert.ok(!parsed.help, "not a help request");
  return parsed;
}

const defaults: Options = {
  help: false,
  json: false,
  write: false,
  runs: 5,
  invocations: 1000,
  batch: 500,
  largeBatch: 2000,
  forceLargeBatch: false,
  concurrency: 16,
  expressMs: 200,
  expressColdMs: 1000,
  ordersPerSecond: 100,
};

describe("the bench's command line", function () {
  it("defaults to the figures docs/bench.md gives", function () {
    assert.deepEqual(options([]), defaults);
  });

  it("reads every flag, as --flag value or --flag=value", function () {
    const argv = ["--json", "--write", "--runs", "2", "--invocations=30", "--batch", "40", "--large-batch", "50"];
    argv.push(
      "--force-large-batch",
      "--concurrency",
      "3",
      "--express-ms=150",
      "--express-cold-ms",
      "900",
      "--orders-per-second",
      "250",
    );
    assert.deepEqual(options(argv), {
      help: false,
      json: true,
      write: true,
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
    assert.equal(Object.keys(KNOWN_FLAGS).length, 11);
  });

  it("raises counts to what a measurement needs, and lets the large batch and the Express durations be 0", function () {
    const o = options([
      "--runs",
      "0",
      "--invocations",
      "1",
      "--batch",
      "0",
      "--concurrency",
      "0",
      "--large-batch",
      "0",
      "--express-ms",
      "0",
    ]);
    assert.equal(o.runs, 1);
    assert.equal(o.invocations, 2, "the probe needs a first invocation and at least one more");
    assert.equal(o.batch, 1);
    assert.equal(o.concurrency, 1);
    assert.equal(o.largeBatch, 0, "0 turns the large batch off");
    assert.equal(o.expressMs, 0);
  });

  it("answers --help and -h with a help request", function () {
    assert.deepEqual(parseOptions(["--help"]), { help: true });
    assert.deepEqual(parseOptions(["-h"]), { help: true });
  });

  it("refuses a flag it does not know, a positional argument, a switch with a value, a flag given twice", function () {
    const refused: Array<[string[], RegExp]> = [
      [["--run", "3"], /^unknown option --run$/],
      [["extra"], /^unexpected argument extra/],
      [["--json=yes"], /^--json takes no value$/],
      [["--runs", "2", "--runs=3"], /^--runs is given more than once$/],
    ];
    for (const [argv, message] of refused) {
      assert.throws(
        () => parseOptions(argv),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
        argv.join(" "),
      );
    }
  });

  it("refuses a count that is not a whole number of at least 0, naming the flag and the value", function () {
    assert.throws(
      () => parseOptions(["--runs", "x"]),
      /^UsageError: --runs must be a whole number of at least 0 \(got "x"\)$/,
    );
    assert.throws(
      () => parseOptions(["--batch", "2.5"]),
      /--batch must be a whole number of at least 0 \(got "2\.5"\)/,
    );
    assert.throws(
      () => parseOptions(["--concurrency", "-1"]),
      /--concurrency must be a whole number of at least 0 \(got "-1"\)/,
    );
    assert.throws(() => parseOptions(["--invocations"]), /--invocations needs a value/);
  });
});
