/**
 * The local engine: runs the deployed definition with aws-local-stepfunctions, the three Lambdas
 * as CallbackFunction bundles them, DynamoDB in dynalite (or any compatible endpoint) through the
 * real AWS SDK, and SNS publishes captured in an outbox. Only ARNs and names differ from AWS.
 */
import { randomUUID } from "crypto";
import { DynamoDBClient, GetItemCommand, PutItemCommand, PutItemCommandInput } from "@aws-sdk/client-dynamodb";
import { ENV } from "../handlers/contract";
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
import { isCharge } from "../workflow/execution/charge";
import { InputTooLargeError, oversizedInput } from "../workflow/execution/inputLimit";
import { reportedOrderId } from "../workflow/execution/orderId";
import type { ExecutionReport, PublishedMessage } from "../workflow/execution/report";
import { CHARGE_LEDGER_ENV } from "../handlers/ports/chargeLedger";
import { JsonLinesFile } from "../handlers/ports/jsonLines";
import { STATE_DIR_TABLE, stateDirLayout } from "./state/stateDir";
import { FUNCTION_KEYS, FunctionKey, WORKFLOW_FUNCTIONS, functionEnvironment } from "../workflow/functions";
import { LambdaHandler, loadBundle, serializeFactory } from "./bundles";
import { DEAD_ENDPOINT, FaultPlan, Faults, startThrottlingProxy } from "./faults";
import { VirtualClock } from "./clock";
import { StateLimits } from "./limits";
import { StateMachine } from "./runtime";
import { ensureTable, startDynalite } from "./dynamodb";
import { ACCOUNT, LOCAL_REGION, deepFreeze, executionContext, followExecution, taskStates } from "./execution";
import { EngineIam, WorkflowAccess, engineAccess } from "./iam/access";
import { guardedEndpoint, isGuarded } from "./iam/callers";

