/**
 * The payment-verification Lambda (handlers/verifyPaymentDetails.ts) with a scripted gateway, and
 * its factory reading the settings from the environment.
 */
import { strict as assert } from "node:assert";
import { ENV, type VerificationResult } from "../../handlers/contract";
import { itemToPlain } from "../../handlers/order/records";
import {
  verifyPaymentDetails,
  verifyPaymentDetailsFactory,
  type VerifyDeps,
} from "../../handlers/verifyPaymentDetails";
import { captureLogs } from "../support/consoleCapture";
import { ScriptedGateway } from "../support/fakePorts";
import { type EditableOrder, NOW, orderWith, sampleOrder } from "../support/sampleOrder";

const executionName = "exec-1";

function deps(gateway = new ScriptedGateway()): VerifyDeps {
  return { gateway, now: () => NOW };
}

/** The invariants of the contract, for any result. */
function assertWellFormed(result: VerificationResult): void {
  assert.equal(result.paymentVerified, result.rejection === null);
  assert.equal(result.paymentVerified, result.charge !== null);
  assert.deepEqual(result.item.OrderId, { S: result.orderId });
  assert.deepEqual(result.item.ExecutionName, { S: executionName });
  assert.deepEqual(result.item.CreatedAt, { S: NOW.toISOString() });
  assert.equal(result.item.State, undefined);
  assert.equal(result.item.FailureReason, undefined);
  assert.equal(result.notice.orderId, result.orderId);
}

