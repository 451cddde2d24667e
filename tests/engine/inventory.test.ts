/** The local inventory table as a stock file's object (engine/inventory.ts): what a stock file may hold. */
import * as assert from "assert";
import { stockProblem } from "../../engine/inventory";

describe("a stock file's contents", function () {
  it("is an object of item ids to whole units, none negative", function () {
    assert.strictEqual(stockProblem({ "item-a": 0, "item-b": 12 }), undefined);
    assert.strictEqual(stockProblem({}), undefined);
  });

  it("says what is wrong with anything else", function () {
    assert.match(String(stockProblem([1])), /must be a JSON object of item id to units/);
    assert.match(String(stockProblem(null)), /must be a JSON object/);
    assert.match(String(stockProblem({ "": 1 })), /an item id of the inventory is empty/);
    assert.match(String(stockProblem({ a: 1.5 })), /the units of "a" must be a whole number of 0 or more \(got 1.5\)/);
    assert.match(String(stockProblem({ a: "3" })), /the units of "a" must be a whole number/);
  });
});
