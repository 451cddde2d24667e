/**
 * `npm run diagram`: draws the deployed state machine (workflow/definition.ts) as Mermaid, writes it
 * to docs/workflow.mmd and into README.md between the diagram markers. tests/diagram.test.ts fails
 * when either is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { WorkflowResources, orderWorkflowDefinition, workflowResources } from "../workflow/definition";
import { toMermaid } from "../workflow/mermaid";
import { noPositionals, parseFlags } from "../cli/flags";
import { runAsProcess } from "../cli/process";

export const DIAGRAM_START = "<!-- diagram:start -->";
export const DIAGRAM_END = "<!-- diagram:end -->";
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

/** The README's diagram section: the markers around a fenced mermaid block. */
export function diagramSection(mermaid: string): string {
  return `${DIAGRAM_START}\n\`\`\`mermaid\n${mermaid.trimEnd()}\n\`\`\`\n${DIAGRAM_END}`;
}

/** The text between the README's markers, markers included, or undefined when they are missing. */
export function currentSection(readme: string): string | undefined {
  const start = readme.indexOf(DIAGRAM_START);
  const end = readme.indexOf(DIAGRAM_END, start);
  if (start < 0 || end < 0) return undefined;
  return readme.slice(start, end + DIAGRAM_END.length);
}

/** `readme` with its diagram section replaced, everything else kept; appended when the markers are missing. */
export function withDiagram(readme: string, mermaid: string): string {
  const section = diagramSection(mermaid);
  const current = currentSection(readme);
  if (current === undefined) {
    // One marker without the other: which text is the diagram's is unclear, so nothing is touched.
    if (readme.includes(DIAGRAM_START) || readme.includes(DIAGRAM_END)) {
      throw new Error(`${README_FILE} has one diagram marker without the other (${DIAGRAM_START} … ${DIAGRAM_END})`);
    }
    return `${readme.trimEnd()}\n\n${section}\n`;
  }
  const start = readme.indexOf(current);
  return readme.slice(0, start) + section + readme.slice(start + current.length);
}

/** Writes the diagram into `dir`'s docs/workflow.mmd and README.md; returns the files that changed. */
export function writeDiagram(dir = "."): string[] {
  const mermaid = workflowDiagram();
  const changed: string[] = [];
  const write = (file: string, text: string): void => {
    const full = path.join(dir, file);
    if (fs.existsSync(full) && fs.readFileSync(full, "utf8") === text) return;
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    changed.push(file);
  };
  write(MERMAID_FILE, mermaid);
  const readmePath = path.join(dir, README_FILE);
  const readme = fs.existsSync(readmePath) ? fs.readFileSync(readmePath, "utf8") : "# Order workflow\n";
  write(README_FILE, withDiagram(readme, mermaid));
  return changed;
}

export const DIAGRAM_USAGE = `Usage: npm run diagram

Draws the state machine (workflow/definition.ts) as Mermaid into docs/workflow.mmd and into
README.md between its diagram markers. A test fails when either is stale.

Options:
  --debug       show the stack trace of an unexpected error
  -h, --help    show this help
`;

export function main(argv: readonly string[]): Promise<number> {
  const parsed = parseFlags(argv, {});
  if (parsed.values.has("help")) {
    process.stdout.write(DIAGRAM_USAGE);
    return Promise.resolve(0);
  }
  noPositionals(parsed);
  const changed = writeDiagram();
  process.stdout.write(changed.length > 0 ? `updated ${changed.join(", ")}\n` : "diagram up to date\n");
  return Promise.resolve(0);
}

if (require.main === module) runAsProcess(main, { command: "npm run diagram" });
