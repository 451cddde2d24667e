import { strict as assert } from "node:assert";
import {
  checkParallelInput,
  describeValue,
  knownFields,
  MAX_DIFFERENT_ITEMS,
  MAX_ITEMS,
  ORDER_BYTE_BUDGET,
  resolveOrderId,
  validateOrder,
} from "../../../handlers/order/validation";
import { CARD_SECRETS, orderWith, sampleOrder, type EditableOrder } from "../../support/sampleOrder";

/** The cause of an order that must be refused. */
function causeOf(order: unknown): string {
  const result = validateOrder(order);
  assert.ok(!result.ok, "expected the order to be refused");
  return result.cause;
}

/** `count` items, of at most MAX_DIFFERENT_ITEMS different itemIds (the 100th repeats the first). */
function items(count: number, price: number): { [key: string]: unknown }[] {
  return Array.from({ length: count }, (_, index) => ({
    itemId: `item-${index % MAX_DIFFERENT_ITEMS}`,
    price,
    itemDescription: `thing ${index}`,
  }));
}

describe("validateOrder: a valid order", () => {
  it("passes the sample order, with its fields and total in cents", () => {
    const result = validateOrder(sampleOrder());
    assert.ok(result.ok);
    assert.deepEqual(result.order.items, [
      { itemId: "item-c9f4x", price: 1000, itemDescription: "Macbook" },
      { itemId: "item-g7b2q", price: 500, itemDescription: "iPhone" },
      { itemId: "item-p4c97", price: 750, itemDescription: "iPad" },
    ]);
    assert.equal(result.order.orderTotal, 2250);
    assert.equal(result.order.totalMinor, 225000);
    assert.equal(result.order.customerId, "c-id-56392");
    assert.equal(result.order.orderId, undefined);
    assert.equal(result.order.paymentDetails.cardType, "MASTERCARD");
  });

  it("takes an orderId of 1 to 128 allowed characters", () => {
    for (const orderId of ["a", "order-2026.11:27_X", "x".repeat(128)]) {
      const result = validateOrder(orderWith((o) => (o.orderId = orderId)));
      assert.ok(result.ok, orderId);
      assert.equal(result.order.orderId, orderId);
    }
  });

  it("compares money in cents: prices 0.1 and 0.2 with a total of 0.3 is valid", () => {
    const order = orderWith((o) => {
      o.orderContents.items = [
        { itemId: "a", price: 0.1, itemDescription: "ten cents" },
        { itemId: "b", price: 0.2, itemDescription: "twenty cents" },
      ];
      o.orderTotal = 0.3;
    });
    const result = validateOrder(order);
    assert.ok(result.ok);
    assert.equal(result.order.totalMinor, 30);
  });

  it(`takes exactly ${MAX_ITEMS} items`, () => {
    const order = orderWith((o) => {
      o.orderContents.items = items(MAX_ITEMS, 1.5);
      o.orderTotal = 150;
    });
    assert.ok(validateOrder(order).ok);
  });

  it("takes a description of 500 characters and ids of 128", () => {
    const order = orderWith((o) => {
      o.orderContents.items[0].itemDescription = "d".repeat(500);
      o.orderContents.items[0].itemId = "i".repeat(128);
      o.customerId = "c".repeat(128);
    });
    assert.ok(validateOrder(order).ok);
  });

  it("carries nothing but the known fields of an item", () => {
    const result = validateOrder(orderWith((o) => (o.orderContents.items[0].secret = "not for the record")));
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.order.items[0]), ["itemId", "price", "itemDescription"]);
  });
});

