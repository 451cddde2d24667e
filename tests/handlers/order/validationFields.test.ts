/**
 * The rest of handlers/order/validation.ts besides its rules (validation.test.ts): how a refused
 * value is described, the order id a report shows, the fields known of any order, the Parallel
 * state's input, and the order's size and depth limits.
 */
import { strict as assert } from "node:assert";
import {
  checkParallelInput,
  describeValue,
  knownFields,
  ORDER_BYTE_BUDGET,
  resolveOrderId,
  validateOrder,
} from "../../../handlers/order/validation";
import { orderWith, sampleOrder } from "../../support/sampleOrder";

describe("describeValue", () => {
  it("shows scalars, and only the kind of objects and arrays", () => {
    assert.equal(describeValue("abc"), '"abc"');
    assert.equal(describeValue('a"b'), '"a\\"b"');
    assert.equal(describeValue(12.5), "12.5");
    assert.equal(describeValue(false), "false");
    assert.equal(describeValue(null), "null");
    assert.equal(describeValue(undefined), "nothing");
    assert.equal(describeValue({ cardNumber: "5555 5555 5555 4444" }), "an object");
    assert.equal(describeValue([1, 2, 3]), "an array of 3");
    assert.equal(describeValue([]), "an empty array");
  });

  it("cuts a string at 40 characters without splitting a character", () => {
    assert.equal(describeValue("é".repeat(41)), JSON.stringify(`${"é".repeat(40)}…`));
    assert.equal(describeValue("😀".repeat(41)), JSON.stringify(`${"😀".repeat(40)}…`));
    assert.equal(describeValue("x".repeat(40)), JSON.stringify("x".repeat(40)));
  });
});

describe("resolveOrderId", () => {
  it("takes a valid orderId, else the execution's name", () => {
    assert.equal(
      resolveOrderId(
        orderWith((o) => (o.orderId = "order-1")),
        "exec-1",
      ),
      "order-1",
    );
    assert.equal(resolveOrderId(sampleOrder(), "exec-1"), "exec-1");
    assert.equal(
      resolveOrderId(
        orderWith((o) => (o.orderId = "bad id")),
        "exec-1",
      ),
      "exec-1",
    );
    for (const order of [null, [], "order-1", 42, undefined]) {
      assert.equal(resolveOrderId(order, "exec-1"), "exec-1");
    }
  });
});

describe("knownFields", () => {
  it("knows every field of a valid order, the card masked", () => {
    assert.deepEqual(knownFields(sampleOrder()), {
      customerId: "c-id-56392",
      orderTotal: 2250,
      items: [
        { itemId: "item-c9f4x", price: 1000, itemDescription: "Macbook" },
        { itemId: "item-g7b2q", price: 500, itemDescription: "iPhone" },
        { itemId: "item-p4c97", price: 750, itemDescription: "iPad" },
      ],
      paymentMethod: "MASTERCARD ****4444",
    });
  });

  it("keeps each field that is valid on its own", () => {
    const known = knownFields(
      orderWith((o) => {
        o.orderContents.items[1].price = "abc";
        o.orderTotal = 2251;
        o.paymentDetails.cardType = "BITCOIN";
      }),
    );
    assert.deepEqual(known, { customerId: "c-id-56392", orderTotal: 2251 });
  });

  it("knows nothing of what is not an object", () => {
    for (const order of [null, [], "x", 1, undefined]) {
      assert.deepEqual(knownFields(order), {});
    }
  });
});

describe("checkParallelInput", () => {
  it("takes {order, executionName} with any order, and refuses anything else", () => {
    assert.doesNotThrow(() => checkParallelInput({ order: null, executionName: "e" }));
    for (const input of [null, undefined, "x", {}, { order: {} }, { order: {}, executionName: 1 }]) {
      assert.throws(() => checkParallelInput(input), /executionName/);
    }
  });
});

describe("the order's size and depth", () => {
  it("accepts an order up to ORDER_BYTE_BUDGET bytes of UTF-8 JSON and refuses one byte more, with the size in the cause", () => {
    const padded = (bytes: number) => {
      const order = orderWith((o) => (o.giftMessage = ""));
      order.giftMessage = "x".repeat(bytes - Buffer.byteLength(JSON.stringify(order), "utf8"));
      return order;
    };
    assert.strictEqual(validateOrder(padded(ORDER_BYTE_BUDGET)).ok, true);
    const over = validateOrder(padded(ORDER_BYTE_BUDGET + 1));
    assert.deepStrictEqual(over, {
      ok: false,
      cause: `The order must be at most 225,376 bytes of JSON (UTF-8), so that every step of the workflow stays under Step Functions' 262,144-byte limit (got 225,377 bytes).`,
    });
    assert.strictEqual(ORDER_BYTE_BUDGET, 225_376);
  });

  it("counts bytes, not characters: 3-byte characters weigh three", () => {
    const order = orderWith((o) => (o.giftMessage = "あ".repeat(80_000)));
    const result = validateOrder(order);
    assert.ok(!result.ok && /got 240,\d{3} bytes/.test(result.cause), JSON.stringify(result));
  });

  it("refuses an order nested deeper than 32 levels, however deep, without running out of stack", () => {
    let deep: unknown = [];
    for (let i = 0; i < 5000; i++) deep = [deep];
    assert.deepStrictEqual(validateOrder(orderWith((o) => (o.giftMessage = deep))), {
      ok: false,
      cause: "The order must nest arrays and objects at most 32 levels deep (got 5,002 levels).",
    });
  });
});
