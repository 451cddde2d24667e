/**
 * What went wrong talking to AWS, in one line that says what to do: no credentials, expired or
 * refused ones, no region, no network, or an answer AWS gave. The SDK attaches `$metadata` to
 * network failures too, so those are told apart first: they never reached AWS, and are not said to
 * be its answer.
 */

/** The parts of an AWS SDK v3 error this reads. */
interface SdkErrorLike {
  readonly name: string;
  readonly message: string;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly cause?: unknown;
}

const SIGN_IN =
  "sign in with `aws sso login` (and set AWS_PROFILE to the profile to use), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";

/** Error codes of a request that never reached AWS. */
const NETWORK_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_CONNECT_TIMEOUT",
]);

const EXPIRED = new Set(["ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired", "RequestExpired"]);
const REFUSED = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
]);

function asSdkError(error: unknown): SdkErrorLike | undefined {
  return error instanceof Error ? error : undefined;
}

/** The network error code of an error or of its cause, if it is one. */
function networkCode(error: SdkErrorLike): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = (e as SdkErrorLike).cause, depth++) {
    const code = (e as SdkErrorLike).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
    if (e.name === "TimeoutError") return "a timeout";
  }
  return undefined;
}

/** Where the request went, when a network error says (`getaddrinfo ENOTFOUND states.us-east-1.amazonaws.com`). */
function host(error: SdkErrorLike): string {
  const match = /(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED)\s+(\S+)/.exec(error.message);
  return match === null ? "AWS" : match[1];
}

/**
 * The line to print for an error talking to AWS, or undefined when it is not one (a bug: the
 * caller lets it through). `region` is the one the command used, for the messages that need it.
 */
export function describeAwsProblem(error: unknown, region: string | undefined): string | undefined {
  const e = asSdkError(error);
  if (e === undefined) return undefined;
  if (e.name === "CredentialsProviderError" || /could not load credentials/i.test(e.message)) {
    return `no AWS credentials found: ${SIGN_IN}`;
  }
  if (/sso session .*(expired|invalid)|token .*(expired|refresh)/i.test(e.message) || EXPIRED.has(e.name)) {
    return `the AWS credentials have expired: run \`aws sso login\` again (for the profile in AWS_PROFILE), or renew the keys in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  }
  if (/region is missing/i.test(e.message)) {
    return "no AWS region: set AWS_REGION, or a region in the profile AWS_PROFILE names (`aws configure set region REGION`)";
  }
  const code = networkCode(e);
  if (code !== undefined) {
    return `could not reach ${host(e)} (${code}): check the network connection (and a proxy, if one is needed)${region === undefined ? "" : ` and that ${region} is the right region`}`;
  }
  // A service's answer carries the response's $metadata; a request that never left has none worth the name (above).
  if (e.$metadata === undefined) return undefined;
  if (REFUSED.has(e.name)) {
    return `AWS refused the credentials (${e.name}): check AWS_PROFILE and run \`aws sso login\`, or check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  }
  if (/AccessDenied/.test(e.name)) {
    return `AWS answered ${e.name}: ${e.message.split("\n")[0]} (the credentials in use lack this permission: check AWS_PROFILE)`;
  }
  return `AWS answered ${e.name}: ${e.message.split("\n")[0]}`;
}
