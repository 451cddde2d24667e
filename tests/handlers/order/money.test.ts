/** Money: major units to cents, and cents to text and back. */
import { strict as assert } from "node:assert";
import { formatMinor, MAX_MINOR, minorToDecimal, minorToMajor, toMinorUnits } from "../../../handlers/order/money";

const minor = (value: number): number => {
  const converted = toMinorUnits(value);
  assert.ok(converted.ok, `expected ${value} to convert`);
  return converted.minor;
};
const problem = (value: unknown): string => {
  const converted = toMinorUnits(value);
  assert.ok(!converted.ok, "expected the value to be refused");
  return converted.problem;
};

describe("money: major units to cents", () => {
  it("converts whole, one-decimal and two-decimal amounts exactly", () => {
    assert.equal(minor(1000), 100000);
    assert.equal(minor(22.5), 2250);
    assert.equal(minor(0.1), 10);
    assert.equal(minor(0.29), 29); // 0.29 * 100 is 28.999999999999996
    assert.equal(minor(1.15), 115); // 1.15 * 100 is 114.99999999999999
    assert.equal(minor(0.01), 1);
    assert.equal(minor(0), 0);
    assert.equal(minor(-0.5), -50);
  });

  it("makes 0.1 + 0.2 equal 0.3, which floats do not", () => {
    assert.notEqual(0.1 + 0.2, 0.3);
    assert.equal(minor(0.1) + minor(0.2), minor(0.3));
  });

  it("tells amounts a cent apart", () => {
    assert.equal(minor(2250.01) - minor(2250), 1);
    assert.notEqual(minor(0.3), minor(0.31));
  });

  it("refuses more than two decimal places", () => {
    assert.equal(problem(1.005), "too-many-decimals");
    assert.equal(problem(0.001), "too-many-decimals");
    assert.equal(problem(1e-7), "too-many-decimals");
    assert.equal(problem(0.1 + 0.2), "too-many-decimals");
  });

  it("refuses what is not a finite number", () => {
    for (const value of [NaN, Infinity, -Infinity, "10", "0.1", null, undefined, true, {}, [], 10n]) {
      assert.equal(problem(value), "not-a-number", typeof value);
    }
  });

  it("refuses amounts whose cents a JSON number cannot hold exactly", () => {
    assert.equal(minor(9999999999999.99), MAX_MINOR);
    assert.equal(minor(9999999999999.98), MAX_MINOR - 1);
    assert.equal(problem(10000000000000), "too-large");
    // A JSON literal this large reads back a cent off, so it must not be taken as an amount.
    assert.equal(String(90071992547409.91), "90071992547409.9");
    assert.equal(problem(90071992547409.91), "too-large");
    assert.equal(problem(1e15), "too-large");
    assert.equal(problem(1e21), "too-large");
    assert.equal(problem(Number.MAX_VALUE), "too-large");
    assert.equal(problem(-1e21), "too-large");
  });
});

describe("money: cents to text and back", () => {
  it("formats with two decimals for people", () => {
    assert.equal(formatMinor(225000), "2250.00");
    assert.equal(formatMinor(10), "0.10");
    assert.equal(formatMinor(5), "0.05");
    assert.equal(formatMinor(0), "0.00");
    assert.equal(formatMinor(-150), "-1.50");
    assert.equal(formatMinor(MAX_MINOR), "9999999999999.99");
  });

  it("writes the shortest decimal for DynamoDB numbers", () => {
    assert.equal(minorToDecimal(225000), "2250");
    assert.equal(minorToDecimal(220000), "2200");
    assert.equal(minorToDecimal(2250), "22.5");
    assert.equal(minorToDecimal(10), "0.1");
    assert.equal(minorToDecimal(1), "0.01");
    assert.equal(minorToDecimal(0), "0");
  });

  it("converts back to the same major amount", () => {
    for (const value of [1000, 22.5, 0.1, 0.29, 1.15, 9999999999999.99]) {
      assert.equal(minorToMajor(minor(value)), value);
    }
  });
});
