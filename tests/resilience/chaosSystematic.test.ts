/**
 * Chaos, systematically: for each path of the workflow (success, declined, out of stock, invalid, and
 * the compensations: a charge, a PROCESSED write or a reservation that failed on every attempt),
 * one fault at a time, of each kind (the call fails before its effect; the call takes effect and its
 * answer is lost), at each call the path makes at its edges (each Task's integration, each DynamoDB
 * request of a Lambda, each payment gateway call), and the invariants checked over every case.
 *
 * The calls of a path are learned, not listed: the path runs once with chaos tracing every call
 * (probability 0), and each call it made becomes two cases, so that a new step of the workflow is
 * covered without editing this file.
 */
import * as assert from "assert";
import type { ChaosLogLine, FaultKind, TargetedFault } from "../../handlers/ports/chaos";
import type { FailureRates } from "../../handlers/ports/config";
import { checkInvariants, describeViolations } from "../../workflow/execution/invariants";
import { runData } from "../support/chaosRun";
import { Harness, NO_SIMULATED_FAILURES } from "../support/engineHarness";
import type { MixedOrder } from "../support/orderMix";
import { sampleOrder } from "../support/sampleOrder";

/** The order id (and execution name) of the traced run: distinctive, so that it can be found in any key. */
const TRACER = "tracer0rder";
const KINDS: readonly FaultKind[] = ["before", "lost"];
/** The traced run and its cases use the same table names: a request's key (its body) names the table. */
const TABLE = `CustomerOrders-systematic-${process.pid}`;

/**
 * The sample order under `id`, its items named after it (`<id>.<itemId>`), so that every request
 * about the order names it, a stock read included, and a fault can be aimed at one case's call.
 */
function caseOrder(id: string): Record<string, unknown> {
  const order = sampleOrder(id);
  const items = order.orderContents.items.map((item) => ({ ...item, itemId: `${id}.${item.itemId}` }));
  return { ...order, orderContents: { items } };
}

/** Stock for the cases `ids`: 1000 of each of their items, or none of each case's first item. */
function stockFor(ids: readonly string[], firstOutOfStock: boolean): Record<string, number> {
  const stock: Record<string, number> = {};
  for (const id of ids) {
    const items = (caseOrder(id).orderContents as { items: Array<{ itemId: string }> }).items;
    items.forEach((item, i) => (stock[item.itemId] = firstOutOfStock && i === 0 ? 0 : 1000));
  }
  return stock;
}

interface PathSetup {
  readonly rates: FailureRates;
  /** The first item of every order is out of stock. */
  readonly outOfStock: boolean;
  readonly order: (orderId: string) => Record<string, unknown>;
  /** How the path ends when nothing fails. */
  readonly ends: string;
  /** Edges the path must be seen to call (the trace finds them all; these show it is not empty). */
  readonly edges: readonly string[];
  /** Faults that put the order on this path (every attempt of one step failing), besides the case's own. */
  readonly base?: (orderId: string) => TargetedFault[];
}

/** Every one of `count` calls of `edge` for `key` failing with `kind`: a step that exhausts its retries. */
const exhausted = (edge: string, count: number, kind: FaultKind) => (key: string) =>
  Array.from({ length: count }, (_, i) => ({ edge, key, n: i + 1, kind }));

