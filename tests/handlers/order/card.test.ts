/** Card rules: the number (Luhn, lengths per scheme), the expiration and the security code. */
import { strict as assert } from "node:assert";
import {
  CARD_LENGTHS,
  cardDigits,
  cardTypeOfNumber,
  checkPaymentDetails,
  isExpired,
  maskPaymentMethod,
  passesLuhn,
  paymentMethodOf,
} from "../../../handlers/order/card";
import type { PaymentDetails } from "../../../handlers/contract";
import { CARD_SECRETS, NOW } from "../../support/sampleOrder";

const sampleCard: PaymentDetails = {
  name: "John Doe",
  cardType: "MASTERCARD",
  cardNumber: "5555 5555 5555 4444",
  expiration: "12/30",
};

function causeOf(details: Partial<PaymentDetails>, now: Date = NOW): string {
  const result = checkPaymentDetails({ ...sampleCard, ...details }, now);
  assert.ok(!result.ok, "expected the card to be refused");
  return result.cause;
}

describe("card: the number", () => {
  it("reads 12 to 19 digits, with spaces or dashes between", () => {
    assert.equal(cardDigits("5555 5555 5555 4444"), "5555555555554444");
    assert.equal(cardDigits("5555-5555-5555-4444"), "5555555555554444");
    assert.equal(cardDigits("5555555555554444"), "5555555555554444");
    assert.equal(cardDigits("1".repeat(12)), "1".repeat(12));
    assert.equal(cardDigits("1".repeat(19)), "1".repeat(19));
    assert.equal(cardDigits("1".repeat(11)), undefined);
    assert.equal(cardDigits("1".repeat(20)), undefined);
    assert.equal(cardDigits("5555x5555x5555x4444"), undefined);
    assert.equal(cardDigits("５５５５５５５５５５５５４４４４"), undefined);
    assert.equal(cardDigits(""), undefined);
  });

  it("checks the Luhn digit", () => {
    for (const good of [
      "5555555555554444",
      "4111111111111111",
      "378282246310005",
      "6011111111111117",
      "2223003122003222",
    ]) {
      assert.ok(passesLuhn(good), good);
    }
    for (const bad of ["5192740296721055", "5555555555554445", "4111111111111112"]) {
      assert.ok(!passesLuhn(bad), bad);
    }
  });

  it("tells the card type from the issuer prefix", () => {
    const expectations: [string, string | undefined][] = [
      ["4111111111111111", "VISA"],
      ["5105105105105100", "MASTERCARD"],
      ["5555555555554444", "MASTERCARD"],
      ["2221000000000009", "MASTERCARD"],
      ["2720990000000007", "MASTERCARD"],
      ["2220990000000000", undefined],
      ["2721000000000000", undefined],
      ["5605105105105100", undefined],
      ["378282246310005", "AMEX"],
      ["341111111111111", "AMEX"],
      ["351111111111111", undefined],
      ["6011111111111117", "DISCOVER"],
      ["6500000000000002", "DISCOVER"],
      ["6440000000000000", "DISCOVER"],
      ["6490000000000000", "DISCOVER"],
      ["6430000000000000", undefined],
      ["6012000000000000", undefined],
    ];
    for (const [digits, type] of expectations) {
      assert.equal(cardTypeOfNumber(digits), type, digits);
    }
  });
});

describe("card: the expiration", () => {
  it("is good through the last day of its month (UTC)", () => {
    assert.equal(isExpired("12/30", NOW), false);
    assert.equal(isExpired("11/26", NOW), false);
    assert.equal(isExpired("11/26", new Date("2026-11-30T23:59:59.999Z")), false);
    assert.equal(isExpired("11/26", new Date("2026-12-01T00:00:00.000Z")), true);
    assert.equal(isExpired("10/26", NOW), true);
    assert.equal(isExpired("08/26", NOW), true);
    assert.equal(isExpired("01/27", NOW), false);
  });

  it("must have the form MM/YY", () => {
    for (const text of ["13/30", "00/30", "1/30", "12/2030", "12-30", "1230", "", " 12/30"]) {
      assert.equal(isExpired(text, NOW), undefined, text);
    }
  });
});

