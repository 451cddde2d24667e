/**
 * What a local engine sets up before its first run: the functions' bundles, each with its
 * environment, and the inventory table with the stock it starts from.
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
import { ensureTable } from "./dynamodb";
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
