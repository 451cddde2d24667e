/**
 * `npm run order` when AWS cannot be used: one line saying what is wrong and what to do, never a
 * stack trace (unless --debug), and never "AWS answered" for a request that did not reach AWS.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describeAwsProblem } from "../../cli/awsProblems";
import { runScript } from "../support/commands";

const CLI = "cli/order.ts";
const ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:orders";
const STACK_FRAME = /^\s+at /m;

/** No AWS credentials anywhere: no variables, a home without ~/.aws, no instance metadata to ask. */
function noCredentials(home: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { HOME: home, AWS_EC2_METADATA_DISABLED: "true" };
  for (const key of Object.keys(process.env))
    if (key.startsWith("AWS_") && key !== "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED") env[key] = undefined;
  return { ...env, AWS_EC2_METADATA_DISABLED: "true" };
}

describe("npm run order when AWS cannot be used", function () {
  this.timeout(60_000);
  let home: string;
  before(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "order-home-"));
  });
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  it("without credentials: one line, aws sso login and AWS_PROFILE, exit status 1, no stack trace", async () => {
    const result = await runScript(CLI, ["--state-machine-arn", ARN], "", noCredentials(home));
    assert.strictEqual(result.status, 1);
    assert.strictEqual(result.stdout, "");
    assert.strictEqual(
      result.stderr,
      "error: no AWS credentials found: sign in with `aws sso login` (and set AWS_PROFILE to the profile to use), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n",
    );
  });

  it("with --debug, the same line and then the stack trace", async () => {
    const result = await runScript(CLI, ["--debug", "--state-machine-arn", ARN], "", noCredentials(home));
    assert.strictEqual(result.status, 1);
    assert.match(result.stderr, /^error: no AWS credentials found/);
    assert.match(result.stderr, STACK_FRAME);
  });

  it("when AWS cannot be reached: says so, names the host and the region, and not that AWS answered", async () => {
    // Credentials that look right, and an endpoint nothing listens on.
    const env = {
      ...noCredentials(home),
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_ENDPOINT_URL_SFN: "http://127.0.0.1:1",
    };
    const result = await runScript(CLI, ["--state-machine-arn", ARN], "", env);
    assert.strictEqual(result.status, 1);
    assert.strictEqual(
      result.stderr,
      "error: could not reach 127.0.0.1:1 (ECONNREFUSED): check the network connection (and a proxy, if one is needed) and that us-east-1 is the right region\n",
    );
  });
});

describe("what is wrong with AWS, in a line (cli/awsProblems.ts)", function () {
  const error = (name: string, message: string, extra: Record<string, unknown> = {}): Error =>
    Object.assign(new Error(message), { name }, extra);

  it("names each problem and what to do", function () {
    const cases: Array<[Error, RegExp]> = [
      [
        error("CredentialsProviderError", "Could not load credentials from any providers"),
        /^no AWS credentials found: sign in with `aws sso login`/,
      ],
      [
        error("ExpiredTokenException", "The security token included in the request is expired", {
          $metadata: { httpStatusCode: 400 },
        }),
        /^the AWS credentials have expired: run `aws sso login` again/,
      ],
      [error("Error", "Region is missing"), /^no AWS region: set AWS_REGION/],
      [
        error("Error", "getaddrinfo ENOTFOUND states.eu-west-1.amazonaws.com", { code: "ENOTFOUND", $metadata: {} }),
        /^could not reach states\.eu-west-1\.amazonaws\.com \(ENOTFOUND\): check the network connection .* eu-west-1 is the right region$/,
      ],
      [
        error("UnrecognizedClientException", "The security token included in the request is invalid.", {
          $metadata: { httpStatusCode: 400 },
        }),
        /^AWS refused the credentials \(UnrecognizedClientException\): check AWS_PROFILE/,
      ],
      [
        error("AccessDeniedException", "User is not authorized", { $metadata: { httpStatusCode: 400 } }),
        /^AWS answered AccessDeniedException: User is not authorized \(the credentials in use lack this permission/,
      ],
      [
        error("StateMachineDoesNotExist", "State Machine Does Not Exist", { $metadata: { httpStatusCode: 400 } }),
        /^AWS answered StateMachineDoesNotExist: State Machine Does Not Exist$/,
      ],
    ];
    for (const [e, line] of cases) assert.match(describeAwsProblem(e, "eu-west-1") ?? "(none)", line, e.message);
  });

  it("a network error wrapped as another's cause is still a network error", function () {
    const wrapped = error("Error", "socket hang up", {
      cause: error("Error", "connect ETIMEDOUT 1.2.3.4:443", { code: "ETIMEDOUT" }),
    });
    assert.match(
      describeAwsProblem(wrapped, undefined) ?? "",
      /^could not reach AWS \(ETIMEDOUT\): check the network connection \(and a proxy, if one is needed\)$/,
    );
  });

  it("lets anything else through: a bug is not an AWS problem", function () {
    assert.strictEqual(describeAwsProblem(new TypeError("x is undefined"), "us-east-1"), undefined);
    assert.strictEqual(describeAwsProblem("not an error", "us-east-1"), undefined);
  });
});
