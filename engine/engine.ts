/**
 * The local engine: runs the deployed definition with aws-local-stepfunctions, the three Lambdas
 * as CallbackFunction bundles them, DynamoDB in dynalite (or any compatible endpoint) through the
 * real AWS SDK, and SNS publishes captured in an outbox. Only ARNs and names differ from AWS.
 */
import { randomUUID } from "crypto";
import type { AddressInfo } from "net";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  PutItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { ENV, ORDERS_TABLE_KEY } from "../handlers/contract";
import { FailureRates, SEED_RATES, mapRates } from "../handlers/ports/config";
import { toJson } from "../handlers/order/json";
import { ATTR, PlainValue, itemToPlain } from "../handlers/order/records";
import { resolveOrderId } from "../handlers/order/validation";
import { render } from "../workflow/asl";
import { DYNAMODB_PUT_ITEM, LAMBDA_INVOKE, SNS_PUBLISH, WorkflowResources, orderWorkflowDefinition, workflowResources } from "../workflow/definition";
import { FUNCTION_KEYS, FunctionKey as FunctionName, WORKFLOW_FUNCTIONS, functionEnvironment } from "../workflow/functions";
import { LambdaHandler, loadBundle, serializeFactory } from "./bundles";
import { DEAD_ENDPOINT, FaultPlan, Faults, startThrottlingProxy } from "./faults";
import { StateMachine } from "./runtime";

/** The events of aws-local-stepfunctions' log that the report reads. */
type EngineEvent =
  | { readonly type: "StateEntered"; readonly state: { readonly name: string } }
  | { readonly type: "StateRetried" }
  | { readonly type: "ExecutionFailed"; readonly Error: string; readonly Cause: string }
  | { readonly type: "Other" };

export interface EngineOptions {
  /** Simulated failure rates (default: the seed's). */
  readonly rates?: Partial<FailureRates>;
  /** Seeds the Lambdas' random source so that a run can be reproduced. */
  readonly seed?: string;
  /** Use this DynamoDB-compatible endpoint instead of an embedded dynalite. */
  readonly dynamodbEndpoint?: string;
  /** Faults to inject (see faults.ts); never a change to the definition. */
  readonly faults?: FaultPlan;
  /** Milliseconds a retrier waits instead of the definition's backoff (default 0: retries at once). */
  readonly retryDelayMs?: number;
  /** Table name (default: a fresh one per engine, so runs never see each other's records). */
  readonly tableName?: string;
}

/** A message the workflow published. */
export interface PublishedMessage {
  readonly topicArn: string;
  readonly message: unknown;
  readonly attributes: Record<string, string>;
}

/** One execution, reported as `npm start -- --json` prints it. */
export interface ExecutionReport {
  readonly orderId: string | null;
  readonly executionName: string;
  readonly status: "SUCCEEDED" | "FAILED";
  readonly error: string | null;
  readonly cause: string | null;
  /** States entered, in order, nested ones included. */
  readonly states: string[];
  /** State transitions as AWS bills them: every state entered, and every retry. */
  readonly transitions: number;
  /** Whether this execution made a successful charge. */
  readonly charged: boolean;
  readonly record: { [key: string]: PlainValue } | null;
  readonly notifications: unknown[];
  /** The same messages as SNS received them: topic, parsed body and message attributes. */
  readonly published: PublishedMessage[];
  /** Lambda invocations this execution made (retries included). */
  readonly lambdaInvocations: number;
}

/** Step Functions' limit on an execution's input, in bytes (UTF-8); StartExecution refuses more. */
export const MAX_INPUT_BYTES = 262_144;

/** StartExecution refused the input: no execution started, so nothing is recorded or notified. */
export class InputTooLargeError extends Error {
  constructor(public readonly bytes: number) {
    super(
      `The order is ${bytes.toLocaleString("en-US")} bytes of JSON; Step Functions accepts at most ` +
        `${MAX_INPUT_BYTES.toLocaleString("en-US")} bytes of execution input, so no execution was started.`,
    );
    this.name = "InputTooLargeError";
  }
}

const LOCAL_REGION = "us-east-1";
const ACCOUNT = "000000000000";

/** The names the local definition uses where AWS has ARNs: each function's ends with its key. */
export function localResources(tableName: string): WorkflowResources {
  return workflowResources(
    (key) => `arn:aws:lambda:${LOCAL_REGION}:${ACCOUNT}:function:${key}`,
    tableName,
    `arn:aws:sns:${LOCAL_REGION}:${ACCOUNT}:order-notifications`,
  );
}

interface DynaliteServer {
  keepAliveTimeout: number;
  listen(port: number, host: string, callback: (error?: Error) => void): void;
  close(callback: (error?: Error) => void): void;
  address(): AddressInfo | string | null;
}
type Dynalite = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => DynaliteServer;

