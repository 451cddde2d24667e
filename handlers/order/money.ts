/**
 * Money in minor units (cents). Orders state prices in major units as JSON numbers (1000, 0.1, 22.5);
 * comparing those as floats makes 0.1 + 0.2 differ from 0.3, so every amount is converted once, exactly,
 * to an integer number of cents and all arithmetic happens on those integers.
 *
 * How money reads, everywhere people see it (causes, notifications, the CLI): a plain number with two
 * decimal places, no currency (an order names none) and no thousands separator: 2250.00, 0.10.
 * `formatMinor` writes it; `formatAmount` writes an amount as an order gave it the same way.
 */

/**
 * The largest amount in cents: 9 999 999 999 999.99. A decimal of at most 15 significant digits survives
 * the trip through a double, so up to here the cents read back are exactly those the JSON held; beyond
 * it (well before Number.MAX_SAFE_INTEGER cents) neighbouring cents become the same number.
 */
export const MAX_MINOR = 999_999_999_999_999;

/** Why a value is not an amount of money. */
export type MoneyProblem = "not-a-number" | "too-many-decimals" | "too-large";

export type MinorUnits =
  { readonly ok: true; readonly minor: number } | { readonly ok: false; readonly problem: MoneyProblem };

/**
 * Converts an amount in major units to cents, exactly.
 *
 * The amount is read through its shortest decimal form (`String(value)`), which is the literal the JSON
 * held, so 0.29 is 29 cents (not 28.999… as `0.29 * 100` is) and 1.005 has three decimals. Negative
 * amounts convert too; whether one is allowed is the caller's rule.
 */
export function toMinorUnits(value: unknown): MinorUnits {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return { ok: false, problem: "not-a-number" };
  }
  const text = String(Math.abs(value));
  // Exponent forms appear only below 1e-6 (more than 2 decimals) and from 1e21 (beyond MAX_MINOR).
  if (text.includes("e")) {
    return { ok: false, problem: Math.abs(value) < 1 ? "too-many-decimals" : "too-large" };
  }
  const [whole, fraction = ""] = text.split(".");
  if (fraction.length > 2) {
    return { ok: false, problem: "too-many-decimals" };
  }
  // Exact while it is at most MAX_MINOR; beyond, rounding cannot bring it back to MAX_MINOR or below.
  const magnitude = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  if (magnitude > MAX_MINOR) {
    return { ok: false, problem: "too-large" };
  }
  return { ok: true, minor: value < 0 ? -magnitude : magnitude };
}

/** Cents as a plain decimal with two places, for people: 225000 → "2250.00", 10 → "0.10". */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? "-" : "";
  const magnitude = Math.abs(minor);
  const cents = String(magnitude % 100).padStart(2, "0");
  return `${sign}${Math.floor(magnitude / 100)}.${cents}`;
}

/**
 * An amount as an order gave it, in the one money format: 2250 and 2250.5 read 2250.00 and 2250.50; an
 * amount with more decimals keeps them all (1.005), and a huge one is written out without an exponent.
 * Anything that is not a number reads as `describe` says (the caller's words for other values).
 */
export function formatAmount(value: unknown, describe: (value: unknown) => string): string {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return describe(value);
  }
  const converted = toMinorUnits(value);
  if (converted.ok) {
    return formatMinor(converted.minor);
  }
  // Up to 20 decimals: a double's shortest form below 1e-6 has no more significant ones that matter here.
  const plain = value.toLocaleString("en-US", {
    useGrouping: false,
    minimumFractionDigits: 2,
    maximumFractionDigits: 20,
  });
  // 1e300 is 301 digits written out: its size says what is wrong with it.
  const digits = plain.replace(/^-/, "").split(".")[0].length;
  return digits > 24 ? `a number of ${digits} digits` : plain;
}

/** Cents as the shortest decimal in major units, for DynamoDB numbers: 225000 → "2250", 10 → "0.1". */
export function minorToDecimal(minor: number): string {
  return formatMinor(minor).replace(/\.?0+$/, "");
}

/** Cents back to a number in major units (exact to the cent for any safe amount). */
export function minorToMajor(minor: number): number {
  return Number(minorToDecimal(minor));
}
