/** The one flag parser every command shares (cli/flags.ts), and how a command reports an unexpected error (cli/process.ts). */
import * as assert from "assert";
import { UsageError, parseFlags, wholeNumber } from "../../cli/flags";
import { describeFailure, wantsDebug } from "../../cli/process";
import { parseLoadArgs } from "../../scripts/load";

describe("the shared flag parser", function () {
  it("reads --flag value and --flag=value alike; --help, -h and --debug are known to every command", function () {
    const parsed = parseFlags(["--n", "5", "--m=6", "-h", "--debug", "file"], { n: "string", m: "string" });
    assert.deepStrictEqual(
      [...parsed.values],
      [
        ["n", "5"],
        ["m", "6"],
        ["help", true],
        ["debug", true],
      ],
    );
    assert.deepStrictEqual(parsed.positionals, ["file"]);
  });

  it("refuses a flag it does not know, even one named like an object's property", function () {
    for (const flag of ["--bogus", "--constructor", "--toString=1"]) {
      assert.throws(
        () => parseFlags([flag], {}),
        (e: unknown) => e instanceof UsageError && e.message === `unknown option ${flag.split("=")[0]}`,
      );
    }
  });

  it("whole numbers: a range, said in the message", function () {
    assert.strictEqual(wholeNumber("orders", "12", 1), 12);
    assert.throws(
      () => wholeNumber("orders", "1e3", 1),
      /^UsageError: --orders must be a whole number of at least 1 \(got "1e3"\)$/,
    );
    assert.throws(() => wholeNumber("n", "11", 1, 10), /--n must be a whole number from 1 to 10 \(got "11"\)/);
  });
});

describe("npm run load's flags", function () {
  it("--orders=5 and --orders 5 are the same; --rates default or none", function () {
    const a = parseLoadArgs(["--orders=5", "--rates=none"]);
    const b = parseLoadArgs(["--orders", "5", "--rates", "none"]);
    assert.deepStrictEqual(a, b);
    assert.ok(!a.help && a.options.orders === 5 && a.options.rates.payment === 0);
  });

  it("--help is a help request; an unknown flag, a positional argument or a bad value is refused", function () {
    assert.deepStrictEqual(parseLoadArgs(["--help"]), { help: true });
    assert.throws(() => parseLoadArgs(["--bogus"]), /unknown option --bogus/);
    assert.throws(() => parseLoadArgs(["2000"]), /unexpected argument 2000/);
    assert.throws(() => parseLoadArgs(["--rates", "seed"]), /--rates must be default or none \(got "seed"\)/);
    assert.throws(() => parseLoadArgs(["--orders", "0"]), /--orders must be a whole number of at least 1/);
  });
});

describe("an unexpected error", function () {
  const error = new TypeError("x is undefined\nmore detail");

  it("is one line without --debug, with a pointer to --debug", function () {
    assert.strictEqual(
      describeFailure(error, false),
      "error: TypeError: x is undefined (run again with --debug for the stack trace)",
    );
  });

  it("is its stack trace with --debug (before --, where flags end)", function () {
    assert.match(describeFailure(error, true), /^error: TypeError: x is undefined\nmore detail\n\s+at /);
    assert.strictEqual(wantsDebug(["--json", "--debug"]), true);
    assert.strictEqual(wantsDebug(["--", "--debug"]), false);
  });
});
