/**
 * Many orders through one local engine at once, every one accounted for: one record and one
 * notification per order, agreeing with its execution, nothing for anything else. The full figure
 * (2,000 orders) comes from `npm run load`; the test runs the same code on fewer.
 */
import * as assert from "assert";
import { SEED_RATES } from "../../handlers/ports/config";
import { runLoad } from "../../scripts/load";

const ORDERS = 200;

describe("resilience: load", function () {
  this.timeout(300_000);

  it(`${ORDERS} orders at once, the default failure rates: every order accounted for, none charged twice`, async () => {
    const result = await runLoad({ orders: ORDERS, concurrency: 50, rates: SEED_RATES, seed: "load-test" });
    assert.deepStrictEqual(result.problems, []);
    assert.strictEqual(result.accounted, ORDERS);
    assert.strictEqual(result.records, ORDERS);
    assert.strictEqual(result.notifications, ORDERS);
    assert.strictEqual(result.charged, result.outcomes.SUCCEEDED);
    // The default failure rates with a seed: every reason the simulation can give, and successes, occur.
    for (const outcome of ["SUCCEEDED", "PAYMENT_NOT_VERIFIED", "OUT_OF_STOCK", "PAYMENT_FAILED"]) {
      assert.ok((result.outcomes[outcome] ?? 0) > 0, `no ${outcome} in ${JSON.stringify(result.outcomes)}`);
    }
    assert.ok(result.ordersPerSecond > 0);
    process.stdout.write(`      ${ORDERS} orders in ${result.seconds} s: ${result.ordersPerSecond} orders/s\n`);
  });
});
