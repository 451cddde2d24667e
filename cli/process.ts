/**
 * Running a command's `main` as the process, the same way for every command and script: its
 * status becomes the exit status; a UsageError is one line and status 2; anything unexpected is one
 * line and status 1, with the stack trace only when `--debug` was given.
 */
import { UsageError } from "./flags";

export interface ProcessOptions {
  /** How the command is run, for the pointer to its help: `npm run load`. */
  readonly command: string;
  /** End the process once `main` is done, even if a library left a handle open (a server, a socket). */
  readonly exit?: boolean;
}

/** Whether the arguments ask for stack traces (before `--`, where flags end). */
export function wantsDebug(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--debug");
}

/** The line an unexpected error is reported with: its message, or its stack with --debug. */
export function describeFailure(error: unknown, debug: boolean): string {
  if (!(error instanceof Error)) return `error: ${String(error)}`;
  if (debug) return `error: ${error.stack ?? error.message}`;
  const name = error.name !== "Error" && !error.message.startsWith(error.name) ? `${error.name}: ` : "";
  const firstLine = error.message.split("\n")[0];
  return `error: ${name}${firstLine} (run again with --debug for the stack trace)`;
}

/** Runs `main(argv)` as the process. */
export function runAsProcess(main: (argv: readonly string[]) => Promise<number>, options: ProcessOptions): void {
  // The AWS SDK warns on every run that its 2027 releases will need Node.js 22. It emits the warning
  // with the generic type "Warning", which --disable-warning cannot single out; this is its own switch.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const argv = process.argv.slice(2);
  const done = (status: number): void => {
    if (options.exit === true) process.exit(status);
    process.exitCode = status;
  };
  // A main that throws before its first await is answered the same way as one that rejects.
  Promise.resolve()
    .then(() => main(argv))
    .then(done, (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`error: ${error.message}\nRun ${options.command} -- --help for usage.\n`);
        done(2);
        return;
      }
      process.stderr.write(`${describeFailure(error, wantsDebug(argv))}\n`);
      done(1);
    });
}
