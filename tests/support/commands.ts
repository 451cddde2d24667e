/** Running the project's commands as a user does (a child process), or in this process with captured streams. */
import { spawn } from "child_process";
import * as path from "path";
import type { Io } from "../../cli/command";

/** The repository's root, where the commands run. */
export const ROOT = path.resolve(__dirname, "..", "..");

export interface Completed {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node -r ts-node/register/transpile-only SCRIPT ARGS`, from the repository's root; `env` replaces variables (undefined removes one). */
export function runScript(
  script: string,
  args: readonly string[],
  stdin = "",
  envChanges: Readonly<Record<string, string | undefined>> = {},
): Promise<Completed> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  for (const [key, value] of Object.entries(envChanges)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", script, ...args], {
      cwd: ROOT,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Streams that keep what is written, and say whether they are a terminal. */
export class CapturedIo implements Io {
  out = "";
  err = "";
  readonly stdout: Io["stdout"];
  readonly stderr: Io["stderr"];

  constructor(
    options: { tty?: boolean; stdin?: string } = {},
    readonly env: Io["env"] = {},
  ) {
    this.stdout = { isTTY: options.tty === true, write: (text: string) => (this.out += text) };
    this.stderr = { isTTY: options.tty === true, write: (text: string) => (this.err += text) };
    this.readStdin = () => Promise.resolve(options.stdin ?? "");
  }

  readonly readStdin: () => Promise<string>;
}
