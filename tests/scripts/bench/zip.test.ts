/** The zip writer `npm run bench` measures archives with (scripts/bench/zip.ts). */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { unzipFiles, zipFiles } from "../../../scripts/bench/zip";

const files = { "__index.js": "exports.handler = async () => 42;\n".repeat(200), "lib/é.txt": "naïve" };

function has(command: string): boolean {
  try {
    execFileSync("which", [command], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("the bench's zip writer", function () {
  it("reads back the same files, deflated", function () {
    const zip = zipFiles(files);
    const back = unzipFiles(zip);
    assert.deepEqual(Object.keys(back), Object.keys(files));
    for (const [name, text] of Object.entries(files)) assert.equal(back[name].toString("utf8"), text);
    assert.ok(zip.length < Buffer.byteLength(files["__index.js"]) / 10, "repetitive code compresses");
  });

  it("is reproducible byte for byte", function () {
    assert.ok(zipFiles(files).equals(zipFiles(files)));
  });

  it("writes an archive the zip tools accept", function () {
    assert.ok(has("unzip"), "unzip is needed for this test: apt-get install unzip (.ci/run installs it)");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zip-test-"));
    try {
      fs.writeFileSync(path.join(dir, "a.zip"), zipFiles(files));
      execFileSync("unzip", ["-tq", "a.zip"], { cwd: dir, stdio: "ignore" });
      const listing = execFileSync("unzip", ["-Z1", "a.zip"], { cwd: dir, encoding: "utf8" });
      assert.deepEqual(listing.trim().split("\n"), Object.keys(files));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
