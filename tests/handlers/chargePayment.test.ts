/** The charge handler: one charge per order (the gateway's idempotency key is the order id), declines, bad input. */
import { strict as assert } from "node:assert";
import { chargePayment } from "../../handlers/chargePayment";
import { PAYMENT_ERROR, type ChargeInput } from "../../handlers/contract";
import { ScriptedGateway } from "../support/fakePorts";

const orderId = "order-1";
const input: ChargeInput = {
  orderId,
  charge: { customerId: "c-id-56392", amountMinor: 225000, paymentToken: "tok_test" },
};
const notification = {
  orderId,
  state: "PROCESSED",
  customerId: "c-id-56392",
  orderTotal: 2250,
  message: "Order order-1 for customer c-id-56392 was charged 2250.00 and recorded.",
};

describe("chargePayment", () => {
  it("charges with the order id as the idempotency key and answers the charge id", async () => {
    const gateway = new ScriptedGateway();
    assert.deepEqual(await chargePayment(input, { gateway }), {
      orderId,
      charged: true,
      chargeId: "ch_test",
      notification,
    });
    assert.deepEqual(gateway.charges, [
      { idempotencyKey: orderId, amountMinor: 225000, paymentToken: "tok_test", customerId: "c-id-56392" },
    ]);
  });

  it("raises PaymentError on a decline, saying why", async () => {
    const gateway = new ScriptedGateway(undefined, {
      approved: false,
      cause: "the payment gateway declined the charge",
    });
    await assert.rejects(chargePayment(input, { gateway }), {
      name: PAYMENT_ERROR,
      message: "The charge of 2250.00 for order order-1 was declined. The payment gateway declined the charge.",
    });
  });

  it("throws a plain error on malformed input, charging nothing", async () => {
    const gateway = new ScriptedGateway();
    const bad: unknown[] = [
      null,
      {},
      { ...input, orderId: 1 },
      { ...input, charge: null },
      { ...input, charge: { ...input.charge, amountMinor: 0 } },
      { ...input, charge: { ...input.charge, amountMinor: 22.5 } },
      { ...input, charge: { ...input.charge, paymentToken: undefined } },
    ];
    for (const event of bad) {
      await assert.rejects(chargePayment(event as ChargeInput, { gateway }), {
        name: "Error",
        message: /^The chargePayment Lambda needs/,
      });
    }
    assert.equal(gateway.charges.length, 0);
  });
});
