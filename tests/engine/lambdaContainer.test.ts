/**
 * A Lambda function's container (engine/lambdaContainer.ts): the bundle in a worker thread with the
 * function's environment as its own, its console lines before its answer, its errors by name.
 */
import { strict as assert } from "assert";
import { LambdaContainer, startLambdaContainer } from "../../engine/lambdaContainer";

const ECHO = `exports.handler = async (event) => {
  console.log("got", event);
  if (event && event.fail) { const e = new Error("it failed: " + event.fail); e.name = "PaymentError"; throw e; }
  return { env: process.env.CONTAINER_TEST_SETTING, event };
};`;

describe("a Lambda container", function () {
  let container: LambdaContainer;
  const lines: string[] = [];

  before(async function () {
    container = await startLambdaContainer(ECHO, { CONTAINER_TEST_SETTING: "mine" }, (line) => lines.push(line));
  });

  after(async function () {
    await container?.close();
  });

  it("runs the function with its environment as its own process.env, leaving this process's alone", async function () {
    const result = (await container.handler({ n: 1 })) as { env: string };
    assert.equal(result.env, "mine");
    assert.equal(process.env.CONTAINER_TEST_SETTING, undefined);
  });

  it("answers the event back as JSON values, and hands on each console line before the answer", async function () {
    lines.length = 0;
    const result = await container.handler({ text: 'a\\"b', items: [1, { x: null }] });
    assert.deepEqual(result, { env: "mine", event: { text: 'a\\"b', items: [1, { x: null }] } });
    assert.deepEqual(lines, ['got {"text":"a\\\\\\"b","items":[1,{"x":null}]}']);
  });

  it("throws the function's error with its name and message", async function () {
    await assert.rejects(container.handler({ fail: "declined" }), {
      name: "PaymentError",
      message: "it failed: declined",
    });
  });

  it("answers invocations in flight at once, each with its own result", async function () {
    const results = await Promise.all([1, 2, 3].map((n) => container.handler({ n })));
    assert.deepEqual(
      results.map((r) => (r as { event: { n: number } }).event.n),
      [1, 2, 3],
    );
  });

  it("fails to start a bundle that requires a package the Lambda runtime does not provide", async function () {
    await assert.rejects(
      startLambdaContainer(`require("left-pad"); exports.handler = async () => 1;`, {}, () => undefined),
      /left-pad/,
    );
  });

  it("fails to start a bundle that exports no handler", async function () {
    await assert.rejects(
      startLambdaContainer(`exports.other = 1;`, {}, () => undefined),
      /exports no handler function/,
    );
  });
});
