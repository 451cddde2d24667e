/**
 * Intrinsic functions keep backslashes (engine/patches.ts): aws-local-stepfunctions 3.0.0 deleted
 * every backslash from every intrinsic's string result. On AWS, only a string literal's escapes
 * (\' \{ \} \\) are read as escapes; values from the input pass through byte for byte.
 */
import * as assert from "assert";
import * as fs from "fs";
import { LocalWorkflow } from "../../engine/engine";
import { PATCHES } from "../../engine/patches";
import { patchSource } from "../../engine/runtime";
import { Harness, NO_SIMULATED_FAILURES, notices } from "../support/engineHarness";
import { runDefinition } from "../support/libraryRun";
import { orderWith } from "../support/sampleOrder";

const QUOTED = 'a\\"b';

const pass = (parameters: object) => ({
  StartAt: "P",
  States: { P: { Type: "Pass", Parameters: parameters, End: true } },
});

describe("intrinsic functions keep backslashes", function () {
  it("States.Format, States.JsonToString, States.ArrayGetItem and States.StringSplit return input values byte for byte", async function () {
    const { output } = await runDefinition(
      pass({
        "format.$": "States.Format('cause: {}', $.v)",
        "json.$": "States.JsonToString($.v)",
        "item.$": "States.ArrayGetItem(States.Array($.v), 0)",
        "split.$": "States.StringSplit($.v, ',')",
        "nested.$": "States.Format('{}!', States.JsonToString($.o))",
      }),
      { v: QUOTED, o: { cause: QUOTED } },
    );
    assert.deepStrictEqual(output, {
      format: `cause: ${QUOTED}`,
      json: JSON.stringify(QUOTED),
      item: QUOTED,
      split: [QUOTED],
      nested: `${JSON.stringify({ cause: QUOTED })}!`,
    });
  });

  it("reads a literal's escapes as AWS does: \\' \\{ \\} \\\\ are characters, and an escaped {} is no placeholder (a literal cannot end with \\\\: the library's tokenizer reads it as \\')", async function () {
    const { output } = await runDefinition(
      pass({ "s.$": String.raw`States.Format('it\'s \{\} {} \\ {}', $.v, $.v)` }),
      { v: 1 },
    );
    assert.deepStrictEqual(output, { s: "it's {} 1 \\ 1" });
  });

  it("fails loudly when the library's text changes", function () {
    const file = require.resolve("aws-local-stepfunctions");
    const source = fs.readFileSync(file, "utf8");
    assert.doesNotThrow(() => patchSource(source, file));
    for (const patch of PATCHES) {
      assert.throws(() => patchSource(source.replace(patch.from, ""), file), /no longer contains, exactly once/);
    }
  });

  describe("in the workflow", function () {
    let harness: Harness;
    let engine: LocalWorkflow;
    before(async function () {
      harness = await Harness.start(`CustomerOrders-intrinsics-${process.pid}`);
      engine = await harness.engine({ rates: { ...NO_SIMULATED_FAILURES, stock: 1 } });
    });
    after(async () => harness.close());

    it("a notification's message quotes a cause containing a\\\"b byte for byte", async function () {
      const order = orderWith((o) => {
        o.orderId = "quoted-cause";
        for (const item of o.orderContents.items) item.itemDescription = QUOTED;
      });
      const report = await engine.run(order);
      assert.ok(report.cause?.includes(`(${QUOTED})`), String(report.cause));
      const [notice] = notices(report);
      assert.ok(notice.message.includes(`(${QUOTED}) is out of stock`), notice.message);
    });
  });
});
