/**
 * `npm run order -- --stack NAME [FILE ...]`: runs orders on a deployed stack and reports them as
 * `npm start` reports local runs. Usage: args.ts. Exit status: 0 when every order was run, 2 for a
 * bad flag, an unreadable input or a stack that cannot be used, 1 for anything else (an AWS error).
 */
import { ORDER_USAGE, parseOrderArgs } from "./args";
import { ReportSink, outboxSink } from "./batch";
import { Io, processIo, reportProblem, runAsProcess, runBatch } from "./command";
import { DeployedError, DeployedWorkflow, RunCommand, StackOutputs, readStackOutputs, runCommand } from "./deployed";
import { filesOrSample, readOrders } from "./inputs";

export interface Dependencies {
  /** Runs the Pulumi CLI (tests give a fake). */
  readonly runCommand: RunCommand;
}

/** An error an AWS service answered with (the SDK gives it $metadata): said in a line, not a stack trace. */
function awsError(io: Io, error: unknown): number {
  if (!(error instanceof Error && "$metadata" in error)) throw error;
  io.stderr.write(`error: AWS answered ${error.name}: ${error.message}\n`);
  return 1;
}

export async function main(argv: readonly string[], io: Io = processIo, deps: Dependencies = { runCommand }): Promise<number> {
  let options;
  let orders;
  const outputs: ReportSink[] = [];
  try {
    options = parseOrderArgs(argv);
    if (options.help) {
      io.stdout.write(ORDER_USAGE);
      return 0;
    }
    orders = await readOrders(filesOrSample(options.files), io.readStdin);
    if (options.outbox !== undefined) outputs.push(outboxSink(options.outbox));
  } catch (error) {
    return reportProblem(io, error, "Run npm run order -- --help for usage.");
  }

  let workflow: DeployedWorkflow;
  try {
    const { target } = options;
    const stack: StackOutputs = "stack" in target ? await readStackOutputs(target.stack, deps.runCommand) : target;
    if (stack.tableName === undefined) io.stderr.write("note: no orders table given: reports will have no record\n");
    workflow = await DeployedWorkflow.connect({ ...stack, onNotice: (message) => io.stderr.write(`note: ${message}\n`) });
  } catch (error) {
    if (!(error instanceof DeployedError)) return awsError(io, error);
    io.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  try {
    await runBatch(io, workflow, {
      orders,
      json: options.json,
      verbose: options.verbose,
      concurrency: options.concurrency,
      outputs,
      // Named from the order (deployed.ts): the same order finds its earlier execution.
      executionName: () => undefined,
    });
    return 0;
  } catch (error) {
    return awsError(io, error);
  } finally {
    workflow.close();
  }
}

if (require.main === module) runAsProcess(main, { command: "npm run order" });
