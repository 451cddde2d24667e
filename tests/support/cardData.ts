/** Finding card data where it must not be: what an input's secrets are, and where one leaked. */

/**
 * What must never leave the payment step: the card number (as written and as bare digits), the
 * expiry and the name on the card, wherever the input put them. The card type is not secret (the
 * masked payment method shows it), nor are the last four digits.
 */
export function cardSecrets(input: unknown): string[] {
  const secrets = new Set<string>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(collect);
    } else if (typeof value === "object" && value !== null) {
      const details = value as Record<string, unknown>;
      ["cardNumber", "expiration", "name"].forEach((field) => collect(details[field]));
    } else if (typeof value === "string" || typeof value === "number") {
      const text = String(value).trim();
      if (text.length >= 5) secrets.add(text);
      const digits = text.replace(/\D/g, "");
      if (digits.length >= 12) secrets.add(digits);
    }
  };
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    collect((input as Record<string, unknown>).paymentDetails);
  } else if (Array.isArray(input)) {
    input.forEach((element) => {
      if (typeof element === "object" && element !== null) collect((element as Record<string, unknown>).paymentDetails);
    });
  }
  return [...secrets];
}

/** The first secret found in any of `places`, with where; undefined when none leaks. */
export function leakedSecret(secrets: readonly string[], places: Record<string, unknown>): string | undefined {
  for (const [where, value] of Object.entries(places)) {
    const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
    const found = secrets.find((secret) => text.includes(secret));
    if (found !== undefined) return `${JSON.stringify(found)} in ${where}`;
  }
  return undefined;
}