describe("verifyPaymentDetails", () => {
  it("verifies the sample order and asks for a charge with a token in place of the card", async () => {
    const gateway = new ScriptedGateway();
    const result = await verifyPaymentDetails({ order: sampleOrder(), executionName }, deps(gateway));
    assertWellFormed(result);
    assert.deepEqual(result, {
      orderId: executionName,
      paymentVerified: true,
      rejection: null,
      item: result.item,
      notice: { orderId: executionName, customerId: "c-id-56392", orderTotal: 2250 },
      charge: { customerId: "c-id-56392", amountMinor: 225000, paymentToken: "tok_test" },
    });
    assert.deepEqual(itemToPlain(result.item), {
      OrderId: executionName,
      ExecutionName: executionName,
      CreatedAt: NOW.toISOString(),
      CustomerId: "c-id-56392",
      OrderTotal: 2250,
      Items: [
        { itemId: "item-c9f4x", price: 1000, itemDescription: "Macbook" },
        { itemId: "item-g7b2q", price: 500, itemDescription: "iPhone" },
        { itemId: "item-p4c97", price: 750, itemDescription: "iPad" },
      ],
      PaymentMethod: "MASTERCARD ****4444",
      OrderHash: itemToPlain(result.item).OrderHash as string,
    });
    assert.match(itemToPlain(result.item).OrderHash as string, /^sha256:[0-9a-f]{64}$/);
    assert.equal(gateway.verifications, 1);
  });

  it("keeps a hash of the order's card-free contents on the record: the card changes nothing, the contents do", async () => {
    const hashOf = async (order: unknown) =>
      itemToPlain((await verifyPaymentDetails({ order, executionName }, deps())).item).OrderHash;
    const first = await hashOf(sampleOrder("hash-1"));
    // Another card (and another name on it), keys in another order, a price written otherwise: the same order.
    const sameOrder = orderWith((o) => {
      o.orderId = "hash-1";
      o.paymentDetails = { name: "Jane Roe", cardType: "VISA", cardNumber: "4111 1111 1111 1111", expiration: "01/39" };
      o.orderContents.items[0].price = 1000.0;
    });
    assert.equal(await hashOf(sameOrder), first);
    const reversed = Object.fromEntries(Object.entries(sampleOrder("hash-1")).reverse());
    assert.equal(await hashOf(reversed), first);
    for (const change of [
      (o: EditableOrder) => (o.orderId = "hash-2"),
      (o: EditableOrder) => (o.customerId = "c-other"),
      (o: EditableOrder) => (o.orderContents.items[1].itemDescription = "iPhone 2"),
    ]) {
      assert.notEqual(await hashOf(orderWith((o) => ((o.orderId = "hash-1"), change(o)))), first);
    }
    // Nothing card-derived goes in: the hash of the card-free contents alone is the same.
    assert.ok(typeof first === "string" && !first.includes("4444"));
  });

  it("says on the record and the notice why a malformed orderId gave way to the execution's name", async () => {
    const result = await verifyPaymentDetails(
      { order: orderWith((o) => (o.orderId = "has spaces")), executionName },
      deps(),
    );
    assert.equal(result.orderId, executionName);
    assert.match(
      result.notice.orderIdProblem ?? "",
      /^The field orderId must be 1 to 128 characters .*\(got "has spaces"\), so the order is recorded under its execution's name\.$/,
    );
    assert.equal(itemToPlain(result.item).OrderIdProblem, result.notice.orderIdProblem);
    const plain = await verifyPaymentDetails({ order: sampleOrder(), executionName }, deps());
    assert.equal(plain.notice.orderIdProblem, undefined);
  });

  it("keys the order by its orderId when it has a valid one", async () => {
    const result = await verifyPaymentDetails(
      { order: orderWith((o) => (o.orderId = "order-77")), executionName },
      deps(),
    );
    assertWellFormed(result);
    assert.equal(result.orderId, "order-77");
    assert.equal(result.notice.orderId, "order-77");
  });

  it("rejects a malformed order as INVALID_ORDER, keeping what was valid, without asking the gateway", async () => {
    const gateway = new ScriptedGateway();
    const order = orderWith((o) => (o.orderContents.items[2].price = "abc"));
    const result = await verifyPaymentDetails({ order, executionName }, deps(gateway));
    assertWellFormed(result);
    assert.deepEqual(result.rejection, {
      error: "INVALID_ORDER",
      cause: 'The field orderContents.items[2].price must be a number greater than 0 (got "abc").',
    });
    assert.equal(result.charge, null);
    assert.deepEqual(result.notice, { orderId: executionName, customerId: "c-id-56392", orderTotal: 2250 });
    assert.deepEqual(Object.keys(itemToPlain(result.item)).sort(), [
      "CreatedAt",
      "CustomerId",
      "ExecutionName",
      "OrderId",
      "OrderTotal",
      "PaymentMethod",
    ]);
    assert.equal(gateway.verifications, 0);
  });

  it("keys a malformed orderId's order by the execution's name", async () => {
    const result = await verifyPaymentDetails(
      { order: orderWith((o) => (o.orderId = "no spaces please")), executionName },
      deps(),
    );
    assertWellFormed(result);
    assert.equal(result.orderId, executionName);
    assert.equal(result.rejection?.error, "INVALID_ORDER");
    assert.match(result.rejection?.cause ?? "", /^The field orderId must be/);
  });

  it("answers any input at all without throwing", async () => {
    const inputs: unknown[] = [
      null,
      undefined,
      [],
      [sampleOrder()],
      "order",
      "",
      0,
      -1,
      true,
      {},
      { orderContents: null },
      { orderContents: { items: [null, 1, "x", [], {}] } },
      { orderContents: { items: "lots" }, orderTotal: {}, customerId: [], paymentDetails: 5 },
      { orderContents: { items: [{ itemId: { nested: { deeper: [1, 2, { x: null }] } } }] } },
      { orderContents: { items: Array.from({ length: 5000 }, () => ({})) } },
      orderWith((o) => (o.paymentDetails = { name: null, cardType: {}, cardNumber: [], expiration: 12 })),
      orderWith((o) => (o.orderTotal = Number.MAX_VALUE)),
      orderWith((o) => (o.customerId = "x".repeat(1_000_000))),
    ];
    for (const order of inputs) {
      const result = await verifyPaymentDetails({ order, executionName }, deps());
      assertWellFormed(result);
      assert.equal(result.orderId, executionName);
      assert.equal(result.rejection?.error, "INVALID_ORDER", JSON.stringify(order)?.slice(0, 80));
      assert.ok((result.rejection?.cause.length ?? 0) < 300);
    }
  });

  it("rejects the original workflow's own example as PAYMENT_NOT_VERIFIED (Luhn)", async () => {
    const seedOrder = orderWith((o) => {
      o.paymentDetails.cardNumber = "5192 7402 9672 1055";
      o.paymentDetails.expiration = "08/26";
    });
    const gateway = new ScriptedGateway();
    const result = await verifyPaymentDetails({ order: seedOrder, executionName }, deps(gateway));
    assertWellFormed(result);
    assert.deepEqual(result.rejection, {
      error: "PAYMENT_NOT_VERIFIED",
      cause: "The card number fails the Luhn check.",
    });
    assert.deepEqual(result.item.PaymentMethod, { S: "MASTERCARD ****1055" });
    assert.ok(result.item.Items !== undefined);
    assert.equal(gateway.verifications, 0);
  });

  it("rejects an expired card as PAYMENT_NOT_VERIFIED", async () => {
    const order = orderWith((o) => (o.paymentDetails.expiration = "10/26"));
    const result = await verifyPaymentDetails({ order, executionName }, deps());
    assert.deepEqual(result.rejection, { error: "PAYMENT_NOT_VERIFIED", cause: "The card has expired." });
  });

  it("rejects as PAYMENT_NOT_VERIFIED when the gateway says no", async () => {
    const gateway = new ScriptedGateway({ verified: false, cause: "The payment gateway did not verify the card." });
    const result = await verifyPaymentDetails({ order: sampleOrder(), executionName }, deps(gateway));
    assertWellFormed(result);
    assert.deepEqual(result.rejection, {
      error: "PAYMENT_NOT_VERIFIED",
      cause: "The payment gateway did not verify the card.",
    });
    assert.equal(result.charge, null);
    assert.ok(result.item.Items !== undefined, "a verified-shape order keeps its items for the record");
  });

  it("throws only on a fault: an input without an execution name", async () => {
    await assert.rejects(verifyPaymentDetails({ order: sampleOrder() } as never, deps()), /executionName/);
    await assert.rejects(verifyPaymentDetails(null as never, deps()), /executionName/);
  });
});

describe("verifyPaymentDetailsFactory", () => {
  it("reads its rate once and logs one line per invocation", async () => {
    let result: VerificationResult | undefined;
    const logs = await captureLogs(async () => {
      const handler = verifyPaymentDetailsFactory({ [ENV.paymentFailureRate]: "0", [ENV.randomSeed]: "s" });
      result = await handler({ order: sampleOrder(), executionName });
    });
    assert.equal(result?.paymentVerified, true);
    assert.match(result?.charge?.paymentToken ?? "", /^tok_sim_[0-9a-f]{24}$/);
    assert.deepEqual(
      logs.map((line): unknown => JSON.parse(line)),
      [{ handler: "verifyPaymentDetails", orderId: executionName, outcome: "verified" }],
    );
  });

  it("declines every card at rate 1", async () => {
    await captureLogs(async () => {
      const handler = verifyPaymentDetailsFactory({ [ENV.paymentFailureRate]: "1" });
      const result = await handler({ order: sampleOrder(), executionName });
      assert.equal(result.rejection?.error, "PAYMENT_NOT_VERIFIED");
    });
  });

  it("fails to start without its rate", () => {
    assert.throws(() => verifyPaymentDetailsFactory({}), /SIMULATED_PAYMENT_FAILURE_RATE is not set/);
  });
});
