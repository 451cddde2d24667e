/**
 * Checks on the payment details themselves (the PAYMENT_NOT_VERIFIED rules). Causes never repeat the
 * card number, the expiry or the name on the card; each is a full sentence (sentence.ts).
 */

import type { PaymentDetails } from "../contract";

export const CARD_TYPES = ["VISA", "MASTERCARD", "AMEX", "DISCOVER"] as const;
export type CardType = (typeof CARD_TYPES)[number];

/**
 * The lengths each scheme issues its card numbers in. Source: the issuer identification number table
 * of "Payment card number", Wikipedia (https://en.wikipedia.org/wiki/Payment_card_number#Issuer_identification_number_(IIN)),
 * which cites the schemes' own rules: Visa 13, 16 or 19 digits; Mastercard (51-55 and 2221-2720)
 * 16; American Express (34, 37) 15; Discover (6011, 644-649, 65) 16 to 19.
 */
export const CARD_LENGTHS: Readonly<Record<CardType, readonly number[]>> = {
  VISA: [13, 16, 19],
  MASTERCARD: [16],
  AMEX: [15],
  DISCOVER: [16, 17, 18, 19],
};

/** "13, 16 or 19". */
function lengthsInWords(lengths: readonly number[]): string {
  return lengths.length === 1
    ? String(lengths[0])
    : `${lengths.slice(0, -1).join(", ")} or ${lengths[lengths.length - 1]}`;
}

export type CardCheck = { readonly ok: true } | { readonly ok: false; readonly cause: string };

export function isCardType(value: unknown): value is CardType {
  return (CARD_TYPES as readonly unknown[]).includes(value);
}

/** The digits of a card number written with optional spaces or dashes, if it has 12 to 19 of them. */
export function cardDigits(cardNumber: string): string | undefined {
  if (!/^[0-9 -]+$/.test(cardNumber)) {
    return undefined;
  }
  const digits = cardNumber.replace(/[ -]/g, "");
  return digits.length >= 12 && digits.length <= 19 ? digits : undefined;
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) {
        digit -= 9;
      }
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The card type a number's issuer prefix belongs to (the four types' ranges do not overlap). */
export function cardTypeOfNumber(digits: string): CardType | undefined {
  const prefix = (length: number): number => Number(digits.slice(0, length));
  if (digits.startsWith("4")) {
    return "VISA";
  }
  if ((prefix(2) >= 51 && prefix(2) <= 55) || (prefix(4) >= 2221 && prefix(4) <= 2720)) {
    return "MASTERCARD";
  }
  if (prefix(2) === 34 || prefix(2) === 37) {
    return "AMEX";
  }
  if (prefix(4) === 6011 || prefix(2) === 65 || (prefix(3) >= 644 && prefix(3) <= 649)) {
    return "DISCOVER";
  }
  return undefined;
}

/**
 * Whether an "MM/YY" expiration is still good in the month of `now` (UTC): a card is valid through the
 * last day of its expiry month. Undefined when the text is not "MM/YY".
 */
export function isExpired(expiration: string, now: Date): boolean | undefined {
  const match = /^(0[1-9]|1[0-2])\/(\d{2})$/.exec(expiration);
  if (match === null) {
    return undefined;
  }
  const expiryMonths = (2000 + Number(match[2])) * 12 + Number(match[1]) - 1;
  const currentMonths = now.getUTCFullYear() * 12 + now.getUTCMonth();
  return expiryMonths < currentMonths;
}

/** The first problem with the payment details, checked field by field in a fixed order. */
export function checkPaymentDetails(details: PaymentDetails, now: Date): CardCheck {
  if (details.name.trim() === "") {
    return { ok: false, cause: "The name on the card is blank." };
  }
  if (!isCardType(details.cardType)) {
    return { ok: false, cause: `The card type must be one of ${CARD_TYPES.join(", ")}.` };
  }
  const digits = cardDigits(details.cardNumber);
  if (digits === undefined) {
    return { ok: false, cause: "The card number must have 12 to 19 digits (spaces and dashes allowed)." };
  }
  if (!passesLuhn(digits)) {
    return { ok: false, cause: "The card number fails the Luhn check." };
  }
  if (cardTypeOfNumber(digits) !== details.cardType) {
    return { ok: false, cause: `The card number is not a ${details.cardType} number.` };
  }
  const lengths = CARD_LENGTHS[details.cardType];
  if (!lengths.includes(digits.length)) {
    return {
      ok: false,
      cause: `The card number has ${digits.length} digits, but ${/^[AEIOU]/.test(details.cardType) ? "an" : "a"} ${details.cardType} number has ${lengthsInWords(lengths)}.`,
    };
  }
  const expired = isExpired(details.expiration, now);
  if (expired === undefined) {
    return { ok: false, cause: "The card expiration must have the form MM/YY." };
  }
  if (expired) {
    return { ok: false, cause: "The card has expired." };
  }
  return { ok: true };
}

/** The payment method as the record shows it: the card type and the last four digits only. */
export function maskPaymentMethod(cardType: CardType, cardNumber: string): string {
  const digits = cardNumber.replace(/\D/g, "");
  return `${cardType} ****${digits.slice(-4)}`;
}

/**
 * The masked payment method of any order's payment details, when they name a known card type and a
 * well-formed number (whether or not that number passes the checks above); otherwise undefined.
 */
export function paymentMethodOf(paymentDetails: unknown): string | undefined {
  if (typeof paymentDetails !== "object" || paymentDetails === null) {
    return undefined;
  }
  const { cardType, cardNumber } = paymentDetails as Record<string, unknown>;
  if (!isCardType(cardType) || typeof cardNumber !== "string" || cardDigits(cardNumber) === undefined) {
    return undefined;
  }
  return maskPaymentMethod(cardType, cardNumber);
}
