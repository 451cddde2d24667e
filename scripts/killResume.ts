/**
 * The crash drill of a durable local run: starts `npm start -- --state-dir DIR --json` on ORDERS
 * generated orders (the default failure rates), kills it with SIGKILL once some orders have been
 * answered, runs the same command again, and checks what the issue asks: every order answered
 * once, no order with more than one net approved charge in DIR/charges.jsonl, and a PROCESSED
 * record exactly for the orders with one net charge.
 *
 *   node -r ts-node/register/transpile-only scripts/killResume.ts [ORDERS] (default 1500)
 *
 * tests/cli/stateDir.test.ts runs the same drill on 1,500 orders.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkflow } from "../engine/engine";
import { ExecutionJournal } from "../engine/state/journal";
import { stateDirLayout } from "../engine/state/stateDir";
import { LedgerEntry, netCharges } from "../handlers/ports/chargeLedger";
import { JsonLinesFile } from "../handlers/ports/jsonLines";

const ROOT = path.resolve(__dirname, "..");

export interface DrillResult {
  /** --json lines the killed run printed before it died. */
  readonly answeredBeforeKill: number;
  /** Executions the journal shows started and not ended when the process died. */
  readonly interrupted: number;
  readonly killedBy: NodeJS.Signals | null;
  /** The rerun's order ids, in output order. */
  readonly answered: string[];
  readonly rerunStatus: number | null;
  readonly rerunStderr: string;
  /** Per order id: approved charges minus refunds in the ledger; and approved charge lines. */
  readonly net: Map<string, number>;
  readonly approvedChargeLines: Map<string, number>;
  /** The orders whose record is PROCESSED. */
  readonly processed: Set<string>;
  readonly orderIds: string[];
}

/** `count` copies of the sample order, each with its own id. */
export function writeOrders(file: string, count: number): string[] {
  const sample = JSON.parse(fs.readFileSync(path.join(ROOT, "samples/order.json"), "utf8")) as Record<string, unknown>;
  const ids = Array.from({ length: count }, (_, i) => `drill-${String(i).padStart(5, "0")}`);
  fs.writeFileSync(file, ids.map((orderId) => JSON.stringify({ ...sample, orderId })).join("\n") + "\n");
  return ids;
}

/** Runs `npm start` on DIR; with `killAfter`, SIGKILLs it once that many --json lines are out. */
function start(
  dir: string,
  file: string,
  killAfter?: number,
): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const args = ["-r", "ts-node/register/transpile-only", "cli/start.ts", "--state-dir", dir, "--json", file];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (killAfter !== undefined && stdout.split("\n").length - 1 >= killAfter) child.kill("SIGKILL");
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

export async function killAndResume(dir: string, count: number): Promise<DrillResult> {
  const file = path.join(dir, "orders.jsonl");
  const stateDir = path.join(dir, "state");
  const orderIds = writeOrders(file, count);
  const killed = await start(stateDir, file, Math.max(1, Math.floor(count / 3)));
  const layout = stateDirLayout(stateDir);
  const journal = ExecutionJournal.open(layout.journal);
  const interrupted = journal.interrupted().length;
  journal.close();
  const rerun = await start(stateDir, file);
  const answered = rerun.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => (JSON.parse(line) as { orderId: string }).orderId);
  const ledger = JsonLinesFile.open(layout.ledger, (v) => v as LedgerEntry).entries;
  const approvedChargeLines = new Map<string, number>();
  for (const e of ledger)
    if (e.operation === "charge" && e.approved)
      approvedChargeLines.set(e.idempotencyKey, (approvedChargeLines.get(e.idempotencyKey) ?? 0) + 1);
  const processed = new Set<string>();
  const engine = await LocalWorkflow.start({ stateDir });
  try {
    for (const id of orderIds) if ((await engine.readRecord(id))?.State === "PROCESSED") processed.add(id);
  } finally {
    await engine.close();
  }
  return {
    answeredBeforeKill: killed.stdout.split("\n").length - 1,
    interrupted,
    killedBy: killed.signal,
    answered,
    rerunStatus: rerun.status,
    rerunStderr: rerun.stderr,
    net: netCharges(ledger),
    approvedChargeLines,
    processed,
    orderIds,
  };
}

/** What is wrong with a drill's outcome, one line per problem; empty when it holds. */
export function drillProblems(r: DrillResult): string[] {
  const problems: string[] = [];
  if (r.killedBy !== "SIGKILL") problems.push(`the first run was not killed by SIGKILL (${r.killedBy})`);
  if (r.rerunStatus !== 0) problems.push(`the rerun exited ${r.rerunStatus}: ${r.rerunStderr}`);
  if (r.answered.join() !== r.orderIds.join())
    problems.push(`the rerun answered ${r.answered.length} orders, not each of the ${r.orderIds.length} once in order`);
  for (const id of r.orderIds) {
    const net = r.net.get(id) ?? 0;
    if ((r.approvedChargeLines.get(id) ?? 0) > 1 || net > 1) problems.push(`${id} was charged more than once`);
    if ((net === 1) !== r.processed.has(id))
      problems.push(`${id}: net charges ${net}, record ${r.processed.has(id) ? "PROCESSED" : "not PROCESSED"}`);
  }
  return problems;
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? 1500);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kill-resume-"));
  const started = Date.now();
  killAndResume(dir, count).then(
    (r) => {
      const problems = drillProblems(r);
      const charged = [...r.net.values()].filter((n) => n === 1).length;
      console.log(
        `${count} orders: killed after ${r.answeredBeforeKill} answered, ${r.interrupted} interrupted; rerun answered ${r.answered.length}; ${charged} charged once, ${r.processed.size} PROCESSED (${((Date.now() - started) / 1000).toFixed(0)} s)`,
      );
      console.log(problems.length === 0 ? "OK" : problems.slice(0, 20).join("\n"));
      fs.rmSync(dir, { recursive: true, force: true });
      process.exitCode = problems.length === 0 ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