const PATHS: Readonly<Record<string, PathSetup>> = {
  success: {
    rates: NO_SIMULATED_FAILURES,
    outOfStock: false,
    order: caseOrder,
    ends: "SUCCEEDED",
    edges: ["task:ReserveStock", "dynamodb:TransactWriteItems", "gateway:charge", "task:RecordProcessed"],
  },
  declined: {
    rates: { ...NO_SIMULATED_FAILURES, charge: 1 },
    outOfStock: false,
    order: caseOrder,
    ends: "PAYMENT_FAILED",
    edges: ["gateway:charge", "task:ReleaseStock", "dynamodb:TransactWriteItems", "task:RecordFailedOrder"],
  },
  "out-of-stock": {
    rates: NO_SIMULATED_FAILURES,
    outOfStock: true,
    order: caseOrder,
    ends: "OUT_OF_STOCK",
    edges: ["task:RetrieveStockLevels", "dynamodb:GetItem", "task:RecordFailedOrder", "task:NotifyOrderFailed"],
  },
  // A charge whose every answer was lost (it was made: the gateway keeps one per key) is refunded.
  "charge-fault": {
    rates: NO_SIMULATED_FAILURES,
    outOfStock: false,
    order: caseOrder,
    ends: "INTERNAL_ERROR",
    edges: ["gateway:charge", "task:RefundPayment", "gateway:refund", "task:ReleaseStock", "task:RecordFailedOrder"],
    base: exhausted("gateway:charge", 4, "lost"),
  },
  // The PROCESSED write failing on every attempt: the charge is refunded and the reservation released.
  "record-fault": {
    rates: NO_SIMULATED_FAILURES,
    outOfStock: false,
    order: caseOrder,
    ends: "INTERNAL_ERROR",
    edges: ["task:RecordProcessed", "task:RefundPayment", "gateway:refund", "task:ReleaseStock"],
    base: exhausted("task:RecordProcessed", 7, "before"),
  },
  // The reservation's every answer lost (it landed): what it may hold is released.
  "reservation-fault": {
    rates: NO_SIMULATED_FAILURES,
    outOfStock: false,
    order: caseOrder,
    ends: "INTERNAL_ERROR",
    edges: ["task:ReserveStock", "task:ReleaseUncertainReservation", "dynamodb:TransactWriteItems"],
    base: exhausted("task:ReserveStock", 4, "lost"),
  },
  invalid: {
    rates: NO_SIMULATED_FAILURES,
    outOfStock: false,
    order: (id) => ({ ...caseOrder(id), orderTotal: 1 }),
    ends: "INVALID_ORDER",
    edges: ["task:VerifyPaymentDetails", "task:RecordFailedOrder", "task:NotifyOrderFailed"],
  },
};

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Every call the path makes at its edges when nothing fails. */
async function traceCalls(setup: PathSetup): Promise<ChaosLogLine[]> {
  harness = await Harness.start(TABLE);
  const engine = await harness.engine({
    rates: setup.rates,
    inventory: stockFor([TRACER], setup.outOfStock),
    faults: { chaos: { trace: true, targeted: setup.base?.(TRACER) ?? [] } },
  });
  const report = await engine.run(setup.order(TRACER), TRACER);
  assert.strictEqual(report.error ?? report.status, setup.ends, "the traced run takes its path");
  const calls = engine.chaosCalls().filter((c) => c.key.includes(TRACER));
  await harness.close();
  harness = undefined;
  return calls;
}

describe("chaos, one fault at a time: each kind at each edge of each path", function () {
  this.timeout(300_000);

  for (const [name, setup] of Object.entries(PATHS)) {
    it(`${name}: the invariants hold with any one call failing before its effect or losing its answer`, async () => {
      const calls = await traceCalls(setup);
      const edges = new Set(calls.map((c) => c.edge));
      for (const edge of setup.edges)
        assert.ok(edges.has(edge), `the ${name} path calls ${edge}: ${[...edges].join(", ")}`);
      const cases = calls.flatMap((call, i) =>
        KINDS.map((kind) => {
          const id = `${name}-${i}-${kind}`;
          const fault: TargetedFault = { edge: call.edge, key: call.key.replaceAll(TRACER, id), n: call.n, kind };
          return { id, fault };
        }),
      );
      const stock = stockFor(
        cases.map((c) => c.id),
        setup.outOfStock,
      );
      harness = await Harness.start(TABLE);
      const engine = await harness.engine({
        rates: setup.rates,
        inventory: stock,
        // A case's own fault first: it takes the place of a base fault aimed at the same call.
        faults: {
          chaos: { targeted: [...cases.map((c) => c.fault), ...cases.flatMap((c) => setup.base?.(c.id) ?? [])] },
        },
      });
      const orders: MixedOrder[] = cases.map((c) => ({ orderId: c.id, kind: "valid", input: setup.order(c.id) }));
      const reports = [];
      for (const order of orders) reports.push(await engine.run(order.input, order.orderId));

      const met = (f: { edge: string; key?: string; n: number }, kind: string | null) =>
        `${f.edge} ${f.key} ${f.n} ${kind}`;
      const injected = new Set(engine.chaosCalls().flatMap((c) => (c.fault === null ? [] : [met(c, c.fault)])));
      const missed = cases.filter((c) => !injected.has(met(c.fault, c.fault.kind))).map((c) => c.id);
      assert.deepStrictEqual(missed, [], "every case met its fault");
      const data = await runData(engine, harness.table, orders, reports, stock);
      const violations = checkInvariants(data).map((v) => {
        const where = cases.find((c) => c.id === v.orderId)?.fault;
        return where === undefined ? v : { ...v, message: `[${where.kind} at ${where.edge} #${where.n}] ${v.message}` };
      });
      assert.deepStrictEqual(violations, [], describeViolations(violations));
    });
  }
});
