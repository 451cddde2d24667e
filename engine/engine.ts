/**
 * The local engine: runs the deployed definition with aws-local-stepfunctions, the three Lambdas
 * as CallbackFunction bundles them, DynamoDB in dynalite (or any compatible endpoint) through the
 * real AWS SDK, and SNS publishes captured in an outbox. Only ARNs and names differ from AWS.
 */
import { randomUUID } from "crypto";
import { DynamoDBClient, PutItemCommand, PutItemCommandInput } from "@aws-sdk/client-dynamodb";
import { ENV, InventoryMode } from "../handlers/contract";
import { FailureRates, SEED_RATES, mapRates } from "../handlers/ports/config";
import { toJson } from "../handlers/order/json";
import { ATTR, PlainValue, itemToPlain } from "../handlers/order/records";
import { render } from "../workflow/asl";
import {
  DYNAMODB_PUT_ITEM,
  LAMBDA_INVOKE,
  SNS_PUBLISH,
  WorkflowResources,
  orderWorkflowDefinition,
  workflowResources,
} from "../workflow/definition";
import { isCharge, isRefund } from "../workflow/execution/charge";
import { InputTooLargeError, oversizedInput } from "../workflow/execution/inputLimit";
import { reportedOrderId } from "../workflow/execution/orderId";
import type { ExecutionReport, PublishedMessage } from "../workflow/execution/report";
import { JsonLinesFile } from "../handlers/ports/jsonLines";
import { STATE_DIR_TABLE, stateDirLayout } from "./state/stateDir";
import { Stock, readStock, writeStock } from "./inventory";
import { FunctionKey } from "../workflow/functions";
import type { LambdaHandler } from "./bundles";
import { engineDynamo, inventoryTable, loadHandlers } from "./setup";
import { FaultPlan, Faults, chaosEnvironment } from "./faults";
import { Wire, call } from "./wire";
import { integrationClient, invokeResponse, invokeResponseBytes, lambdaError, taskError } from "./integrations";
import { ChaosLogLine, chaosLines } from "../handlers/ports/chaos";
import { VirtualClock } from "./clock";
import { StateLimits } from "./limits";
import { StateMachine } from "./runtime";
import { ensureTable } from "./dynamodb";
import { ACCOUNT, LOCAL_REGION, deepFreeze, executionContext, followExecution, taskStates } from "./execution";
import { EngineIam, WorkflowAccess, engineAccess } from "./iam/access";

export interface EngineOptions {
  /** Simulated failure rates (default: payment 1 in 4, stock 1 in 10, charge 1 in 4). */
  readonly rates?: Partial<FailureRates>;
  /** Seeds the Lambdas' random source so that a run can be reproduced. */
  readonly seed?: string;
  /** Use this DynamoDB-compatible endpoint instead of an embedded dynalite. */
  readonly dynamodbEndpoint?: string;
  /** Faults to inject (see faults.ts); never a change to the definition. */
  readonly faults?: FaultPlan;
  /** Table name (default: a fresh one per engine, so runs never see each other's records). */
  readonly tableName?: string;
  /**
   * Keep the table on disk, the gateway's ledger and the outbox in this folder (engine/state/stateDir.ts),
   * so that a later engine on the same folder finds them. Default: everything in memory.
   */
  readonly stateDir?: string;
  /** Where stock comes from (the stack setting inventoryMode): `simulated` (default, or `table` with `inventory`). */
  readonly inventoryMode?: InventoryMode;
  /**
   * Units available by item id, loaded into the inventory table at start (and then the mode is
   * `table`). With a state dir, an item its table already holds keeps its stock: a resumed run goes on
   * from where the first left the stock.
   */
  readonly inventory?: Stock;
  /** The inventory table's name (default: a fresh one per engine, or the state dir's). */
  readonly inventoryTableName?: string;
  /**
   * IAM (engine/iam/): every call is authorized by the stack's policies (default: the project's stack
   * under mocks; `policies` replaces its policies, e.g. with a statement removed). `false` turns it off.
   */
  readonly iam?: EngineIam;
}

/** The names the local definition uses where AWS has ARNs: each function's ends with its key. */
export function localResources(tableName: string): WorkflowResources {
  return workflowResources(
    (key) => `arn:aws:lambda:${LOCAL_REGION}:${ACCOUNT}:function:${key}`,
    tableName,
    `arn:aws:sns:${LOCAL_REGION}:${ACCOUNT}:order-notifications`,
  );
}

