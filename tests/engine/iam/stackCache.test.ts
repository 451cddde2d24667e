/** The stack's access-relevant resources kept on disk, named by a hash of the stack's sources. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cachedStack, sourceHash } from "../../../engine/iam/stackCache";
import type { RecordedResource } from "../../../program/load";

const resource = (type: string, inputs: Record<string, unknown>): RecordedResource =>
  ({ type, name: "r", inputs, outputs: { ...inputs, arn: "arn:x" } }) as unknown as RecordedResource;

describe("the stack cache", function () {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-cache-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("loads the program once, then reads the file", async function () {
    let loads = 0;
    const load = () => {
      loads++;
      return Promise.resolve({ resources: [resource("aws:iam/role:Role", { name: "a" })], region: "eu-west-1" });
    };
    const first = await cachedStack(load, dir);
    const second = await cachedStack(load, dir);
    assert.deepStrictEqual([loads, second], [1, first]);
    assert.deepStrictEqual(fs.readdirSync(dir), [`stack-access-${sourceHash()}.json`]);
  });

  it("keeps only what access reads: no function code, no resource of another kind", async function () {
    const { resources } = await cachedStack(
      () =>
        Promise.resolve({
          resources: [
            resource("aws:lambda/function:Function", { role: "arn:role", code: { assets: {} } }),
            resource("aws:cloudwatch/dashboard:Dashboard", { dashboardBody: "{}" }),
          ],
          region: undefined,
        }),
      dir,
    );
    assert.deepStrictEqual(
      resources.map((r) => [r.type, Object.keys(r.inputs), Object.keys(r.outputs)]),
      [["aws:lambda/function:Function", ["role"], ["role", "arn"]]],
    );
  });

  it("names the file by the sources: the same sources, the same name", function () {
    assert.match(sourceHash(), /^[0-9a-f]{16}$/);
    assert.strictEqual(sourceHash(), sourceHash());
  });
});
