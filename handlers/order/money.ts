/**
 * Money in minor units (cents). Orders state prices in major units as JSON numbers (1000, 0.1, 22.5);
 * comparing those as floats makes 0.1 + 0.2 differ from 0.3, so every amount is converted once, exactly,
 * to an integer number of cents and all arithmetic happens on those integers.
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

/** Cents as the shortest decimal in major units, for DynamoDB numbers: 225000 → "2250", 10 → "0.1". */
export function minorToDecimal(minor: number): string {
  return formatMinor(minor).replace(/\.?0+$/, "");
}

/** Cents back to a number in major units (exact to the cent for any safe amount). */
export function minorToMajor(minor: number): number {
  return Number(minorToDecimal(minor));
}
