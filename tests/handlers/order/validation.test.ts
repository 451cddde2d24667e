/**
 * The order's validation rules (handlers/order/validation.ts): a valid order passes, and each rule
 * refuses naming the field; the rest of the module is validationFields.test.ts's.
 */
import { strict as assert } from "node:assert";
import { isSentence } from "../../../handlers/order/sentence";
import { MAX_DIFFERENT_ITEMS, MAX_ITEMS, validateOrder } from "../../../handlers/order/validation";
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
      'The field orderId must be 1 to 128 characters from A-Z, a-z, 0-9, ".", "_", ":" and "-" (got "")',
    ],
    ["orderId too long", (o) => (o.orderId = "x".repeat(129)), "The field orderId must be 1 to 128 characters"],
    [
      "orderId with a space",
      (o) => (o.orderId = "order 1"),
      'The field orderId must be 1 to 128 characters from A-Z, a-z, 0-9, ".", "_", ":" and "-" (got "order 1")',
    ],
    ["orderId a number", (o) => (o.orderId = 42), "(got 42)"],
    [
      "orderId null",
      (o) => (o.orderId = null),
      'The field orderId must be 1 to 128 characters from A-Z, a-z, 0-9, ".", "_", ":" and "-" (got null)',
    ],
    [
      "orderContents missing",
      (o) => delete (o as { [key: string]: unknown }).orderContents,
      "The field orderContents must be an object (got nothing)",
    ],
    [
      "orderContents an array",
      (o) => ((o as { [key: string]: unknown }).orderContents = []),
      "The field orderContents must be an object (got an empty array)",
    ],
    [
      "items missing",
      (o) => delete (o.orderContents as { [key: string]: unknown }).items,
      "The field orderContents.items must be an array (got nothing)",
    ],
    [
      "items an object",
      (o) => (o.orderContents.items = {} as never),
      "The field orderContents.items must be an array (got an object)",
    ],
    [
      "no items",
      (o) => (o.orderContents.items = []),
      "The field orderContents.items must contain at least 1 item (got none)",
    ],
    [
      "too many items",
      (o) => {
        o.orderContents.items = items(MAX_ITEMS + 1, 1);
        o.orderTotal = MAX_ITEMS + 1;
      },
      "The field orderContents.items must contain at most 100 items (got 101)",
    ],
    [
      "100 different itemIds (one stock transaction holds 99 and the record)",
      (o) => {
        o.orderContents.items = items(MAX_ITEMS, 1).map((item, i) => ({ ...item, itemId: `distinct-${i}` }));
        o.orderTotal = MAX_ITEMS;
      },
      "The field orderContents.items must hold at most 99 different itemIds, one stock reservation each (got 100)",
    ],
    [
      "an item not an object",
      (o) => (o.orderContents.items[1] = "x" as never),
      'The field orderContents.items[1] must be an object (got "x")',
    ],
    [
      "an item null",
      (o) => (o.orderContents.items[2] = null as never),
      "The field orderContents.items[2] must be an object (got null)",
    ],
    [
      "itemId missing",
      (o) => delete o.orderContents.items[0].itemId,
      "The field orderContents.items[0].itemId must be a non-empty string of at most 128 characters (got nothing)",
    ],
    [
      "itemId empty",
      (o) => (o.orderContents.items[0].itemId = ""),
      'The field orderContents.items[0].itemId must be a non-empty string of at most 128 characters (got "")',
    ],
    [
      "itemId blank",
      (o) => (o.orderContents.items[0].itemId = "   "),
      "The field orderContents.items[0].itemId must be a non-empty string",
    ],
    [
      "itemId too long",
      (o) => (o.orderContents.items[0].itemId = "i".repeat(129)),
      "The field orderContents.items[0].itemId must be a non-empty string",
    ],
    [
      "itemId a number",
      (o) => (o.orderContents.items[0].itemId = 7),
      "The field orderContents.items[0].itemId must be a non-empty string of at most 128 characters (got 7)",
    ],
    [
      "price a string",
      (o) => (o.orderContents.items[2].price = "abc"),
      'The field orderContents.items[2].price must be a number greater than 0 (got "abc")',
    ],
    [
      "price a numeric string",
      (o) => (o.orderContents.items[2].price = "750"),
      'The field orderContents.items[2].price must be a number greater than 0 (got "750")',
    ],
    [
      "price zero",
      (o) => (o.orderContents.items[1].price = 0),
      "The field orderContents.items[1].price must be a number greater than 0 (got 0.00)",
    ],
    [
      "price negative",
      (o) => (o.orderContents.items[1].price = -500),
      "The field orderContents.items[1].price must be a number greater than 0 (got -500.00)",
    ],
    [
      "price missing",
      (o) => delete o.orderContents.items[1].price,
      "The field orderContents.items[1].price must be a number greater than 0 (got nothing)",
    ],
    [
      "price NaN",
      (o) => (o.orderContents.items[1].price = NaN),
      "The field orderContents.items[1].price must be a number greater than 0 (got NaN)",
    ],
    [
      "price Infinity",
      (o) => (o.orderContents.items[1].price = Infinity),
      "The field orderContents.items[1].price must be a number greater than 0 (got Infinity)",
    ],
    [
      "price with 3 decimals",
      (o) => (o.orderContents.items[1].price = 499.999),
      "The field orderContents.items[1].price must have at most 2 decimal places (got 499.999)",
    ],
    [
      "price too large",
      (o) => (o.orderContents.items[1].price = 1e16),
      "The field orderContents.items[1].price must be at most 9999999999999.99 (got 10000000000000000.00)",
    ],
    [
      "description missing",
      (o) => delete o.orderContents.items[2].itemDescription,
      "The field orderContents.items[2].itemDescription must be a non-empty string of at most 500 characters (got nothing)",
    ],
    [
      "description empty",
      (o) => (o.orderContents.items[2].itemDescription = ""),
      "The field orderContents.items[2].itemDescription must be a non-empty string",
    ],
    [
      "description too long",
      (o) => (o.orderContents.items[2].itemDescription = "d".repeat(501)),
      "The field orderContents.items[2].itemDescription must be a non-empty string of at most 500 characters",
    ],
    [
      "description an object",
      (o) => (o.orderContents.items[2].itemDescription = { text: "x" }),
      "The field orderContents.items[2].itemDescription must be a non-empty string of at most 500 characters (got an object)",
    ],
    [
      "prices adding up beyond the limit",
      (o) => {
        o.orderContents.items = items(2, 9999999999999.99);
        o.orderTotal = 9999999999999.99;
      },
      "The item prices in orderContents.items add up to more than 9999999999999.99",
    ],
    [
      "orderTotal missing",
      (o) => delete o.orderTotal,
      "The field orderTotal must be a number greater than 0 (got nothing)",
    ],
    [
      "orderTotal a string",
      (o) => (o.orderTotal = "2250"),
      'The field orderTotal must be a number greater than 0 (got "2250")',
    ],
    [
      "orderTotal a unit off",
      (o) => (o.orderTotal = 2251),
      "The field orderTotal must equal the sum of the item prices, 2250.00 (got 2251.00)",
    ],
    [
      "orderTotal a cent off",
      (o) => (o.orderTotal = 2250.01),
      "The field orderTotal must equal the sum of the item prices, 2250.00 (got 2250.01)",
    ],
    [
      "orderTotal a cent short",
      (o) => (o.orderTotal = 2249.99),
      "The field orderTotal must equal the sum of the item prices, 2250.00 (got 2249.99)",
    ],
    [
      "orderTotal with 3 decimals",
      (o) => (o.orderTotal = 2250.001),
      "The field orderTotal must have at most 2 decimal places (got 2250.001)",
    ],
    [
      "customerId missing",
      (o) => delete o.customerId,
      "The field customerId must be a non-empty string of at most 128 characters (got nothing)",
    ],
    [
      "customerId empty",
      (o) => (o.customerId = ""),
      'The field customerId must be a non-empty string of at most 128 characters (got "")',
    ],
    [
      "customerId too long",
      (o) => (o.customerId = "c".repeat(129)),
      "The field customerId must be a non-empty string of at most 128 characters",
    ],
    [
      "customerId a number",
      (o) => (o.customerId = 56392),
      "The field customerId must be a non-empty string of at most 128 characters (got 56392)",
    ],
    [
      "paymentDetails missing",
      (o) => delete (o as { [key: string]: unknown }).paymentDetails,
      "The field paymentDetails must be an object (got nothing)",
    ],
    [
      "paymentDetails a string",
      (o) => ((o as { [key: string]: unknown }).paymentDetails = "5555 5555 5555 4444"),
      "The field paymentDetails must be an object (got a string)",
    ],
    [
      "name missing",
      (o) => delete o.paymentDetails.name,
      "The field paymentDetails.name must be a string (got nothing)",
    ],
    [
      "cardType a number",
      (o) => (o.paymentDetails.cardType = 5),
      "The field paymentDetails.cardType must be a string (got a number)",
    ],
    [
      "cardNumber a number",
      (o) => (o.paymentDetails.cardNumber = 5555555555554444),
      "The field paymentDetails.cardNumber must be a string (got a number)",
    ],
    [
      "expiration an array",
      (o) => (o.paymentDetails.expiration = [12, 30]),
      "The field paymentDetails.expiration must be a string (got an array)",
    ],
  ];

  for (const [rule, edit, expected] of cases) {
    it(rule, () => {
      const cause = causeOf(orderWith(edit));
      assert.ok(cause.includes(expected), `cause: ${cause}`);
    });
  }

  it("words every cause of the table as a full sentence: a capital letter first, a full stop last", () => {
    const causes = cases.map(([, edit]) => causeOf(orderWith(edit)));
    assert.deepEqual(
      causes.filter((cause) => !isSentence(cause)),
      [],
    );
  });

  it("refuses what is not a JSON object", () => {
    assert.equal(causeOf(null), "The order must be a JSON object (got null).");
    assert.equal(causeOf(undefined), "The order must be a JSON object (got nothing).");
    assert.equal(causeOf([sampleOrder()]), "The order must be a JSON object (got an array of 1).");
    assert.equal(causeOf("order"), 'The order must be a JSON object (got "order").');
    assert.equal(causeOf(42), "The order must be a JSON object (got 42).");
    assert.equal(causeOf(true), "The order must be a JSON object (got true).");
  });

  it("reports the first problem in field order", () => {
    const order = orderWith((o) => {
      o.orderId = "bad id";
      o.customerId = "";
      o.orderContents.items[1].price = 0;
    });
    assert.match(causeOf(order), /^The field orderId /);
    delete order.orderId;
    assert.match(causeOf(order), /^The field orderContents\.items\[1\]\.price /);
    order.orderContents.items[1].price = 500;
    assert.match(causeOf(order), /^The field customerId /);
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
    assert.ok(cause.endsWith(`(got "${"x".repeat(40)}…").`), cause);
    assert.ok(cause.length < 150);
  });
});