describe("checkPaymentDetails", () => {
  it("passes the sample card, and well-formed cards of each type", () => {
    assert.deepEqual(checkPaymentDetails(sampleCard, NOW), { ok: true });
    const cards: [string, string][] = [
      ["VISA", "4111 1111 1111 1111"],
      ["MASTERCARD", "2223-0031-2200-3222"],
      ["AMEX", "3782 822463 10005"],
      ["DISCOVER", "6011111111111117"],
    ];
    for (const [cardType, cardNumber] of cards) {
      assert.deepEqual(checkPaymentDetails({ ...sampleCard, cardType, cardNumber }, NOW), { ok: true }, cardType);
    }
  });

  it("refuses each problem in plain words", () => {
    assert.equal(causeOf({ name: "  " }), "The name on the card is blank.");
    assert.equal(causeOf({ cardType: "mastercard" }), "The card type must be one of VISA, MASTERCARD, AMEX, DISCOVER.");
    assert.equal(causeOf({ cardType: "DINERS" }), "The card type must be one of VISA, MASTERCARD, AMEX, DISCOVER.");
    assert.equal(
      causeOf({ cardNumber: "5555 5555" }),
      "The card number must have 12 to 19 digits (spaces and dashes allowed).",
    );
    assert.equal(
      causeOf({ cardNumber: "5555/5555/5555/4444" }),
      "The card number must have 12 to 19 digits (spaces and dashes allowed).",
    );
    assert.equal(causeOf({ cardNumber: "5192 7402 9672 1055" }), "The card number fails the Luhn check.");
    assert.equal(causeOf({ cardType: "VISA" }), "The card number is not a VISA number.");
    assert.equal(causeOf({ expiration: "12/2030" }), "The card expiration must have the form MM/YY.");
    assert.equal(causeOf({ expiration: "10/26" }), "The card has expired.");
  });

  it("refuses the original workflow's own example (Luhn first, and its 08/26 expiry too)", () => {
    const seedCard = {
      name: "John Doe",
      cardType: "MASTERCARD",
      cardNumber: "5192 7402 9672 1055",
      expiration: "08/26",
    };
    assert.equal(causeOf(seedCard), "The card number fails the Luhn check.");
    assert.equal(causeOf({ expiration: "08/26" }), "The card has expired.");
  });

  it("never repeats the number, the expiry or the name", () => {
    const causes = [
      causeOf({ name: "" }),
      causeOf({ cardType: "VISA" }),
      causeOf({ cardNumber: "5555 5555 5555 4445" }),
      causeOf({ expiration: "12/30" }, new Date("2031-01-01T00:00:00Z")),
      causeOf({ expiration: "12/30x" }),
    ];
    for (const cause of causes) {
      for (const secret of [...CARD_SECRETS, "4445", "12/30x"]) {
        assert.ok(!cause.includes(secret), `${cause} repeats ${secret}`);
      }
    }
  });
});

describe("maskPaymentMethod", () => {
  it("shows the card type and the last four digits only", () => {
    assert.equal(maskPaymentMethod("MASTERCARD", "5555 5555 5555 4444"), "MASTERCARD ****4444");
    assert.equal(maskPaymentMethod("AMEX", "3782-822463-10005"), "AMEX ****0005");
  });

  it("masks any order's details that name a known type and a well-formed number", () => {
    assert.equal(paymentMethodOf(sampleCard), "MASTERCARD ****4444");
    assert.equal(paymentMethodOf({ ...sampleCard, cardNumber: "5192 7402 9672 1055" }), "MASTERCARD ****1055");
    assert.equal(paymentMethodOf({ ...sampleCard, cardType: "BITCOIN" }), undefined);
    assert.equal(paymentMethodOf({ ...sampleCard, cardNumber: "5555" }), undefined);
    assert.equal(paymentMethodOf({ ...sampleCard, cardNumber: 5555555555554444 }), undefined);
    for (const details of [null, undefined, "5555 5555 5555 4444", [], 1]) {
      assert.equal(paymentMethodOf(details), undefined);
    }
  });
});

describe("card lengths by scheme", () => {
  const now = NOW;
  /** A Luhn-valid number of `length` digits starting with `prefix`. */
  const luhnNumber = (prefix: string, length: number): string => {
    for (let d = 0; d < 10; d++) {
      const digits = prefix + "0".repeat(length - prefix.length - 1) + String(d);
      if (passesLuhn(digits)) return digits;
    }
    throw new Error("unreachable");
  };
  const check = (cardType: string, cardNumber: string) =>
    checkPaymentDetails({ name: "A Person", cardType, cardNumber, expiration: "12/30" }, now);

  it("accepts exactly the lengths each scheme issues", () => {
    const cases: Array<[string, string, number[]]> = [
      ["VISA", "4", [13, 16, 19]],
      ["MASTERCARD", "5555", [16]],
      ["MASTERCARD", "2221", [16]],
      ["AMEX", "37", [15]],
      ["DISCOVER", "6011", [16, 17, 18, 19]],
    ];
    for (const [type, prefix, lengths] of cases) {
      for (let length = 12; length <= 19; length++) {
        const result = check(type, luhnNumber(prefix, length));
        assert.strictEqual(
          result.ok,
          lengths.includes(length),
          `${type} ${prefix} with ${length} digits: ${JSON.stringify(result)}`,
        );
        assert.deepStrictEqual(CARD_LENGTHS[type as keyof typeof CARD_LENGTHS], lengths);
      }
    }
  });

  it("says which lengths the scheme issues, never the number", () => {
    const twelve = luhnNumber("5555", 12);
    const result = check("MASTERCARD", twelve);
    assert.deepStrictEqual(result, {
      ok: false,
      cause: "The card number has 12 digits, but a MASTERCARD number has 16.",
    });
    assert.deepStrictEqual(check("AMEX", luhnNumber("34", 16)), {
      ok: false,
      cause: "The card number has 16 digits, but an AMEX number has 15.",
    });
    assert.deepStrictEqual(check("VISA", luhnNumber("4", 14)), {
      ok: false,
      cause: "The card number has 14 digits, but a VISA number has 13, 16 or 19.",
    });
  });
});