export interface EngineOptions {
  /** Simulated failure rates (default: the seed's). */
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

/** An error as Step Functions reports a failed integration: its name is the error, its message the cause. */
function taskError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/** A Lambda's error as the `lambda:invoke` integration surfaces it: Error = errorType, Cause = the JSON body. */
function lambdaError(error: unknown): Error {
  const errorType = error instanceof Error ? error.name : "Error";
  const errorMessage = error instanceof Error ? error.message : String(error);
  return taskError(errorType, JSON.stringify({ errorType, errorMessage, trace: [] }));
}

export class LocalWorkflow {
  private constructor(
    public readonly definition: string,
    public readonly tableName: string,
    /** The client the state machine's DynamoDB integration uses (through any injected fault). */
    private readonly dynamo: DynamoDBClient,
    /** A direct client, to read records back after a run. */
    private readonly inspector: DynamoDBClient,
    private readonly handlers: Record<FunctionKey, LambdaHandler>,
    /** Where this engine's Lambdas find DynamoDB (the environment variable AWS sets for endpoints). */
    private readonly lambdaEndpoint: string,
    private readonly faults: Faults,
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
    const embedded = options.dynamodbEndpoint === undefined ? await startDynalite(layout?.table) : undefined;
    const endpoint = options.dynamodbEndpoint ?? (embedded as { endpoint: string }).endpoint;
    const faults = new Faults(options.faults ?? {});
    const proxy =
      faults.dynamodbThrottled > 0 ? await startThrottlingProxy(endpoint, faults.dynamodbThrottled) : undefined;
    // Everything that talks to DynamoDB during a run meets the injected fault; reading back does not.
    const faultyEndpoint = faults.dynamodbUnreachable ? DEAD_ENDPOINT : (proxy?.endpoint ?? endpoint);
    // Every Lambda's DynamoDB request meets IAM (engine/iam/callers.ts): in our dynalite, or in a proxy before another.
    const decides = options.iam === false || isGuarded(endpoint) || faults.dynamodbUnreachable;
    const { endpoint: lambdaEndpoint, close: closeIamProxy } = await guardedEndpoint(faultyEndpoint, decides);

    // The Lambdas' SDK clients find the endpoint, region and credentials where AWS puts them: the environment.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = lambdaEndpoint;
    process.env.AWS_REGION ??= LOCAL_REGION;
    process.env.AWS_ACCESS_KEY_ID ??= "local";
    process.env.AWS_SECRET_ACCESS_KEY ??= "local";

    const client = (url: string) =>
      new DynamoDBClient({
        endpoint: url,
        region: process.env.AWS_REGION,
        credentials: {
          accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "local",
          secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
        },
        // Step Functions' integrations do not retry on their own; the definition's Retry does.
        maxAttempts: 1,
      });
    const dynamo = client(faultyEndpoint);
    const inspector = client(endpoint);
    const tableName = options.tableName ?? (layout ? STATE_DIR_TABLE : `CustomerOrders-${randomUUID().slice(0, 8)}`);
    await ensureTable(inspector, tableName);

    const seed: Record<string, string> = options.seed === undefined ? {} : { [ENV.randomSeed]: options.seed };
    // Only the local engine names a ledger: a deployed stack's gateway has none (adapters.ts).
    if (layout !== undefined) seed[CHARGE_LEDGER_ENV] = layout.ledger;
    const settings = { rates: mapRates(rates, String), tableName };
    const lambdaLogs: string[] = [];
    const iam: { access?: WorkflowAccess } = {}; // read by the log sinks: a role that may not log keeps no lines
    const handlers = {} as Record<FunctionKey, LambdaHandler>;
    for (const name of FUNCTION_KEYS) {
      const text = await serializeFactory(WORKFLOW_FUNCTIONS[name].factory);
      const functionArn = localResources(tableName)[`${name}Function`];
      handlers[name] = loadBundle(text, { ...functionEnvironment(name, settings), ...seed }, (line) => {
        if (iam.access?.mayLog(functionArn) ?? true) lambdaLogs.push(line);
      });
    }
    const definition = render(orderWorkflowDefinition(localResources(tableName)));
    const access = await engineAccess(options.iam, definition).catch(async (error: unknown) => {
      [dynamo, inspector].forEach((c) => c.destroy());
      await Promise.all([closeIamProxy(), proxy?.close(), embedded?.close()]);
      throw error;
    });
    const outbox = layout === undefined ? undefined : JsonLinesFile.open(layout.outbox, (line) => line);
    const workflow = new LocalWorkflow(
      definition,
      tableName,
      dynamo,
      inspector,
      handlers,
      lambdaEndpoint,
      faults,
      lambdaLogs,
      async () => {
        outbox?.close();
        dynamo.destroy();
        inspector.destroy();
        await proxy?.close();
        access?.close();
        await closeIamProxy();
        await embedded?.close();
      },
    );
    workflow.outbox = outbox;
    workflow.access = iam.access = access;
    return workflow;
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
    const tally: RunTally = { published: [], charged: false, lambdaInvocations: 0, clock: new VirtualClock() };
    // The patched library's hooks (engine/patches.ts): the virtual clock, and the payload quota on every state.
    const limits = new StateLimits();
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
      else if (state.Resource === DYNAMODB_PUT_ITEM) taskResourceLocalHandlers[name] = (params) => this.putItem(params);
      else if (state.Resource === SNS_PUBLISH)
        taskResourceLocalHandlers[name] = (params) => this.publish(params, executionName, tally);
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

  /** The `lambda:invoke` integration of Task state `state`: the bundled handler, JSON in and JSON out. */
  private lambdaTask(state: string, executionName: string, tally: RunTally): TaskHandler {
    return async (params) => {
      const { FunctionName, Payload } = params as { FunctionName: string; Payload: unknown };
      const fn = FunctionName.split(":").pop() as FunctionKey;
      tally.lambdaInvocations++;
      await this.faults.beforeInvoke(fn, executionName, tally.clock);
      // JSON in, JSON out, as across the Lambda API.
      const event = JSON.parse(toJson(Payload ?? null)) as unknown;
      let result: unknown;
      // The variable is process-wide, and a handler's client resolves it on its first call: set it
      // for this engine's handlers, so that engines with different endpoints can share a process.
      process.env.AWS_ENDPOINT_URL_DYNAMODB = this.lambdaEndpoint;
      try {
        const invoke = () => this.handlers[fn](event, { functionName: fn, awsRequestId: randomUUID() });
        result = await (this.access === undefined ? invoke() : this.access.asFunction(FunctionName, invoke));
      } catch (error) {
        throw lambdaError(error);
      }
      const response = invokeResponse(JSON.parse(toJson(result ?? null)) as unknown);
      if (isCharge(state, response.Payload)) tally.charged = true;
      return response;
    };
  }

  /** The `dynamodb:putItem` integration, through any injected fault. */
  private async putItem(params: unknown): Promise<unknown> {
    try {
      await this.dynamo.send(new PutItemCommand(params as PutItemCommandInput));
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
      const { Item } = await this.inspector.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [ATTR.orderId]: { S: orderId } },
          ConsistentRead: true,
        }),
      );
      return Item ? itemToPlain(Item as Parameters<typeof itemToPlain>[0]) : null;
    } catch (error) {
      // An id DynamoDB cannot hold as a key (empty, too long) has no record; anything else is a fault.
      if ((error as Error).name === "ValidationException") return null;
      throw error;
    }
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
}

/**
 * What the `lambda:invoke` integration returns for a synchronous invocation: the Invoke API's
 * response with the SDK's metadata, as Step Functions passes it to the state (and counts it).
 */
function invokeResponse(payload: unknown) {
  const requestId = randomUUID();
  const headers: Record<string, string> = {
    Connection: "keep-alive",
    "Content-Length": String(Buffer.byteLength(JSON.stringify(payload), "utf8")),
    "Content-Type": "application/json",
    Date: new Date().toUTCString(),
    "X-Amz-Executed-Version": "$LATEST",
    "x-amzn-Remapped-Content-Length": "0",
    "x-amzn-RequestId": requestId,
    "X-Amzn-Trace-Id": `Root=1-${randomUUID().replaceAll("-", "").slice(0, 8)}-${randomUUID().replaceAll("-", "").slice(0, 24)};Sampled=0`,
  };
  const allHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  return {
    ExecutedVersion: "$LATEST",
    Payload: payload,
    SdkHttpMetadata: { AllHttpHeaders: allHeaders, HttpHeaders: headers, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}
