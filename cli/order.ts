/**
 * `npm run order -- --stack NAME [FILE ...]`: runs orders on a deployed stack and reports them as
 * `npm start` reports local runs. Usage: args.ts. Exit status: 0 when every order was run, 2 for a
 * bad flag, an unreadable input or a stack that cannot be used, 1 for anything else (an AWS error).
 */
import { ORDER_USAGE, parseOrderArgs } from "./args";
import { Io, processIo, readBatch, runBatch } from "./command";
import {
  DeployedError,
  DeployedOptions,
  DeployedWorkflow,
  RunCommand,
  StackOutputs,
  readStackOutputs,
  runCommand,
} from "./deployed";
import { describeAwsProblem } from "./awsProblems";
import { runAsProcess } from "./process";

export interface Dependencies {
  /** Runs the Pulumi CLI (tests give a fake). */
  readonly runCommand: RunCommand;
  /** AWS clients to use instead of the default ones (tests give them an unreachable endpoint). */
  readonly clients?: Pick<DeployedOptions, "sfn" | "dynamodb">;
}

/** An error talking to AWS, said in one line with what to do (awsProblems.ts), exit status 1; anything else is let through. */
function awsError(io: Io, error: unknown, region: string | undefined, debug: boolean): number {
  const line = describeAwsProblem(error, region);
  if (line === undefined) throw error;
  io.stderr.write(`error: ${line}\n`);
  if (debug && error instanceof Error) io.stderr.write(`${error.stack ?? ""}\n`);
  return 1;
}

/** The region of a state machine's ARN (arn:aws:states:REGION:…). */
const regionOf = (arn: string): string | undefined => arn.split(":")[3];

export async function main(
  argv: readonly string[],
  io: Io = processIo,
  deps: Dependencies = { runCommand },
): Promise<number> {
  const read = await readBatch(io, argv, { command: "npm run order", usage: ORDER_USAGE, parse: parseOrderArgs });
  if (typeof read === "number") return read;
  const { options, orders, outputs } = read;

  let workflow: DeployedWorkflow;
  let region: string | undefined;
  try {
    const { target } = options;
    const stack: StackOutputs = "stack" in target ? await readStackOutputs(target.stack, deps.runCommand) : target;
    region = regionOf(stack.stateMachineArn);
    workflow = await DeployedWorkflow.connect({
      ...stack,
      ...deps.clients,
      onNotice: (message) => io.stderr.write(`note: ${message}\n`),
    });
    if (stack.tableName === undefined) io.stderr.write("note: no orders table given: reports will have no record\n");
  } catch (error) {
    if (!(error instanceof DeployedError)) return awsError(io, error, region, options.debug);
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
    return awsError(io, error, region, options.debug);
  } finally {
    workflow.close();
  }
}

if (require.main === module) runAsProcess(main, { command: "npm run order" });
