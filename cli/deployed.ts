/**
 * Orders on a deployed stack: one Step Functions execution per order, waited for, and reported in
 * the local engine's shape (ExecutionReport) from the execution's history and the orders table.
 */
import { execFile } from "child_process";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeExecutionCommand,
  DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { ATTR, PlainValue, itemToPlain } from "../handlers/order/records";
import type { Workflow } from "./batch";
import { isCharge, isRefund } from "../workflow/execution/charge";
import { reportedOrderId } from "../workflow/execution/orderId";
import type { ExecutionReport, PublishedMessage } from "../workflow/execution/report";
import { orderExecutionName } from "./names";

/** A problem with the stack or the account that the user can fix. */
export class DeployedError extends Error {
  override readonly name = "DeployedError";
}

export interface StackOutputs {
  readonly stateMachineArn: string;
  /** The `live` alias: executions start through it, so each keeps the version it started on. */
  readonly stateMachineAliasArn?: string;
  readonly tableName?: string;
}

/** Runs a program and resolves with its standard output. */
export type RunCommand = (file: string, args: readonly string[]) => Promise<string>;

export const runCommand: RunCommand = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(new Error(error.message), { code: error.code, stderr: String(stderr) }));
      else resolve(String(stdout));
    });
  });

/** The stack's outputs, as `pulumi stack output --json --stack NAME` gives them. */
export async function readStackOutputs(stack: string, run: RunCommand = runCommand): Promise<StackOutputs> {
  let text: string;
  try {
    text = await run("pulumi", ["stack", "output", "--json", "--stack", stack]);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") {
      throw new DeployedError(
        "the Pulumi CLI (pulumi) is not on the PATH: install it, or give --state-machine-arn ARN [--table-name NAME]",
      );
    }
    throw new DeployedError(`pulumi stack output --stack ${stack} failed: ${(e.stderr ?? "").trim() || e.message}`);
  }
  let outputs: { stateMachineArn?: unknown; stateMachineAliasArn?: unknown; tableName?: unknown };
  try {
    outputs = JSON.parse(text) as typeof outputs;
  } catch {
    throw new DeployedError(`pulumi stack output --json --stack ${stack} did not print JSON`);
  }
  if (typeof outputs.stateMachineArn !== "string") {
    throw new DeployedError(`stack ${stack} has no stateMachineArn output: has it been deployed (pulumi up)?`);
  }
  return {
    stateMachineArn: outputs.stateMachineArn,
    ...(typeof outputs.stateMachineAliasArn === "string" ? { stateMachineAliasArn: outputs.stateMachineAliasArn } : {}),
    ...(typeof outputs.tableName === "string" ? { tableName: outputs.tableName } : {}),
  };
}

/** What the history says; the record is read from the table afterwards. */
export interface HistoryReport {
  readonly report: Omit<ExecutionReport, "record">;
  /** Every message published, with its topic and attributes (the report's notifications are the bodies). */
  readonly published: PublishedMessage[];
}

const isStateEntered = (e: HistoryEvent) =>
  e.type?.endsWith("StateEntered") === true && e.stateEnteredEventDetails !== undefined;

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The report of an execution from its history: states entered (nested ones included), transitions
 * (states entered, plus retries: a Task scheduled again in the same state), whether it charged
 * (workflow/execution/charge.ts), and the SNS messages published.
 */
/** The first event, from `event` back along previousEventId, that `found` accepts. */
function walkBack(
  byId: ReadonlyMap<number | undefined, HistoryEvent>,
  event: HistoryEvent,
  found: (e: HistoryEvent) => boolean,
): HistoryEvent | undefined {
  let e: HistoryEvent | undefined = event;
  while (e !== undefined && !found(e)) e = e.previousEventId === undefined ? undefined : byId.get(e.previousEventId);
  return e;
}

