/**
 * Chaos decisions (handlers/ports/chaos.ts): a pure function of the spec and the call, targeted
 * faults, both kinds at about the rate asked, and the gateway at its edge (a lost charge is made,
 * a failed one is not). Only the local engine's CHAOS_ENV turns it on.
 */
import * as assert from "assert";
import {
  CHAOS_ENV,
  ChaosLogLine,
  Occurrences,
  chaosFault,
  chaosGateway,
  readChaos,
} from "../../../handlers/ports/chaos";
import { GATEWAY_UNAVAILABLE_ERROR } from "../../../handlers/contract";
import { ScriptedGateway } from "../../support/fakePorts";

const ORDER = { idempotencyKey: "o-1", amountMinor: 100, paymentToken: "tok", customerId: "c" };

describe("chaos decisions", () => {
  it("are the same for the same seed and call, and differ across seeds", () => {
    const calls = Array.from({ length: 200 }, (_, i) => ({ edge: "task:ChargePayment", key: `e-${i}`, n: 1 }));
    const run = (seed: string) => calls.map((c) => chaosFault({ probability: 0.3, seed }, c) ?? "-").join("");
    assert.strictEqual(run("7"), run("7"));
    assert.notStrictEqual(run("7"), run("8"));
  });

  it("fail about P of the calls, both before the effect and with the answer lost", () => {
    const faults = Array.from({ length: 4000 }, (_, n) =>
      chaosFault({ probability: 0.1, seed: "1" }, { edge: "e", key: "k", n }),
    );
    const before = faults.filter((f) => f === "before").length;
    const lost = faults.filter((f) => f === "lost").length;
    assert.ok(before + lost > 320 && before + lost < 480, `${before + lost} of 4000 failed`);
    assert.ok(before > 120 && lost > 120, `before ${before}, lost ${lost}`);
  });

  it("never fail at P = 0 and always at P = 1", () => {
    const call = { edge: "gateway:charge", key: "o", n: 1 };
    assert.strictEqual(chaosFault({ probability: 0 }, call), undefined);
    assert.notStrictEqual(chaosFault({ probability: 1 }, call), undefined);
  });

  it("fail exactly the targeted call: its edge, key and occurrence", () => {
    const spec = { targeted: [{ edge: "dynamodb:PutItem", key: "o-1", n: 2, kind: "lost" as const }] };
    assert.strictEqual(chaosFault(spec, { edge: "dynamodb:PutItem", key: "o-1", n: 2 }), "lost");
    assert.strictEqual(chaosFault(spec, { edge: "dynamodb:PutItem", key: "o-1", n: 1 }), undefined);
    assert.strictEqual(chaosFault(spec, { edge: "dynamodb:PutItem", key: "o-2", n: 2 }), undefined);
    assert.strictEqual(chaosFault(spec, { edge: "dynamodb:GetItem", key: "o-1", n: 2 }), undefined);
  });

  it("count occurrences per edge and key", () => {
    const counts = new Occurrences();
    const ns = [counts.next("a", "x"), counts.next("a", "x"), counts.next("a", "y"), counts.next("b", "x")].map(
      (c) => c.n,
    );
    assert.deepStrictEqual(ns, [1, 2, 1, 1]);
  });

  it("are off unless the environment carries a spec, and refuse a probability outside [0, 1]", () => {
    assert.strictEqual(readChaos({}), undefined);
    assert.deepStrictEqual(readChaos({ [CHAOS_ENV]: '{"probability":0.1,"seed":"3"}' }), {
      probability: 0.1,
      seed: "3",
    });
    assert.throws(() => readChaos({ [CHAOS_ENV]: '{"probability":2}' }), /probability must be in \[0, 1\]/);
  });
});

describe("the payment gateway under chaos", () => {
  const gatewayWith = (kind: "before" | "lost") => {
    const inner = new ScriptedGateway();
    const lines: ChaosLogLine[] = [];
    const spec = { targeted: [{ edge: "gateway:charge", n: 1, kind }] };
    return { inner, lines, gateway: chaosGateway(inner, spec, (line) => lines.push(line)) };
  };

  it("a fault before the effect: the provider is never asked, the caller sees PaymentGatewayUnavailable", async () => {
    const { inner, gateway, lines } = gatewayWith("before");
    await assert.rejects(gateway.charge(ORDER), { name: GATEWAY_UNAVAILABLE_ERROR });
    assert.strictEqual(inner.charges.length, 0);
    assert.deepStrictEqual(lines, [{ chaos: true, edge: "gateway:charge", key: "o-1", n: 1, fault: "before" }]);
  });

  it("an answer lost: the charge is made, the caller sees PaymentGatewayUnavailable, the retry goes through", async () => {
    const { inner, gateway } = gatewayWith("lost");
    await assert.rejects(gateway.charge(ORDER), { name: GATEWAY_UNAVAILABLE_ERROR });
    assert.strictEqual(inner.charges.length, 1);
    assert.deepStrictEqual(await gateway.charge(ORDER), { approved: true, chargeId: "ch_test" });
  });
});