export class LocalWorkflow {
  private constructor(
    public readonly definition: string,
    public readonly tableName: string,
    /** The state machine's DynamoDB (engine/wire.ts, through any injected fault), or a client where nothing answers. */
    private readonly dynamo: Wire | DynamoDBClient,
    /** A direct client, to set up and read the tables. */
    private readonly inspector: DynamoDBClient,
    /** DynamoDB without faults (engine/wire.ts): records are read back here, without the SDK. */
    private readonly table: Wire,
    private readonly handlers: Record<FunctionKey, LambdaHandler>,
    /** Where this engine's Lambdas find DynamoDB (the environment variable AWS sets for endpoints). */
    private readonly lambdaEndpoint: string,
    private readonly faults: Faults,
    /** The inventory table (read and loaded directly, never through an injected fault). */
    public readonly inventoryTableName: string,
    /** Every line the Lambdas logged, as CloudWatch Logs would hold them. */
    public readonly lambdaLogs: string[],
    private readonly stop: () => Promise<void>,
  ) {
    this.machine = JSON.parse(definition) as MachineDefinition;
    // The library's own validation (schema, paths, ARNs) of what every run will execute, on a copy:
    // the validator writes its defaults (QueryLanguage) into what it checks.
    new StateMachine(structuredClone(this.machine), { validationOptions: { checkPaths: true, checkArn: true } });
    deepFreeze(this.machine);
    this.tasks = taskStates(this.machine);
  }

  /** The definition, parsed once: every run executes this object (frozen: no run can change it for the next). */
  private readonly machine: MachineDefinition;
  private readonly tasks: ReadonlyArray<[string, { Resource: string }]>;

  /** Starts the engine: DynamoDB (embedded unless an endpoint is given), the table, the bundles. */
  static async start(options: EngineOptions = {}): Promise<LocalWorkflow> {
    const rates = { ...SEED_RATES, ...options.rates };
    const layout = options.stateDir === undefined ? undefined : stateDirLayout(options.stateDir);
    const faults = new Faults(options.faults ?? {});
    // One chain in front of the table, answered in this process: IAM, faults, transactions (setup.ts).
    const db = await engineDynamo(options, faults, layout?.table);
    const lambdaEndpoint = db.lambdaEndpoint;

    // The Lambdas' SDK clients find the endpoint, region and credentials where AWS puts them: the environment.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = lambdaEndpoint;
    process.env.AWS_REGION ??= LOCAL_REGION;
    process.env.AWS_ACCESS_KEY_ID ??= "local";
    process.env.AWS_SECRET_ACCESS_KEY ??= "local";

    const dynamo = integrationClient(db.stateMachineEndpoint);
    const inspector = integrationClient(db.directEndpoint);
    const tableName = options.tableName ?? (layout ? STATE_DIR_TABLE : `CustomerOrders-${randomUUID().slice(0, 8)}`);
    await ensureTable(inspector, tableName);
    const inventoryTableName = await inventoryTable(inspector, options, layout !== undefined);

    const seed: Record<string, string> = options.seed === undefined ? {} : { [ENV.randomSeed]: options.seed };
    // Only the local engine names a ledger: a deployed stack's gateway has none (adapters.ts).
    const chaos = chaosEnvironment(faults, layout?.ledger);
    Object.assign(seed, chaos.env);
    const mode = options.inventoryMode ?? (options.inventory === undefined ? "simulated" : "table");
    const settings = { rates: mapRates(rates, String), tableName, inventory: { mode, tableName: inventoryTableName } };
    const lambdaLogs: string[] = [];
    const iam: { access?: WorkflowAccess } = {}; // read by the log sinks: a role that may not log keeps no lines
    const mayLog = (functionArn: string) => iam.access?.mayLog(functionArn) ?? true;
    const log = (functionArn: string, line: string) => void (mayLog(functionArn) && lambdaLogs.push(line));
    const { handlers, environments } = await loadHandlers(localResources(tableName), settings, seed, log);
    const definition = render(orderWorkflowDefinition(localResources(tableName)));
    const access = await engineAccess(options.iam, definition, environments).catch(async (error: unknown) => {
      [dynamo, inspector].forEach((c) => c.destroy());
      await db.close();
      throw error;
    });
    const outbox = layout === undefined ? undefined : JsonLinesFile.open(layout.outbox, (line) => line);
    const workflow = new LocalWorkflow(
      definition,
      tableName,
      db.stateMachine ?? dynamo,
      inspector,
      db.direct,
      handlers,
      lambdaEndpoint,
      faults,
      inventoryTableName,
      lambdaLogs,
      async () => {
        outbox?.close();
        dynamo.destroy();
        inspector.destroy();
        access?.close();
        await db.close();
        chaos.close();
      },
    );
    workflow.outbox = outbox;
    workflow.ledgerFile = chaos.ledgerFile;
    workflow.access = iam.access = access;
    return workflow;
  }

