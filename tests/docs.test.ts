/** The documentation a newcomer reads: every link resolves inside the repository, and plain words. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./support/commands";

/** README.md, docs/*.md and policy/README.md. */
function docs(): string[] {
  const inDocs = fs
    .readdirSync(path.join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => path.join("docs", f));
  return ["README.md", path.join("policy", "README.md"), ...inDocs];
}

describe("the documentation", function () {
  for (const file of docs()) {
    it(`${file}: every relative link names a file inside the repository that exists`, function () {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1])
        .filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith("#"));
      for (const target of targets) {
        const resolved = path.resolve(ROOT, path.dirname(file), target.split("#")[0]);
        assert.ok(resolved.startsWith(ROOT + path.sep), `${file} links ${target}, outside the repository`);
        assert.ok(fs.existsSync(resolved), `${file} links ${target}, which does not exist`);
      }
    });
  }

  it('README.md says "the original console-built workflow", never "the seed" (which reads like --seed)', function () {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    assert.equal((readme.match(/the seed/gi) ?? []).length, 0);
    assert.match(readme, /\[the original console-built workflow\]\(docs\/workflow\.md#where-it-comes-from\)/);
  });

  it("README.md states the prerequisites: Node.js 22 or newer and Chromium (or CHROMIUM_PATH), as package.json's engines does", function () {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    assert.match(readme, /Node\.js 22 or newer/);
    assert.match(readme, /Chromium/);
    assert.match(readme, /CHROMIUM_PATH/);
    assert.doesNotMatch(readme, /Node\.js 20 or newer/);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
    assert.equal(pkg.engines.node, ">=22");
  });
});
