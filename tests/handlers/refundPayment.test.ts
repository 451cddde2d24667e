/** The refund handler: refunds the order's approved charge, keyed by the order id, or answers that there was none. */
import { strict as assert } from "node:assert";
import { refundPayment } from "../../handlers/refundPayment";
import { ScriptedGateway } from "../support/fakePorts";

const charge = { idempotencyKey: "order-1", amountMinor: 100, paymentToken: "tok", customerId: "c" };

describe("refundPayment", () => {
  it("refunds the approved charge of the order, answering its RefundId and the charge refunded", async () => {
    const gateway = new ScriptedGateway();
    await gateway.charge(charge);
    assert.deepEqual(await refundPayment({ orderId: "order-1" }, gateway), {
      record: { RefundId: { S: "re_ch_test" } },
      refundedChargeId: "ch_test",
    });
    assert.deepEqual(gateway.refunds, ["order-1"]);
  });

  it("answers that nothing was refunded when the order has no approved charge", async () => {
    assert.deepEqual(await refundPayment({ orderId: "order-2" }, new ScriptedGateway()), {
      record: {},
      refundedChargeId: "none",
    });
  });
});
