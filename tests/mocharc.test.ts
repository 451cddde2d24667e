/** How the test suite is run: `npm test` runs every test file; `npx mocha FILE` runs that file only. */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./support/commands";

interface MochaJson {
  readonly stats: { readonly tests: number };
  readonly tests: ReadonlyArray<{ readonly file: string }>;
}

/** Runs mocha as `npx mocha ARGS` would, with the JSON reporter, and returns the files its tests came from. */
function runMocha(args: readonly string[]): Promise<MochaJson> {
  const mocha = path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mocha, ...args, "--reporter", "json"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => {
      try {
        resolve(JSON.parse(stdout) as MochaJson);
      } catch {
        reject(new Error(`mocha ${args.join(" ")} exited ${status} without a JSON report: ${stderr}`));
      }
    });
  });
}

describe("running the tests", function () {
  it("npx mocha FILE runs the tests of FILE only", async function () {
    const file = path.join("tests", "workflow", "functions.test.ts");
    const report = await runMocha([file]);
    assert.ok(report.stats.tests > 0, "no test ran");
    const files = new Set(report.tests.map((t) => path.relative(ROOT, t.file)));
    assert.deepEqual([...files], [file]);
  });

  it("npm test names every test file, and .mocharc.json names none (so that a file given alone runs alone)", function () {
    const rc = JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8")) as Record<string, unknown>;
    assert.equal(rc.spec, undefined);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    assert.equal(pkg.scripts.test, 'mocha "tests/**/*.test.ts"');
  });
});
