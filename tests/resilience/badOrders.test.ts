/**
 * Every malformed or hostile order in tests/fixtures/bad-orders/ is answered: the execution fails with
 * the reason code its index entry names and a cause in plain words, the order is recorded as FAILED
 * and notified, and no card data reaches the record, the notification, the cause or a log line.
 *
 * The simulation is off (rates 0), so only the input decides. An input over 256 KiB never starts an
 * execution: Step Functions refuses it at StartExecution, and so does the local engine.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REASON_CODES } from "../../handlers/contract";
import { LocalWorkflow } from "../../engine/engine";
import type { ExecutionReport } from "../../workflow/execution/report";
import { InputTooLargeError, MAX_INPUT_BYTES } from "../../workflow/execution/inputLimit";
import { cardSecrets, leakedSecret } from "../support/cardData";
import { Harness, PlainRecord, endsWith, failureTail, logLinesAbout, notices } from "../support/engineHarness";
import { sampleOrder } from "../support/sampleOrder";

const CORPUS = path.join(__dirname, "..", "fixtures", "bad-orders");
const PARALLEL_RUNS = 8;

/** A fixture made bigger by the test rather than committed at full size. */
interface PadTo {
  /** Where the string to pad sits in the fixture. */
  readonly path: ReadonlyArray<string | number>;
  /** The size, in bytes of compact UTF-8 JSON, the whole input is padded to (with "x"). */
  readonly bytes: number;
}

type CorpusEntry =
  | { readonly reason: string; readonly causeIncludes: string; readonly about: string; readonly padTo?: PadTo }
  | { readonly rejectedAtStart: string; readonly causeIncludes: string; readonly about: string; readonly padTo: PadTo };

interface Case {
  readonly file: string;
  readonly entry: CorpusEntry;
  readonly input: unknown;
  readonly executionName: string;
}

const index = JSON.parse(fs.readFileSync(path.join(CORPUS, "index.json"), "utf8")) as Record<string, CorpusEntry>;

function pad(input: unknown, padTo: PadTo): unknown {
  const keys = padTo.path.slice(0, -1);
  const last = padTo.path[padTo.path.length - 1];
  type Node = Record<string | number, unknown>;
  const holder = keys.reduce<Node>((node, key) => node[key] as Node, input as Node);
  const start = holder[last];
  if (typeof start !== "string") throw new Error(`padTo.path must lead to a string (got ${typeof start})`);
  // "x" is one byte in JSON and in UTF-8, so the padding makes the input exactly padTo.bytes long.
  holder[last] = start + "x".repeat(padTo.bytes - Buffer.byteLength(JSON.stringify(input), "utf8"));
  return input;
}

function loadCase(file: string): Case {
  const entry = index[file];
  const raw = JSON.parse(fs.readFileSync(path.join(CORPUS, file), "utf8")) as unknown;
  return {
    file,
    entry,
    input: entry.padTo === undefined ? raw : pad(raw, entry.padTo),
    executionName: `bad-${path.basename(file, ".json")}`,
  };
}