  /** The simulated gateway's ledger (charges.jsonl), when this engine keeps one: with --state-dir, or with chaos. */
  ledgerFile?: string;

  /** Every chaos decision of this engine's runs, at every edge: the engine's Tasks, the DynamoDB fault layer, the gateway. */
  chaosCalls(): ChaosLogLine[] {
    return [...this.faults.chaosCalls, ...chaosLines(this.lambdaLogs)];
  }

  /** With a state dir: every message published, on disk before the publish answers. */
  private outbox?: JsonLinesFile<unknown>;

  /** IAM (engine/iam/access.ts): undefined with `iam: false`. */
  access?: WorkflowAccess;

  /**
   * Runs one order; a failed execution is a report, not an exception. Throws InputTooLargeError, as
   * StartExecution refuses, when the input is over Step Functions' limit.
   */
  async run(input: unknown, executionName: string = randomUUID()): Promise<ExecutionReport> {
    const oversized = oversizedInput(input);
    if (oversized !== undefined) throw new InputTooLargeError(oversized);
    // Validated once, in the constructor; building it again per run costs ~0.3 s of CPU.
    const machine = new StateMachine(this.machine, { validationOptions: { noValidate: true } });
    // The patched library's hooks (engine/patches.ts): the virtual clock, and the payload quota on every state.
    const limits = new StateLimits();
    const tally: RunTally = { published: [], charged: false, lambdaInvocations: 0, clock: new VirtualClock(), limits };
    const options = {
      overrides: this.overrides(executionName, tally),
      context: executionContext(executionName),
      clock: tally.clock,
      limits,
    };
    const execution = machine.run(input as never, options);
    const { states, transitions, status, failure } = await followExecution(execution);
    const notifications = tally.published.map((n) => n.message);
    const orderId = reportedOrderId(input, executionName, notifications);
    const { charged, published, lambdaInvocations } = tally;
    const [error, cause] = [failure?.error ?? null, failure?.cause ?? null];
    const record = await this.readRecord(orderId);
    const [maxStateBytes, elapsedMs] = [limits.maxStateBytes, tally.clock.elapsedMs];
    return {
      orderId,
      executionName,
      status,
      error,
      cause,
      states,
      transitions,
      charged,
      record,
      notifications,
      published,
      lambdaInvocations,
      maxStateBytes,
      elapsedMs,
    };
  }

  /** The integrations of one execution: every Task state runs here (retries wait on the virtual clock). */
  private overrides(executionName: string, tally: RunTally): RunOverrides {
    const taskResourceLocalHandlers: Record<string, TaskHandler> = {};
    for (const [name, state] of this.tasks) {
      if (state.Resource === LAMBDA_INVOKE)
        taskResourceLocalHandlers[name] = this.lambdaTask(name, executionName, tally);
      else if (state.Resource === DYNAMODB_PUT_ITEM)
        taskResourceLocalHandlers[name] = this.chaotic(name, state.Resource, executionName, (p) => this.putItem(p));
      else if (state.Resource === SNS_PUBLISH)
        taskResourceLocalHandlers[name] = this.chaotic(name, state.Resource, executionName, (p) =>
          this.publish(p, executionName, tally),
        );
      else throw new Error(`The local engine cannot run ${name}: no integration for ${state.Resource}`);
    }
    const access = this.access;
    if (access !== undefined) {
      for (const [name, state] of this.tasks) {
        const run = taskResourceLocalHandlers[name];
        taskResourceLocalHandlers[name] = async (params) => {
          await access.authorizeTask(state.Resource, params);
          return run(params);
        };
      }
    }
    return { taskResourceLocalHandlers: taskResourceLocalHandlers as never };
  }

  /** An integration under chaos (Faults.task): it may fail before its effect, or after it with the answer lost. */
  private chaotic(state: string, resource: string, executionName: string, integration: TaskHandler): TaskHandler {
    return (params) => this.faults.task(state, resource, executionName, () => integration(params));
  }

