/** The project's own stack under mocks with the dev config, registered once per test process. */
import { LoadedProgram, loadProgram } from "../../program/loadProgramOld";
import { projectName, readStackConfig } from "../../program/stackConfigOld";

let loaded: Promise<LoadedProgram> | undefined;

export function devStack(): Promise<LoadedProgram> {
  loaded ??= loadProgram("index.ts", { project: projectName(), stack: "dev", config: readStackConfig("dev") });
  return loaded;
}
