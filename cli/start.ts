/**
 * `npm start`: runs orders through the order workflow on this machine and reports, for each, the
 * path it took, its outcome, the record written and the notification sent. Usage: args.ts.
 *
 * Exit status: 0 when every order was run, whatever its outcome; 2 for a bad flag or an input that
 * cannot be read; 1 when the engine itself fails.
 */
import { START_USAGE, parseStartArgs } from "./args";
import { ReportSink, htmlReportSink, outboxSink } from "./batch";
import { Io, processIo, reportProblem, runAsProcess, runBatch } from "./command";
import { filesOrSample, readOrders } from "./inputs";
import { seededExecutionName } from "./names";

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let options;
  let orders;
  const outputs: ReportSink[] = [];
  try {
    options = parseStartArgs(argv);
    if (options.help) {
      io.stdout.write(START_USAGE);
      return 0;
    }
    orders = await readOrders(filesOrSample(options.files), io.readStdin);
    if (options.outbox !== undefined) outputs.push(outboxSink(options.outbox));
    if (options.report !== undefined) {
      // The definition the engine runs, rendered from the same function with local names.
      const { orderWorkflowDefinition } = await import("../workflow/definition");
      const { localResources } = await import("../engine/engine");
      outputs.push(htmlReportSink(options.report, orderWorkflowDefinition(localResources("CustomerOrders"))));
    }
  } catch (error) {
    return reportProblem(io, error, "Run npm start -- --help for usage.");
  }

  // Loaded only now, so that a bad flag is answered at once rather than after the engine's imports.
  const { LocalWorkflow } = await import("../engine/engine");
  let workflow;
  try {
    workflow = await LocalWorkflow.start({ rates: options.rates, seed: options.seed, dynamodbEndpoint: options.dynamodbEndpoint });
  } catch (error) {
    io.stderr.write(`error: the local engine could not start: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    const { seed } = options;
    await runBatch(io, workflow, {
      orders,
      json: options.json,
      verbose: options.verbose,
      concurrency: options.concurrency,
      outputs,
      // A seeded run names its executions from the seed, so that it can be run again identically.
      executionName: (_order, index) => (seed === undefined ? undefined : seededExecutionName(seed, index)),
    });
    return 0;
  } finally {
    await workflow.close();
  }
}

if (require.main === module) runAsProcess(main, { command: "npm start" });
