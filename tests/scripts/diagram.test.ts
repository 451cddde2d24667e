/** The committed diagram (docs/workflow.mmd and the README's block) matches the workflow's definition. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  DIAGRAM_END,
  DIAGRAM_START,
  MERMAID_FILE,
  README_FILE,
  currentSection,
  diagramSection,
  withDiagram,
  workflowDiagram,
  writeDiagram,
} from "../../scripts/diagram";

const STALE = "stale: run `npm run diagram` and commit the result";

describe("the workflow diagram", function () {
  const mermaid = workflowDiagram();

  it("is a Mermaid state diagram of the order workflow", function () {
    assert.ok(mermaid.startsWith("stateDiagram-v2\n"));
    assert.match(mermaid, /\[\*\] --> VerifyPaymentAndCheckStock\n/);
  });

  it(`is up to date in ${MERMAID_FILE}`, function () {
    assert.ok(fs.existsSync(MERMAID_FILE), `${MERMAID_FILE} is missing: run \`npm run diagram\``);
    assert.equal(fs.readFileSync(MERMAID_FILE, "utf8"), mermaid, `${MERMAID_FILE} is ${STALE}`);
  });

  it(`is up to date in ${README_FILE} between the diagram markers`, function () {
    const section = currentSection(fs.readFileSync(README_FILE, "utf8"));
    assert.ok(section !== undefined, `${README_FILE} has no ${DIAGRAM_START} … ${DIAGRAM_END} block`);
    assert.equal(section, diagramSection(mermaid), `the diagram in ${README_FILE} is ${STALE}`);
  });

  describe("the README update", function () {
    const readme = `# Title\n\nBefore.\n\n${DIAGRAM_START}\nold\n${DIAGRAM_END}\n\nAfter.\n`;

    it("replaces only the block between the markers, as a fenced mermaid block", function () {
      const updated = withDiagram(readme, "stateDiagram-v2\n  [*] --> A\n");
      assert.equal(
        updated,
        `# Title\n\nBefore.\n\n${DIAGRAM_START}\n\`\`\`mermaid\nstateDiagram-v2\n  [*] --> A\n\`\`\`\n${DIAGRAM_END}\n\nAfter.\n`,
      );
      assert.equal(withDiagram(updated, "stateDiagram-v2\n  [*] --> A\n"), updated, "idempotent");
    });

    it("appends the block when the markers are missing", function () {
      assert.equal(
        withDiagram("# Title\n", "x\n"),
        `# Title\n\n${DIAGRAM_START}\n\`\`\`mermaid\nx\n\`\`\`\n${DIAGRAM_END}\n`,
      );
    });

    it("refuses a README with one marker and not the other", function () {
      assert.throws(
        () => withDiagram(`# Title\n${DIAGRAM_START}\nrest\n`, "x\n"),
        /one diagram marker without the other/,
      );
      assert.throws(
        () => withDiagram(`# Title\n${DIAGRAM_END}\n${DIAGRAM_START}\n`, "x\n"),
        /one diagram marker without the other/,
      );
    });

    it("writes both files, creating a README, and changes nothing the second time", function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diagram-"));
      try {
        assert.deepEqual(writeDiagram(dir).sort(), [MERMAID_FILE, README_FILE].sort());
        assert.equal(fs.readFileSync(path.join(dir, MERMAID_FILE), "utf8"), mermaid);
        const created = fs.readFileSync(path.join(dir, README_FILE), "utf8");
        assert.ok(created.startsWith("# "), "a title");
        assert.equal(currentSection(created), diagramSection(mermaid));
        assert.deepEqual(writeDiagram(dir), []);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
