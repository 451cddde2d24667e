/** The project's own stack under mocks with the dev config, registered once per test process. */
import * as path from "path";
import { LoadedProgram, loadProgram } from "../../program/load";

let loaded: Promise<LoadedProgram> | undefined;

export function devStack(): Promise<LoadedProgram> {
  loaded ??= loadProgram({ programPath: path.join(__dirname, "..", "..", "index.ts"), stack: "dev" });
  return loaded;
}
