/**
 * A layer in front of DynamoDB (dynalite; engine/wire.ts) that fails requests as DynamoDB does: before the
 * request reaches the table (throttled, or 503), or after the table applied it, its answer replaced by
 * a 500 (DynamoDB's own warning: on a 500 "the request might not have been processed"). What fails is
 * decided per request by `decide`; everything else is forwarded untouched.
 */
import type { FaultKind } from "../handlers/ports/chaos";
import { serveFront, servedWire } from "./front";
import { Wire, awsError, httpWire, jsonResponse, parsedBody } from "./wire";

/** A request as the fault layer sees it: the operation (`PutItem`) and the parsed JSON body. */
export interface DynamoRequest {
  readonly operation: string;
  readonly body: unknown;
}

/** What to answer instead of DynamoDB: the fault, and the error DynamoDB would send. */
export interface ProxyFault {
  readonly kind: FaultKind;
  readonly status: number;
  /** The exception name (the SDK's error name). */
  readonly type: string;
  readonly message: string;
}

export type ProxyDecision = (request: DynamoRequest) => ProxyFault | undefined;

export interface DynamoProxy {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Faults in front of `next` (engine/wire.ts): a request failed before it reaches the table is
 * answered at once; a lost one is carried out, and once the table has answered, its answer is
 * dropped and the fault's error sent instead.
 */
export function faultLayer(decide: ProxyDecision, next: Wire): Wire {
  return async (request) => {
    const fault = decide({ operation: request.operation, body: parsedBody(request) });
    if (fault === undefined) return next(request);
    if (fault.kind === "lost") await next(request);
    return jsonResponse(fault.status, awsError(fault.type, fault.message));
  };
}

/** Serves `faultLayer(decide)` in front of `target` (a test's DynamoDB). */
export async function startDynamoProxy(target: string, decide: ProxyDecision): Promise<DynamoProxy> {
  const ours = servedWire(target);
  const upstream = ours === undefined ? httpWire(target) : { wire: ours, close: () => undefined };
  const front = await serveFront(faultLayer(decide, upstream.wire));
  return {
    endpoint: front.endpoint,
    close: async () => {
      await front.close();
      upstream.close();
    },
  };
}

/** The first `throttled` requests throttled (before they reach the table), the rest forwarded. */
export function throttleFirst(throttled: number): ProxyDecision {
  let seen = 0;
  return () => {
    seen++;
    return seen <= throttled
      ? {
          kind: "before",
          status: 400,
          type: "ProvisionedThroughputExceededException",
          message: `Injected: throughput exceeded (request ${seen}).`,
        }
      : undefined;
  };
}

/** The order a request is about: the first `OrderId` string attribute anywhere in its body. */
export function orderIdIn(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  if (Array.isArray(body)) {
    for (const element of body) {
      const found = orderIdIn(element);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const record = body as Record<string, unknown>;
  const id = record.OrderId as { S?: unknown } | undefined;
  if (typeof id === "object" && id !== null && typeof id.S === "string") return id.S;
  for (const value of Object.values(record)) {
    const found = orderIdIn(value);
    if (found !== undefined) return found;
  }
  return undefined;
}