/** Cause text fit for a person: a sentence, not a stack trace, a JSON blob or an SDK dump. */
function assertPlainWords(cause: string | null, what: string): void {
  assert.ok(cause !== null && cause.trim().length > 0, `${what}: no cause`);
  assert.ok(!/^\s*[[{]/.test(cause), `${what}: the cause is JSON: ${cause}`);
  assert.ok(
    !/\n\s+at |errorType|errorMessage|\$metadata|States\.Runtime/.test(cause),
    `${what}: the cause is a raw error: ${cause}`,
  );
  assert.ok(cause.length <= 400, `${what}: the cause runs to ${cause.length} characters`);
}

describe("resilience: the bad-order corpus", function () {
  const files = fs
    .readdirSync(CORPUS)
    .filter((file) => file.endsWith(".json") && file !== "index.json")
    .sort();
  const cases = files.filter((file) => file in index).map(loadCase);
  const answered = cases.filter((c): c is Case & { entry: { reason: string } } => "reason" in c.entry);

  let harness: Harness;
  let engine: LocalWorkflow;
  let tail: string[];
  const reports = new Map<string, ExecutionReport>();
  const records = new Map<string, PlainRecord | null>();

  before(async function () {
    this.timeout(180_000);
    harness = await Harness.start(`CustomerOrders-corpus-${process.pid}`);
    engine = await harness.engine();
    tail = failureTail(engine);
    const queue = [...answered];
    await Promise.all(
      Array.from({ length: PARALLEL_RUNS }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          const report = await engine.run(next.input, next.executionName);
          reports.set(next.file, report);
          records.set(next.file, report.orderId === null ? null : await harness.table.record(report.orderId));
        }
      }),
    );
  });

  after(async () => harness?.close());

  it("has at least 50 cases, each file indexed with its reason and cause, and every index entry a file", () => {
    assert.deepStrictEqual(Object.keys(index).sort(), files);
    assert.ok(files.length >= 50, `only ${files.length} cases`);
    for (const c of cases) {
      assert.ok(c.entry.causeIncludes.length > 0 && c.entry.about.length > 0, `${c.file}: no causeIncludes or about`);
      if ("reason" in c.entry)
        assert.ok(
          (REASON_CODES as readonly string[]).includes(c.entry.reason),
          `${c.file}: unknown reason ${c.entry.reason}`,
        );
    }
    const reasons = new Set(answered.map((c) => c.entry.reason));
    assert.deepStrictEqual([...reasons].sort(), ["INVALID_ORDER", "PAYMENT_NOT_VERIFIED"]);
  });

  it("covers inputs that are not objects, over 256 KiB and just under it", () => {
    const byFile = new Map(cases.map((c) => [c.file, c]));
    for (const kind of [
      "not-object-empty-array",
      "not-object-string",
      "not-object-number",
      "not-object-null",
      "not-object-boolean",
    ]) {
      const c = byFile.get(`${kind}.json`);
      assert.ok(c !== undefined && (typeof c.input !== "object" || c.input === null || Array.isArray(c.input)), kind);
    }
    const sizes = cases
      .filter((c) => c.entry.padTo !== undefined)
      .map((c) => Buffer.byteLength(JSON.stringify(c.input), "utf8"));
    assert.ok(
      sizes.some((bytes) => bytes > MAX_INPUT_BYTES),
      "no case over the limit",
    );
    assert.ok(
      sizes.some((bytes) => bytes > MAX_INPUT_BYTES - 4096 && bytes <= MAX_INPUT_BYTES),
      "no case just under the limit",
    );
  });

  describe("each case ends with its reason, a plain cause, a FAILED record and one notification", () => {
    for (const c of answered) {
      it(`${c.file}: ${c.entry.reason} (${c.entry.about})`, () => {
        const report = reports.get(c.file);
        assert.ok(report !== undefined, "not run");
        const { reason, causeIncludes } = c.entry;

        assert.strictEqual(report.status, "FAILED");
        assert.strictEqual(report.error, reason, `error ${report.error}: ${report.cause}`);
        assertPlainWords(report.cause, c.file);
        assert.ok(
          report.cause?.includes(causeIncludes),
          `cause ${JSON.stringify(report.cause)} lacks ${JSON.stringify(causeIncludes)}`,
        );

        const reasonState = reason === "INVALID_ORDER" ? "InvalidOrder" : "PaymentNotVerified";
        assert.ok(report.states.includes(reasonState), `states: ${report.states.join(" → ")}`);
        assert.ok(endsWith(report.states, tail), `states: ${report.states.join(" → ")}`);
        assert.ok(!report.states.includes("ChargePayment"), "reached the charge");
        assert.strictEqual(report.charged, false);

        const record = records.get(c.file);
        assert.ok(record, `no record for ${report.orderId}`);
        assert.strictEqual(record.OrderId, report.orderId);
        assert.strictEqual(record.ExecutionName, c.executionName);
        assert.strictEqual(record.State, "FAILED");
        assert.strictEqual(record.FailureReason, reason);
        assert.strictEqual(record.ChargeId, undefined);

        const published = notices(report);
        assert.strictEqual(published.length, 1, JSON.stringify(published));
        assert.strictEqual(published[0].orderId, report.orderId);
        assert.strictEqual(published[0].state, "FAILED");
        assert.strictEqual(published[0].reason, reason);
        // The sentence is States.Format's; aws-local-stepfunctions 3.0.0 drops every backslash from an
        // intrinsic function's result, which AWS does not, so the comparison ignores backslashes.
        const unslashed = (text: string) => text.replace(/\\/g, "");
        assert.ok(unslashed(published[0].message).includes(unslashed(report.cause ?? "\u0000")), published[0].message);

        const leak = leakedSecret(cardSecrets(c.input), {
          record,
          notification: published,
          cause: report.cause,
          "Lambda logs": logLinesAbout(engine, report.orderId ?? c.executionName),
        });
        assert.strictEqual(leak, undefined, `card data leaked: ${leak}`);
      });
    }
  });

  it("keeps the card out of every Lambda log line of the whole corpus", () => {
    const secrets = [...new Set(cases.flatMap((c) => cardSecrets(c.input)))];
    for (const expected of ["5555 5555 5555 4444", "5555555555554444", "John Doe", "12/30", "5192740296721055"]) {
      assert.ok(secrets.includes(expected), `${expected} is not looked for`);
    }
    assert.ok(engine.lambdaLogs.length >= answered.length * 2, `${engine.lambdaLogs.length} log lines`);
    const leak = leakedSecret(secrets, Object.fromEntries(engine.lambdaLogs.map((line, i) => [`log line ${i}`, line])));
    assert.strictEqual(leak, undefined, `card data leaked: ${leak}`);
  });

  it("records hostile but well-formed descriptions exactly as given", () => {
    const c = answered.find((x) => x.file === "hostile-strings-expired-card.json");
    assert.ok(c, "case missing");
    const record = records.get(c.file);
    const given = (c.input as { orderContents: { items: Array<{ itemDescription: string }> } }).orderContents.items;
    assert.deepStrictEqual(
      (record?.Items as Array<{ itemDescription: string }>).map((item) => item.itemDescription),
      given.map((item) => item.itemDescription),
    );
    assert.strictEqual(record?.PaymentMethod, "MASTERCARD ****4444");
  });

  it("accepts what only looks wrong: 0.1 + 0.2 with a total of 0.3 is charged 0.30", async () => {
    const order = {
      ...sampleOrder("corpus-near-miss-0-3"),
      orderContents: {
        items: [
          { itemId: "item-a", price: 0.1, itemDescription: "Pen" },
          { itemId: "item-b", price: 0.2, itemDescription: "Ink" },
        ],
      },
      orderTotal: 0.3,
    };
    const report = await engine.run(order);
    assert.strictEqual(report.status, "SUCCEEDED", `${report.error}: ${report.cause}`);
    const record = await harness.table.record("corpus-near-miss-0-3");
    assert.strictEqual(record?.State, "PROCESSED");
    assert.strictEqual(record?.OrderTotal, 0.3);
    assert.strictEqual(notices(report)[0].orderTotal, 0.3);
  });

  describe("an input over 256 KiB", () => {
    for (const c of cases) {
      if (!("rejectedAtStart" in c.entry)) continue;
      const { rejectedAtStart, causeIncludes, about } = c.entry;
      it(`${c.file}: refused before any execution starts (${about})`, async () => {
        const bytes = Buffer.byteLength(JSON.stringify(c.input), "utf8");
        assert.ok(bytes > MAX_INPUT_BYTES, `${bytes} bytes`);
        const logged = engine.lambdaLogs.length;
        await assert.rejects(engine.run(c.input, c.executionName), (error: unknown) => {
          assert.ok(error instanceof InputTooLargeError, String(error));
          assert.strictEqual(error.name, rejectedAtStart);
          assert.strictEqual(error.bytes, bytes);
          assert.ok(error.message.includes(causeIncludes), error.message);
          assert.strictEqual(leakedSecret(cardSecrets(c.input), { message: error.message }), undefined);
          return true;
        });
        assert.strictEqual(engine.lambdaLogs.length, logged, "a Lambda ran");
        assert.strictEqual(await harness.table.record(c.executionName), null);
      });
    }
  });
});
