/** Reading orders from a file or stdin: one order, an array, JSON lines, and errors that say where. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MAX_INPUT_BYTES } from "../../workflow/execution/inputLimit";
import { InputError, SAMPLE_ORDER, filesOrSample, locateJsonError, parseOrders, readOrders } from "../../cli/inputs";

const noStdin = () => Promise.reject(new Error("standard input was not expected to be read"));

function rejectsWith(promise: Promise<unknown>, message: RegExp): Promise<void> {
  return assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof InputError, `an InputError, got ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

describe("reading orders", () => {
  let dir: string;
  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "order-inputs-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs the sample order when no file is given", async () => {
    const files = filesOrSample([]);
    assert.strictEqual(path.resolve(files[0]), SAMPLE_ORDER);
    const orders = await readOrders(files, noStdin);
    assert.strictEqual(orders.length, 1);
    assert.strictEqual((orders[0].order as { customerId: string }).customerId, "c-id-56392");
    assert.strictEqual(orders[0].source, files[0]);
  });

  it("reads a JSON file holding one order", async () => {
    const p = file("one.json", '{"customerId": "c-1"}\n');
    assert.deepStrictEqual(await readOrders([p], noStdin), [{ order: { customerId: "c-1" }, source: p }]);
  });

  it("reads a JSON file holding an array of orders, numbering them from 1", async () => {
    const p = file("many.json", '[{"customerId": "c-1"}, {"customerId": "c-2"}, "not even an object"]');
    assert.deepStrictEqual(await readOrders([p], noStdin), [
      { order: { customerId: "c-1" }, source: `${p} #1` },
      { order: { customerId: "c-2" }, source: `${p} #2` },
      { order: "not even an object", source: `${p} #3` },
    ]);
  });

  it("reads a .jsonl file line by line, skipping blank lines, CRLF or LF", async () => {
    const p = file("orders.jsonl", '{"customerId": "c-1"}\r\n\r\n[1, 2]\n{"customerId": "c-3"}\n');
    assert.deepStrictEqual(await readOrders([p], noStdin), [
      { order: { customerId: "c-1" }, source: `${p}:1` },
      // On a JSON Lines file an array is one (malformed) order: the workflow answers it.
      { order: [1, 2], source: `${p}:3` },
      { order: { customerId: "c-3" }, source: `${p}:4` },
    ]);
  });

  it("recognises JSON Lines by content whatever the file is called", async () => {
    const p = file("orders.txt", '{"customerId": "c-1"}\n{"customerId": "c-2"}\n');
    assert.deepStrictEqual(
      (await readOrders([p], noStdin)).map((o) => o.source),
      [`${p}:1`, `${p}:2`],
    );
  });

  it("reads standard input for -, JSON or JSON Lines, among files in the order given", async () => {
    const a = file("a.json", '{"customerId": "a"}');
    const lines = () => Promise.resolve('{"customerId": "s1"}\n{"customerId": "s2"}\n');
    const orders = await readOrders([a, "-"], lines);
    assert.deepStrictEqual(
      orders.map((o) => [(o.order as { customerId: string }).customerId, o.source]),
      [
        ["a", a],
        ["s1", "stdin:1"],
        ["s2", "stdin:2"],
      ],
    );
    const array = () => Promise.resolve('[\n  {"customerId": "s1"},\n  {"customerId": "s2"}\n]\n');
    assert.deepStrictEqual(
      (await readOrders(["-"], array)).map((o) => o.source),
      ["stdin #1", "stdin #2"],
    );
  });

  it("reads an order nested 5,000 levels deep with the valid orders beside it (the workflow answers it INVALID_ORDER)", async () => {
    const deep = `{"orderId":"deep","giftMessage":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const p = file("deep.jsonl", `{"orderId":"before"}\n${deep}\n{"orderId":"after"}\n`);
    const orders = await readOrders([p], noStdin);
    assert.deepStrictEqual(
      orders.map((o) => (o.order as { orderId: string }).orderId),
      ["before", "deep", "after"],
    );
    // Too deep and too large at once is still answered by size, not by a crash.
    const huge = file(
      "deep-huge.json",
      `{"pad":"${"x".repeat(MAX_INPUT_BYTES)}","deep":${"[".repeat(5000)}${"]".repeat(5000)}}`,
    );
    await rejectsWith(readOrders([huge], noStdin), /Step Functions accepts at most 262,144 bytes/);
  });

  it("ignores a byte order mark", () => {
    assert.deepStrictEqual(parseOrders('\uFEFF{"a": 1}', "bom.json"), [{ order: { a: 1 }, source: "bom.json" }]);
  });

  describe("problems name the file, and for bad JSON the line and column", () => {
    it("a missing file", async () => {
      await rejectsWith(
        readOrders([path.join(dir, "missing.json")], noStdin),
        /^cannot read .*missing\.json: no such file$/,
      );
    });

    it("a directory", async () => {
      await rejectsWith(readOrders([dir], noStdin), /^cannot read .*: it is a directory$/);
    });

    it("a JSON file with a trailing comma", async () => {
      const p = file("trailing.json", '{\n  "customerId": "c-1",\n}\n');
      await rejectsWith(
        readOrders([p], noStdin),
        new RegExp(`^${escape(p)}:3:1: invalid JSON: expected a property name in double quotes, found "}"$`),
      );
    });

    it("a JSON file where V8's message gives no position", async () => {
      const p = file("token.json", "[1,\n2,\n x]");
      await rejectsWith(
        readOrders([p], noStdin),
        new RegExp(`^${escape(p)}:3:2: invalid JSON: expected a value, found "x"$`),
      );
    });

    it("a JSON file cut short", async () => {
      const p = file("short.json", '{"orderContents": {"items": [');
      await rejectsWith(
        readOrders([p], noStdin),
        /short\.json:1:30: invalid JSON: expected a value, found the end of the input$/,
      );
    });

    it("a bad line in a JSON Lines file", async () => {
      const p = file("bad.jsonl", '{"customerId": "c-1"}\n{"customerId": c-2}\n');
      await rejectsWith(
        readOrders([p], noStdin),
        new RegExp(`^${escape(p)}:2:16: invalid JSON: expected a value, found "c"$`),
      );
    });

    it("a bad line on standard input", async () => {
      await rejectsWith(
        readOrders(["-"], () => Promise.resolve('{"a": 1}\n{"a": 2\n')),
        /^stdin:2:8: invalid JSON: expected ',' or '}' after a property value, found the end of the input$/,
      );
    });

    it("an order larger than Step Functions accepts, before any order runs", async () => {
      const big = JSON.stringify({ customerId: "c-1", giftMessage: "x".repeat(MAX_INPUT_BYTES) });
      const p = file("big.jsonl", `{"customerId": "c-0"}\n${big}\n`);
      await rejectsWith(
        readOrders([p], noStdin),
        new RegExp(
          `^${escape(p)}:2: the order is 262,181 bytes of JSON; Step Functions accepts at most 262,144 bytes of execution input$`,
        ),
      );
    });

    it("an empty file, and an empty array", async () => {
      await rejectsWith(
        readOrders([file("empty.json", " \n")], noStdin),
        /empty\.json is empty: expected an order, an array of orders, or one order per line$/,
      );
      await rejectsWith(
        readOrders([file("none.json", "[]")], noStdin),
        /none\.json holds an empty array: no orders to run$/,
      );
      await rejectsWith(
        readOrders(["-"], () => Promise.resolve("")),
        /^stdin is empty/,
      );
    });
  });

  describe("locateJsonError", () => {
    const cases: Array<[string, number, RegExp]> = [
      ['{"a" 1}', 5, /expected ':' after a property name, found "1"/],
      ['{"a": 1 "b": 2}', 8, /expected ',' or '}' after a property value/],
      ["[1 2]", 3, /expected ',' or ']' after an array element/],
      ['"a\nb"', 2, /a control character/],
      ['"\\x"', 1, /invalid escape \\x/],
      ['"abc', 4, /a string is not closed/],
      ["-", 0, /an invalid number/],
      ["{} {}", 3, /unexpected "\{" after the end of the JSON value/],
      ["nul", 0, /expected a value, found "n"/],
    ];
    for (const [text, offset, problem] of cases) {
      it(`finds ${JSON.stringify(text)} broken at ${offset}`, () => {
        const found = locateJsonError(text);
        assert.ok(found, "an error is found");
        assert.strictEqual(found.offset, offset);
        assert.match(found.problem, problem);
      });
    }

    it("finds nothing wrong with JSON", () => {
      for (const text of ['{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"]}', " 0 ", '""']) {
        JSON.parse(text);
        assert.strictEqual(locateJsonError(text), undefined, text);
      }
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
