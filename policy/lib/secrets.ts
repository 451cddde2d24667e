/**
 * What a credential looks like in an environment variable: by the variable's name, by the shape of
 * well-known keys and tokens, by a password inside a connection string, or by the randomness of a
 * long token. A reference to a secret held elsewhere (an ARN, a parameter name) is not a secret.
 */

/** Words that mark a variable as a credential when they appear in its name. */
const SECRET_WORDS =
  /(^|_)(SECRET|PASSWORD|PASSWD|PWD|PASSPHRASE|TOKEN|CREDENTIALS?|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|AUTH_?KEY|CLIENT_?SECRET)(_|$)/;
/** Names that point at a secret held elsewhere rather than containing it. */
const REFERENCE_SUFFIX = /_(ARN|NAME|ID|PARAMETER|PARAM|PATH|URL)$/;
/** Values shaped like well-known credentials, whatever the variable is called. */
const SECRET_VALUES: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  { kind: "an AWS access key ID", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { kind: "a GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { kind: "a Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { kind: "a Stripe key", pattern: /\b(sk|rk)_(live|test)_[A-Za-z0-9]{10,}/ },
  { kind: "a JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  // scheme://user:password@host, e.g. postgres://app:s3cret@db:5432/orders or redis://:s3cret@cache
  { kind: "a connection string with a password", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:[^\s/@]+@[^\s]+/i },
  // Password=...; in ADO.NET / JDBC style connection strings
  { kind: "a connection string with a password", pattern: /(^|;)\s*(password|pwd)\s*=\s*[^;\s]+/i },
];

/** Shortest value judged by its randomness, and the bits per character that mark it random. */
const TOKEN_MIN_LENGTH = 20;
const TOKEN_MIN_ENTROPY = 4.0;
const HEX_MIN_LENGTH = 32;
const HEX_MIN_ENTROPY = 3.5;

/** Shannon entropy of a string, in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) {
    counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A long, random-looking token: base64/base62 text with upper and lower case letters and digits
 * and high entropy, or a long hex string. Names, ARNs, URLs and sentences are not tokens.
 */
export function looksLikeToken(value: string): boolean {
  if (/^[0-9a-f]+$/i.test(value)) {
    return value.length >= HEX_MIN_LENGTH && entropy(value) >= HEX_MIN_ENTROPY;
  }
  return (
    value.length >= TOKEN_MIN_LENGTH &&
    /^[A-Za-z0-9+/=_-]+$/.test(value) &&
    /[a-z]/.test(value) &&
    /[A-Z]/.test(value) &&
    /[0-9]/.test(value) &&
    entropy(value) >= TOKEN_MIN_ENTROPY
  );
}

/** camelCase and kebab-case to SCREAMING_SNAKE, so `apiKey` and `API_KEY` read alike. */
export function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
}

/** Why a variable looks like it holds a secret, or undefined. Never includes the value. */
export function secretFinding(name: string, value: string): string | undefined {
  const key = snake(name);
  const isReference = value.startsWith("arn:") && !/\s/.test(value);
  if (isReference) {
    return undefined;
  }
  const shaped = SECRET_VALUES.find((s) => s.pattern.test(value));
  if (shaped) {
    return `holds what looks like ${shaped.kind}`;
  }
  if (looksLikeToken(value)) {
    return `holds a long random-looking value (${entropy(value).toFixed(1)} bits per character), like a token`;
  }
  if (SECRET_WORDS.test(key) && !REFERENCE_SUFFIX.test(key)) {
    return "is named like a secret";
  }
  return undefined;
}