  /** The `lambda:invoke` integration of Task state `state`: the bundled handler, JSON in and JSON out. */
  private lambdaTask(state: string, executionName: string, tally: RunTally): TaskHandler {
    return async (params) => {
      const { FunctionName, Payload } = params as { FunctionName: string; Payload: unknown };
      const fn = FunctionName.split(":").pop() as FunctionKey;
      tally.lambdaInvocations++;
      await this.faults.beforeInvoke(fn, executionName, tally.clock);
      // JSON in, JSON out, as across the Lambda API.
      const event = JSON.parse(toJson(Payload ?? null)) as unknown;
      // The variable is process-wide, and a handler's client resolves it on its first call: set it
      // for this engine's handlers, so that engines with different endpoints can share a process.
      if (process.env.AWS_ENDPOINT_URL_DYNAMODB !== this.lambdaEndpoint)
        process.env.AWS_ENDPOINT_URL_DYNAMODB = this.lambdaEndpoint;
      const invocation = async () => {
        try {
          const invoke = () => this.handlers[fn](event, { functionName: fn, awsRequestId: randomUUID() });
          return await (this.access === undefined ? invoke() : this.access.asFunction(FunctionName, invoke));
        } catch (error) {
          throw lambdaError(error);
        }
      };
      // Under chaos the invocation may fail before the function runs, or after, its answer lost: then no charge is seen.
      const result = await this.faults.task(state, LAMBDA_INVOKE, executionName, invocation);
      const text = toJson(result ?? null);
      const payloadBytes = Buffer.byteLength(text, "utf8");
      const response = invokeResponse(JSON.parse(text) as unknown, payloadBytes);
      // The state's check of this result (limits.ts) takes its size from the payload's text, already made.
      tally.limits.measured(response, invokeResponseBytes(response, payloadBytes));
      if (isCharge(state, response.Payload)) tally.charged = true;
      if (isRefund(state, response.Payload)) tally.charged = false;
      return response;
    };
  }

  /** The `dynamodb:putItem` integration, through any injected fault: its parameters are the API's JSON. */
  private async putItem(params: unknown): Promise<unknown> {
    try {
      if (typeof this.dynamo === "function") await call(this.dynamo, "PutItem", params);
      else await this.dynamo.send(new PutItemCommand(params as PutItemCommandInput));
      return {};
    } catch (error) {
      const e = error as Error;
      throw taskError(`DynamoDB.${e.name}`, e.message);
    }
  }

  /** The `sns:publish` integration: the message is kept, as SNS received it. */
  private async publish(params: unknown, executionName: string, tally: RunTally): Promise<unknown> {
    await this.faults.beforePublish(executionName);
    const p = params as {
      TopicArn: string;
      Message: string;
      MessageAttributes?: Record<string, { StringValue: string }>;
    };
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.MessageAttributes ?? {})) attributes[k] = v.StringValue;
    const message = JSON.parse(p.Message) as unknown;
    this.outbox?.append(message);
    tally.published.push({ topicArn: p.TopicArn, message, attributes });
    return { MessageId: randomUUID() };
  }

  /** The order's record as it stands after the run, as plain JSON. */
  async readRecord(orderId: string): Promise<{ [key: string]: PlainValue } | null> {
    try {
      const { Item } = await call<{ Item?: Record<string, unknown> }>(this.table, "GetItem", {
        TableName: this.tableName,
        Key: { [ATTR.orderId]: { S: orderId } },
        ConsistentRead: true,
      });
      return Item ? itemToPlain(Item as Parameters<typeof itemToPlain>[0]) : null;
    } catch (error) {
      // An id DynamoDB cannot hold as a key (empty, too long) has no record; anything else is a fault.
      if ((error as Error).name === "ValidationException") return null;
      throw error;
    }
  }

  /** Sets each item's units available in the inventory table (`npm start -- --inventory FILE`). */
  async loadInventory(stock: Stock): Promise<void> {
    await writeStock(this.inspector, this.inventoryTableName, stock);
  }

  /** The inventory table as it stands: units available by item id (`--inventory-out FILE`). */
  async readInventory(): Promise<Stock> {
    return readStock(this.inspector, this.inventoryTableName);
  }

  async close(): Promise<void> {
    await this.stop();
  }
}

/** The definition as aws-local-stepfunctions takes it. */
type MachineDefinition = ConstructorParameters<typeof StateMachine>[0];
type TaskHandler = (input: unknown) => Promise<unknown>;
type RunOverrides = { taskResourceLocalHandlers: never };

/** What one execution's integrations saw: the messages published, a charge made, the Lambda calls. */
interface RunTally {
  readonly published: PublishedMessage[];
  charged: boolean;
  lambdaInvocations: number;
  /** The execution's virtual clock (engine/clock.ts). */
  readonly clock: VirtualClock;
  /** The execution's payload quotas (engine/limits.ts). */
  readonly limits: StateLimits;
}
