/**
 * Per order of 1, 3 and 50 items on the success path: state transitions, Lambda invocations, the
 * record's write units and the notification's publishes, priced by cost.ts, STANDARD and EXPRESS;
 * and the transitions model (fixed + per item) those orders give.
 */
import { AttributeValue, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { ORDERS_TABLE_KEY } from "../../handlers/contract";
import { FUNCTION_KEYS, FunctionKey, WORKFLOW_FUNCTIONS } from "../../workflow/functions";
import { LocalWorkflow } from "../../engine/engine";
import type { ExecutionReport } from "../../workflow/execution/report";
import { Dynamo, log, round } from "./common";
import {
  Architecture,
  CostPerMillion,
  DynamoValue,
  OrderUsage,
  dynamoItemBytes,
  expressCostPerMillion,
  readRequestUnits,
  snsRequests,
  standardCostPerMillion,
  writeRequestUnits,
} from "./cost";
import type { HandlerFigures } from "./handlers";
import { ORDER_SIZES, RATES_OFF, orderOf } from "./orders";

/** Express execution memory: the definition and the payloads are far below one 64 MB chunk. */
export const EXPRESS_MEMORY_MB = 64;

export interface PerOrder {
  readonly items: number;
  readonly status: string;
  readonly transitions: number;
  readonly lambdaInvocations: number;
  readonly states: string[];
  /** Billed ms per invocation used for the price: each function's measured mean, rounded up per invocation. */
  readonly lambdaBilledMs: Record<FunctionKey, number>;
  readonly dynamo: {
    readonly recordBytes: number;
    readonly claimWriteUnits: number;
    readonly finalWriteUnits: number;
    /** Success path: 0 (the charge Lambda reads only when its claim is refused: a retry or a duplicate). */
    readonly readUnits: number;
    /** What a read would cost if the claim were refused, for reference. */
    readonly readUnitsIfClaimRefused: number;
  };
  readonly snsRequests: number;
  readonly notificationBytes: number;
  readonly usdPerMillionOrders: CostPerMillion;
  readonly express: {
    readonly warm: { readonly assumedDurationMs: number; readonly usdPerMillionOrders: CostPerMillion };
    readonly cold: { readonly assumedDurationMs: number; readonly usdPerMillionOrders: CostPerMillion };
  };
}

export interface PerOrderSettings {
  readonly memoryMb: number;
  readonly architecture: Architecture;
  /** Stated Express execution durations, warm and with cold starts. */
  readonly expressMs: number;
  readonly expressColdMs: number;
}

export function toDynamoValue(value: AttributeValue): DynamoValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: value.B };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: true };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.L !== undefined) return { L: value.L.map(toDynamoValue) };
  if (value.M !== undefined) return { M: toItem(value.M) };
  throw new Error(`an attribute value of a kind the record never holds: ${JSON.stringify(value)}`);
}

export function toItem(item: Record<string, AttributeValue>): Record<string, DynamoValue> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toDynamoValue(v)]));
}

/** What SNS bills a publish by: the message and its attributes (name, data type and value). */
export function publishBytes(message: unknown, attributes: Record<string, string>): number {
  const attributeBytes = Object.entries(attributes).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(`${name}String${value}`),
    0,
  );
  return Buffer.byteLength(JSON.stringify(message)) + attributeBytes;
}

/** USD figures to a millionth of a dollar (per million orders: well below what any line is worth). */
export const roundCost = (c: CostPerMillion): CostPerMillion => ({
  stepFunctions: round(c.stepFunctions, 6),
  lambdaRequests: round(c.lambdaRequests, 6),
  lambdaDuration: round(c.lambdaDuration, 6),
  dynamoWrites: round(c.dynamoWrites, 6),
  dynamoReads: round(c.dynamoReads, 6),
  sns: round(c.sns, 6),
  total: round(c.total, 6),
});

/** The record's write units: the claim (the same record as PROCESSING, without the charge id), then the final put replacing it. */
export function recordWrites(final: Record<string, DynamoValue>): PerOrder["dynamo"] {
  const claim: Record<string, DynamoValue> = { ...final, State: { S: "PROCESSING" } };
  delete claim.ChargeId;
  const recordBytes = dynamoItemBytes(final);
  const claimBytes = dynamoItemBytes(claim);
  // A put that replaces an item is billed on the larger of the two.
  return {
    recordBytes,
    claimWriteUnits: writeRequestUnits(claimBytes),
    finalWriteUnits: writeRequestUnits(recordBytes, claimBytes),
    readUnits: 0,
    readUnitsIfClaimRefused: readRequestUnits(recordBytes),
  };
}

