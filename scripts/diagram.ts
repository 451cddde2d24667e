/**
 * `npm run diagram`: draws the deployed state machine (workflow/definition.ts) as Mermaid, writes it
 * to docs/workflow.mmd and into README.md between the diagram markers. tests/diagram.test.ts fails
 * when either is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { WorkflowResources, orderWorkflowDefinition, workflowResources } from "../workflow/definition";
import { toMermaid } from "../workflow/mermaid";
import { runAsProcess } from "../cli/process";
import { endMarker, generatorMain, section, startMarker, withSections, writeIfChanged } from "./markers";

/** The README's section the diagram is written into (scripts/markers.ts). */
const DIAGRAM_SECTION = "diagram";
export const DIAGRAM_START = startMarker(DIAGRAM_SECTION);
export const DIAGRAM_END = endMarker(DIAGRAM_SECTION);
export const MERMAID_FILE = path.join("docs", "workflow.mmd");
export const README_FILE = "README.md";

/** The diagram does not show resource names, so any stand-ins do: each function by its key. */
const PLACEHOLDERS: WorkflowResources = workflowResources(
  (key) => key,
  "CustomerOrders",
  "arn:aws:sns:us-east-1:123456789012:orders",
);

/** The workflow's diagram, as docs/workflow.mmd holds it. */
export function workflowDiagram(): string {
  return toMermaid(orderWorkflowDefinition(PLACEHOLDERS));
}

/** The diagram as a fenced mermaid block: the README section's body. */
function fenced(mermaid: string): string {
  return `\`\`\`mermaid\n${mermaid.trimEnd()}\n\`\`\``;
}

/** The README's diagram section: the markers around a fenced mermaid block. */
export function diagramSection(mermaid: string): string {
  return `${DIAGRAM_START}\n${fenced(mermaid)}\n${DIAGRAM_END}`;
}

/** The text between the README's markers, markers included, or undefined when they are missing. */
export function currentSection(readme: string): string | undefined {
  return section(readme, DIAGRAM_SECTION);
}

/** `readme` with its diagram section replaced, everything else kept; appended when the markers are missing. */
export function withDiagram(readme: string, mermaid: string): string {
  if (currentSection(readme) !== undefined)
    return withSections(readme, README_FILE, { [DIAGRAM_SECTION]: fenced(mermaid) });
  // One marker without the other: which text is the diagram's is unclear, so nothing is touched.
  if (readme.includes(DIAGRAM_START) || readme.includes(DIAGRAM_END)) {
    throw new Error(`${README_FILE} has one diagram marker without the other (${DIAGRAM_START} … ${DIAGRAM_END})`);
  }
  return `${readme.trimEnd()}\n\n${diagramSection(mermaid)}\n`;
}

/** Writes the diagram into `dir`'s docs/workflow.mmd and README.md; returns the files that changed. */
export function writeDiagram(dir = "."): string[] {
  const mermaid = workflowDiagram();
  const readmePath = path.join(dir, README_FILE);
  const readme = fs.existsSync(readmePath) ? fs.readFileSync(readmePath, "utf8") : "# Order workflow\n";
  return [
    writeIfChanged(dir, MERMAID_FILE, mermaid) ? [MERMAID_FILE] : [],
    writeIfChanged(dir, README_FILE, withDiagram(readme, mermaid)) ? [README_FILE] : [],
  ].flat();
}

export const DIAGRAM_USAGE = `Usage: npm run diagram

Draws the state machine (workflow/definition.ts) as Mermaid into docs/workflow.mmd and into
README.md between its diagram markers. A test fails when either is stale.

Options:
  --debug       show the stack trace of an unexpected error
  -h, --help    show this help
`;

export function main(argv: readonly string[]): Promise<number> {
  return generatorMain(argv, DIAGRAM_USAGE, () => writeDiagram(), "diagram up to date");
}

if (require.main === module) runAsProcess(main, { command: "npm run diagram" });
