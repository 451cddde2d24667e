/**
 * `npm start -- --state-dir DIR`: a run keeps its state in DIR (the stock included, with
 * `--inventory`), and the same command run again resumes it, even after the first was killed with
 * SIGKILL mid-batch.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../cli/start";
import { lockStateDir, stateDirLayout } from "../../engine/state/stateDir";
import { drillProblems, killAndResume, writeOrders } from "../../scripts/killResume";
import { CapturedIo } from "../support/commands";
import { sampleOrder } from "../support/sampleOrder";

interface Line {
  readonly orderId: string | null;
  readonly status: string;
  readonly error: string | null;
  readonly charged: boolean;
  readonly maxStateBytes: number | null;
}

const lines = (io: CapturedIo): Line[] =>
  io.out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Line);

describe("npm start --state-dir", function () {
  this.timeout(600_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "state-dir-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("run again on the same DIR, reports every execution from the journal and charges nothing again", async () => {
    const file = path.join(dir, "orders.jsonl");
    writeOrders(file, 6);
    const stateDir = path.join(dir, "state");
    const first = new CapturedIo();
    assert.strictEqual(
      await main(["--json", "--state-dir", stateDir, "--rates", "payment=0,stock=0,charge=0", file], first),
      0,
      first.err,
    );
    const ledger = fs.readFileSync(path.join(stateDir, "charges.jsonl"), "utf8");
    assert.strictEqual(ledger.trim().split("\n").length, 6, "one ledger line per charge");
    assert.strictEqual(fs.readFileSync(path.join(stateDir, "outbox.jsonl"), "utf8").trim().split("\n").length, 6);
    for (const line of lines(first)) {
      assert.strictEqual(line.status, "SUCCEEDED");
      assert.ok(
        line.maxStateBytes !== null && line.maxStateBytes > JSON.stringify(sampleOrder()).length,
        "the largest state holds at least the order",
      );
    }

    const seed = fs.readFileSync(path.join(stateDir, "seed"), "utf8");
    assert.match(
      seed,
      /^\d+\n$/,
      "a run without --seed keeps the simulation's seed, so that a rerun decides as before",
    );
    const again = new CapturedIo();
    assert.strictEqual(
      await main(["--json", "--state-dir", stateDir, "--rates", "payment=0,stock=0,charge=0", file], again),
      0,
      again.err,
    );
    assert.deepStrictEqual(lines(again), lines(first), "the same results, from the journal");
    assert.match(again.err, /0 executions run, 6 reported from the journal/);
    assert.strictEqual(fs.readFileSync(path.join(stateDir, "charges.jsonl"), "utf8"), ledger, "nothing charged again");
    assert.strictEqual(
      fs.readFileSync(path.join(stateDir, "outbox.jsonl"), "utf8").trim().split("\n").length,
      6,
      "nothing published again",
    );
    assert.strictEqual(fs.readFileSync(path.join(stateDir, "seed"), "utf8"), seed);
  });

  it("refuses a name that already ran with another input (ExecutionAlreadyExists), and charges nothing", async () => {
    const stateDir = path.join(dir, "state");
    const one = path.join(dir, "one.json");
    const other = path.join(dir, "other.json");
    fs.writeFileSync(one, JSON.stringify(sampleOrder("named-1")));
    fs.writeFileSync(other, JSON.stringify(sampleOrder("named-2")));
    const args = ["--json", "--seed", "7", "--state-dir", stateDir, "--rates", "payment=0,stock=0,charge=0"];
    assert.strictEqual(await main([...args, one], new CapturedIo()), 0);
    const io = new CapturedIo();
    // Seeded names come from the seed and the position: order 0 of `other` has order 0 of `one`'s name.
    assert.strictEqual(await main([...args, other], io), 0, io.err);
    const [line] = lines(io);
    assert.strictEqual(line.error, "ExecutionAlreadyExists");
    assert.strictEqual(line.charged, false);
    assert.strictEqual(fs.readFileSync(path.join(stateDir, "charges.jsonl"), "utf8").trim().split("\n").length, 1);
  });

  it("refuses a DIR another live run holds, and --dynamodb-endpoint with it", async () => {
    const stateDir = path.join(dir, "state");
    const release = lockStateDir(stateDirLayout(stateDir), process.ppid);
    try {
      const io = new CapturedIo();
      assert.strictEqual(await main(["--state-dir", stateDir], io), 2);
      assert.match(io.err, new RegExp(`in use by process ${process.ppid}`));
    } finally {
      release();
    }
    const io = new CapturedIo();
    assert.strictEqual(await main(["--state-dir", stateDir, "--dynamodb-endpoint", "http://127.0.0.1:1"], io), 2);
    assert.match(io.err, /not both/);
  });

  it("--inventory loads the stock, --inventory-out writes it after the run, and a run again on DIR keeps it", async () => {
    const orders = path.join(dir, "orders.json");
    const order = (i: number) => ({
      ...sampleOrder(`stock-${i}`),
      orderContents: { items: [{ itemId: "item-1", price: 10, itemDescription: "Widget" }] },
      orderTotal: 10,
    });
    fs.writeFileSync(orders, JSON.stringify([order(1), order(2), order(3)]));
    const stock = path.join(dir, "stock.json");
    fs.writeFileSync(stock, JSON.stringify({ "item-1": 2, "item-2": 5 }));
    const [out, stateDir] = [path.join(dir, "out.json"), path.join(dir, "state")];
    const args = ["--json", "--state-dir", stateDir, "--rates", "payment=0,stock=0,charge=0", "--concurrency", "1"];
    const flags = [...args, "--inventory", stock, "--inventory-out", out, orders];
    const first = new CapturedIo();
    assert.strictEqual(await main(flags, first), 0, first.err);
    assert.deepStrictEqual(
      lines(first).map((l) => l.error ?? l.status),
      ["SUCCEEDED", "SUCCEEDED", "OUT_OF_STOCK"],
    );
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(out, "utf8")), { "item-1": 0, "item-2": 5 });
    // Run again (a resume): the stock file is not loaded over the stock the first run left.
    fs.rmSync(out);
    const again = new CapturedIo();
    assert.strictEqual(await main(flags, again), 0, again.err);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(out, "utf8")), { "item-1": 0, "item-2": 5 });
  });

  it("refuses a stock file that is not an object of item ids to whole units, before any order runs", async () => {
    const stock = path.join(dir, "stock.json");
    fs.writeFileSync(stock, JSON.stringify({ "item-1": -1 }));
    const io = new CapturedIo();
    assert.strictEqual(await main(["--inventory", stock], io), 2);
    assert.match(
      io.err,
      /--inventory .*stock\.json: the units of "item-1" must be a whole number of 0 or more \(got -1\)/,
    );
    assert.strictEqual(io.out, "");
  });

  it("killed with SIGKILL mid-batch and run again: every order answered once, none charged twice, PROCESSED exactly where charged", async () => {
    // The 1,500 orders (about a minute here since DynamoDB is served in process).
    const result = await killAndResume(dir, 1500);
    assert.deepStrictEqual(drillProblems(result), []);
    assert.ok(result.answeredBeforeKill < 1500, "killed before the end");
    assert.ok(result.interrupted > 0, "some executions were interrupted mid-run, and were run again");
    assert.ok(result.processed.size > 0, "some orders were charged (the default failure rates decline only some)");
  });
});
