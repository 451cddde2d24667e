/**
 * The three defects fault injection found in the charge (issue 12), each as the run that showed it,
 * through the local engine with the real definition and bundles and a DynamoDB proxy that fails or
 * loses the PROCESSED write (tests/support/dynamoProxy.ts). The simulated gateway keeps its ledger in
 * a state dir, so a test reads what the gateway really charged and refunded.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LedgerEntry, netCharges } from "../../handlers/ports/chargeLedger";
import { JsonLinesFile } from "../../handlers/ports/jsonLines";
import { LocalWorkflow } from "../../engine/engine";
import { startDynalite } from "../../engine/dynamodb";
import { stateDirLayout } from "../../engine/state/stateDir";
import { NO_SIMULATED_FAILURES, TableReader, notices } from "../support/engineHarness";
import { DynamoProxy, ProxiedRequest, ProxyVerdict, startDynamoProxy, writesProcessed } from "../support/dynamoProxy";
import { sampleOrder } from "../support/sampleOrder";

interface Rig {
  readonly engine: LocalWorkflow;
  readonly table: TableReader;
  readonly proxy: DynamoProxy;
  /** Approved charges minus approved refunds of an order, as the gateway's ledger has them. */
  readonly net: (orderId: string) => number;
}

const cleanup: (() => Promise<void>)[] = [];

async function rig(decide: (request: ProxiedRequest) => ProxyVerdict): Promise<Rig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saga-defects-"));
  const dynamo = await startDynalite();
  const proxy = await startDynamoProxy(dynamo.endpoint, decide);
  const tableName = `CustomerOrders-defects-${process.pid}`;
  const engine = await LocalWorkflow.start({
    rates: NO_SIMULATED_FAILURES,
    dynamodbEndpoint: proxy.endpoint,
    tableName,
    stateDir: dir,
  });
  const table = new TableReader(dynamo.endpoint, tableName);
  cleanup.push(async () => {
    await engine.close();
    table.close();
    await proxy.close();
    await dynamo.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const net = (orderId: string): number => {
    const ledger = JsonLinesFile.open(stateDirLayout(dir).ledger, (v) => v as LedgerEntry);
    ledger.close();
    return netCharges(ledger.entries).get(orderId) ?? 0;
  };
  return { engine, table, proxy, net };
}

describe("the charge's defects found by fault injection (issue 12)", function () {
  this.timeout(120_000);

  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });

  it("a PROCESSED write that keeps failing after an approved charge ends FAILED with the charge refunded", async () => {
    const { engine, table, net } = await rig((request) => (writesProcessed(request) ? "fail" : "pass"));
    const report = await engine.run(sampleOrder("defect-1"), "defect-1-exec");
    const record = await table.record("defect-1");
    assert.strictEqual(report.status, "FAILED");
    assert.strictEqual(record?.["State"], "FAILED");
    assert.match(record?.["RefundId"] as string, /^re_/);
    assert.strictEqual(net("defect-1"), 0);
    assert.strictEqual(report.charged, false);
  });

  it("a rerun under the same execution name with other contents announces no charge", async () => {
    const { engine, table } = await rig(() => "pass");
    const first = { ...sampleOrder(), customerId: "first-customer" };
    delete (first as { orderId?: string }).orderId;
    const firstRun = await engine.run(first, "nightly-batch");
    assert.strictEqual(firstRun.status, "SUCCEEDED");
    const second = {
      ...first,
      customerId: "someone-else",
      orderTotal: 9999,
      orderContents: { items: [{ itemId: "item-x", price: 9999, itemDescription: "Other" }] },
    };
    const rerun = await engine.run(second, "nightly-batch");
    assert.notStrictEqual(rerun.status, "SUCCEEDED");
    assert.deepStrictEqual(
      notices(rerun).filter((n) => n.state === "PROCESSED"),
      [],
      "the rerun announced a charge it never made",
    );
    assert.strictEqual((await table.record("nightly-batch"))?.["CustomerId"], "first-customer");
  });

  it("a PROCESSED write that lands but whose every response is lost is reported as the record and ledger say", async () => {
    const { engine, table, net } = await rig((request) => (writesProcessed(request) ? "lose" : "pass"));
    const report = await engine.run(sampleOrder("defect-3"), "defect-3-exec");
    const record = await table.record("defect-3");
    const processed = record?.["State"] === "PROCESSED";
    assert.strictEqual(
      report.charged,
      processed,
      `charged ${report.charged} but the record is ${JSON.stringify(record?.["State"])}`,
    );
    assert.strictEqual(net("defect-3"), processed ? 1 : 0);
    assert.strictEqual(report.status === "SUCCEEDED", processed);
  });

  it("a PROCESSED write whose response is lost once ends SUCCEEDED and charged, with the first ChargeId kept", async () => {
    let lost = 0;
    const { engine, table, net } = await rig((request) => (writesProcessed(request) && lost++ === 0 ? "lose" : "pass"));
    const report = await engine.run(sampleOrder("defect-3b"), "defect-3b-exec");
    const record = await table.record("defect-3b");
    assert.strictEqual(report.status, "SUCCEEDED");
    assert.strictEqual(report.charged, true);
    assert.strictEqual(record?.["State"], "PROCESSED");
    assert.match(record?.["ChargeId"] as string, /^ch_/);
    assert.strictEqual(net("defect-3b"), 1);
  });
});