export function reportFromHistory(
  input: unknown,
  executionName: string,
  execution: Pick<DescribeExecutionCommandOutput, "status" | "error" | "cause">,
  history: readonly HistoryEvent[],
): HistoryReport {
  const events = [...history].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  const byId = new Map(events.map((e) => [e.id, e]));
  /** The StateEntered event an event belongs to, by following previousEventId back. */
  const enteredBy = (event: HistoryEvent): HistoryEvent | undefined => walkBack(byId, event, isStateEntered);
  /** The TaskScheduled event a TaskSucceeded answers (TaskSucceeded → TaskStarted → TaskScheduled). */
  const scheduledBy = (event: HistoryEvent): HistoryEvent | undefined =>
    walkBack(byId, event, (e) => e.type === "TaskScheduled");

  const states = events.filter(isStateEntered).map((e) => e.stateEnteredEventDetails?.name ?? "");
  const scheduledPerEntry = new Map<number | undefined, number>();
  let lambdaInvocations = 0;
  let charged = false;
  const published: PublishedMessage[] = [];
  for (const event of events) {
    if (event.type === "TaskScheduled") {
      const entry = enteredBy(event)?.id;
      scheduledPerEntry.set(entry, (scheduledPerEntry.get(entry) ?? 0) + 1);
      if (event.taskScheduledEventDetails?.resourceType === "lambda") lambdaInvocations++;
    }
    if (event.type !== "TaskSucceeded") continue;
    const details = event.taskSucceededEventDetails;
    if (details?.resourceType === "lambda") {
      const output = parseJson(details.output) as { Payload?: unknown } | undefined;
      const state = enteredBy(event)?.stateEnteredEventDetails?.name;
      if (isCharge(state, output?.Payload)) charged = true;
      if (isRefund(state, output?.Payload)) charged = false;
    }
    if (details?.resourceType === "sns" && details.resource === "publish") {
      const parameters = parseJson(scheduledBy(event)?.taskScheduledEventDetails?.parameters) as
        | { TopicArn?: string; Message?: string; MessageAttributes?: Record<string, { StringValue?: string }> }
        | undefined;
      const attributes: Record<string, string> = {};
      for (const [key, value] of Object.entries(parameters?.MessageAttributes ?? {})) {
        if (value.StringValue !== undefined) attributes[key] = value.StringValue;
      }
      published.push({ topicArn: parameters?.TopicArn ?? "", message: parseJson(parameters?.Message), attributes });
    }
  }
  const retries = [...scheduledPerEntry.values()].reduce((sum, n) => sum + n - 1, 0);

  const status = execution.status === "SUCCEEDED" ? "SUCCEEDED" : "FAILED";
  const ending = events.find(
    (e) => e.executionFailedEventDetails ?? e.executionTimedOutEventDetails ?? e.executionAbortedEventDetails,
  );
  const endDetails =
    ending?.executionFailedEventDetails ??
    ending?.executionTimedOutEventDetails ??
    ending?.executionAbortedEventDetails;
  const notifications = published.map((p) => p.message);
  return {
    report: {
      orderId: reportedOrderId(input, executionName, notifications),
      executionName,
      status,
      error: status === "SUCCEEDED" ? null : (execution.error ?? endDetails?.error ?? execution.status ?? null),
      cause: status === "SUCCEEDED" ? null : (execution.cause ?? endDetails?.cause ?? null),
      states,
      transitions: states.length + retries,
      charged,
      notifications,
      published,
      lambdaInvocations,
    },
    published,
  };
}

export interface DeployedOptions {
  readonly stateMachineArn: string;
  /** Where executions start when given (the stack's `live` alias); else the state machine itself. */
  readonly stateMachineAliasArn?: string;
  /** The orders table; without it, reports have no record. */
  readonly tableName?: string;
  /** Clients to use (default: new ones in the state machine's region, with the default credentials). */
  readonly sfn?: SFNClient;
  readonly dynamodb?: DynamoDBClient;
  /** Milliseconds before the first DescribeExecution; doubles up to 2 s between calls. */
  readonly pollIntervalMs?: number;
  /** How long to wait for an execution (default 6 minutes: the definition times out at 5). */
  readonly timeoutMs?: number;
  /** Told things worth knowing that are not errors, e.g. that an order's execution already existed. */
  readonly onNotice?: (message: string) => void;
}

