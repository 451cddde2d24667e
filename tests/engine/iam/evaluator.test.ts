/** IAM decisions as AWS makes them within one account, by iam-simulate, and which policy a denial names. */
import * as assert from "assert";
import { AccessEvaluator, decisionKey, sessionArn, type PolicyJson } from "../../../engine/iam/evaluator";

const ROLE = "arn:aws:iam::123456789012:role/publisher";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:topic";
const KEY = "arn:aws:kms:us-east-1:123456789012:key/k";
const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
const allow = (action: string, resource: string): PolicyJson => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: action, Resource: resource }],
});

function evaluator(identity: PolicyJson[], resources: Record<string, PolicyJson> = {}): AccessEvaluator {
  return new AccessEvaluator({
    identityPolicies: (arn) => (arn === ROLE ? identity.map((policy, i) => ({ name: `p${i}`, policy })) : undefined),
    resourcePolicy: (arn) => resources[arn],
  });
}

const request = (action: string, resource: string, context?: Record<string, string>) => ({
  roleArn: ROLE,
  session: "s",
  action,
  resource,
  ...(context ? { context } : {}),
});

describe("AccessEvaluator", function () {
  it("names the session as AWS does", function () {
    assert.strictEqual(sessionArn(ROLE, "fn"), "arn:aws:sts::123456789012:assumed-role/publisher/fn");
  });

  it("allows what an identity policy allows, and denies anything else because no identity-based policy allows it", async function () {
    const e = evaluator([allow("sns:Publish", TOPIC)]);
    assert.deepStrictEqual(await e.decide(request("sns:Publish", TOPIC)), { allowed: true });
    assert.deepStrictEqual(await e.decide(request("sns:Subscribe", TOPIC)), {
      allowed: false,
      reason: "no identity-based policy allows",
    });
  });

  it("an explicit deny in the resource's policy wins, and is named", async function () {
    const deny: PolicyJson = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: TOPIC }],
    };
    const e = evaluator([allow("sns:Publish", TOPIC)], { [TOPIC]: deny });
    assert.deepStrictEqual(await e.decide(request("sns:Publish", TOPIC)), {
      allowed: false,
      reason: "an explicit deny in a resource-based policy",
    });
  });

  it("a KMS key needs its key policy: an IAM grant alone is denied without the account's statement", async function () {
    const keyPolicy: PolicyJson = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/other" }, Action: "kms:*", Resource: "*" },
      ],
    };
    const e = evaluator([allow("kms:Decrypt", KEY)], { [KEY]: keyPolicy });
    assert.deepStrictEqual(await e.decide(request("kms:Decrypt", KEY)), {
      allowed: false,
      reason: "no resource-based policy allows",
    });
  });

  it("conditions on kms:EncryptionContext:<key> are evaluated (iam-simulate alone ignores such keys)", async function () {
    const keyPolicy: PolicyJson = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: ROLE },
          Action: "kms:GenerateDataKey",
          Resource: "*",
          Condition: { StringEquals: { "kms:EncryptionContext:aws:states:stateMachineArn": MACHINE } },
        },
      ],
    };
    const e = evaluator([], { [KEY]: keyPolicy });
    const context = (arn: string) => ({ "kms:EncryptionContext:aws:states:stateMachineArn": arn });
    assert.deepStrictEqual(await e.decide(request("kms:GenerateDataKey", KEY, context(MACHINE))), { allowed: true });
    assert.strictEqual((await e.decide(request("kms:GenerateDataKey", KEY, context(`${MACHINE}x`)))).allowed, false);
    assert.strictEqual((await e.decide(request("kms:GenerateDataKey", KEY))).allowed, false);
  });

  it("decides each distinct request once", async function () {
    const e = evaluator([allow("sns:Publish", TOPIC)]);
    for (let i = 0; i < 5; i++) await e.decide(request("sns:Publish", TOPIC));
    await e.decide(request("sns:Publish", `${TOPIC}2`));
    assert.strictEqual(e.simulations, 2);
  });

  it("keys a decision by role, action, resource and context: a resource holding a newline cannot pass for another request", function () {
    const keys = [
      decisionKey(request("sns:Publish", TOPIC)),
      decisionKey(request("sns:Publish", TOPIC, { a: "b" })),
      decisionKey(request("sns:Publish", `${TOPIC}\n{}`)),
      decisionKey(request("sns:Publish", `${TOPIC}\n{"a":"b"}`)),
    ];
    assert.strictEqual(new Set(keys).size, keys.length);
    assert.strictEqual(decisionKey(request("sns:Publish", TOPIC, {})), keys[0]);
  });

  it("refuses a role the stack does not declare", async function () {
    await assert.rejects(
      evaluator([]).decide({ ...request("sns:Publish", TOPIC), roleArn: `${ROLE}x` }),
      /not a role of the stack/,
    );
  });
});
