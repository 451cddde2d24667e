/**
 * What a local engine sets up before its first run: DynamoDB in front of its table, the functions'
 * bundles, each with its environment, and the inventory table with the stock it starts from.
 */
import { randomUUID } from "crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { INVENTORY_TABLE_KEY } from "../handlers/contract";
import type { WorkflowResources } from "../workflow/definition";
import {
  FUNCTION_KEYS,
  FunctionKey,
  FunctionSettings,
  WORKFLOW_FUNCTIONS,
  functionEnvironment,
} from "../workflow/functions";
import { LambdaHandler, loadBundle, serializeFactory } from "./bundles";
import { ensureTable, startDynalite } from "./dynamodb";
import { DEAD_ENDPOINT, Faults, faultyWires } from "./faults";
import { Front, serveFront, servedWire } from "./front";
import { guardLayer } from "./iam/callers";
import { transactionLayer } from "./transactions";
import { Wire, httpWire } from "./wire";
import type { EngineOptions } from "./engine";
import { writeStock } from "./inventory";
import { STATE_DIR_INVENTORY } from "./state/stateDir";

/**
 * The inventory table, created unless it exists (in a state dir, `Inventory`), loaded with
 * `options.inventory`; in a state dir an item it already holds keeps its stock (a resumed run).
 */
export async function inventoryTable(
  dynamo: DynamoDBClient,
  options: EngineOptions,
  durable: boolean,
): Promise<string> {
  const name = options.inventoryTableName ?? (durable ? STATE_DIR_INVENTORY : `Inventory-${randomUUID().slice(0, 8)}`);
  await ensureTable(dynamo, name, INVENTORY_TABLE_KEY);
  if (options.inventory !== undefined) await writeStock(dynamo, name, options.inventory, { keepExisting: durable });
  return name;
}

/**
 * Every function's bundle, loaded with its environment (and the run's seed), its log lines going to
 * `log`; and each function's environment by its local ARN (IAM pairs its table names with the stack's).
 */
export async function loadHandlers(
  resources: WorkflowResources,
  settings: FunctionSettings<string>,
  seed: Record<string, string>,
  log: (functionArn: string, line: string) => void,
) {
  const handlers = {} as Record<FunctionKey, LambdaHandler>;
  const environments: Record<string, Record<string, string>> = {};
  for (const name of FUNCTION_KEYS) {
    const text = await serializeFactory(WORKFLOW_FUNCTIONS[name].factory);
    const functionArn = resources[`${name}Function`];
    environments[functionArn] = functionEnvironment(name, settings);
    handlers[name] = loadBundle(text, { ...environments[functionArn], ...seed }, (line) => log(functionArn, line));
  }
  return { handlers, environments };
}

/** DynamoDB as the engine's parts meet it: each an endpoint served in this process (engine/front.ts). */
export interface EngineDynamo {
  /** DynamoDB with transactions, without faults: reading records back. */
  readonly direct: Wire;
  /** `direct`'s endpoint: setting up the tables, reading the inventory. */
  readonly directEndpoint: string;
  /** The state machine's integrations' (throttled), undefined where nothing answers; and its endpoint. */
  readonly stateMachine: Wire | undefined;
  readonly stateMachineEndpoint: string;
  /** The Lambdas' (the same, then chaos, then IAM first). */
  readonly lambdaEndpoint: string;
  close(): Promise<void>;
}

/**
 * One chain of layers (engine/wire.ts) in front of the table: IAM (the Lambdas' requests), faults,
 * transactions, then dynalite's listener (embedded, on disk under `tablePath` or in memory), or the
 * given endpoint (directly when it is served in this process, else over HTTP).
 */
export async function engineDynamo(options: EngineOptions, faults: Faults, tablePath?: string): Promise<EngineDynamo> {
  const given = options.dynamodbEndpoint;
  const embedded = given === undefined ? await startDynalite(tablePath) : undefined;
  const ours = embedded?.wire ?? servedWire(given as string);
  const remote = ours === undefined ? httpWire(given as string) : undefined;
  const direct = transactionLayer(ours ?? (remote as { wire: Wire }).wire);
  const faulty = faultyWires(faults, direct);
  const fronts: Front[] = [await serveFront(direct)];
  const serve = async (wire: Wire | undefined) => {
    if (wire === undefined) return DEAD_ENDPOINT;
    fronts.push(await serveFront(wire));
    return fronts[fronts.length - 1].endpoint;
  };
  return {
    direct,
    directEndpoint: fronts[0].endpoint,
    stateMachine: faulty.stateMachine,
    stateMachineEndpoint: await serve(faulty.stateMachine),
    lambdaEndpoint: await serve(faulty.lambdas && guardLayer(faulty.lambdas)),
    close: async () => {
      for (const front of fronts) await front.close();
      remote?.close();
      await embedded?.close();
    },
  };
}
