/**
 * `npm run docs`: regenerates every generated section of the documentation from what the project
 * is now, without measuring again: the workflow's diagram (scripts/diagram.ts), the figures from
 * docs/bench.json (scripts/figures.ts) and README.md's sample `npm start` output (scripts/sample.ts).
 * Each has a test that fails when the documentation differs.
 */
import { runAsProcess } from "../cli/process";
import { writeDiagram } from "./diagram";
import { readBenchJson, writeFigures } from "./figures";
import { generatorMain } from "./markers";
import { writeSample } from "./sample";

export const DOCS_USAGE = `Usage: npm run docs

Regenerates the documentation's generated sections: the workflow's diagram (README.md and
docs/workflow.mmd), the figures README.md and docs/bench.md quote from docs/bench.json (measure
again with npm run bench -- --write), and README.md's sample npm start output.

Options:
  --debug       show the stack trace of an unexpected error
  -h, --help    show this help
`;

function main(argv: readonly string[]): Promise<number> {
  return generatorMain(
    argv,
    DOCS_USAGE,
    async () => [...writeDiagram(), ...writeFigures(readBenchJson()), ...(await writeSample())],
    "documentation up to date",
  );
}

if (require.main === module) runAsProcess(main, { command: "npm run docs", exit: true });
