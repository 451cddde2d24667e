/**
 * Chaos at P = 0.1 (engine/faults.ts, handlers/ports/chaos.ts): every call at the workflow's edges
 * fails transiently one time in ten, before its effect or after it with the answer lost, and the
 * invariants (workflow/execution/invariants.ts) hold over mixed orders for several seeds, in process
 * and through `npm start -- --json --chaos 0.1 --seed N --state-dir DIR`. The same seed fails the
 * same calls.
 *
 * Each test has its own DynamoDB and engine, closed before the next starts (the engines share the
 * process' AWS_ENDPOINT_URL_DYNAMODB).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startDynalite } from "../../engine/dynamodb";
import { STATE_DIR_TABLE, stateDirLayout } from "../../engine/state/stateDir";
import type { FailureRates } from "../../handlers/ports/config";
import { checkInvariants, describeViolations } from "../../workflow/execution/invariants";
import { readLedger, runData, runOrders } from "../support/chaosRun";
import { cardSecrets } from "../support/cardData";
import { Harness, TableReader } from "../support/engineHarness";
import { mixedOrders, scarceStock, unitsByOrder } from "../support/orderMix";
import { sampleOrder } from "../support/sampleOrder";
import { runScript } from "../support/commands";

const P = 0.1;
/** Some verifications and charges declined by the simulation, so that every path meets the faults. */
const RATES: FailureRates = { payment: 0.05, stock: 0, charge: 0.2 };
/** The share of the units the orders ask for that the inventory holds. */
const STOCKED = 0.7;
const ORDERS = 100;

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A run on the inventory table, stocked with 70% of what the orders ask for: some run out. */
async function chaosRun(seed: string, count: number) {
  harness = await Harness.start(`CustomerOrders-chaos-${seed}`);
  const orders = mixedOrders(seed, count);
  const stock = scarceStock(orders, STOCKED);
  const faults = { chaos: { probability: P, seed } };
  const engine = await harness.engine({ seed, rates: RATES, inventory: stock, faults });
  const reports = await runOrders(engine, orders, (i) => `chaos-${seed}-run-${i}`, 16);
  return { engine, orders, reports, data: await runData(engine, harness.table, orders, reports, stock) };
}

describe("chaos: every call at the edges fails with probability 0.1", function () {
  this.timeout(300_000);

  for (const seed of ["1", "2", "3", "4"]) {
    it(`the invariants hold over ${ORDERS} mixed orders, seed ${seed}`, async () => {
      const { engine, data } = await chaosRun(seed, ORDERS);
      const injected = engine.chaosCalls().filter((c) => c.fault !== null);
      assert.ok(injected.length >= ORDERS / 2, `only ${injected.length} faults were injected`);
      const violations = checkInvariants(data);
      assert.deepStrictEqual(violations, [], describeViolations(violations));
    });
  }

  it("fails the same calls, at every edge, for the same seed", async () => {
    const faulted = async () => {
      const { engine } = await chaosRun("9", 8);
      const calls = engine.chaosCalls().filter((c) => c.fault !== null);
      await harness?.close();
      harness = undefined;
      return calls.map((c) => `${c.edge} ${c.key} ${c.n} ${c.fault}`).sort();
    };
    const first = await faulted();
    assert.deepStrictEqual(await faulted(), first);
    const edges = new Set(first.map((c) => c.split(":")[0]));
    assert.deepStrictEqual([...edges].sort(), ["dynamodb", "gateway", "task"]);
  });
});

