/**
 * A chaos run as the tests drive it: orders through one engine (in process), then everything the run
 * left gathered as the invariant checker takes it (workflow/execution/invariants.ts): the gateway's
 * ledger, the table's records, the notifications, each execution's answer, the Lambdas' logs, and the
 * card data no output may hold.
 */
import * as fs from "fs";
import { runPool } from "../../cli/pool";
import type { LocalWorkflow } from "../../engine/engine";
import type { Stock } from "../../engine/inventory";
import type { LedgerEntry } from "../../handlers/ports/chargeLedger";
import type { RunData } from "../../workflow/execution/invariants";
import type { ExecutionReport } from "../../workflow/execution/report";
import { cardSecrets } from "./cardData";
import type { TableReader } from "./engineHarness";
import { type MixedOrder, unitsByOrder } from "./orderMix";

/** The ledger file's entries (charges.jsonl, one JSON object a line). */
export function readLedger(file: string | undefined): LedgerEntry[] {
  if (file === undefined || !fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as LedgerEntry);
}

/** Each execution's answer, as the checker reads it. */
export function answersOf(reports: readonly ExecutionReport[]): RunData["answers"] {
  return reports.map(({ orderId, executionName, status, error }) => ({ orderId, executionName, status, error }));
}

/** Runs every order (each its own execution, `name(i)`), `concurrency` at a time. */
export async function runOrders(
  engine: LocalWorkflow,
  orders: readonly MixedOrder[],
  name: (index: number) => string,
  concurrency = 8,
): Promise<ExecutionReport[]> {
  return runPool(orders, (order, i) => engine.run(order.input, name(i)), { concurrency });
}

/**
 * What the run left, for checkInvariants. `initialStock`: what the engine's inventory table was
 * loaded with (its final state is read back); absent when the run used the simulated inventory.
 */
export async function runData(
  engine: LocalWorkflow,
  table: TableReader,
  orders: readonly MixedOrder[],
  reports: readonly ExecutionReport[],
  initialStock?: Stock,
): Promise<RunData> {
  const inventory =
    initialStock === undefined ? undefined : { initial: initialStock, final: await engine.readInventory() };
  return {
    ledger: readLedger(engine.ledgerFile),
    records: await table.all(),
    notifications: reports.flatMap((r) => r.published.map((p) => p.message)),
    answers: answersOf(reports),
    units: unitsByOrder(orders),
    ...(inventory === undefined ? {} : { inventory }),
    cardSecrets: cardSecrets(orders.map((o) => o.input)),
    texts: { "the Lambdas' logs": engine.lambdaLogs.join("\n"), "the run's reports": JSON.stringify(reports) },
  };
}
