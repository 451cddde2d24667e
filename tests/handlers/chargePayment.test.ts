/** The charge handler: one charge per order, claims, retries and the answers it gives. */
import { strict as assert } from "node:assert";
import { chargePayment, chargePaymentFactory } from "../../handlers/chargePayment";
import {
  DUPLICATE_ORDER_ERROR,
  ENV,
  ORDER_CONFLICT_ERROR,
  PAYMENT_ERROR,
  type ChargeInput,
} from "../../handlers/contract";
import { baseItem, itemToPlain } from "../../handlers/order/records";
import { MemoryOrderStore, ScriptedGateway } from "../support/fakePorts";

const orderId = "order-1";
const createdAt = "2026-11-27T05:00:00.000Z";

function chargeInput(executionName: string): ChargeInput {
  return {
    orderId,
    executionName,
    item: baseItem({
      orderId,
      executionName,
      customerId: "c-id-56392",
      orderTotal: 2250,
      items: [{ itemId: "item-c9f4x", price: 2250, itemDescription: "Macbook" }],
      paymentMethod: "MASTERCARD ****4444",
      createdAt,
    }),
    notice: { orderId, customerId: "c-id-56392", orderTotal: 2250 },
    charge: { customerId: "c-id-56392", amountMinor: 225000, paymentToken: "tok_test" },
  };
}

const notification = {
  orderId,
  state: "PROCESSED",
  customerId: "c-id-56392",
  orderTotal: 2250,
  message: "Order order-1 for customer c-id-56392 was charged 2250.00 and recorded.",
};

const declined = { approved: false, cause: "The payment gateway declined the charge." } as const;

