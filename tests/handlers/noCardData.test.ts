/**
 * No card data leaves the payment step: for valid and invalid orders, the outputs and logs of all
 * three Lambdas hold none of the card details (number, expiry, cardholder; CARD_SECRETS).
 */
import { strict as assert } from "node:assert";
import { chargePayment } from "../../handlers/chargePayment";
import { ENV, type ChargeInput } from "../../handlers/contract";
import { retrieveStockLevelsFactory } from "../../handlers/retrieveStockLevels";
import { verifyPaymentDetails, verifyPaymentDetailsFactory } from "../../handlers/verifyPaymentDetails";
import { captureLogs } from "../support/consoleCapture";
import { MemoryReservations, ScriptedGateway, fixedInventory } from "../support/fakePorts";
import { reserveStock } from "../../handlers/reserveStock";
import { CARD_SECRETS, NOW, orderWith, sampleOrder } from "../support/sampleOrder";

const executionName = "exec-1";

function assertNoCardData(what: string, value: unknown): void {
  const text = JSON.stringify(value);
  for (const secret of CARD_SECRETS) {
    assert.ok(!text.includes(secret), `${what} contains ${secret}: ${text}`);
  }
}

/** The sample order and variants that fail at each step before the charge. */
const orders: [string, unknown][] = [
  ["valid", sampleOrder()],
  ["invalid price", orderWith((o) => (o.orderContents.items[0].price = -1))],
  ["invalid customer", orderWith((o) => (o.customerId = null))],
  ["wrong card type", orderWith((o) => (o.paymentDetails.cardType = "VISA"))],
  ["expired", orderWith((o) => (o.paymentDetails.expiration = "12/20"))],
  ["blank name", orderWith((o) => (o.paymentDetails.name = " "))],
];

describe("no card data leaves the payment step", () => {
  for (const [name, order] of orders) {
    it(`in the outputs and logs of the Lambdas (${name} order)`, async () => {
      const outputs: unknown[] = [];
      const logs = await captureLogs(async () => {
        const env = {
          [ENV.paymentFailureRate]: "0",
          [ENV.stockFailureRate]: "0",
          [ENV.inventoryMode]: "simulated",
          [ENV.inventoryTableName]: "Inventory",
          [ENV.randomSeed]: "no-card-data",
        };
        const verification = await verifyPaymentDetailsFactory(env)({ order, executionName });
        outputs.push(verification, await retrieveStockLevelsFactory(env)({ order, executionName }));
        if (verification.charge !== null) {
          const reservations = new MemoryReservations();
          const { orderId, item, charge } = verification;
          const deps = { reservations, inventory: fixedInventory([]) };
          outputs.push(await reserveStock({ orderId, executionName, item, charge }, deps));
          const input: ChargeInput = { orderId, charge };
          outputs.push(await chargePayment(input, { gateway: new ScriptedGateway() }), [
            ...reservations.records.values(),
          ]);
        }
      });
      assertNoCardData("an output", outputs);
      assertNoCardData("a log line", logs);
    });
  }

  it("in the causes of orders with card data in the wrong places", async () => {
    const misplaced: unknown[] = [
      orderWith((o) => (o.paymentDetails.cardNumber = 5555555555554444)),
      orderWith((o) => ((o as { [key: string]: unknown }).paymentDetails = "5555 5555 5555 4444 12/30 John Doe")),
      orderWith((o) => (o.paymentDetails = { ...o.paymentDetails, cardNumber: ["5555 5555 5555 4444"] })),
      orderWith((o) => (o.orderContents.items[0] = { ...o.paymentDetails } as never)),
      orderWith((o) => ((o.orderContents as { [key: string]: unknown }).items = o.paymentDetails)),
    ];
    for (const order of misplaced) {
      const result = await verifyPaymentDetails(
        { order, executionName },
        { gateway: new ScriptedGateway(), now: () => NOW },
      );
      assert.equal(result.rejection?.error, "INVALID_ORDER");
      assertNoCardData("a result", result);
    }
  });
});