describe("validateOrder: each rule refuses, naming the field", () => {
  const cases: [string, (o: EditableOrder) => void, string][] = [
    [
      "orderId empty",
      (o) => (o.orderId = ""),
      'orderId must be 1 to 128 characters from A-Z, a-z, 0-9, ".", "_", ":" and "-" (got "")',
    ],
    ["orderId too long", (o) => (o.orderId = "x".repeat(129)), "orderId must be 1 to 128 characters"],
    [
      "orderId with a space",
      (o) => (o.orderId = "order 1"),
      'orderId must be 1 to 128 characters from A-Z, a-z, 0-9, ".", "_", ":" and "-" (got "order 1")',
    ],
    ["orderId a number", (o) => (o.orderId = 42), "(got 42)"],
    [
      "orderId null",
      (o) => (o.orderId = null),
      'orderId must be 1 to 128 characters from A-Z, a-z, 0-9, ".", "_", ":" and "-" (got null)',
    ],
    [
      "orderContents missing",
      (o) => delete (o as { [key: string]: unknown }).orderContents,
      "orderContents must be an object (got nothing)",
    ],
    [
      "orderContents an array",
      (o) => ((o as { [key: string]: unknown }).orderContents = []),
      "orderContents must be an object (got an empty array)",
    ],
    [
      "items missing",
      (o) => delete (o.orderContents as { [key: string]: unknown }).items,
      "orderContents.items must be an array (got nothing)",
    ],
    [
      "items an object",
      (o) => (o.orderContents.items = {} as never),
      "orderContents.items must be an array (got an object)",
    ],
    ["no items", (o) => (o.orderContents.items = []), "orderContents.items must contain at least 1 item (got none)"],
    [
      "too many items",
      (o) => {
        o.orderContents.items = items(MAX_ITEMS + 1, 1);
        o.orderTotal = MAX_ITEMS + 1;
      },
      "orderContents.items must contain at most 100 items (got 101)",
    ],
    [
      "100 different itemIds (one stock transaction holds 99 and the record)",
      (o) => {
        o.orderContents.items = items(MAX_ITEMS, 1).map((item, i) => ({ ...item, itemId: `distinct-${i}` }));
        o.orderTotal = MAX_ITEMS;
      },
      "orderContents.items must hold at most 99 different itemIds, one stock reservation each (got 100)",
    ],
    [
      "an item not an object",
      (o) => (o.orderContents.items[1] = "x" as never),
      'orderContents.items[1] must be an object (got "x")',
    ],
    [
      "an item null",
      (o) => (o.orderContents.items[2] = null as never),
      "orderContents.items[2] must be an object (got null)",
    ],
    [
      "itemId missing",
      (o) => delete o.orderContents.items[0].itemId,
      "orderContents.items[0].itemId must be a non-empty string of at most 128 characters (got nothing)",
    ],
    [
      "itemId empty",
      (o) => (o.orderContents.items[0].itemId = ""),
      'orderContents.items[0].itemId must be a non-empty string of at most 128 characters (got "")',
    ],
    [
      "itemId blank",
      (o) => (o.orderContents.items[0].itemId = "   "),
      "orderContents.items[0].itemId must be a non-empty string",
    ],
    [
      "itemId too long",
      (o) => (o.orderContents.items[0].itemId = "i".repeat(129)),
      "orderContents.items[0].itemId must be a non-empty string",
    ],
    [
      "itemId a number",
      (o) => (o.orderContents.items[0].itemId = 7),
      "orderContents.items[0].itemId must be a non-empty string of at most 128 characters (got 7)",
    ],
    [
      "price a string",
      (o) => (o.orderContents.items[2].price = "abc"),
      'orderContents.items[2].price must be a number greater than 0 (got "abc")',
    ],
    [
      "price a numeric string",
      (o) => (o.orderContents.items[2].price = "750"),
      'orderContents.items[2].price must be a number greater than 0 (got "750")',
    ],
    [
      "price zero",
      (o) => (o.orderContents.items[1].price = 0),
      "orderContents.items[1].price must be a number greater than 0 (got 0)",
    ],
    [
      "price negative",
      (o) => (o.orderContents.items[1].price = -500),
      "orderContents.items[1].price must be a number greater than 0 (got -500)",
    ],
    [
      "price missing",
      (o) => delete o.orderContents.items[1].price,
      "orderContents.items[1].price must be a number greater than 0 (got nothing)",
    ],
    [
      "price NaN",
      (o) => (o.orderContents.items[1].price = NaN),
      "orderContents.items[1].price must be a number greater than 0 (got NaN)",
    ],
    [
      "price Infinity",
      (o) => (o.orderContents.items[1].price = Infinity),
      "orderContents.items[1].price must be a number greater than 0 (got Infinity)",
    ],
    [
      "price with 3 decimals",
      (o) => (o.orderContents.items[1].price = 499.999),
      "orderContents.items[1].price must have at most 2 decimal places (got 499.999)",
    ],
    [
      "price too large",
      (o) => (o.orderContents.items[1].price = 1e16),
      "orderContents.items[1].price must be at most 9999999999999.99 (got 10000000000000000)",
    ],
    [
      "description missing",
      (o) => delete o.orderContents.items[2].itemDescription,
      "orderContents.items[2].itemDescription must be a non-empty string of at most 500 characters (got nothing)",
    ],
    [
      "description empty",
      (o) => (o.orderContents.items[2].itemDescription = ""),
      "orderContents.items[2].itemDescription must be a non-empty string",
    ],
    [
      "description too long",
      (o) => (o.orderContents.items[2].itemDescription = "d".repeat(501)),
      "orderContents.items[2].itemDescription must be a non-empty string of at most 500 characters",
    ],
    [
      "description an object",
      (o) => (o.orderContents.items[2].itemDescription = { text: "x" }),
      "orderContents.items[2].itemDescription must be a non-empty string of at most 500 characters (got an object)",
    ],
    [
      "prices adding up beyond the limit",
      (o) => {
        o.orderContents.items = items(2, 9999999999999.99);
        o.orderTotal = 9999999999999.99;
      },
      "the item prices in orderContents.items add up to more than 9999999999999.99",
    ],
    ["orderTotal missing", (o) => delete o.orderTotal, "orderTotal must be a number greater than 0 (got nothing)"],
    ["orderTotal a string", (o) => (o.orderTotal = "2250"), 'orderTotal must be a number greater than 0 (got "2250")'],
    [
      "orderTotal a unit off",
      (o) => (o.orderTotal = 2251),
      "orderTotal must equal the sum of the item prices, 2250.00 (got 2251)",
    ],
    [
      "orderTotal a cent off",
      (o) => (o.orderTotal = 2250.01),
      "orderTotal must equal the sum of the item prices, 2250.00 (got 2250.01)",
    ],
    [
      "orderTotal a cent short",
      (o) => (o.orderTotal = 2249.99),
      "orderTotal must equal the sum of the item prices, 2250.00 (got 2249.99)",
    ],
    [
      "orderTotal with 3 decimals",
      (o) => (o.orderTotal = 2250.001),
      "orderTotal must have at most 2 decimal places (got 2250.001)",
    ],
    [
      "customerId missing",
      (o) => delete o.customerId,
      "customerId must be a non-empty string of at most 128 characters (got nothing)",
    ],
    [
      "customerId empty",
      (o) => (o.customerId = ""),
      'customerId must be a non-empty string of at most 128 characters (got "")',
    ],
    [
      "customerId too long",
      (o) => (o.customerId = "c".repeat(129)),
      "customerId must be a non-empty string of at most 128 characters",
    ],
    [
      "customerId a number",
      (o) => (o.customerId = 56392),
      "customerId must be a non-empty string of at most 128 characters (got 56392)",
    ],
    [
      "paymentDetails missing",
      (o) => delete (o as { [key: string]: unknown }).paymentDetails,
      "paymentDetails must be an object (got nothing)",
    ],
    [
      "paymentDetails a string",
      (o) => ((o as { [key: string]: unknown }).paymentDetails = "5555 5555 5555 4444"),
      "paymentDetails must be an object (got a string)",
    ],
    ["name missing", (o) => delete o.paymentDetails.name, "paymentDetails.name must be a string (got nothing)"],
    [
      "cardType a number",
      (o) => (o.paymentDetails.cardType = 5),
      "paymentDetails.cardType must be a string (got a number)",
    ],
    [
      "cardNumber a number",
      (o) => (o.paymentDetails.cardNumber = 5555555555554444),
      "paymentDetails.cardNumber must be a string (got a number)",
    ],
    [
      "expiration an array",
      (o) => (o.paymentDetails.expiration = [12, 30]),
      "paymentDetails.expiration must be a string (got an array)",
    ],
  ];

  for (const [rule, edit, expected] of cases) {
    it(rule, () => {
      const cause = causeOf(orderWith(edit));
      assert.ok(cause.includes(expected), `cause: ${cause}`);
    });
  }

  it("refuses what is not a JSON object", () => {
    assert.equal(causeOf(null), "the order must be a JSON object (got null)");
    assert.equal(causeOf(undefined), "the order must be a JSON object (got nothing)");
    assert.equal(causeOf([sampleOrder()]), "the order must be a JSON object (got an array of 1)");
    assert.equal(causeOf("order"), 'the order must be a JSON object (got "order")');
    assert.equal(causeOf(42), "the order must be a JSON object (got 42)");
    assert.equal(causeOf(true), "the order must be a JSON object (got true)");
  });

  it("reports the first problem in field order", () => {
    const order = orderWith((o) => {
      o.orderId = "bad id";
      o.customerId = "";
      o.orderContents.items[1].price = 0;
    });
    assert.match(causeOf(order), /^orderId /);
    delete order.orderId;
    assert.match(causeOf(order), /^orderContents\.items\[1\]\.price /);
    order.orderContents.items[1].price = 500;
    assert.match(causeOf(order), /^customerId /);
  });

  it("never repeats a payment detail's value", () => {
    const causes = [
      causeOf(orderWith((o) => (o.paymentDetails.cardNumber = 5555555555554444))),
      causeOf(orderWith((o) => (o.paymentDetails.expiration = 1230))),
      causeOf(orderWith((o) => (o.paymentDetails.name = ["John Doe"]))),
      causeOf(
        orderWith((o) => ((o as { [key: string]: unknown }).paymentDetails = "5555 5555 5555 4444 12/30 John Doe")),
      ),
    ];
    for (const cause of causes) {
      for (const secret of [...CARD_SECRETS, "1230"]) {
        assert.ok(!cause.includes(secret), `${cause} repeats ${secret}`);
      }
    }
  });

  it("shortens a long value it repeats", () => {
    const cause = causeOf(orderWith((o) => (o.orderContents.items[0].itemId = "x".repeat(41) + "y".repeat(500))));
    assert.ok(cause.endsWith(`(got "${"x".repeat(40)}…")`), cause);
    assert.ok(cause.length < 150);
  });
});

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
      cause: `the order must be at most 225,376 bytes of JSON (UTF-8), so that every step of the workflow stays under Step Functions' 262,144-byte limit (got 225,377 bytes)`,
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
      cause: "the order must nest arrays and objects at most 32 levels deep (got 5,002 levels)",
    });
  });
});
