/**
 * Chaos: which calls at the workflow's edges fail, decided the same way wherever the call is made
 * (the engine's integrations, the loopback proxy in front of DynamoDB, the payment gateway inside a
 * Lambda bundle). A decision is a pure function of the spec and the call (edge, key, occurrence), so
 * a seeded run fails the same calls every time, whatever order concurrent executions run in.
 *
 * Two kinds of fault: `before` (the call fails and has no effect) and `lost` (the call's effect is
 * applied, then its response is lost: the caller sees an error). Only the local engine sets
 * `CHAOS_ENV`; a deployed stack never does, and its gateway is never wrapped.
 */
import type {
  ChargeOrder,
  ChargeOutcome,
  PaymentContext,
  PaymentGateway,
  RefundOutcome,
  Verification,
} from "./payments";
import { GATEWAY_UNAVAILABLE_ERROR, type PaymentDetails } from "../contract";
import { seededRandom } from "./random";

/** The environment variable carrying the chaos spec (JSON) into the Lambdas; set only by the local engine. */
export const CHAOS_ENV = "LOCAL_CHAOS";

export type FaultKind = "before" | "lost";

/** One call at an edge: `edge` names it (`task:ChargePayment`, `dynamodb:PutItem`, `gateway:charge`), `key` the order or execution, `n` its occurrence (1, 2, ...). */
export interface EdgeCall {
  readonly edge: string;
  readonly key: string;
  readonly n: number;
}

/** One call made to fail on purpose (the systematic test): `key` omitted matches every key. */
export interface TargetedFault {
  readonly edge: string;
  readonly key?: string;
  readonly n: number;
  readonly kind: FaultKind;
}

export interface ChaosSpec {
  /** Each call fails with this probability, in [0, 1]. */
  readonly probability?: number;
  /** Seeds the draws (default "0"). */
  readonly seed?: string;
  /** These calls fail, whatever the probability. */
  readonly targeted?: readonly TargetedFault[];
  /** Log every call, not only the ones that fail (how the systematic test learns a path's calls). */
  readonly trace?: boolean;
}

/** The fault for `call`, or undefined when it goes through. */
export function chaosFault(spec: ChaosSpec, call: EdgeCall): FaultKind | undefined {
  const hit = spec.targeted?.find(
    (t) => t.edge === call.edge && t.n === call.n && (t.key === undefined || t.key === call.key),
  );
  if (hit !== undefined) return hit.kind;
  const p = spec.probability ?? 0;
  if (p <= 0) return undefined;
  const draw = seededRandom(JSON.stringify([spec.seed ?? "0", call.edge, call.key, call.n]));
  if (draw.next() >= p) return undefined;
  return draw.next() < 0.5 ? "before" : "lost";
}

/** Counts calls per (edge, key): the occurrence number of the next one. */
export class Occurrences {
  private readonly seen: Map<string, number>;

  constructor() {
    // Set here, not as a field initializer: the Lambda's closure serializer keeps only the constructor's body.
    this.seen = new Map();
  }

  next(edge: string, key: string): EdgeCall {
    const id = `${edge}\u0000${key}`;
    const n = (this.seen.get(id) ?? 0) + 1;
    this.seen.set(id, n);
    return { edge, key, n };
  }
}

/** The line a chaos decision is logged as (the engine collects them from every edge). */
export interface ChaosLogLine extends EdgeCall {
  readonly chaos: true;
  readonly fault: FaultKind | null;
}

/** The spec in `env[CHAOS_ENV]`, or undefined when chaos is off (always, on a deployed stack). */
export function readChaos(env: Readonly<Record<string, string | undefined>>): ChaosSpec | undefined {
  const text = env[CHAOS_ENV];
  if (text === undefined || text === "") return undefined;
  const spec = JSON.parse(text) as ChaosSpec;
  const p = spec.probability ?? 0;
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new Error(`${CHAOS_ENV}: probability must be in [0, 1]`);
  return spec;
}

function gatewayError(call: EdgeCall, kind: FaultKind): Error {
  const error = new Error(
    kind === "before"
      ? `Injected: the payment gateway did not answer ${call.edge} for ${call.key} (call ${call.n}); nothing was done.`
      : `Injected: the payment gateway's answer to ${call.edge} for ${call.key} (call ${call.n}) was lost after it was applied.`,
  );
  error.name = GATEWAY_UNAVAILABLE_ERROR;
  return error;
}

/**
 * `gateway` with chaos at its edge: each call may fail before it reaches the provider, or after the
 * provider applied it (a charge made, a refund made) with its answer lost. Decisions are logged.
 */
export function chaosGateway(
  gateway: PaymentGateway,
  spec: ChaosSpec,
  log: (line: ChaosLogLine) => void,
): PaymentGateway {
  const counts = new Occurrences();
  const around = async <T>(edge: string, key: string, effect: () => Promise<T>): Promise<T> => {
    const call = counts.next(edge, key);
    const fault = chaosFault(spec, call);
    if (fault !== undefined || spec.trace === true) log({ chaos: true, ...call, fault: fault ?? null });
    if (fault === "before") throw gatewayError(call, fault);
    const result = await effect();
    if (fault === "lost") throw gatewayError(call, fault);
    return result;
  };
  return {
    verify: (details: PaymentDetails, ctx: PaymentContext): Promise<Verification> =>
      around("gateway:verify", ctx.orderId, () => gateway.verify(details, ctx)),
    charge: (order: ChargeOrder): Promise<ChargeOutcome> =>
      around("gateway:charge", order.idempotencyKey, () => gateway.charge(order)),
    refund: (key: string): Promise<RefundOutcome> => around("gateway:refund", key, () => gateway.refund(key)),
  };
}

/** The chaos lines among a run's log lines. */
export function chaosLines(lines: readonly string[]): ChaosLogLine[] {
  const found: ChaosLogLine[] = [];
  for (const line of lines) {
    if (!line.startsWith('{"chaos":true')) continue;
    found.push(JSON.parse(line) as ChaosLogLine);
  }
  return found;
}
