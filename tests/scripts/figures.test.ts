/** The figures README.md and docs/bench.md quote are those of docs/bench.json (scripts/figures.ts), between their markers. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BENCH_JSON, figureSections, readBenchJson, writeBenchJson } from "../../scripts/figures";
import { sectionBody, sectionNames, withSections } from "../../scripts/markers";
import { ROOT } from "../support/commands";

describe("the figures the documentation quotes", function () {
  const bench = readBenchJson(ROOT);

  for (const [file, sections] of Object.entries(figureSections(bench))) {
    it(`${file} quotes docs/bench.json's figures (regenerate with npm run docs, or measure with npm run bench -- --write)`, function () {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      for (const [name, body] of Object.entries(sections)) {
        assert.equal(sectionBody(text, name), body, `${file}: the section ${name} differs from ${BENCH_JSON}`);
      }
      const generated = sectionNames(text).filter((name) => name.startsWith("figures:"));
      assert.deepEqual(
        generated.sort(),
        Object.keys(sections).sort(),
        `${file}: every figures section is generated, and only those`,
      );
    });
  }

  it("a figure that changes in docs/bench.json changes the README's table", function () {
    const changed = { ...bench, programMs: bench.programMs + 1234 };
    const before = figureSections(bench)["README.md"]["figures:readme-cost"];
    const after = figureSections(changed)["README.md"]["figures:readme-cost"];
    assert.notEqual(before, after);
    assert.match(after, new RegExp(`${Math.round(changed.programMs).toLocaleString("en-US")} ms median`));
  });

  it("npm run bench -- --write writes docs/bench.json and the figures from it, and leaves the rest of each file alone", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "figures-"));
    try {
      fs.mkdirSync(path.join(dir, "docs"));
      for (const file of ["README.md", path.join("docs", "bench.md")]) {
        fs.writeFileSync(path.join(dir, file), fs.readFileSync(path.join(ROOT, file), "utf8"));
      }
      const changed = { ...bench, localOrdersPerSecond: 1, programMs: 1 };
      assert.deepEqual(writeBenchJson(changed, dir), [BENCH_JSON, "README.md", path.join("docs", "bench.md")]);
      assert.deepEqual(readBenchJson(dir), changed);
      const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
      assert.match(readme, /\| program registration under mocks \| 1 ms median/);
      const original = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
      const outside = (text: string) =>
        text.replace(/<!-- figures:readme-cost:start -->[\s\S]*<!-- figures:readme-cost:end -->/, "");
      assert.equal(outside(readme), outside(original));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a file that lacks a section's markers, naming the file and the section", function () {
    assert.throws(
      () => withSections("# no markers\n", "README.md", { "figures:x": "1" }),
      /README\.md has no section <!-- figures:x:start -->/,
    );
  });
});