/** An in-memory DynamoDB on a free loopback port. */
export async function startDynalite(): Promise<{ endpoint: string; close: () => Promise<void> }> {
  // dynalite ships no type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require("dynalite") as Dynalite;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // Keep idle connections longer than the SDK's pool does, or a reused socket is reset mid-request.
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((resolve, reject) => server.listen(0, "127.0.0.1", (e) => (e ? reject(e) : resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
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
    private readonly handlers: Record<FunctionName, LambdaHandler>,
    /** Where this engine's Lambdas find DynamoDB (the environment variable AWS sets for endpoints). */
    private readonly lambdaEndpoint: string,
    private readonly faults: Faults,
    private readonly retryDelayMs: number,
    /** Every line the Lambdas logged, as CloudWatch Logs would hold them. */
    public readonly lambdaLogs: string[],
    private readonly stop: () => Promise<void>,
  ) {}

  /** Starts the engine: DynamoDB (embedded unless an endpoint is given), the table, the bundles. */
  static async start(options: EngineOptions = {}): Promise<LocalWorkflow> {
    const rates = { ...SEED_RATES, ...options.rates };
    const embedded = options.dynamodbEndpoint === undefined ? await startDynalite() : undefined;
    const endpoint = options.dynamodbEndpoint ?? (embedded as { endpoint: string }).endpoint;
    const faults = new Faults(options.faults ?? {});
    const proxy = faults.dynamodbThrottled > 0 ? await startThrottlingProxy(endpoint, faults.dynamodbThrottled) : undefined;
    // Everything that talks to DynamoDB during a run meets the injected fault; reading back does not.
    const faultyEndpoint = faults.dynamodbUnreachable ? DEAD_ENDPOINT : (proxy?.endpoint ?? endpoint);

    // The Lambdas' SDK clients find the endpoint, region and credentials where AWS puts them: the environment.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = faultyEndpoint;
    process.env.AWS_REGION ??= LOCAL_REGION;
    process.env.AWS_ACCESS_KEY_ID ??= "local";
    process.env.AWS_SECRET_ACCESS_KEY ??= "local";

    const client = (url: string) =>
      new DynamoDBClient({
        endpoint: url,
        region: process.env.AWS_REGION,
        credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "local", secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "local" },
        // Step Functions' integrations do not retry on their own; the definition's Retry does.
        maxAttempts: 1,
      });
    const dynamo = client(faultyEndpoint);
    const inspector = client(endpoint);
    const tableName = options.tableName ?? `CustomerOrders-${randomUUID().slice(0, 8)}`;
    await ensureTable(inspector, tableName);

    const seed: Record<string, string> = options.seed === undefined ? {} : { [ENV.randomSeed]: options.seed };
    const settings = { rates: mapRates(rates, String), tableName };
    const lambdaLogs: string[] = [];
    const handlers = {} as Record<FunctionName, LambdaHandler>;
    for (const name of FUNCTION_KEYS) {
      const text = await serializeFactory(WORKFLOW_FUNCTIONS[name].factory);
      handlers[name] = loadBundle(text, { ...functionEnvironment(name, settings), ...seed }, (line) => lambdaLogs.push(line));
    }
    const definition = render(orderWorkflowDefinition(localResources(tableName)));
    // The library's own validation (schema, paths, ARNs) of what every run will execute.
    new StateMachine(JSON.parse(definition) as ConstructorParameters<typeof StateMachine>[0], {
      validationOptions: { checkPaths: true, checkArn: true },
    });
    return new LocalWorkflow(definition, tableName, dynamo, inspector, handlers, faultyEndpoint, faults, options.retryDelayMs ?? 0, lambdaLogs, async () => {
      dynamo.destroy();
      inspector.destroy();
      await proxy?.close();
      await embedded?.close();
    });
  }

  /**
   * Runs one order; a failed execution is a report, not an exception. Throws InputTooLargeError, as
   * StartExecution refuses, when the input is over Step Functions' limit.
   */
  async run(input: unknown, executionName: string = randomUUID()): Promise<ExecutionReport> {
    const bytes = Buffer.byteLength(toJson(input), "utf8");
    if (bytes > MAX_INPUT_BYTES) throw new InputTooLargeError(bytes);
    const definition = JSON.parse(this.definition) as ConstructorParameters<typeof StateMachine>[0];
    // Validated once, in start(); building it again per run costs ~0.3 s of CPU.
    const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    const notifications: PublishedMessage[] = [];
    let charged = false;
    let lambdaInvocations = 0;

    const invoke = async (fn: FunctionName, payload: unknown) => {
      lambdaInvocations++;
      await this.faults.beforeInvoke(fn, executionName);
      // JSON in, JSON out, as across the Lambda API.
      const event = JSON.parse(toJson(payload ?? null)) as unknown;
      let result: unknown;
      // The variable is process-wide, and a handler's client resolves it on its first call: set it
      // for this engine's handlers, so that engines with different endpoints can share a process.
      process.env.AWS_ENDPOINT_URL_DYNAMODB = this.lambdaEndpoint;
      try {
        result = await this.handlers[fn](event, { functionName: fn, awsRequestId: randomUUID() });
      } catch (error) {
        throw lambdaError(error);
      }
      return { ExecutedVersion: "$LATEST", StatusCode: 200, Payload: JSON.parse(JSON.stringify(result ?? null)) as unknown };
    };

    const overrides: Record<string, (input: unknown) => Promise<unknown>> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const [name, state] of taskStates(definition)) {
      retryIntervalOverrides[name] = this.retryDelayMs;
      if (state.Resource === LAMBDA_INVOKE) {
        overrides[name] = async (params) => {
          const { FunctionName, Payload } = params as { FunctionName: string; Payload: unknown };
          const fn = FunctionName.split(":").pop() as FunctionName;
          const response = await invoke(fn, Payload);
          if (fn === "chargePayment" && (response.Payload as { charged?: boolean }).charged === true) charged = true;
          return response;
        };
      } else if (state.Resource === DYNAMODB_PUT_ITEM) {
        overrides[name] = async (params) => {
          try {
            await this.dynamo.send(new PutItemCommand(params as PutItemCommandInput));
            return {};
          } catch (error) {
            const e = error as Error;
            throw taskError(`DynamoDB.${e.name}`, e.message);
          }
        };
      } else if (state.Resource === SNS_PUBLISH) {
        overrides[name] = async (params) => {
          await this.faults.beforePublish(executionName);
          const p = params as { TopicArn: string; Message: string; MessageAttributes?: Record<string, { StringValue: string }> };
          const attributes: Record<string, string> = {};
          for (const [k, v] of Object.entries(p.MessageAttributes ?? {})) attributes[k] = v.StringValue;
          notifications.push({ topicArn: p.TopicArn, message: JSON.parse(p.Message) as unknown, attributes });
          return { MessageId: randomUUID() };
        };
      } else {
        throw new Error(`The local engine cannot run ${name}: no integration for ${state.Resource}`);
      }
    }

    const execution = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: overrides as never, retryIntervalOverrides },
      context: {
        Execution: { Id: `arn:aws:states:${LOCAL_REGION}:${ACCOUNT}:execution:OrderWorkflow:${executionName}`, Name: executionName },
        StateMachine: { Id: `arn:aws:states:${LOCAL_REGION}:${ACCOUNT}:stateMachine:OrderWorkflow`, Name: "OrderWorkflow" },
      },
    });
    const states: string[] = [];
    let transitions = 0;
    let failure: { error: string; cause: string } | undefined;
    const events = (async () => {
      for await (const event of execution.eventLogs as AsyncIterable<EngineEvent>) {
        if (event.type === "StateEntered") {
          states.push(event.state.name);
          transitions++;
        } else if (event.type === "StateRetried") {
          transitions++;
        } else if (event.type === "ExecutionFailed") {
          failure = { error: event.Error, cause: event.Cause };
        }
      }
    })();

    let status: ExecutionReport["status"] = "SUCCEEDED";
    let unhandled: unknown;
    try {
      await execution.result;
    } catch (e) {
      status = "FAILED";
      unhandled = e;
    }
    await events;
    if (status === "FAILED" && failure === undefined) {
      failure = { error: "States.Runtime", cause: unhandled instanceof Error ? unhandled.message : String(unhandled) };
    }
    const error = failure?.error ?? null;
    const cause = failure?.cause ?? null;

    const orderId = this.resolveOrderId(input, executionName, notifications);
    const record = await this.readRecord(orderId);
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
      notifications: notifications.map((n) => n.message),
      published: notifications,
      lambdaInvocations,
    };
  }

  /** The order's id as the workflow resolved it: the notification says it; else the Lambdas' own rule. */
  private resolveOrderId(input: unknown, executionName: string, notifications: PublishedMessage[]): string {
    const notified = notifications.map((n) => (n.message as { orderId?: unknown }).orderId).find((id) => typeof id === "string");
    return typeof notified === "string" ? notified : resolveOrderId(input, executionName);
  }

  /** The order's record as it stands after the run, as plain JSON. */
  async readRecord(orderId: string): Promise<{ [key: string]: PlainValue } | null> {
    try {
      const { Item } = await this.inspector.send(
        new GetItemCommand({ TableName: this.tableName, Key: { [ATTR.orderId]: { S: orderId } }, ConsistentRead: true }),
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

interface TaskDefinition {
  readonly Type: string;
  readonly Resource?: string;
  readonly States?: Record<string, TaskDefinition>;
  readonly Branches?: Array<{ States: Record<string, TaskDefinition> }>;
  readonly ItemProcessor?: { States: Record<string, TaskDefinition> };
}

/** Every Task state of a definition, nested ones included. */
function taskStates(definition: unknown): Array<[string, { Resource: string }]> {
  const found: Array<[string, { Resource: string }]> = [];
  const visit = (states: Record<string, TaskDefinition>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === "Task" && state.Resource) found.push([name, { Resource: state.Resource }]);
      for (const branch of state.Branches ?? []) visit(branch.States);
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
    }
  };
  visit((definition as { States: Record<string, TaskDefinition> }).States);
  return found;
}

async function ensureTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  } catch {
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: ORDERS_TABLE_KEY, AttributeType: "S" }],
        KeySchema: [{ AttributeName: ORDERS_TABLE_KEY, KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  }
}
