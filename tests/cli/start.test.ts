/**
 * `npm start` end to end: the command run as a process, as scripts and people run it, and (for what
 * needs a terminal or many cases) its main function with captured streams.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../cli/start";
import { JSON_LINE_KEYS, JsonLine } from "../../cli/format";
import { seededExecutionName } from "../../cli/names";
import { CapturedIo, Completed, runScript } from "../support/commands";
import type { OutboxLine } from "../../cli/batch";
import { MAX_FILE_BYTES } from "../../cli/inputs";
import { sampleOrder } from "../support/sampleOrder";

const CLI = "cli/start.ts";
const NEVER = "payment=0,stock=0,charge=0";

function jsonLines(result: Completed): JsonLine[] {
  assert.ok(result.stdout.endsWith("\n"), "standard output ends with a newline");
  return result.stdout
    .slice(0, -1)
    .split("\n")
    .map((line) => {
      const parsed = JSON.parse(line) as JsonLine;
      assert.deepStrictEqual(Object.keys(parsed), [...JSON_LINE_KEYS], "exactly the keys of a --json line");
      return parsed;
    });
}

/** The line without what differs from run to run whatever the seed: the time the record was written. */
function withoutTime(line: JsonLine): JsonLine {
  if (line.record === null) return line;
  const record = { ...line.record };
  delete record.CreatedAt;
  return { ...line, record };
}

/** The outbox's lines: each with the topic, the message attributes and the message, as SNS received them. */
function readOutbox(file: string): OutboxLine[] {
  return fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((text) => {
      const line = JSON.parse(text) as OutboxLine;
      assert.deepStrictEqual(Object.keys(line), ["topicArn", "attributes", "message"]);
      assert.match(line.topicArn, /^arn:aws:sns:/);
      const message = line.message as { state: string; reason?: string };
      assert.deepStrictEqual(
        line.attributes,
        message.reason === undefined ? { state: message.state } : { state: message.state, reason: message.reason },
      );
      return line;
    });
}

