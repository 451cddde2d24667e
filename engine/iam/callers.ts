/**
 * Who sends a Lambda's SDK request, and the check DynamoDB makes of it. In AWS a function's requests
 * are signed with its role's session credentials; locally every bundle shares one process (and one
 * environment), so the engine runs each invocation in an async context naming its function, and
 * every HTTP request started in that context carries the caller in a header (set through Node's
 * `http.client.request.created` diagnostics channel, before the request is sent): the engine's guard
 * and the function. Every dynalite the engine starts (engine/dynamodb.ts) reads the header and the
 * request (X-Amz-Target, body), asks that engine's guard, and answers a denied call as DynamoDB
 * does; any other endpoint gets a guarding proxy in front of it.
 */
import { AsyncLocalStorage } from "async_hooks";
import * as diagnostics from "diagnostics_channel";
import * as http from "http";
import { Readable } from "stream";

/** The header naming the caller locally (AWS knows it from the signature). */
export const CALLER_HEADER = "x-local-caller";

const callers = new AsyncLocalStorage<string>();
let tagging = false;

/** The guards of the engines in this process, by id. */
const guards = new Map<string, RequestGuard>();
let guardsRegistered = 0;

/** Registers an engine's guard; requests tagged `<id>/<function>` are decided by it. */
export function registerGuard(guard: RequestGuard): { readonly id: string; dispose(): void } {
  const id = String(++guardsRegistered);
  guards.set(id, guard);
  return { id, dispose: () => guards.delete(id) };
}

/** Endpoints whose server decides every request itself (a dynalite of this process). */
const guardedEndpoints = new Set<string>();

export function markGuarded(endpoint: string): void {
  guardedEndpoints.add(endpoint);
}

export function isGuarded(endpoint: string): boolean {
  return guardedEndpoints.has(endpoint);
}

/** Runs `fn` as `caller` (`<guard id>/<function name>`): every HTTP request it starts names the caller. */
export function runAs<T>(caller: string, fn: () => Promise<T>): Promise<T> {
  if (!tagging) {
    tagging = true;
    diagnostics.subscribe("http.client.request.created", (message) => {
      const caller = callers.getStore();
      if (caller !== undefined) (message as { request: http.ClientRequest }).request.setHeader(CALLER_HEADER, caller);
    });
  }
  return callers.run(caller, fn);
}

/** A DynamoDB request as the service sees it. */
export interface ApiRequest {
  /** The function's name. */
  readonly caller: string;
  /** `PutItem`, from `X-Amz-Target: DynamoDB_20120810.PutItem`. */
  readonly operation: string;
  readonly body: unknown;
}

/** What DynamoDB answers instead of carrying the request out: the status and the JSON error body. */
export interface Refusal {
  readonly status: number;
  readonly body: Record<string, string>;
}

/** Decides a request: undefined to carry it out. */
export type RequestGuard = (request: ApiRequest) => Promise<Refusal | undefined>;

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * Puts `guard` in front of an HTTP server's request listeners (dynalite's): the body is read once,
 * the guard decides, and an allowed request is handed on with the same headers and body.
 */
export function guardServer(server: http.Server): void {
  const listeners = server.listeners("request") as Listener[];
  server.removeAllListeners("request");
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      void decide(req, body).then(
        (refusal) => {
          if (refusal !== undefined) return refuse(res, refusal);
          const replay = Object.assign(Readable.from(body.length > 0 ? [body] : []), {
            headers: req.headers,
            method: req.method,
            url: req.url,
            socket: req.socket,
          });
          for (const listener of listeners) listener(replay as unknown as http.IncomingMessage, res);
        },
        (error: unknown) => refuse(res, { status: 500, body: { __type: "InternalFailure", message: String(error) } }),
      );
    });
  });
}

async function decide(req: http.IncomingMessage, body: Buffer): Promise<Refusal | undefined> {
  const tag = req.headers[CALLER_HEADER];
  const target = String(req.headers["x-amz-target"] ?? "");
  if (typeof tag !== "string" || !target.includes(".")) return undefined;
  const slash = tag.indexOf("/");
  const guard = guards.get(tag.slice(0, slash));
  // A request of an engine that has closed: nobody is left to decide it.
  if (guard === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined; // DynamoDB's own SerializationException follows
  }
  return guard({ caller: tag.slice(slash + 1), operation: target.slice(target.indexOf(".") + 1), body: parsed });
}

function refuse(res: http.ServerResponse, refusal: Refusal): void {
  const text = JSON.stringify(refusal.body);
  res.writeHead(refusal.status, {
    "content-type": "application/x-amz-json-1.0",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** A guarding proxy in front of a DynamoDB endpoint the engine did not start (--dynamodb-endpoint). */
export async function startGuardProxy(target: string): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const url = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const forward = http.request(
      { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers, agent },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 500, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  server.keepAliveTimeout = 10 * 60_000;
  guardServer(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Where the Lambdas reach DynamoDB: `target` itself when it decides IAM (our dynalite), else a guarding proxy. */
export async function guardedEndpoint(
  target: string,
  decidesItself: boolean,
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  return decidesItself ? { endpoint: target, close: () => Promise.resolve() } : startGuardProxy(target);
}