describe("chargePayment", () => {
  it("claims, charges once and records the order as PROCESSED", async () => {
    const store = new MemoryOrderStore();
    const gateway = new ScriptedGateway();
    const result = await chargePayment(chargeInput("exec-1"), { store, gateway });
    assert.deepEqual(result, { orderId, charged: true, chargeId: "ch_test", notification });
    assert.deepEqual(gateway.charges, [
      { idempotencyKey: orderId, amountMinor: 225000, paymentToken: "tok_test", customerId: "c-id-56392" },
    ]);
    const record = store.records.get(orderId);
    assert.ok(record !== undefined);
    assert.deepEqual(itemToPlain(record), {
      OrderId: orderId,
      ExecutionName: "exec-1",
      CreatedAt: createdAt,
      CustomerId: "c-id-56392",
      OrderTotal: 2250,
      Items: [{ itemId: "item-c9f4x", price: 2250, itemDescription: "Macbook" }],
      PaymentMethod: "MASTERCARD ****4444",
      State: "PROCESSED",
      ChargeId: "ch_test",
    });
  });

  it("answers a retry of the same execution after the charge without charging again", async () => {
    const store = new MemoryOrderStore();
    const gateway = new ScriptedGateway();
    await chargePayment(chargeInput("exec-1"), { store, gateway });
    const retry = await chargePayment(chargeInput("exec-1"), {
      store,
      gateway: new ScriptedGateway(undefined, { approved: true, chargeId: "ch_other" }),
    });
    assert.deepEqual(retry, { orderId, charged: false, chargeId: "ch_test", notification });
    assert.equal(gateway.charges.length, 1);
    assert.equal(store.stateOf(orderId), "PROCESSED");
  });

  it("refuses a second execution of a charged order: DuplicateOrderError, nothing charged or changed", async () => {
    const store = new MemoryOrderStore();
    await chargePayment(chargeInput("exec-1"), { store, gateway: new ScriptedGateway() });
    const before = structuredClone(store.records.get(orderId));
    const gateway = new ScriptedGateway();
    await assert.rejects(chargePayment(chargeInput("exec-2"), { store, gateway }), {
      name: DUPLICATE_ORDER_ERROR,
      message:
        "Order order-1 was already submitted by execution exec-1 (state PROCESSED); this execution charged nothing and changed no record.",
    });
    assert.equal(gateway.charges.length, 0);
    assert.deepEqual(store.records.get(orderId), before);
  });

  it("refuses other contents under a held orderId: OrderConflictError (the same contents stay DuplicateOrderError)", async () => {
    const withHash = (executionName: string, hash: string): ChargeInput => {
      const input = chargeInput(executionName);
      return { ...input, item: { ...input.item, OrderHash: { S: hash } } };
    };
    const store = new MemoryOrderStore();
    await chargePayment(withHash("exec-1", "sha256:aaa"), { store, gateway: new ScriptedGateway() });
    const before = structuredClone(store.records.get(orderId));
    const gateway = new ScriptedGateway();
    await assert.rejects(chargePayment(withHash("exec-2", "sha256:bbb"), { store, gateway }), {
      name: ORDER_CONFLICT_ERROR,
      message:
        "Order order-1 is already recorded by execution exec-1 (state PROCESSED) with other contents; this execution charged nothing and changed no record.",
    });
    await assert.rejects(chargePayment(withHash("exec-3", "sha256:aaa"), { store, gateway }), {
      name: DUPLICATE_ORDER_ERROR,
    });
    assert.equal(gateway.charges.length, 0);
    assert.deepEqual(store.records.get(orderId), before);
  });

  it("refuses an order another execution is charging right now", async () => {
    const store = new MemoryOrderStore();
    store.seed(orderId, "exec-1", "PROCESSING");
    const gateway = new ScriptedGateway();
    await assert.rejects(chargePayment(chargeInput("exec-2"), { store, gateway }), {
      name: DUPLICATE_ORDER_ERROR,
      message: /by execution exec-1 \(state PROCESSING\)/,
    });
    assert.equal(gateway.charges.length, 0);
  });

  it("lets two racing executions charge the order once between them", async () => {
    const store = new MemoryOrderStore();
    const gateway = new ScriptedGateway();
    const outcomes = await Promise.allSettled([
      chargePayment(chargeInput("exec-a"), { store, gateway }),
      chargePayment(chargeInput("exec-b"), { store, gateway }),
    ]);
    assert.equal(outcomes.filter((outcome) => outcome.status === "fulfilled").length, 1);
    const reasons: unknown[] = outcomes.flatMap((outcome) =>
      outcome.status === "rejected" ? [outcome.reason as unknown] : [],
    );
    assert.ok(reasons[0] instanceof Error);
    assert.equal(reasons[0].name, DUPLICATE_ORDER_ERROR);
    assert.equal(gateway.charges.length, 1);
  });

  it("takes over an order whose earlier execution FAILED", async () => {
    const store = new MemoryOrderStore();
    store.seed(orderId, "exec-1", "FAILED");
    const gateway = new ScriptedGateway();
    const result = await chargePayment(chargeInput("exec-2"), { store, gateway });
    assert.equal(result.charged, true);
    assert.equal(gateway.charges.length, 1);
    assert.deepEqual(store.records.get(orderId)?.ExecutionName, { S: "exec-2" });
    assert.equal(store.stateOf(orderId), "PROCESSED");
  });

  it("charges on a retry of the same execution that had claimed but not charged", async () => {
    const store = new MemoryOrderStore();
    store.seed(orderId, "exec-1", "PROCESSING");
    const gateway = new ScriptedGateway();
    const result = await chargePayment(chargeInput("exec-1"), { store, gateway });
    assert.equal(result.charged, true);
    assert.equal(gateway.charges.length, 1);
  });

  it("throws PaymentError on a declined charge, leaving its claim for the state machine to mark FAILED", async () => {
    const store = new MemoryOrderStore();
    await assert.rejects(
      chargePayment(chargeInput("exec-1"), { store, gateway: new ScriptedGateway(undefined, declined) }),
      {
        name: PAYMENT_ERROR,
        message: "The charge of 2250.00 for order order-1 was declined. The payment gateway declined the charge.",
      },
    );
    assert.equal(store.stateOf(orderId), "PROCESSING");
    store.seed(orderId, "exec-1", "FAILED");
    assert.equal((await chargePayment(chargeInput("exec-2"), { store, gateway: new ScriptedGateway() })).charged, true);
  });

  it("throws a plain error when its record was taken between claim and completion", async () => {
    const store = new MemoryOrderStore();
    const gateway = new ScriptedGateway();
    gateway.charge = async (order) => {
      store.seed(orderId, "exec-x", "FAILED");
      return ScriptedGateway.prototype.charge.call(gateway, order);
    };
    await assert.rejects(chargePayment(chargeInput("exec-1"), { store, gateway }), (error: Error) => {
      assert.equal(error.name, "Error");
      assert.match(
        error.message,
        /^Order order-1 was charged \(ch_test\) but its record no longer belongs to execution exec-1\.$/,
      );
      return true;
    });
  });

  it("throws a plain error when an unclaimable order has no record", async () => {
    const store = new MemoryOrderStore();
    store.seed(orderId, "exec-1", "PROCESSED", "ch_1");
    store.vanishOnRead = true;
    await assert.rejects(chargePayment(chargeInput("exec-2"), { store, gateway: new ScriptedGateway() }), {
      name: "Error",
      message: /could not be claimed, yet has no record/,
    });
  });

  it("keys and owns the record by the input's identity, whatever the item says", async () => {
    const store = new MemoryOrderStore();
    const input = {
      ...chargeInput("exec-1"),
      item: { ...chargeInput("exec-1").item, OrderId: { S: "other" }, ExecutionName: { S: "other" } },
    };
    await chargePayment(input, { store, gateway: new ScriptedGateway() });
    assert.deepEqual([...store.records.keys()], [orderId]);
    assert.deepEqual(store.records.get(orderId)?.ExecutionName, { S: "exec-1" });
  });

  it("throws a plain error on malformed input, touching nothing", async () => {
    const store = new MemoryOrderStore();
    const gateway = new ScriptedGateway();
    const good = chargeInput("exec-1");
    const bad: unknown[] = [
      null,
      {},
      { ...good, orderId: 1 },
      { ...good, item: null },
      { ...good, charge: null },
      { ...good, charge: { ...good.charge, amountMinor: 0 } },
      { ...good, charge: { ...good.charge, amountMinor: 22.5 } },
      { ...good, charge: { ...good.charge, paymentToken: undefined } },
    ];
    for (const input of bad) {
      await assert.rejects(chargePayment(input as ChargeInput, { store, gateway }), {
        name: "Error",
        message: /^The chargePayment Lambda needs/,
      });
    }
    assert.equal(store.records.size, 0);
    assert.equal(gateway.charges.length, 0);
  });
});

describe("chargePaymentFactory", () => {
  it("fails to start without its table or its rate", () => {
    assert.throws(() => chargePaymentFactory({ [ENV.chargeFailureRate]: "0" }), /ORDERS_TABLE_NAME is not set/);
    assert.throws(
      () => chargePaymentFactory({ [ENV.tableName]: "orders" }),
      /SIMULATED_CHARGE_FAILURE_RATE is not set/,
    );
  });

  it("starts with both, making its client without calling AWS", () => {
    const handler = chargePaymentFactory({ [ENV.tableName]: "orders", [ENV.chargeFailureRate]: "0.25" });
    assert.equal(typeof handler, "function");
  });
});
