/** The order record kept in DynamoDB and the notification built from it. */
import { strict as assert } from "node:assert";
import { readRate, readSeed, readTableName } from "../../../handlers/ports/config";
import { ENV } from "../../../handlers/contract";
import { buildNotification } from "../../../handlers/order/notification";
import { ATTR, baseItem, itemToPlain, withState } from "../../../handlers/order/records";

const createdAt = "2026-11-27T05:00:00.000Z";

describe("records: the DynamoDB item", () => {
  it("maps every known field to its attribute", () => {
    const item = baseItem({
      orderId: "order-1",
      executionName: "exec-1",
      customerId: "c-id-56392",
      orderTotal: 2250,
      items: [
        { itemId: "item-c9f4x", price: 1000, itemDescription: "Macbook" },
        { itemId: "item-x", price: 0.1, itemDescription: "Sticker" },
      ],
      paymentMethod: "MASTERCARD ****4444",
      createdAt,
    });
    assert.deepEqual(item, {
      OrderId: { S: "order-1" },
      ExecutionName: { S: "exec-1" },
      CreatedAt: { S: createdAt },
      CustomerId: { S: "c-id-56392" },
      OrderTotal: { N: "2250" },
      Items: {
        L: [
          { M: { itemId: { S: "item-c9f4x" }, price: { N: "1000" }, itemDescription: { S: "Macbook" } } },
          { M: { itemId: { S: "item-x" }, price: { N: "0.1" }, itemDescription: { S: "Sticker" } } },
        ],
      },
      PaymentMethod: { S: "MASTERCARD ****4444" },
    });
  });

  it("holds only the identity and time of a malformed order", () => {
    assert.deepEqual(baseItem({ orderId: "exec-2", executionName: "exec-2", createdAt }), {
      OrderId: { S: "exec-2" },
      ExecutionName: { S: "exec-2" },
      CreatedAt: { S: createdAt },
    });
  });

  it("writes amounts without float noise", () => {
    const item = baseItem({ orderId: "o", executionName: "e", orderTotal: 22.5, createdAt });
    assert.deepEqual(item[ATTR.orderTotal], { N: "22.5" });
    assert.throws(
      () => baseItem({ orderId: "o", executionName: "e", orderTotal: 0.1 + 0.2, createdAt }),
      /is not an amount of money\./,
    );
  });

  it("adds the state, and the charge id once charged", () => {
    const base = baseItem({ orderId: "o", executionName: "e", createdAt });
    assert.deepEqual(withState(base, "PROCESSING"), { ...base, State: { S: "PROCESSING" } });
    assert.deepEqual(withState(base, "PROCESSED", "ch_1"), {
      ...base,
      State: { S: "PROCESSED" },
      ChargeId: { S: "ch_1" },
    });
    assert.equal(base.State, undefined, "the base item is not changed");
  });

  it("reads back as plain JSON", () => {
    const item = withState(
      baseItem({
        orderId: "o",
        executionName: "e",
        orderTotal: 22.5,
        items: [{ itemId: "i", price: 22.5, itemDescription: "d" }],
        createdAt,
      }),
      "FAILED",
    );
    assert.deepEqual(itemToPlain(item), {
      OrderId: "o",
      ExecutionName: "e",
      CreatedAt: createdAt,
      OrderTotal: 22.5,
      Items: [{ itemId: "i", price: 22.5, itemDescription: "d" }],
      State: "FAILED",
    });
  });
});

describe("buildNotification", () => {
  it("tells people the order was charged and recorded, the amount from cents", () => {
    assert.deepEqual(buildNotification({ orderId: "order-1", customerId: "c-id-56392", amountMinor: 225000 }), {
      orderId: "order-1",
      state: "PROCESSED",
      customerId: "c-id-56392",
      orderTotal: 2250,
      message: "Order order-1 for customer c-id-56392 was charged 2250.00 and recorded.",
    });
    const small = buildNotification({ orderId: "o", customerId: "c", amountMinor: 30 });
    assert.equal(small.orderTotal, 0.3);
    assert.equal(small.message, "Order o for customer c was charged 0.30 and recorded.");
  });
});

describe("config", () => {
  const rate = (value: string | undefined): number =>
    readRate({ [ENV.paymentFailureRate]: value }, ENV.paymentFailureRate);

  it("reads failure rates from 0 to 1", () => {
    assert.equal(rate("0"), 0);
    assert.equal(rate("1"), 1);
    assert.equal(rate("0.25"), 0.25);
    assert.equal(rate(".1"), 0.1);
    assert.equal(rate("1.0"), 1);
    assert.equal(rate(" 0.5 "), 0.5);
  });

  it("refuses a missing or bad rate, naming the variable", () => {
    assert.throws(() => rate(undefined), /^Error: SIMULATED_PAYMENT_FAILURE_RATE is not set/);
    assert.throws(() => rate(""), /SIMULATED_PAYMENT_FAILURE_RATE is not set/);
    for (const bad of ["abc", "1.5", "-0.1", "1e-1", "0x1", "NaN", "Infinity", "25%"]) {
      assert.throws(
        () => rate(bad),
        new RegExp(`^Error: SIMULATED_PAYMENT_FAILURE_RATE must be a number from 0 to 1 \\(got "${bad}"\\)`),
        bad,
      );
    }
  });

  it("reads an optional seed", () => {
    assert.equal(readSeed({}), undefined);
    assert.equal(readSeed({ [ENV.randomSeed]: "" }), undefined);
    assert.equal(readSeed({ [ENV.randomSeed]: "run-42" }), "run-42");
  });

  it("requires the table name", () => {
    assert.equal(readTableName({ [ENV.tableName]: "orders-1234" }), "orders-1234");
    assert.throws(() => readTableName({}), /ORDERS_TABLE_NAME is not set/);
    assert.throws(() => readTableName({ [ENV.tableName]: " " }), /ORDERS_TABLE_NAME is not set/);
  });
});
