/**
 * Where a wire (engine/wire.ts) is served: a loopback HTTP endpoint, for whatever reaches it over
 * HTTP (another process, another SDK copy), and the same endpoint answered in this process for the
 * AWS SDK of this process. The engine's and the bundles' DynamoDB clients share one
 * `@smithy/node-http-handler` (the bundles require the SDK from the same node_modules); a request of
 * theirs to a served endpoint is handed to its wire as the HTTP server would hand it on, and its
 * answer returned as the HTTP response, without a socket: same headers, same body, same status.
 * The caller (engine/iam/callers.ts) is the request's async context there, its header over HTTP.
 */
import * as http from "http";
import { createRequire } from "module";
import { CALLER_HEADER, currentCaller } from "./iam/callers";
import { Wire, WireRequest, operationOf } from "./wire";

/** The wires served in this process, by `host:port`. */
const served = new Map<string, Wire>();

/** The SDK's request as the handler is given it (@smithy/protocol-http's HttpRequest). */
interface SdkRequest {
  readonly hostname: string;
  readonly port?: number;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
}
type Handle = (this: unknown, request: SdkRequest, options?: unknown) => Promise<{ response: unknown }>;
type ResponseClass = new (options: {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}) => unknown;

let patched = false;

/** The SDK's HTTP handler, once: requests to a served endpoint are answered by its wire. */
function patchSdkHandler(): void {
  if (patched) return;
  patched = true;
  // The copies @aws-sdk/client-dynamodb itself loads (the bundles' require resolves to the same files).
  const sdkRequire = createRequire(require.resolve("@aws-sdk/client-dynamodb"));
  const handlerPath = sdkRequire.resolve("@smithy/node-http-handler");
  const { NodeHttpHandler } = sdkRequire(handlerPath) as { NodeHttpHandler: { prototype: { handle: Handle } } };
  const { HttpResponse } = createRequire(handlerPath)("@smithy/core/protocols") as { HttpResponse: ResponseClass };
  const original = NodeHttpHandler.prototype.handle;
  NodeHttpHandler.prototype.handle = function (request, options) {
    const wire = served.get(`${request.hostname}:${request.port ?? 80}`);
    if (wire === undefined) return original.call(this, request, options);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
    const body =
      request.body === undefined
        ? ""
        : typeof request.body === "string"
          ? request.body
          : Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString("utf8");
    const operation = operationOf(headers["x-amz-target"] ?? "");
    return wire({ operation, headers, body, caller: currentCaller() }).then((answer) => ({
      response: new HttpResponse({
        statusCode: answer.status,
        headers: { ...answer.headers },
        body: Buffer.from(answer.body, "utf8"),
      }),
    }));
  };
}

/** A request the HTTP server read: its headers (one value each) and body; the caller from its header. */
function wireRequest(req: http.IncomingMessage, body: string): WireRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v[0] : v;
  const caller = headers[CALLER_HEADER];
  return { operation: operationOf(headers["x-amz-target"] ?? ""), headers, body, caller };
}

export interface Front {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Serves `wire` on a free loopback port, and in this process for the SDK (see above). */
export async function serveFront(wire: Wire): Promise<Front> {
  patchSdkHandler();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      wire(wireRequest(req, Buffer.concat(chunks).toString("utf8"))).then(
        (answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        },
        () => res.destroy(),
      );
    });
  });
  // Keep idle connections longer than the SDK's pool does, or a reused socket is reset mid-request.
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  const key = `127.0.0.1:${port}`;
  served.set(key, wire);
  return {
    endpoint: `http://${key}`,
    close: () =>
      new Promise<void>((resolve) => {
        served.delete(key);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers the SDK's requests to `endpoint` (an HTTP server of this process) with `wire`, until disposed. */
export function answerInProcess(endpoint: string, wire: Wire): () => void {
  patchSdkHandler();
  const url = new URL(endpoint);
  const key = `${url.hostname}:${url.port || 80}`;
  served.set(key, wire);
  return () => served.delete(key);
}

/** The wire served at `endpoint` in this process, if it is one of ours. */
export function servedWire(endpoint: string): Wire | undefined {
  const url = new URL(endpoint);
  return served.get(`${url.hostname}:${url.port || 80}`);
}
