/**
 * Faults the local engine injects at the edges the workflow talks to: the Lambda service, DynamoDB
 * and SNS. The deployed definition is never changed; it meets the faults as it would in AWS.
 */
import { ChaosLogLine, ChaosSpec, EdgeCall, FaultKind, Occurrences, chaosFault } from "../handlers/ports/chaos";
import type { FunctionKey } from "../workflow/functions";
import type { VirtualClock } from "./clock";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CHAOS_ENV } from "../handlers/ports/chaos";
import { CHARGE_LEDGER_ENV } from "../handlers/ports/chargeLedger";
import { ProxyDecision, ProxyFault, faultLayer, orderIdIn, throttleFirst } from "./dynamoProxy";
import type { Wire } from "./wire";

/** What goes wrong when a function is invoked. */
export type LambdaFault =
  /** The Lambda service fails this many invocations per execution, then recovers. */
  | { readonly transientFailures: number; readonly error?: string }
  /** The function runs past its timeout this many times per execution (Infinity: always). */
  | { readonly timeouts: number }
  /** Each invocation takes this long on the execution's virtual clock (engine/clock.ts) before it answers. */
  | { readonly delaySeconds: number };

export interface FaultPlan {
  readonly lambda?: Partial<Record<FunctionKey, LambdaFault>>;
  /** `unreachable`: nothing answers at DynamoDB's endpoint; `throttled`: the engine's first N requests to DynamoDB are throttled. */
  readonly dynamodb?: { readonly unreachable: true } | { readonly throttled: number };
  /** SNS fails this many publishes per execution (Infinity: it is down). */
  readonly sns?: { readonly failures: number };
  /**
   * Chaos (`npm start -- --chaos P`): every call at every edge (each Task's integration, each DynamoDB
   * request of a Lambda, each payment gateway call) may fail, before its effect or after it with the
   * answer lost, as `chaosFault` decides (handlers/ports/chaos.ts).
   */
  readonly chaos?: ChaosSpec;
}

/** The errors AWS raises for a transient fault at each kind of integration, as Step Functions names them. */
const TASK_ERRORS: ReadonlyArray<{ prefix: string; before: readonly string[]; lost: string }> = [
  {
    prefix: "arn:aws:states:::lambda:",
    before: ["Lambda.ServiceException", "Lambda.TooManyRequestsException"],
    // The function ran; the client lost the answer (a read timeout, a connection reset).
    lost: "Lambda.SdkClientException",
  },
  {
    prefix: "arn:aws:states:::dynamodb:",
    before: ["DynamoDB.ProvisionedThroughputExceededException", "DynamoDB.ThrottlingException"],
    lost: "DynamoDB.InternalServerErrorException",
  },
  {
    prefix: "arn:aws:states:::sns:",
    before: ["SNS.ThrottledException", "SNS.InternalErrorException"],
    lost: "SNS.InternalErrorException",
  },
];

/** The errors DynamoDB sends a Lambda's SDK client (HTTP status, exception name), before or after the effect. */
const DYNAMODB_BEFORE = [
  { status: 400, type: "ProvisionedThroughputExceededException" },
  { status: 400, type: "ThrottlingException" },
  { status: 503, type: "ServiceUnavailable" },
] as const;
const DYNAMODB_LOST = { status: 500, type: "InternalServerError" } as const;

/** The task error for `kind` at a Task whose Resource is `resource`, for the call's `n`th occurrence. */
function taskFault(resource: string, call: EdgeCall, kind: FaultKind): Error {
  const errors = TASK_ERRORS.find((e) => resource.startsWith(e.prefix));
  const name =
    errors === undefined
      ? "States.TaskFailed"
      : kind === "lost"
        ? errors.lost
        : errors.before[call.n % errors.before.length];
  const what = kind === "before" ? "failed before it took effect" : "took effect, and its answer was lost";
  return failure(name, `Injected: ${call.edge} (call ${call.n} of ${call.key}) ${what}.`);
}