/** The functions an execution invoked (the success path invokes neither compensation). */
export function invokedOn(report: Pick<ExecutionReport, "states">): FunctionKey[] {
  return FUNCTION_KEYS.filter((name) => report.states.includes(WORKFLOW_FUNCTIONS[name].state));
}

/** An order's figures and prices, from its execution, its record and each function's billed duration. */
export function perOrderFigures(
  items: number,
  report: ExecutionReport,
  record: Record<string, DynamoValue>,
  lambdaBilledMs: Record<FunctionKey, number>,
  settings: PerOrderSettings,
): PerOrder {
  const dynamo = recordWrites(record);
  const notificationBytes = publishBytes(report.notifications[0], { state: "PROCESSED" });
  const usage: OrderUsage = {
    transitions: report.transitions,
    lambdaBilledMs: invokedOn(report).map((name) => lambdaBilledMs[name]),
    lambdaMemoryMb: settings.memoryMb,
    architecture: settings.architecture,
    dynamoWriteUnits: dynamo.claimWriteUnits + dynamo.finalWriteUnits,
    dynamoReadUnits: 0,
    snsRequests: snsRequests(notificationBytes),
  };
  const express = (durationMs: number) => ({
    assumedDurationMs: durationMs,
    usdPerMillionOrders: roundCost(expressCostPerMillion(usage, { durationMs, memoryMb: EXPRESS_MEMORY_MB })),
  });
  return {
    items,
    status: report.status,
    transitions: report.transitions,
    lambdaInvocations: report.lambdaInvocations,
    states: report.states,
    lambdaBilledMs,
    dynamo,
    snsRequests: usage.snsRequests,
    notificationBytes,
    usdPerMillionOrders: roundCost(standardCostPerMillion(usage)),
    express: { warm: express(settings.expressMs), cold: express(settings.expressColdMs) },
  };
}

async function measureOrder(
  engine: LocalWorkflow,
  dynamo: Dynamo,
  items: number,
): Promise<{ report: ExecutionReport; record: Record<string, DynamoValue> }> {
  const orderId = `bench-order-${items}`;
  const report = await engine.run(orderOf(items, orderId), `bench-exec-${items}`);
  if (report.status !== "SUCCEEDED") throw new Error(`the ${items}-item order failed: ${report.error} ${report.cause}`);
  const { Item } = await dynamo.client.send(
    new GetItemCommand({
      TableName: engine.tableName,
      Key: { [ORDERS_TABLE_KEY]: { S: orderId } },
      ConsistentRead: true,
    }),
  );
  if (!Item) throw new Error(`the ${items}-item order left no record`);
  if (report.lambdaInvocations !== invokedOn(report).length) {
    throw new Error(
      `the ${items}-item order made ${report.lambdaInvocations} Lambda invocations, not one per function on its path`,
    );
  }
  return { report, record: toItem(Item) };
}

export async function measurePerOrder(
  dynamo: Dynamo,
  handlers: Record<FunctionKey, Record<number, HandlerFigures>>,
  settings: PerOrderSettings,
): Promise<{ perOrder: Record<string, PerOrder>; definitionBytes: number }> {
  const engine = await LocalWorkflow.start({ rates: RATES_OFF, dynamodbEndpoint: dynamo.endpoint, seed: "bench" });
  try {
    const perOrder: Record<string, PerOrder> = {};
    for (const items of ORDER_SIZES) {
      const { report, record } = await measureOrder(engine, dynamo, items);
      const lambdaBilledMs = {} as Record<FunctionKey, number>;
      for (const name of FUNCTION_KEYS) lambdaBilledMs[name] = round(handlers[name][items].durations.billedMean, 3);
      const figures = perOrderFigures(items, report, record, lambdaBilledMs, settings);
      perOrder[String(items)] = figures;
      log(
        `  ${items} items: ${report.transitions} transitions, ${report.lambdaInvocations} invocations, record ${figures.dynamo.recordBytes} B`,
      );
    }
    return { perOrder, definitionBytes: Buffer.byteLength(engine.definition) };
  } finally {
    await engine.close();
  }
}

/** State transitions as fixed + per item: the steepest slope between the measured sizes, through the smallest. */
export function transitionsModel(perOrder: Readonly<Record<string, Pick<PerOrder, "transitions">>>): {
  fixed: number;
  perItem: number;
} {
  const t = (items: number) => perOrder[String(items)].transitions;
  const slopes = ORDER_SIZES.slice(1).map((items, i) => (t(items) - t(ORDER_SIZES[i])) / (items - ORDER_SIZES[i]));
  const perItem = Math.max(...slopes);
  return { fixed: t(ORDER_SIZES[0]) - perItem * ORDER_SIZES[0], perItem };
}