describe("chaos found: a refunded order submitted again", function () {
  this.timeout(60_000);

  it("is refused (DUPLICATE_ORDER), not recorded PROCESSED on the refunded charge its key replays", async () => {
    harness = await Harness.start(`CustomerOrders-refunded-${process.pid}`);
    const stock = Object.fromEntries(sampleOrder().orderContents.items.map((i) => [i.itemId, 10]));
    // Every attempt's answer lost (the charge is retried on PaymentGatewayUnavailable): the saga refunds it.
    const lost = [1, 2, 3, 4].map((n) => ({ edge: "gateway:charge", key: "refunded-1", n, kind: "lost" as const }));
    const engine = await harness.engine({ inventory: stock, faults: { chaos: { targeted: lost } } });
    const orders = [0, 1].map(() => ({
      orderId: "refunded-1",
      kind: "valid" as const,
      input: { ...sampleOrder("refunded-1") },
    }));
    const first = await engine.run(orders[0].input, "refunded-first");
    const again = await engine.run(orders[1].input, "refunded-again");
    assert.deepStrictEqual([first.error, again.error], ["INTERNAL_ERROR", "DUPLICATE_ORDER"]);
    const data = await runData(engine, harness.table, [orders[0]], [first, again], stock);
    const violations = checkInvariants(data);
    assert.deepStrictEqual(violations, [], describeViolations(violations));
  });
});

/**
 * A few hundred orders through the command line, for several seeds (issue: the saga's done-when).
 * Seed 7 met four faults in a row at one order's RecordFailedOrder, which used to leave its record at
 * PROCESSING (tests/resilience/chaosStreaks.test.ts has the case on its own). `CHAOS_SEEDS=8,9,10
 * npx mocha tests/resilience/chaos.test.ts --grep "npm start"` runs other seeds.
 */
const CLI_SEEDS = process.env.CHAOS_SEEDS?.split(",") ?? ["5", "6", "7"];
const CLI_ORDERS = 200;

describe("npm start -- --json --chaos 0.1 --seed N --state-dir DIR --inventory FILE --inventory-out OUT", function () {
  this.timeout(300_000);

  for (const seed of CLI_SEEDS) {
    it(`holds the invariants over the run's table, ledger, outbox and stock: ${CLI_ORDERS} orders, seed ${seed}`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chaos-cli-"));
      const orders = mixedOrders(seed, CLI_ORDERS);
      const file = path.join(dir, "orders.jsonl");
      fs.writeFileSync(file, orders.map((o) => JSON.stringify(o.input)).join("\n") + "\n");
      const state = path.join(dir, "state");
      const stock = scarceStock(orders, STOCKED);
      const [stockFile, stockOut] = [path.join(dir, "stock.json"), path.join(dir, "stock-out.json")];
      fs.writeFileSync(stockFile, JSON.stringify(stock));
      const rates = `payment=${RATES.payment},stock=${RATES.stock},charge=${RATES.charge}`;
      const args = ["--json", "--chaos", String(P), "--seed", seed, "--rates", rates, "--state-dir", state];
      args.push("--inventory", stockFile, "--inventory-out", stockOut, file);
      const run = await runScript("cli/start.ts", args);
      assert.strictEqual(run.status, 0, run.stderr);
      const lines = run.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { orderId: string | null; status: string; error: string | null });
      assert.strictEqual(lines.length, orders.length);
      const layout = stateDirLayout(state);
      const dynamo = await startDynalite(layout.table);
      const table = new TableReader(dynamo.endpoint, STATE_DIR_TABLE);
      try {
        const outbox = fs.readFileSync(layout.outbox, "utf8");
        const violations = checkInvariants({
          ledger: readLedger(layout.ledger),
          records: await table.all(),
          notifications: outbox
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => JSON.parse(l) as unknown),
          answers: lines.map((l, i) => ({ ...l, executionName: `line ${i + 1}` })),
          units: unitsByOrder(orders),
          inventory: { initial: stock, final: JSON.parse(fs.readFileSync(stockOut, "utf8")) as Record<string, number> },
          cardSecrets: cardSecrets(orders.map((o) => o.input)),
          texts: { "standard output": run.stdout, "standard error": run.stderr, "the outbox file": outbox },
        });
        assert.deepStrictEqual(violations, [], describeViolations(violations));
      } finally {
        table.close();
        await dynamo.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
