/**
 * A DynamoDB proxy for tests that targets one kind of request: each request (its operation and JSON
 * body) is passed on, failed with a throttling error before it reaches the table, or applied with its
 * response lost (answered with a 500 after the table took the write). The engine meets it as it would
 * meet DynamoDB, through `EngineOptions.dynamodbEndpoint`; the definition never changes.
 */
import * as http from "http";

/** What happens to one request. */
export type ProxyVerdict = "pass" | "fail" | "lose";

/** A request as the proxy sees it: `PutItem`, `TransactWriteItems`, ... and its parsed body. */
export interface ProxiedRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
}

export interface DynamoProxy {
  readonly endpoint: string;
  /** The requests it failed or lost, in order. */
  readonly injected: ProxiedRequest[];
  close(): Promise<void>;
}

const THROTTLED = JSON.stringify({
  __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
  message: "Injected: throughput exceeded.",
});
const LOST = JSON.stringify({
  __type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
  message: "Injected: the write was applied but its response was lost.",
});

export async function startDynamoProxy(
  target: string,
  decide: (request: ProxiedRequest) => ProxyVerdict,
): Promise<DynamoProxy> {
  const injected: ProxiedRequest[] = [];
  const url = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const operation =
        String(req.headers["x-amz-target"] ?? "")
          .split(".")
          .pop() ?? "";
      const body = raw.length === 0 ? {} : (JSON.parse(raw.toString("utf8")) as Record<string, unknown>);
      const verdict = decide({ operation, body });
      if (verdict !== "pass") injected.push({ operation, body });
      if (verdict === "fail") {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
        res.end(THROTTLED);
        return;
      }
      const forward = http.request(
        { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers },
        (upstream) => {
          if (verdict === "lose") {
            upstream.resume();
            upstream.on("end", () => {
              res.writeHead(500, { "content-type": "application/x-amz-json-1.0" });
              res.end(LOST);
            });
            return;
          }
          res.writeHead(upstream.statusCode ?? 500, upstream.headers);
          upstream.pipe(res);
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    injected,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Whether a request writes the order's record as PROCESSED (by a Lambda's PutItem or the state machine's). */
export function writesProcessed(request: ProxiedRequest): boolean {
  const item = (request.body["Item"] ?? {}) as { State?: { S?: string } };
  return request.operation === "PutItem" && item.State?.S === "PROCESSED";
}