/** A deployed state machine, run order by order as LocalWorkflow runs them locally. */
export class DeployedWorkflow implements Workflow {
  private constructor(
    public readonly definition: string,
    private readonly options: DeployedOptions,
    private readonly sfn: SFNClient,
    private readonly dynamodb: DynamoDBClient | undefined,
    /** The clients made here, not given: closed with the workflow. */
    private readonly owned: ReadonlyArray<{ destroy(): void }>,
  ) {}

  /** Checks the state machine (it must be STANDARD: EXPRESS keeps no history) and reads its definition. */
  static async connect(options: DeployedOptions): Promise<DeployedWorkflow> {
    const region = options.stateMachineArn.split(":")[3];
    const owned: Array<{ destroy(): void }> = [];
    const sfn = options.sfn ?? new SFNClient({ region });
    if (options.sfn === undefined) owned.push(sfn);
    let dynamodb: DynamoDBClient | undefined;
    if (options.tableName !== undefined) {
      dynamodb = options.dynamodb ?? new DynamoDBClient({ region });
      if (options.dynamodb === undefined) owned.push(dynamodb);
    }
    try {
      const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: options.stateMachineArn }));
      if (machine.type === "EXPRESS") {
        throw new DeployedError(
          `${options.stateMachineArn} is an EXPRESS state machine: Step Functions keeps no execution history for it, so its path cannot be reported (deploy with workflowType STANDARD)`,
        );
      }
      if (machine.definition === undefined)
        throw new DeployedError(`DescribeStateMachine gave no definition for ${options.stateMachineArn}`);
      return new DeployedWorkflow(machine.definition, options, sfn, dynamodb, owned);
    } catch (error) {
      for (const client of owned) client.destroy();
      throw error;
    }
  }

  /** Runs one order: starts (or finds) its execution, waits for it to end, and reports it. */
  async run(input: unknown, executionName: string = orderExecutionName(input)): Promise<ExecutionReport> {
    const executionArn = await this.start(input, executionName);
    const execution = await this.waitFor(executionArn);
    const { report } = reportFromHistory(input, executionName, execution, await this.history(executionArn));
    return { ...report, record: await this.readRecord(report.orderId) };
  }

  private async start(input: unknown, name: string): Promise<string> {
    try {
      const started = await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.options.stateMachineAliasArn ?? this.options.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return started.executionArn as string;
    } catch (error) {
      // By name: an instanceof check fails when two copies of the SDK are installed.
      if ((error as Error).name !== "ExecutionAlreadyExists") throw error;
      // The name holds the order's id and a hash of the whole order: this very order ran before. An
      // execution's ARN names the state machine, whichever alias or version started it.
      const [, partition, , region, account, , machine] = this.options.stateMachineArn.split(":");
      const existing = `arn:${partition}:states:${region}:${account}:execution:${machine}:${name}`;
      this.options.onNotice?.(`order already submitted as execution ${name}: reporting that execution`);
      return existing;
    }
  }

  private async waitFor(executionArn: string): Promise<DescribeExecutionCommandOutput> {
    const deadline = Date.now() + (this.options.timeoutMs ?? 6 * 60_000);
    let delay = this.options.pollIntervalMs ?? 250;
    for (;;) {
      const execution = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status !== "RUNNING") return execution;
      if (Date.now() > deadline) throw new DeployedError(`execution ${executionArn} is still running: gave up waiting`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }

  private async history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, includeExecutionData: true, nextToken }),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return events;
  }

  private async readRecord(orderId: string | null): Promise<{ [key: string]: PlainValue } | null> {
    if (this.dynamodb === undefined || this.options.tableName === undefined || orderId === null) return null;
    const { Item } = await this.dynamodb.send(
      new GetItemCommand({
        TableName: this.options.tableName,
        Key: { [ATTR.orderId]: { S: orderId } },
        ConsistentRead: true,
      }),
    );
    return Item ? itemToPlain(Item as Parameters<typeof itemToPlain>[0]) : null;
  }

  close(): void {
    for (const client of this.owned) client.destroy();
  }
}
