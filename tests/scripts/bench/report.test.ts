/** The bench's table for people (scripts/bench/report.ts). */
import { strict as assert } from "assert";
import { table } from "../../../scripts/bench/report";

describe("the bench's table", function () {
  it("pads the first column to the left and the others to the right, under a rule", function () {
    const text = table(
      ["function", "zipped B"],
      [
        ["chargePayment", 4123],
        ["verify", 6385],
      ],
    );
    assert.equal(
      text,
      ["function       zipped B", "-------------  --------", "chargePayment      4123", "verify             6385"].join(
        "\n",
      ),
    );
  });

  it("widens a column to its widest cell, header or value", function () {
    const [header, rule, row] = table(["a", "b"], [["long name", "12345678"]]).split("\n");
    assert.equal(header, "a                 b");
    assert.equal(rule, "---------  --------");
    assert.equal(row, "long name  12345678");
  });
});
