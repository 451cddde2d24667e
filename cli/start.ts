/**
 * `npm start`: runs orders through the order workflow on this machine and reports, for each, the
 * path it took, its outcome, the record written and the notification sent. Usage: args.ts.
 *
 * Exit status: 0 when every order was run, whatever its outcome; 2 for a bad flag or an input that
 * cannot be read; 1 when the engine itself fails.
 */
import { START_USAGE, StartOptions, parseStartArgs } from "./args";
import { htmlReportSink } from "./batch";
import { Io, processIo, readBatch, reportProblem, runBatch } from "./command";
import { runAsProcess } from "./process";
import { durableExecutionName, seededExecutionName } from "./names";
import { randomInt } from "crypto";
import { StateDirError } from "../engine/state/stateDir";
import type { FaultPlan } from "../engine/faults";
import { readStockFile, writeStockFile } from "./stockFiles";
import type { Stock } from "../engine/inventory";

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const read = await readBatch(io, argv, {
    command: "npm start",
    usage: START_USAGE,
    parse: parseStartArgs,
    // The report draws the definition the engine runs (runBatch hands it over).
    outputs: (options) => (options.report === undefined ? [] : [htmlReportSink(options.report)]),
  });
  if (typeof read === "number") return read;
  const { orders, outputs } = read;
  const options = withChaosSeed(read.options, io);
  let stock: Stock | undefined;
  try {
    stock = options.inventory === undefined ? undefined : readStockFile(options.inventory);
  } catch (error) {
    return reportProblem(io, error, "Run npm start -- --help for usage.");
  }

  let workflow;
  try {
    workflow = await startEngine(options, stock);
  } catch (error) {
    io.stderr.write(
      `error: ${error instanceof StateDirError ? "" : "the local engine could not start: "}${(error as Error).message}\n`,
    );
    return error instanceof StateDirError ? 2 : 1;
  }
  try {
    const { seed, stateDir } = options;
    await runBatch(io, workflow.workflow, {
      orders,
      json: options.json,
      verbose: options.verbose,
      concurrency: options.concurrency,
      outputs,
      // A seeded run names its executions from the seed, so that it can be run again identically.
      // A durable run names each execution from its order (durableExecutionName), so that a rerun finds it.
      executionName: (order, index) =>
        seed !== undefined
          ? seededExecutionName(seed, index)
          : stateDir !== undefined
            ? durableExecutionName(order.order)
            : undefined,
    });
    if (workflow.counts !== undefined && workflow.counts.journal + workflow.counts.refused > 0) {
      const { ran, journal, refused } = workflow.counts;
      io.stderr.write(
        `state dir ${stateDir}: ${ran} executions run, ${journal} reported from the journal (ran before)${refused > 0 ? `, ${refused} refused (name ran with another input)` : ""}\n`,
      );
    }
    if (options.inventoryOut !== undefined) writeStockFile(options.inventoryOut, await workflow.readInventory());
    return 0;
  } finally {
    await workflow.close();
  }
}

/** The engine, in memory or on the state dir; loaded only now, so that a bad flag is answered at once. */
async function startEngine(options: StartOptions, stock: Stock | undefined) {
  // A stock file means real stock: the inventory table, loaded with it.
  const faults = chaosPlan(options);
  const engineOptions = { rates: options.rates, seed: options.seed, inventory: stock, faults };
  if (options.stateDir !== undefined) {
    const { startDurable } = await import("../engine/state/durableEngine");
    const durable = await startDurable(engineOptions, options.stateDir);
    return { ...durable, counts: durable.workflow.counts, readInventory: durable.readInventory };
  }
  const { LocalWorkflow } = await import("../engine/engine");
  const workflow = await LocalWorkflow.start({ ...engineOptions, dynamodbEndpoint: options.dynamodbEndpoint });
  return { workflow, close: () => workflow.close(), counts: undefined, readInventory: () => workflow.readInventory() };
}

/**
 * `--chaos P` without `--seed`: a seed is chosen and told on standard error, and seeds the whole run
 * (the simulation, the execution names and the chaos), so that `--seed N` repeats it.
 */
function withChaosSeed(options: StartOptions, io: Io): StartOptions {
  if (options.chaos === undefined || options.seed !== undefined) return options;
  const seed = String(randomInt(2 ** 47));
  io.stderr.write(`chaos ${options.chaos}: seed ${seed} (give --seed ${seed} to fail the same calls again)\n`);
  return { ...options, seed };
}

/** `--chaos P`: every call at the edges fails with probability P, seeded by the run's seed. */
function chaosPlan(options: StartOptions): FaultPlan | undefined {
  return options.chaos === undefined ? undefined : { chaos: { probability: options.chaos, seed: options.seed ?? "0" } };
}

if (require.main === module) runAsProcess(main, { command: "npm start" });
