/**
 * Chaos, systematically: for each path of the workflow (success, declined, out of stock, invalid),
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

/** Every case of a path runs on one inventory table: plenty of each of the sample's items (none of the first, out of stock). */
const PLENTY = Object.fromEntries(sampleOrder().orderContents.items.map((i) => [i.itemId, 1000]));
const NONE_OF_THE_FIRST = { ...PLENTY, [sampleOrder().orderContents.items[0].itemId]: 0 };

interface PathSetup {
  readonly rates: FailureRates;
  readonly stock: Readonly<Record<string, number>>;
  readonly order: (orderId: string) => Record<string, unknown>;
  /** How the path ends when nothing fails. */
  readonly ends: string;
}

const PATHS: Readonly<Record<string, PathSetup>> = {
  success: {
    rates: NO_SIMULATED_FAILURES,
    stock: PLENTY,
    order: (id) => ({ ...sampleOrder(id) }),
    ends: "SUCCEEDED",
  },
  declined: {
    rates: { ...NO_SIMULATED_FAILURES, charge: 1 },
    stock: PLENTY,
    order: (id) => ({ ...sampleOrder(id) }),
    ends: "PAYMENT_FAILED",
  },
  "out-of-stock": {
    rates: NO_SIMULATED_FAILURES,
    stock: NONE_OF_THE_FIRST,
    order: (id) => ({ ...sampleOrder(id) }),
    ends: "OUT_OF_STOCK",
  },
  invalid: {
    rates: NO_SIMULATED_FAILURES,
    stock: PLENTY,
    order: (id) => ({ ...sampleOrder(id), orderTotal: 1 }),
    ends: "INVALID_ORDER",
  },
};

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Every call the path makes at its edges when nothing fails. */
async function traceCalls(setup: PathSetup): Promise<ChaosLogLine[]> {
  harness = await Harness.start(`CustomerOrders-trace-${process.pid}`);
  const engine = await harness.engine({
    rates: setup.rates,
    inventory: setup.stock,
    faults: { chaos: { trace: true } },
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
      const cases = calls.flatMap((call, i) =>
        KINDS.map((kind) => {
          const id = `${name}-${i}-${kind}`;
          const fault: TargetedFault = { edge: call.edge, key: call.key.replaceAll(TRACER, id), n: call.n, kind };
          return { id, fault };
        }),
      );
      harness = await Harness.start(`CustomerOrders-systematic-${process.pid}`);
      const engine = await harness.engine({
        rates: setup.rates,
        inventory: setup.stock,
        faults: { chaos: { targeted: cases.map((c) => c.fault) } },
      });
      const orders: MixedOrder[] = cases.map((c) => ({ orderId: c.id, kind: "valid", input: setup.order(c.id) }));
      const reports = [];
      for (const order of orders) reports.push(await engine.run(order.input, order.orderId));

      const injected = new Set(engine.chaosCalls().flatMap((c) => (c.fault === null ? [] : [`${c.edge} ${c.key}`])));
      const missed = cases.filter((c) => !injected.has(`${c.fault.edge} ${c.fault.key}`)).map((c) => c.id);
      assert.deepStrictEqual(missed, [], "every case met its fault");
      const data = await runData(engine, harness.table, orders, reports, setup.stock);
      const violations = checkInvariants(data).map((v) => {
        const where = cases.find((c) => c.id === v.orderId)?.fault;
        return where === undefined ? v : { ...v, message: `[${where.kind} at ${where.edge} #${where.n}] ${v.message}` };
      });
      assert.deepStrictEqual(violations, [], describeViolations(violations));
    });
  }
});
