/** README.md's sample `npm start` output is the command's own (scripts/sample.ts), and fits a 24-row terminal. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { SAMPLE_ARGS, SAMPLE_SECTION, sampleSection } from "../../scripts/sample";
import { sectionBody } from "../../scripts/markers";
import { ROOT, runScript } from "../support/commands";

/** Rows a text takes on a terminal `columns` wide (a longer line wraps). */
function rows(text: string, columns: number): number {
  return text
    .trimEnd()
    .split("\n")
    .reduce((n, line) => n + Math.max(1, Math.ceil(Array.from(line).length / columns)), 0);
}

describe("README.md's sample npm start output", function () {
  this.timeout(120_000);
  let output: string;
  before(async function () {
    const result = await runScript("cli/start.ts", [...SAMPLE_ARGS]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, "");
    output = result.stdout;
  });

  it("is what npm start prints with the seed it shows (regenerate with npm run docs)", function () {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    assert.equal(sectionBody(readme, SAMPLE_SECTION), sampleSection(output));
  });

  it("fits a terminal of 24 rows and 80 columns with the prompt: the path first, then one line each for the record and the notification", function () {
    assert.ok(rows(output, 80) <= 22, `${rows(output, 80)} rows:\n${output}`);
    const lines = output.trimEnd().split("\n");
    assert.match(lines[0], /^Order /);
    assert.match(lines[1], /^ {2}✓ VerifyPaymentAndCheckStock$/);
    assert.equal(lines.filter((line) => line.startsWith("  record: ")).length, 1);
    assert.equal(lines.filter((line) => line.startsWith("  notification: ")).length, 1);
    assert.ok(!output.includes("{"), "no JSON without --verbose");
  });
});
