/** The simulated sources: seeded random numbers and the simulated payment gateway. */
import { strict as assert } from "node:assert";
import { SimulatedInventory } from "../../../handlers/ports/inventory";
import { SimulatedPaymentGateway } from "../../../handlers/ports/payments";
import { mathRandom, randomFactory, randomFor, randomHex, seededRandom } from "../../../handlers/ports/random";
import type { OrderItem, PaymentDetails } from "../../../handlers/contract";

const card: PaymentDetails = {
  name: "John Doe",
  cardType: "MASTERCARD",
  cardNumber: "5555 5555 5555 4444",
  expiration: "12/30",
};
const orderIds = Array.from({ length: 400 }, (_, index) => `order-${index}`);
const threeItems: OrderItem[] = [
  { itemId: "a", price: 1, itemDescription: "a" },
  { itemId: "b", price: 2, itemDescription: "b" },
  { itemId: "c", price: 3, itemDescription: "c" },
];

function draw(source: { next(): number }, count: number): number[] {
  return Array.from({ length: count }, () => source.next());
}

describe("random sources", () => {
  it("repeat a seeded sequence, and differ between seeds", () => {
    assert.deepEqual(draw(seededRandom("s"), 20), draw(seededRandom("s"), 20));
    assert.notDeepEqual(draw(seededRandom("s"), 20), draw(seededRandom("t"), 20));
  });

  it("stay in [0, 1) and spread over it", () => {
    const values = draw(seededRandom("spread"), 10000);
    assert.ok(values.every((value) => value >= 0 && value < 1));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  });

  it("derive one source per decision from the seed and its keys", () => {
    assert.deepEqual(draw(randomFor("s", "o1", "verify"), 3), draw(randomFor("s", "o1", "verify"), 3));
    assert.notDeepEqual(draw(randomFor("s", "o1", "verify"), 3), draw(randomFor("s", "o2", "verify"), 3));
    assert.notDeepEqual(draw(randomFor("s", "o1", "verify"), 3), draw(randomFor("s", "o1", "charge"), 3));
    // Keys are kept apart: ("a,b") is not ("a", "b").
    assert.notDeepEqual(draw(randomFor("s", "a,b"), 3), draw(randomFor("s", "a", "b"), 3));
    assert.deepEqual(draw(randomFactory("s")("o1", "stock", "2"), 3), draw(randomFor("s", "o1", "stock", "2"), 3));
  });

  it("use Math.random when no seed is set", () => {
    assert.equal(randomFor(undefined, "o1", "verify"), mathRandom);
    const original = Math.random;
    Math.random = () => 0.25;
    try {
      assert.equal(randomFactory(undefined)("any").next(), 0.25);
    } finally {
      Math.random = original;
    }
  });

  it("draw hex digits", () => {
    const hex = randomHex(seededRandom("hex"), 24);
    assert.match(hex, /^[0-9a-f]{24}$/);
    assert.equal(randomHex(seededRandom("hex"), 24), hex);
    assert.equal(randomHex({ next: () => 0 }, 5), "00000");
    assert.equal(randomHex({ next: () => 0.9999999 }, 4), "ffff");
  });
});

