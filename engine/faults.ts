/**
 * Faults the local engine injects at the edges the workflow talks to: the Lambda service, DynamoDB
 * and SNS. The deployed definition is never changed; it meets the faults as it would in AWS.
 */
import type { FunctionKey } from "../workflow/functions";
import type { VirtualClock } from "./clock";

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

  constructor(private readonly plan: FaultPlan) {}

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
 * A proxy in front of DynamoDB that answers the first `throttled` requests with the throttling
 * error DynamoDB sends, and forwards the rest untouched.
 */
export async function startThrottlingProxy(
  target: string,
  throttled: number,
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const http = await import("http");
  let seen = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen++;
      if (seen <= throttled) {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
        res.end(
          JSON.stringify({
            __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
            message: `Injected: throughput exceeded (request ${seen}).`,
          }),
        );
        return;
      }
      const url = new URL(target);
      const forward = http.request(
        { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers },
        (upstream) => {
          res.writeHead(upstream.statusCode ?? 500, upstream.headers);
          upstream.pipe(res);
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
