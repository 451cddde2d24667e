/**
 * Every cause and message the handlers write is a full sentence (capital first, full stop last) and
 * shows money in the one format of money.ts: the causes of every order in tests/fixtures/bad-orders/,
 * the gateway's refusals, the charge's decline and the notification of a charged order.
 */
import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as path from "path";
import { chargePayment } from "../../../handlers/chargePayment";
import { buildNotification } from "../../../handlers/order/notification";
import { isSentence, sentence } from "../../../handlers/order/sentence";
import { SimulatedPaymentGateway } from "../../../handlers/ports/payments";
import { randomFactory } from "../../../handlers/ports/random";
import { verifyPaymentDetails } from "../../../handlers/verifyPaymentDetails";
import { ScriptedGateway } from "../../support/fakePorts";
import { NOW } from "../../support/sampleOrder";

const CORPUS = path.join(__dirname, "..", "..", "fixtures", "bad-orders");

/** Money as money.ts writes it: digits, a point, two (or, for an amount refused for its decimals, more) decimals. */
const MONEY = /^-?\d+\.\d{2,}$/;

/** The causes (and order-id problems) verifyPaymentDetails gives for every order of the corpus that is not padded. */
async function corpusCauses(): Promise<string[]> {
  const index = JSON.parse(fs.readFileSync(path.join(CORPUS, "index.json"), "utf8")) as Record<
    string,
    { readonly padTo?: unknown }
  >;
  const causes: string[] = [];
  for (const [file, entry] of Object.entries(index)) {
    if (entry.padTo !== undefined) continue;
    const order = JSON.parse(fs.readFileSync(path.join(CORPUS, file), "utf8")) as unknown;
    const result = await verifyPaymentDetails(
      { order, executionName: `bad-${causes.length}` },
      { gateway: new ScriptedGateway(), now: () => NOW },
    );
    if (result.rejection !== null) causes.push(result.rejection.cause);
    if (result.notice.orderIdProblem !== undefined) causes.push(result.notice.orderIdProblem);
  }
  return causes;
}

describe("sentence", () => {
  it("makes a phrase a sentence: a capital letter first and one full stop last", () => {
    assert.equal(sentence("the card has expired"), "The card has expired.");
    assert.equal(sentence("The card has expired."), "The card has expired.");
  });

  it("tells a sentence from a phrase", () => {
    assert.ok(isSentence("The card has expired."));
    assert.ok(isSentence('The field orderId must be a string (got "x").'));
    assert.ok(!isSentence("the card has expired."));
    assert.ok(!isSentence("The card has expired"));
    assert.ok(!isSentence("The card has expired.."));
  });
});

describe("every cause the handlers write", () => {
  it("is a full sentence for each order of the bad-orders corpus", async () => {
    const causes = await corpusCauses();
    assert.ok(causes.length > 60, `only ${causes.length} causes`);
    assert.deepEqual(
      causes.filter((cause) => !isSentence(cause)),
      [],
    );
  });

  it("shows each amount of the corpus's causes in the one money format", async () => {
    const amounts = (await corpusCauses()).flatMap((cause) =>
      [...cause.matchAll(/(?:prices, |at most |more than |\(got )(-?\d[\d.e+-]*\d)(?=[).]| \()/g)]
        .filter(() => /price|orderTotal/.test(cause))
        .map((match) => match[1]),
    );
    assert.ok(amounts.length > 10, `only ${amounts.length} amounts`);
    assert.deepEqual(
      amounts.filter((amount) => !MONEY.test(amount)),
      [],
    );
  });

  it("is a full sentence when the simulated gateway refuses the card or the charge", async () => {
    const gateway = new SimulatedPaymentGateway({ paymentFailureRate: 1, chargeFailureRate: 1 }, randomFactory("s"));
    const verification = await gateway.verify(
      { name: "A", cardType: "VISA", cardNumber: "4111111111111111", expiration: "12/30" },
      { orderId: "o-1" },
    );
    const charge = await gateway.charge({
      idempotencyKey: "o-1",
      amountMinor: 225000,
      paymentToken: "t",
      customerId: "c",
    });
    assert.ok(!verification.verified && isSentence(verification.cause), JSON.stringify(verification));
    assert.ok(!charge.approved && isSentence(charge.cause), JSON.stringify(charge));
  });

  it("is a full sentence, with the amount in the money format, when a charge is declined", async () => {
    const gateway = new ScriptedGateway(undefined, { approved: false, cause: "The card issuer said no." });
    const input = { orderId: "order-1", charge: { customerId: "c-1", amountMinor: 225050, paymentToken: "tok" } };
    const error = await chargePayment(input, { gateway }).then(
      () => assert.fail("expected a decline"),
      (e: unknown) => e as Error,
    );
    assert.equal(error.message, "The charge of 2250.50 for order order-1 was declined. The card issuer said no.");
    assert.ok(isSentence(error.message));
  });

  it("is a full sentence, with the amount in the money format, in a charged order's notification", () => {
    const { message } = buildNotification({ orderId: "order-1", customerId: "c-1", amountMinor: 225000 });
    assert.equal(message, "Order order-1 for customer c-1 was charged 2250.00 and recorded.");
    assert.ok(isSentence(message));
  });
});
