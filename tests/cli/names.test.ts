/**
 * Execution names as Step Functions takes them with CloudWatch logging on: only 0-9, A-Z, a-z, - and
 * _, 1 to 80 characters (StartExecution's `name`, AWS API reference). Generated names conform; a
 * client's name is refused for what AWS refuses, or repaired.
 */
import * as assert from "assert";
import {
  LOGGABLE_NAME,
  checkExecutionName,
  executionNameProblem,
  orderExecutionName,
  repairExecutionName,
  seededExecutionName,
} from "../../cli/names";

describe("execution names", () => {
  it("generates only names of 0-9A-Za-z-_, at most 80, whatever the orderId", () => {
    const ids = ["order.1", "a b/c:d", "é🛒", "x".repeat(200), "ok-id_1", "a.b.c.d", "-", "\u0000"];
    for (const orderId of ids) {
      const name = orderExecutionName({ orderId, customerId: "c" });
      assert.match(name, LOGGABLE_NAME, `${JSON.stringify(orderId)} → ${name}`);
      assert.strictEqual(executionNameProblem(name), undefined);
    }
    assert.match(orderExecutionName({ customerId: "no id" }), LOGGABLE_NAME);
    assert.match(seededExecutionName("seed-1", 7), LOGGABLE_NAME);
  });

  it("keeps telling the same order and another order under the same id apart", () => {
    assert.strictEqual(
      orderExecutionName({ orderId: "o.1", b: 1, a: 2 }),
      orderExecutionName({ a: 2, orderId: "o.1", b: 1 }),
    );
    assert.notStrictEqual(orderExecutionName({ orderId: "o.1", a: 1 }), orderExecutionName({ orderId: "o.1", a: 2 }));
    // However deep the order (a recursive canonical JSON runs out of stack at about 5,000 levels).
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    assert.match(orderExecutionName({ orderId: "deep", deep }), LOGGABLE_NAME);
  });

  it("refuses what StartExecution refuses, and what CloudWatch logging cannot take", () => {
    for (const name of ["", "x".repeat(81), "a b", "a/b", "a:b", "a{b}", "a*b", "a\u0007b", "a#b"]) {
      assert.ok(executionNameProblem(name) !== undefined, JSON.stringify(name));
      assert.throws(() => checkExecutionName(name), { name: "InvalidName" });
    }
    assert.match(String(executionNameProblem("a.b")), /only 0-9, A-Z, a-z, - and _/);
    assert.strictEqual(checkExecutionName("order-1_A"), "order-1_A");
  });

  it("repairs a name: every other character becomes -, at most 80", () => {
    assert.strictEqual(repairExecutionName("order.1 é"), "order-1--");
    assert.strictEqual(repairExecutionName("x".repeat(100)).length, 80);
    assert.match(repairExecutionName(""), LOGGABLE_NAME);
  });
});