describe("SimulatedPaymentGateway", () => {
  it("never declines at rate 0 and always declines at rate 1", async () => {
    const never = new SimulatedPaymentGateway({ paymentFailureRate: 0, chargeFailureRate: 0 }, randomFactory("r"));
    const always = new SimulatedPaymentGateway({ paymentFailureRate: 1, chargeFailureRate: 1 }, randomFactory("r"));
    for (const orderId of orderIds) {
      assert.equal((await never.verify(card, { orderId })).verified, true);
      assert.equal((await always.verify(card, { orderId })).verified, false);
      const order = { idempotencyKey: orderId, amountMinor: 100, paymentToken: "tok", customerId: "c" };
      assert.equal((await never.charge(order)).approved, true);
      assert.equal((await always.charge(order)).approved, false);
    }
  });

  it("also honours rates 0 and 1 with extreme draws", async () => {
    const zero = new SimulatedPaymentGateway({ paymentFailureRate: 0, chargeFailureRate: 1 }, () => ({
      next: () => 0,
    }));
    assert.equal((await zero.verify(card, { orderId: "o" })).verified, true);
    const high = new SimulatedPaymentGateway({ paymentFailureRate: 0, chargeFailureRate: 1 }, () => ({
      next: () => 0.9999999999,
    }));
    assert.equal(
      (await high.charge({ idempotencyKey: "o", amountMinor: 1, paymentToken: "t", customerId: "c" })).approved,
      false,
    );
  });

  it("declines at about the configured rate (the default 1 in 4)", async () => {
    const gateway = new SimulatedPaymentGateway(
      { paymentFailureRate: 0.25, chargeFailureRate: 0.25 },
      randomFactory("rate"),
    );
    let declined = 0;
    for (const orderId of orderIds) {
      declined += (await gateway.verify(card, { orderId })).verified ? 0 : 1;
    }
    assert.ok(declined > 60 && declined < 140, `declined ${declined} of 400`);
  });

  it("answers the same way for the same seed and order, with a token in place of the card", async () => {
    const make = () =>
      new SimulatedPaymentGateway({ paymentFailureRate: 0.5, chargeFailureRate: 0.5 }, randomFactory("same"));
    const [first, second] = [make(), make()];
    for (const orderId of orderIds.slice(0, 50)) {
      const verification = await first.verify(card, { orderId });
      assert.deepEqual(await second.verify(card, { orderId }), verification);
      if (verification.verified) {
        assert.match(verification.token, /^tok_sim_[0-9a-f]{24}$/);
      } else {
        assert.equal(verification.cause, "The payment gateway did not verify the card.");
      }
      const order = { idempotencyKey: orderId, amountMinor: 100, paymentToken: "tok", customerId: "c" };
      const outcome = await first.charge(order);
      assert.deepEqual(await second.charge(order), outcome);
      if (outcome.approved) {
        assert.match(outcome.chargeId, /^ch_sim_[0-9a-f]{24}$/);
      } else {
        assert.equal(outcome.cause, "The payment gateway declined the charge.");
      }
    }
  });

  it("keeps card data out of its answers", async () => {
    // Seeded: an unseeded token is random hex, which now and then holds "5555" by chance.
    const gateway = new SimulatedPaymentGateway(
      { paymentFailureRate: 0, chargeFailureRate: 0 },
      randomFactory("card-data"),
    );
    const answer = await gateway.verify(card, { orderId: "o" });
    const text = JSON.stringify(answer);
    assert.ok(
      !text.includes("5555") && !text.includes("4444") && !text.includes("12/30") && !text.includes("John"),
      text,
    );
    assert.deepEqual(Object.keys(answer).sort(), ["token", "verified"]);
  });
});

describe("SimulatedInventory", () => {
  it("has every item in stock (1 to 9) at rate 0, and none at rate 1", async () => {
    const stocked = new SimulatedInventory(0, randomFactory("inv"));
    const empty = new SimulatedInventory(1, randomFactory("inv"));
    for (const orderId of orderIds.slice(0, 100)) {
      const levels = await stocked.stockLevels(threeItems, { orderId });
      assert.ok(
        levels.every((level) => Number.isInteger(level) && level >= 1 && level <= 9),
        String(levels),
      );
      assert.deepEqual(await empty.stockLevels(threeItems, { orderId }), [0, 0, 0]);
    }
  });

  it("draws all of 1 to 9", async () => {
    const inventory = new SimulatedInventory(0, randomFactory("all"));
    const seen = new Set<number>();
    for (const orderId of orderIds) {
      (await inventory.stockLevels(threeItems, { orderId })).forEach((level) => seen.add(level));
    }
    assert.deepEqual([...seen].sort(), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("puts an item out of stock at about the configured rate (the default 1 in 10)", async () => {
    const inventory = new SimulatedInventory(0.1, randomFactory("tenth"));
    let outOfStock = 0;
    for (const orderId of orderIds) {
      outOfStock += (await inventory.stockLevels(threeItems, { orderId })).filter((level) => level === 0).length;
    }
    assert.ok(outOfStock > 80 && outOfStock < 160, `${outOfStock} of 1200`);
  });

  it("gives each item its own draw, whatever else ran before", async () => {
    const inventory = new SimulatedInventory(0.3, randomFactory("own"));
    const before = await inventory.stockLevels(threeItems, { orderId: "o1" });
    await inventory.stockLevels(threeItems, { orderId: "o2" });
    assert.deepEqual(await inventory.stockLevels(threeItems, { orderId: "o1" }), before);
    assert.deepEqual(await inventory.stockLevels(threeItems.slice(0, 2), { orderId: "o1" }), before.slice(0, 2));
  });
});
