/**
 * A loopback proxy in front of DynamoDB (dynalite) that fails requests as DynamoDB does: before the
 * request reaches the table (throttled, or 503), or after the table applied it, its answer replaced by
 * a 500 (DynamoDB's own warning: on a 500 "the request might not have been processed"). What fails is
 * decided per request by `decide`; everything else is forwarded untouched.
 */
import type { IncomingHttpHeaders } from "http";
import type { FaultKind } from "../handlers/ports/chaos";

/** A request as the proxy sees it: the operation (`PutItem`) and the parsed JSON body. */
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

function operationOf(headers: IncomingHttpHeaders): string {
  const target = headers["x-amz-target"];
  const text = Array.isArray(target) ? target[0] : (target ?? "");
  return text.slice(text.indexOf(".") + 1);
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The error response DynamoDB sends (awsJson1_0: the type after `#` is what the SDK names the error). */
function errorBody(fault: ProxyFault): string {
  return JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${fault.type}`, message: fault.message });
}

/** Starts the proxy in front of `target`, failing what `decide` says. */
export async function startDynamoProxy(target: string, decide: ProxyDecision): Promise<DynamoProxy> {
  const http = await import("http");
  const url = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const payload = Buffer.concat(chunks);
      const fault = decide({ operation: operationOf(req.headers), body: parseBody(payload.toString("utf8")) });
      const fail = () => {
        res.writeHead(fault?.status ?? 500, { "content-type": "application/x-amz-json-1.0" });
        res.end(fault === undefined ? "" : errorBody(fault));
      };
      if (fault?.kind === "before") return fail();
      const forward = http.request(
        { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers },
        (upstream) => {
          if (fault?.kind === "lost") {
            // The table applied the request; its answer is read and dropped.
            upstream.resume();
            upstream.on("end", fail);
            return;
          }
          res.writeHead(upstream.statusCode ?? 500, upstream.headers);
          upstream.pipe(res);
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
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
