/** The command lines' arguments: npm start and npm run order parse strictly and explain what is wrong. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_DEPLOYED_CONCURRENCY,
  OrderOptions,
  StartOptions,
  parseOrderArgs,
  parseStartArgs,
} from "../../cli/args";
import { UsageError } from "../../cli/flags";

function start(...argv: string[]): StartOptions {
  const options = parseStartArgs(argv);
  assert.ok(!options.help, "not a help request");
  return options;
}

function order(...argv: string[]): OrderOptions {
  const options = parseOrderArgs(argv);
  assert.ok(!options.help, "not a help request");
  return options;
}

describe("npm start arguments", () => {
  it("defaults: the sample order, the default failure rates, 16 at a time, human output in short", () => {
    assert.deepStrictEqual(start(), {
      help: false,
      json: false,
      verbose: false,
      debug: false,
      seed: undefined,
      rates: undefined,
      chaos: undefined,
      dynamodbEndpoint: undefined,
      outbox: undefined,
      report: undefined,
      stateDir: undefined,
      inventory: undefined,
      inventoryOut: undefined,
      concurrency: DEFAULT_CONCURRENCY,
      files: [],
    });
    assert.strictEqual(DEFAULT_CONCURRENCY, 16);
  });

  it("reads every flag, in either --flag value or --flag=value form, and keeps files in order", () => {
    const options = start(
      "--json",
      "--verbose",
      "--debug",
      "--seed",
      "007",
      "--rates=payment=0.5,stock=0,charge=1",
      "--chaos",
      "0.1",
      "--dynamodb-endpoint",
      "http://localhost:8000",
      "--outbox",
      "out.jsonl",
      "--report=run.html",
      "--concurrency=4",
      "a.json",
      "-",
      "b.jsonl",
    );
    assert.deepStrictEqual(options, {
      help: false,
      json: true,
      verbose: true,
      debug: true,
      seed: "7",
      rates: { payment: 0.5, stock: 0, charge: 1 },
      chaos: 0.1,
      dynamodbEndpoint: "http://localhost:8000",
      outbox: "out.jsonl",
      report: "run.html",
      stateDir: undefined,
      inventory: undefined,
      inventoryOut: undefined,
      concurrency: 4,
      files: ["a.json", "-", "b.jsonl"],
    });
  });

  it("takes any subset of the rates, in any order, spaces allowed", () => {
    assert.deepStrictEqual(start("--rates", "charge=1").rates, { charge: 1 });
    assert.deepStrictEqual(start("--rates", "stock=.25, payment=0").rates, { stock: 0.25, payment: 0 });
  });

  it("takes --chaos 0 and --chaos 1 (a probability, both ends included)", () => {
    assert.deepStrictEqual([start("--chaos", "0").chaos, start("--chaos=1").chaos, start().chaos], [0, 1, undefined]);
  });

  it("treats everything after -- as files", () => {
    assert.deepStrictEqual(start("--json", "--", "--seed", "-x").files, ["--seed", "-x"]);
  });

  it("answers -h and --help with a help request, even among other flags", () => {
    assert.deepStrictEqual(parseStartArgs(["-h"]), { help: true });
    assert.deepStrictEqual(parseStartArgs(["--json", "--help", "--seed", "x"]), { help: true });
  });

  const bad: Array<[string[], RegExp]> = [
    [["--bogus"], /^unknown option --bogus$/],
    [["--bogus=1"], /^unknown option --bogus$/],
    [["-x"], /^unknown option -x$/],
    [["--json=yes"], /^--json takes no value$/],
    [["--seed"], /^--seed needs a value$/],
    [["--seed", "--json"], /^--seed needs a value$/],
    [["--seed="], /^--seed needs a value$/],
    [["--seed", "abc"], /^--seed must be a non-negative integer \(got "abc"\)$/],
    [["--seed", "-1"], /^--seed must be a non-negative integer \(got "-1"\)$/],
    [["--seed", "1.5"], /--seed must be a non-negative integer/],
    [["--seed", "1", "--seed", "2"], /^--seed is given more than once$/],
    [["--rates", "payment=2"], /^--rates: payment must be a number from 0 to 1 \(got "2"\)$/],
    [["--rates", "stock=-0.1"], /^--rates: stock must be a number from 0 to 1 \(got "-0.1"\)$/],
    [["--rates", "charge=abc"], /charge must be a number from 0 to 1/],
    [["--rates", "charge="], /charge must be a number from 0 to 1 \(got ""\)/],
    [["--rates", "charge=0x1"], /charge must be a number from 0 to 1/],
    [["--rates", "payment"], /^--rates: "payment" is not KEY=VALUE/],
    [["--rates", "refund=0.1"], /^--rates: unknown rate "refund" \(the rates are payment, stock, charge\)$/],
    [["--rates", "payment=0.1,payment=0.2"], /^--rates: payment is given more than once$/],
    [["--chaos", "1.5"], /^--chaos must be a probability from 0 to 1 \(got "1\.5"\)$/],
    [["--chaos", "-0.1"], /^--chaos must be a probability from 0 to 1 \(got "-0\.1"\)$/],
    [["--chaos", "often"], /^--chaos must be a probability from 0 to 1 \(got "often"\)$/],
    [["--chaos"], /^--chaos needs a value$/],
    [["--concurrency", "0"], /^--concurrency must be a whole number from 1 to 1000 \(got "0"\)$/],
    [["--concurrency", "2.5"], /--concurrency must be a whole number/],
    [["--concurrency", "5000"], /--concurrency must be a whole number/],
    [["--dynamodb-endpoint", "localhost:8000"], /^--dynamodb-endpoint must be an http:\/\/ or https:\/\/ URL/],
    [["--dynamodb-endpoint", "not a url"], /--dynamodb-endpoint must be an http/],
    [["-", "-"], /^standard input \(-\) can be read only once$/],
    [
      ["--outbox", "run.out", "--report", "run.out"],
      /^--outbox and --report name the same file \(run\.out\): give each its own$/,
    ],
    [["--outbox=./run.out", "--report", "run.out"], /^--outbox and --report name the same file/],
    [["--verbose=1"], /^--verbose takes no value$/],
  ];
  it("refuses --outbox and --report naming one file through a symbolic link, even before it exists", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "order-args-"));
    try {
      fs.symlinkSync(path.join(dir, "run.out"), path.join(dir, "link.out"));
      assert.throws(
        () => parseStartArgs(["--outbox", path.join(dir, "run.out"), "--report", path.join(dir, "link.out")]),
        (error: unknown) => error instanceof UsageError && /name the same file/.test(error.message),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(" ")}`, () => {
      assert.throws(
        () => parseStartArgs(argv),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
      );
    });
  }
});

describe("npm run order arguments", () => {
  it("needs a stack, and runs 4 at a time by default", () => {
    assert.deepStrictEqual(order("--stack", "dev", "orders.jsonl"), {
      help: false,
      json: false,
      verbose: false,
      debug: false,
      target: { stack: "dev" },
      outbox: undefined,
      concurrency: DEFAULT_DEPLOYED_CONCURRENCY,
      files: ["orders.jsonl"],
    });
  });

  it("takes a state machine's ARN (and its table) instead of a stack", () => {
    const arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders-workflow-1a2b3c";
    assert.deepStrictEqual(order("--state-machine-arn", arn, "--table-name", "orders-table", "--json").target, {
      stateMachineArn: arn,
      tableName: "orders-table",
    });
    assert.deepStrictEqual(order("--state-machine-arn", arn).target, { stateMachineArn: arn, tableName: undefined });
  });

  const bad: Array<[string[], RegExp]> = [
    [[], /^--stack NAME is required \(or --state-machine-arn ARN\)$/],
    [["--stack", "dev", "--state-machine-arn", "arn:aws:states:us-east-1:123456789012:stateMachine:x"], /not both/],
    [["--state-machine-arn", "arn:aws:lambda:us-east-1:123456789012:function:x"], /must be a state machine's ARN/],
    [["--stack", "dev", "--table-name", "t"], /--table-name goes with --state-machine-arn/],
    [["--stack", "dev", "--seed", "1"], /^unknown option --seed$/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(" ") || "no arguments"}`, () => {
      assert.throws(
        () => parseOrderArgs(argv),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
      );
    });
  }
});
