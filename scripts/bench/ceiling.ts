/**
 * aws-local-stepfunctions' own ceiling: the engine's definition, run by the library as published (no
 * patch, no hook), with every Task answering at once with a canned result and no I/O at all. The
 * canned results are what the real handlers return for the sample order (computed once, by the
 * handlers' own functions with ports that always say yes), wrapped as the `lambda:invoke` integration
 * wraps them, so every execution takes the success path the engine's orders take. The local engine's
 * throughput is reported as a ratio to this (docs/bench.md): what the engine adds over the library.
 */
import { performance } from "perf_hooks";
import { StateMachine } from "aws-local-stepfunctions";
import { runPool } from "../../cli/pool";
import { localResources } from "../../engine/engine";
import { invokeResponse } from "../../engine/integrations";
import { deepFreeze, executionContext, followExecution, taskStates } from "../../engine/execution";
import { chargePayment } from "../../handlers/chargePayment";
import type { ParallelInput } from "../../handlers/contract";
import type { PaymentGateway } from "../../handlers/ports/payments";
import { reserveStock } from "../../handlers/reserveStock";
import { retrieveStockLevels } from "../../handlers/retrieveStockLevels";
import { verifyPaymentDetails } from "../../handlers/verifyPaymentDetails";
import { render } from "../../workflow/asl";
import { DYNAMODB_PUT_ITEM, LAMBDA_INVOKE, SNS_PUBLISH, orderWorkflowDefinition } from "../../workflow/definition";
import type { ExecutionReport } from "../../workflow/execution/report";
import { FunctionKey } from "../../workflow/functions";
import { round } from "./common";
import { Order, orderOf } from "./orders";

/** The table name the ceiling's definition names (nothing is written to it). */
export const CEILING_TABLE = "CustomerOrders-ceiling";

export interface CeilingFigures {
  readonly orders: number;
  readonly concurrency: number;
  /** The median run's (by orders/s): one run of 500 orders takes under a second and moves with the load. */
  readonly wallMs: number;
  readonly ordersPerSecond: number;
  readonly cpuMsPerOrder: number;
  /** Executions that ended SUCCEEDED (all of them, or the canned results are not shaped like the real ones). */
  readonly succeeded: number;
  /** How many runs the median is taken over, and the slowest and fastest of them (orders/s). */
  readonly runs: number;
  readonly ordersPerSecondRange: readonly [number, number];
}

/** The definition the engine runs, for a table named `tableName`. */
export function ceilingDefinition(tableName: string = CEILING_TABLE): string {
  return render(orderWorkflowDefinition(localResources(tableName)));
}

/** A gateway that approves everything, at once. */
const APPROVING: PaymentGateway = {
  verify: async () => ({ verified: true, token: "tok_ceiling" }),
  charge: async () => ({ approved: true, chargeId: "ch_ceiling" }),
  refund: async () => ({ refunded: false, refundId: null }),
};

/** What each Lambda returns for `order` on the success path, as the `lambda:invoke` integration answers. */
export async function cannedResults(
  order: Order,
  executionName: string,
): Promise<Partial<Record<FunctionKey, unknown>>> {
  const input: ParallelInput = { order, executionName };
  const verified = await verifyPaymentDetails(input, { gateway: APPROVING, now: () => new Date() });
  const inventory = {
    stockLevels: async (items: readonly unknown[]) => items.map(() => 10),
    takeWrites: () => [],
    giveBackWrites: () => [],
  };
  const stock = await retrieveStockLevels(input, { inventory });
  if (verified.charge === null) throw new Error(`the ceiling's order is not valid: ${verified.rejection?.cause}`);
  const reserved = await reserveStock(
    { orderId: verified.orderId, executionName, item: verified.item, charge: verified.charge },
    {
      inventory,
      reservations: {
        reserve: async () => ({ kind: "reserved" }),
        release: async () => true,
        read: async () => undefined,
      },
    },
  );
  const charged = await chargePayment({ orderId: verified.orderId, charge: verified.charge }, { gateway: APPROVING });
  return deepFreeze({
    verifyPaymentDetails: invokeResponse(verified),
    retrieveStockLevels: invokeResponse(stock),
    reserveStock: invokeResponse(reserved),
    chargePayment: invokeResponse(charged),
  });
}

/** The library's definition, validated once, and its Task handlers, each answering its canned result. */
export async function ceilingMachine(tableName: string = CEILING_TABLE) {
  const definition = JSON.parse(ceilingDefinition(tableName)) as ConstructorParameters<typeof StateMachine>[0];
  new StateMachine(structuredClone(definition), { validationOptions: { checkPaths: true, checkArn: true } });
  deepFreeze(definition);
  const canned = await cannedResults(orderOf(3, "ceiling-order"), "ceiling-execution");
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [name, state] of taskStates(definition)) {
    if (state.Resource === LAMBDA_INVOKE) {
      handlers[name] = async (params) =>
        canned[(params as { FunctionName: string }).FunctionName.split(":").pop() as FunctionKey];
    } else if (state.Resource === DYNAMODB_PUT_ITEM) handlers[name] = async () => ({});
    else if (state.Resource === SNS_PUBLISH) handlers[name] = async () => ({ MessageId: "ceiling-message" });
    else throw new Error(`the ceiling has no canned result for ${name} (${state.Resource})`);
  }
  const overrides = { taskResourceLocalHandlers: handlers as never };
  /** One execution, followed to its end as the engine follows one (its event log read). */
  const run = async (input: unknown, executionName: string) => {
    // As the engine does: one StateMachine per execution, over the definition validated once.
    const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    const execution = machine.run(input as never, { overrides, context: executionContext(executionName) });
    return followExecution(execution);
  };
  return { definition, run };
}

/** One run: `orders` sample orders of 3 items (the throughput batch's), `concurrency` at a time. */
async function ceilingRun(run: CeilingRun, orders: number, concurrency: number) {
  const ids = Array.from({ length: orders }, (_, i) => `ceiling-${orders}-${String(i).padStart(5, "0")}`);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const outcomes = await runPool(ids, (id) => run(orderOf(3, id), id), { concurrency });
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const succeeded = outcomes.filter((o: { status: ExecutionReport["status"] }) => o.status === "SUCCEEDED").length;
  return {
    wallMs: round(wallMs),
    ordersPerSecond: round((orders * 1000) / wallMs),
    cpuMsPerOrder: round((cpu.user + cpu.system) / 1000 / orders, 2),
    succeeded,
  };
}

type CeilingRun = Awaited<ReturnType<typeof ceilingMachine>>["run"];

/**
 * The ceiling on `orders` orders, `concurrency` at a time: the median of `runs` runs by orders/s.
 * A run of 500 orders lasts under a second, so one run moved by a third with the machine's load
 * (426 to 680 orders/s in consecutive runs here); the median of several is the figure compared.
 */
export async function measureCeiling(orders: number, concurrency: number, runs = 5): Promise<CeilingFigures> {
  const { run } = await ceilingMachine();
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await ceilingRun(run, orders, concurrency));
  const sorted = [...all].sort((a, b) => a.ordersPerSecond - b.ordersPerSecond);
  const median = sorted[Math.floor(sorted.length / 2)];
  const range: [number, number] = [sorted[0].ordersPerSecond, sorted[sorted.length - 1].ordersPerSecond];
  return { orders, concurrency, ...median, runs, ordersPerSecondRange: range };
}