describe("npm start", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "order-cli-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("--json on the sample order prints exactly one line: SUCCEEDED, charged, recorded PROCESSED", async () => {
    const result = await runScript(CLI, ["--json", "--rates", NEVER, "samples/order.json"]);
    assert.strictEqual(result.status, 0, result.stderr);
    assert.strictEqual(result.stderr, "", "nothing on standard error, not even the AWS SDK's Node.js warning");
    const lines = jsonLines(result);
    assert.strictEqual(lines.length, 1);
    const [line] = lines;
    assert.strictEqual(line.status, "SUCCEEDED");
    assert.strictEqual(line.error, null);
    assert.strictEqual(line.cause, null);
    assert.strictEqual(line.charged, true);
    assert.strictEqual(line.record?.State, "PROCESSED");
    assert.strictEqual(line.record?.OrderId, line.orderId);
    assert.deepStrictEqual(line.notifications, [
      {
        orderId: line.orderId,
        state: "PROCESSED",
        customerId: "c-id-56392",
        orderTotal: 2250,
        message: `Order ${line.orderId} for customer c-id-56392 was charged 2250.00 and recorded.`,
      },
    ]);
    assert.strictEqual(line.transitions, line.states.length);
  });

  it("--report writes one self-contained HTML page with every execution's path, record and notification", async () => {
    const page = path.join(dir, "report.html");
    const result = await runScript(CLI, [
      "--json",
      "--rates",
      "payment=0,stock=0,charge=1",
      "--report",
      page,
      "samples/order.json",
    ]);
    assert.strictEqual(result.status, 0, result.stderr);
    const [line] = jsonLines(result);
    const html = fs.readFileSync(page, "utf8");
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/i, "nothing is loaded from elsewhere");
    assert.match(
      html,
      /data-state="ChargePayment"[^>]*data-status="caught"|data-status="caught"[^>]*data-state="ChargePayment"/,
    );
    assert.ok(html.includes(line.orderId ?? "no order id"), "the execution is on the page");
    assert.ok(html.includes("PAYMENT_FAILED"));
  });

  it("with no file runs the sample order and prints, without colours when not on a terminal, the path, the outcome, and one line each for the record and notification", async () => {
    const result = await runScript(CLI, ["--rates", NEVER]);
    assert.strictEqual(result.status, 0, result.stderr);
    assert.strictEqual(result.stderr, "");
    const out = result.stdout;
    assert.ok(!out.includes("\x1b"), "no ANSI codes in a pipe");
    assert.match(out, /^Order [0-9a-f-]{36} · samples\/order\.json\n/);
    for (const line of [
      "  ✓ VerifyPaymentAndCheckStock",
      "      ✓ VerifyPaymentDetails",
      "      ✓ RetrieveStockLevels",
      "      ✓ InStock? ×3",
      "  ✓ ReserveStock",
      "  ✓ ChargePayment",
      "  ✓ RecordProcessed",
      "  ✓ NotifyOrderProcessed",
      "  SUCCEEDED",
      "  charged: yes · 15 state transitions",
    ]) {
      assert.ok(out.split("\n").includes(line), `prints ${JSON.stringify(line)}`);
    }
    assert.match(
      out,
      /\n {2}record: PROCESSED · customer c-id-56392 · 3 items · total 2250.00 · MASTERCARD \*{4}4444 · charge \S+\n/,
    );
    assert.match(out, /\n {2}notification: state=PROCESSED · "Order [0-9a-f-]{36} for customer c-id-56392 was /);
    assert.ok(!out.includes("Summary"), "no summary for one order");
  });

  it("--verbose prints the record and the notification in full, as JSON", async () => {
    const result = await runScript(CLI, ["--verbose", "--rates", NEVER]);
    assert.strictEqual(result.status, 0, result.stderr);
    for (const line of ["  record:", '      "State": "PROCESSED",', "  notification:", '      "state": "PROCESSED",']) {
      assert.ok(result.stdout.split("\n").includes(line), `prints ${JSON.stringify(line)}`);
    }
  });

  it("--seed makes a run repeatable: same executions, same outcomes (only CreatedAt differs), from a file or standard input", async () => {
    const orders = Array.from({ length: 12 }, () => JSON.stringify(sampleOrder())).join("\n");
    const file = path.join(dir, "seeded.jsonl");
    fs.writeFileSync(file, `${orders}\n`);
    const outbox = path.join(dir, "seeded-outbox.jsonl");
    const [fromStdin, fromFile] = await Promise.all([
      // Few at a time: the engine loses a DynamoDB call now and then when many run at once (see below).
      runScript(CLI, ["--json", "--seed", "42", "--concurrency", "2", "--outbox", outbox, "-"], `${orders}\n`),
      runScript(CLI, ["--json", "--seed", "42", "--concurrency", "2", file]),
    ]);
    assert.strictEqual(fromStdin.status, 0, fromStdin.stderr);
    assert.strictEqual(fromFile.status, 0, fromFile.stderr);
    const a = jsonLines(fromStdin);
    const b = jsonLines(fromFile);
    assert.deepStrictEqual(
      a.map((line) => line.orderId),
      a.map((_, i) => seededExecutionName("42", i)),
    );
    assert.deepStrictEqual(a.map(withoutTime), b.map(withoutTime));
    // The default failure rates apply: with a dozen orders, more than one route is taken.
    assert.ok(
      new Set(a.map((line) => line.error)).size > 1,
      `several outcomes: ${a.map((line) => line.error).join(", ")}`,
    );
    const published = readOutbox(outbox);
    assert.deepStrictEqual(
      published.map((line) => line.message),
      a.flatMap((line) => line.notifications),
    );
  });

  it("runs a 200-order JSON Lines file on a bounded pool: every order accounted for, in input order, summary and throughput on stderr", async function () {
    this.timeout(600_000);
    const file = path.join(dir, "bulk.jsonl");
    const outbox = path.join(dir, "bulk-outbox.jsonl");
    fs.writeFileSync(file, Array.from({ length: 200 }, (_, i) => JSON.stringify(sampleOrder(`bulk-${i}`))).join("\n"));
    const result = await runScript(CLI, ["--json", "--seed", "7", "--concurrency", "16", "--outbox", outbox, file]);
    assert.strictEqual(result.status, 0, result.stderr);
    const lines = jsonLines(result);
    assert.deepStrictEqual(
      lines.map((line) => line.orderId),
      Array.from({ length: 200 }, (_, i) => `bulk-${i}`),
    );
    for (const line of lines) {
      assert.ok(line.status === "SUCCEEDED" || line.status === "FAILED");
      // Where there is a record it agrees. One can be missing: the engine's DynamoDB calls do not
      // survive dynalite closing a kept-alive connection (ECONNRESET) when the event loop is busy.
      if (line.record !== null)
        assert.strictEqual(line.record.State, line.status === "SUCCEEDED" ? "PROCESSED" : "FAILED");
    }
    const succeeded = lines.filter((line) => line.status === "SUCCEEDED").length;
    assert.ok(result.stderr.includes("Summary: 200 orders\n"), result.stderr);
    assert.match(result.stderr, new RegExp(`\\n  SUCCEEDED +${succeeded}\\n  FAILED +${200 - succeeded}\\n`));
    assert.match(result.stderr, /\n200 orders in \d+\.\d s \(\d+\.\d orders\/s\)\n$/);
    assert.ok(!result.stderr.includes("\r"), "no progress bar when standard error is not a terminal");
    const published = readOutbox(outbox);
    assert.deepStrictEqual(
      published.map((line) => line.message),
      lines.flatMap((line) => line.notifications),
      "the outbox holds every notification, in input order",
    );
  });

  describe("refuses bad flags and bad inputs with exit status 2 and a message naming the problem", () => {
    it("as a process: a bad --rates, and an invalid JSON file", async () => {
      const badJson = path.join(dir, "broken.json");
      fs.writeFileSync(badJson, '{\n  "customerId": "c-1",\n  "orderTotal": 22.5,\n}\n');
      const [rates, json] = await Promise.all([
        runScript(CLI, ["--rates", "payment=2"]),
        runScript(CLI, ["--json", badJson]),
      ]);
      assert.deepStrictEqual(rates, {
        status: 2,
        stdout: "",
        stderr: 'error: --rates: payment must be a number from 0 to 1 (got "2")\nRun npm start -- --help for usage.\n',
      });
      assert.deepStrictEqual(json, {
        status: 2,
        stdout: "",
        stderr: `error: ${badJson}:4:1: invalid JSON: expected a property name in double quotes, found "}"\n`,
      });
    });

    const cases: Array<[string[], RegExp]> = [
      [["--bogus"], /^error: unknown option --bogus\nRun npm start -- --help for usage\.\n$/],
      [["--seed", "abc"], /^error: --seed must be a non-negative integer \(got "abc"\)\n/],
      [["--concurrency", "0"], /^error: --concurrency must be a whole number from 1 to 1000/],
      [["--rates", "refund=1"], /^error: --rates: unknown rate "refund"/],
      [["no-such-orders.json"], /^error: cannot read no-such-orders\.json: no such file\n$/],
      [["--outbox", os.tmpdir()], /^error: cannot write the outbox .*: EISDIR/],
      [
        ["--outbox", "same.out", "--report", "same.out"],
        /^error: --outbox and --report name the same file \(same\.out\): give each its own\n/,
      ],
    ];
    for (const [argv, message] of cases) {
      it(`npm start -- ${argv.join(" ")}`, async () => {
        const io = new CapturedIo();
        assert.strictEqual(await main(argv, io), 2);
        assert.strictEqual(io.out, "");
        assert.match(io.err, message);
      });
    }

    it("a file too large to read at once, with a message that says so", async () => {
      const big = path.join(dir, "big.jsonl");
      // A sparse file: as large as the limit says, without taking the disk space.
      fs.writeFileSync(big, "");
      fs.truncateSync(big, MAX_FILE_BYTES + 1);
      const io = new CapturedIo();
      assert.strictEqual(await main([big], io), 2);
      assert.strictEqual(io.out, "");
      assert.match(
        io.err,
        /^error: .*big\.jsonl: file too large \(268,435,457 bytes; at most 268,435,456 bytes are read at once\): split it/,
      );
      fs.rmSync(big);
    });

    it("an invalid line on standard input", async () => {
      const io = new CapturedIo({ stdin: '{"customerId": "c-1"}\n{"customerId": }\n' });
      assert.strictEqual(await main(["--json", "-"], io), 2);
      assert.strictEqual(io.err, 'error: stdin:2:16: invalid JSON: expected a value, found "}"\n');
    });

    it("--help prints the usage and exits 0", async () => {
      const io = new CapturedIo();
      assert.strictEqual(await main(["--help"], io), 0);
      assert.match(io.out, /^Usage: npm start --silent -- \[options\] \[FILE \.\.\.\]/);
      assert.match(io.out, /--rates payment=P,stock=S,charge=C/);
    });
  });

  it("on a terminal, colours the path and draws a progress bar on stderr, cleared before each report", async () => {
    const io = new CapturedIo({
      tty: true,
      stdin: `${JSON.stringify(sampleOrder())}\n${JSON.stringify(sampleOrder())}\n`,
    });
    assert.strictEqual(await main(["--rates", NEVER, "-"], io), 0);
    assert.ok(io.out.includes("\x1b[32m✓\x1b[0m VerifyPaymentAndCheckStock"), "a green check");
    assert.ok(io.out.includes("\x1b[1mSummary: 2 orders\x1b[0m"), "a summary for several orders");
    assert.match(io.err, /█+ 2\/2 orders/);
    assert.ok(io.err.includes("\r\x1b[K"), "the bar is cleared");
    assert.match(io.err, /2 orders in \d+\.\d s/);
    assert.strictEqual(
      io.out.split("\n").filter((line) => line.startsWith("\x1b[1mOrder ")).length,
      2,
      "two reports, headed in bold",
    );
  });

  it("with NO_COLOR set, prints no colours even on a terminal", async () => {
    const io = new CapturedIo({ tty: true, stdin: JSON.stringify(sampleOrder()) }, { NO_COLOR: "1" });
    assert.strictEqual(await main(["--rates", NEVER, "-"], io), 0);
    assert.ok(!io.out.includes("\x1b"));
  });
});

describe("npm start -- --chaos P", function () {
  this.timeout(120_000);

  it("without --seed, tells the seed it chose; --seed with that seed repeats the run, the same calls failing", async () => {
    const stdin = [1, 2, 3].map((i) => JSON.stringify(sampleOrder(`chaos-cli-${i}`))).join("\n");
    const first = new CapturedIo({ stdin });
    assert.strictEqual(await main(["--json", "--chaos", "0.3", "--rates", NEVER, "-"], first), 0);
    const seed = /^chaos 0\.3: seed (\d+) \(give --seed \1 to fail the same calls again\)$/m.exec(first.err)?.[1];
    assert.ok(seed !== undefined, first.err);
    const again = new CapturedIo({ stdin });
    assert.strictEqual(await main(["--json", "--chaos", "0.3", "--rates", NEVER, "--seed", seed, "-"], again), 0);
    const lines = (io: CapturedIo) => jsonLines({ status: 0, stdout: io.out, stderr: io.err }).map(withoutTime);
    assert.deepStrictEqual(lines(again), lines(first));
  });
});