/** A task error as Step Functions names it. */
function failure(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/** An address on this machine where nothing listens (port 9 is discard, never served here). */
export const DEAD_ENDPOINT = "http://127.0.0.1:9";

export class Faults {
  private readonly counts = new Map<string, number>();
  private readonly occurrences = new Occurrences();
  /** Every chaos decision at the engine's edges and the fault layer's, in the order made. */
  readonly chaosCalls: ChaosLogLine[] = [];

  constructor(private readonly plan: FaultPlan) {}

  get chaos(): ChaosSpec | undefined {
    return this.plan.chaos;
  }

  private decide(edge: string, key: string): { call: EdgeCall; fault: FaultKind | undefined } {
    const call = this.occurrences.next(edge, key);
    const fault = this.plan.chaos === undefined ? undefined : chaosFault(this.plan.chaos, call);
    if (this.plan.chaos !== undefined) this.chaosCalls.push({ chaos: true, ...call, fault: fault ?? null });
    return { call, fault };
  }

  /**
   * Runs the integration `effect` of Task state `state` (Resource `resource`) under chaos: it may fail
   * before it runs, or run and have its answer lost, with the error AWS gives for that integration.
   */
  async task<T>(state: string, resource: string, executionName: string, effect: () => Promise<T>): Promise<T> {
    if (this.plan.chaos === undefined) return effect();
    const { call, fault } = this.decide(`task:${state}`, executionName);
    if (fault === "before") throw taskFault(resource, call, fault);
    const result = await effect();
    if (fault === "lost") throw taskFault(resource, call, fault);
    return result;
  }

  /** What the fault layer in front of every DynamoDB request does (the first N throttled), or undefined: none. */
  get throttleDecision(): ProxyDecision | undefined {
    return this.dynamodbThrottled > 0 ? throttleFirst(this.dynamodbThrottled) : undefined;
  }

  /** What the chaos layer in front of the Lambdas' DynamoDB does with each request, or undefined: chaos is off. */
  get lambdaChaosDecision(): ProxyDecision | undefined {
    if (this.plan.chaos === undefined) return undefined;
    return (request) => {
      const key = orderIdIn(request.body) ?? JSON.stringify(request.body);
      const { call, fault } = this.decide(`dynamodb:${request.operation}`, key);
      if (fault === undefined) return undefined;
      const error = fault === "lost" ? DYNAMODB_LOST : DYNAMODB_BEFORE[call.n % DYNAMODB_BEFORE.length];
      const what = fault === "lost" ? "was applied, and its answer was lost" : "failed before it took effect";
      return {
        kind: fault,
        ...error,
        message: `Injected: ${call.edge} (call ${call.n} of ${call.key}) ${what}.`,
      } satisfies ProxyFault;
    };
  }

  /** How many times `key` has happened in `executionName`, counting this one. */
  private count(key: string, executionName: string): number {
    const k = `${executionName}\u0000${key}`;
    const n = (this.counts.get(k) ?? 0) + 1;
    this.counts.set(k, n);
    return n;
  }

  get dynamodbUnreachable(): boolean {
    return this.plan.dynamodb !== undefined && "unreachable" in this.plan.dynamodb;
  }

  /** How many DynamoDB requests per execution are throttled. */
  get dynamodbThrottled(): number {
    return this.plan.dynamodb !== undefined && "throttled" in this.plan.dynamodb ? this.plan.dynamodb.throttled : 0;
  }

  async beforeInvoke(fn: FunctionKey, executionName: string, clock?: VirtualClock): Promise<void> {
    const fault = this.plan.lambda?.[fn];
    if (fault === undefined) return;
    if ("delaySeconds" in fault) {
      clock?.advance(fault.delaySeconds * 1000);
      return;
    }
    const n = this.count(`lambda:${fn}`, executionName);
    if ("transientFailures" in fault && n <= fault.transientFailures) {
      throw failure(
        fault.error ?? "Lambda.ServiceException",
        `Injected: the Lambda service failed to invoke ${fn} (attempt ${n}).`,
      );
    }
    if ("timeouts" in fault && n <= fault.timeouts) {
      // What the lambda:invoke integration reports when a function exceeds its timeout.
      throw failure(
        "Sandbox.Timedout",
        JSON.stringify({ errorType: "Sandbox.Timedout", errorMessage: `Injected: ${fn} timed out (attempt ${n}).` }),
      );
    }
  }

  async beforePublish(executionName: string): Promise<void> {
    const failures = this.plan.sns?.failures ?? 0;
    if (failures > 0 && this.count("sns", executionName) <= failures) {
      throw failure("SNS.InternalErrorException", "Injected: SNS failed to publish.");
    }
  }
}

/**
 * DynamoDB under the plan, in front of `table` (engine/wire.ts): the state machine's (throttled), and
 * the Lambdas' (the same, then chaos of its own; the state machine meets chaos at its Task,
 * `Faults.task`). Undefined where nothing answers (`unreachable`).
 */
export function faultyWires(faults: Faults, table: Wire): { stateMachine?: Wire; lambdas?: Wire } {
  if (faults.dynamodbUnreachable) return {};
  const throttle = faults.throttleDecision;
  const stateMachine = throttle === undefined ? table : faultLayer(throttle, table);
  const chaos = faults.lambdaChaosDecision;
  return { stateMachine, lambdas: chaos === undefined ? stateMachine : faultLayer(chaos, stateMachine) };
}

/**
 * What the Lambdas' environment carries for the gateway's ledger and chaos. The ledger is `ledger`
 * (the state dir's) or, under chaos, one in a scratch folder removed by `close`: a charge whose answer
 * is lost is retried, and only a ledger answers it idempotently.
 */
export function chaosEnvironment(
  faults: Faults,
  ledger: string | undefined,
): { env: Record<string, string>; ledgerFile: string | undefined; close: () => void } {
  const chaos = faults.chaos;
  const scratch =
    ledger === undefined && chaos !== undefined
      ? fs.mkdtempSync(path.join(os.tmpdir(), "order-workflow-chaos-"))
      : undefined;
  const ledgerFile = ledger ?? (scratch === undefined ? undefined : path.join(scratch, "charges.jsonl"));
  const env: Record<string, string> = {};
  if (ledgerFile !== undefined) env[CHARGE_LEDGER_ENV] = ledgerFile;
  if (chaos !== undefined) env[CHAOS_ENV] = JSON.stringify(chaos);
  return {
    env,
    ledgerFile,
    close: () => scratch !== undefined && fs.rmSync(scratch, { recursive: true, force: true }),
  };
}
