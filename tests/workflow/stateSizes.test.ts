/**
 * Every state of the workflow stays under Step Functions' 262,144-byte limit, with headroom, for the
 * largest order validation accepts: States.DataLimitExceeded ends an execution with no Catch, so no
 * record and no notification. The items travel once (the record item); validation's byte budget
 * (handlers/order/validation.ts ORDER_BYTE_BUDGET) is derived from that.
 */
import * as assert from "assert";
import { jsonByteLength } from "../../handlers/order/json";
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_ID_LENGTH,
  MAX_DIFFERENT_ITEMS,
  MAX_ITEMS,
  ORDER_BYTE_BUDGET,
  STATE_HEADROOM_BYTES,
  STATE_LIMIT_BYTES,
} from "../../handlers/order/validation";
import { SizeScenario, StateSizes, measureStateSizes } from "../support/stateSizes";
import { sampleOrder } from "../support/sampleOrder";

/** A control character: one character, six bytes of JSON (\u0001), the most any character weighs. */
const HEAVY = "\u0001";

/**
 * The worst order validation accepts: 100 items, every id and the customer as heavy as they can be,
 * descriptions filled with heavy characters until the order's JSON is within 5 bytes of the budget.
 */
export function worstAcceptedOrder(orderId: string): Record<string, unknown> {
  const base = sampleOrder(orderId.padEnd(MAX_ID_LENGTH, "0"));
  const descriptions = Array.from({ length: MAX_ITEMS }, () => "x".repeat(MAX_DESCRIPTION_LENGTH));
  const build = () => ({
    ...base,
    customerId: HEAVY.repeat(MAX_ID_LENGTH),
    orderContents: {
      items: descriptions.map((itemDescription, i) => ({
        // As many different ids as one order may hold (the 100th repeats the first).
        itemId: `${i % MAX_DIFFERENT_ITEMS}`.padStart(3, "0") + HEAVY.repeat(MAX_ID_LENGTH - 3),
        price: 1234.56,
        itemDescription,
      })),
    },
    orderTotal: 123456,
  });
  // Each x made heavy adds 5 bytes; stop before the budget.
  for (let i = 0; i < MAX_ITEMS; i++) {
    const room = Math.floor((ORDER_BYTE_BUDGET - jsonByteLength(build())) / 5);
    if (room <= 0) break;
    const heavy = Math.min(MAX_DESCRIPTION_LENGTH, room);
    descriptions[i] = HEAVY.repeat(heavy) + "x".repeat(MAX_DESCRIPTION_LENGTH - heavy);
  }
  return build();
}

const PATHS: ReadonlyArray<[string, SizeScenario, string | null]> = [
  ["charged", {}, null],
  ["the last item out of stock", { stock: (i) => (i === MAX_ITEMS - 1 ? 0 : 5) }, "OUT_OF_STOCK"],
  [
    "the card declined at verification",
    { verification: { verified: false, cause: "the card was declined" } },
    "PAYMENT_NOT_VERIFIED",
  ],
  ["the charge declined", { charge: { approved: false, cause: "insufficient funds" } }, "PAYMENT_FAILED"],
  ["the stock Lambda never answering", { stockFails: true }, "INTERNAL_ERROR"],
];

describe("state sizes: the largest accepted order fits every state, with headroom", function () {
  this.timeout(120_000);
  const order = worstAcceptedOrder("size-worst");
  const runs = new Map<string, StateSizes>();

  before(async () => {
    for (const [name, scenario] of PATHS)
      runs.set(name, await measureStateSizes(order, `size-${PATHS.findIndex(([n]) => n === name)}`, scenario));
  });

  it("is the order the budget allows: within 5 bytes of it, 100 items, every character as heavy as JSON makes it", () => {
    const bytes = jsonByteLength(order);
    assert.ok(bytes <= ORDER_BYTE_BUDGET && bytes > ORDER_BYTE_BUDGET - 5, `${bytes} bytes`);
    assert.strictEqual((order.orderContents as { items: unknown[] }).items.length, MAX_ITEMS);
  });

  for (const [name, , error] of PATHS) {
    it(`${name}: ends ${error ?? "SUCCEEDED"}, and no state's data comes within ${STATE_HEADROOM_BYTES.toLocaleString("en-US")} bytes of the limit`, () => {
      const run = runs.get(name);
      assert.ok(run, "not run");
      assert.strictEqual(run.error, error, run.states.join(" → "));
      const ceiling = STATE_LIMIT_BYTES - STATE_HEADROOM_BYTES;
      const over = [...run.sizes.entries()].filter(([, bytes]) => bytes > ceiling);
      assert.deepStrictEqual(over, [], `over ${ceiling} bytes`);
      // The measurement sees the order itself: its largest state holds at least the order's text.
      assert.ok(run.largest.bytes >= ORDER_BYTE_BUDGET - 5, `${run.largest.where}: ${run.largest.bytes}`);
    });
  }

  it("the issue's order (100 items of 500 three-byte characters, 155 KB): once 315 KB in the Parallel's output, now every state under the limit", async () => {
    const issueOrder = {
      ...sampleOrder("size-issue"),
      orderContents: {
        items: Array.from({ length: MAX_ITEMS }, (_, i) => ({
          itemId: `item-${i % MAX_DIFFERENT_ITEMS}`,
          price: 1,
          itemDescription: "あ".repeat(MAX_DESCRIPTION_LENGTH),
        })),
      },
      orderTotal: MAX_ITEMS,
    };
    const run = await measureStateSizes(issueOrder, "size-issue", {});
    assert.strictEqual(run.status, "SUCCEEDED", run.error ?? "");
    assert.ok(
      run.largest.bytes < STATE_LIMIT_BYTES - STATE_HEADROOM_BYTES,
      `${run.largest.where}: ${run.largest.bytes} bytes`,
    );
  });

  it("carries the items once: the Parallel's output and every later state hold each description once", () => {
    const run = runs.get("charged");
    const parallel = run?.sizes.get("VerifyPaymentAndCheckStock output") ?? 0;
    assert.ok(
      parallel < 1.2 * jsonByteLength(order),
      `the Parallel's output is ${parallel} bytes for an order of ${jsonByteLength(order)}`,
    );
  });
});
