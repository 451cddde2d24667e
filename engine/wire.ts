/**
 * DynamoDB's wire protocol (awsJson1_0) as one function: a request (its X-Amz-Target, headers and
 * JSON body) in, the status, headers and body DynamoDB would answer out. The engine's layers in front
 * of the table (IAM, faults, transactions) are such functions wrapping the next one, and so is the
 * table itself: dynalite's request listener called directly (no socket, no HTTP parse), or any
 * endpoint over HTTP. docs/bench.md tells why: each loopback hop cost more than the request itself.
 */
import { EventEmitter } from "events";
import * as http from "http";

/** One DynamoDB request as the wire carries it. */
export interface WireRequest {
  /** `PutItem`, from `X-Amz-Target: DynamoDB_20120810.PutItem`. */
  readonly operation: string;
  /** The headers, lower-cased (X-Amz-Target, Authorization, Content-Type, ...). */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body, as sent. */
  readonly body: string;
  /** The caller the request was sent as (engine/iam/callers.ts), if any. */
  readonly caller?: string;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** DynamoDB, or what stands in front of it. */
export type Wire = (request: WireRequest) => Promise<WireResponse>;

const JSON_10 = "application/x-amz-json-1.0";
const API = "DynamoDB_20120810";

/** The operation a target names: `DynamoDB_20120810.PutItem` → `PutItem`. */
export function operationOf(target: string): string {
  return target.slice(target.indexOf(".") + 1);
}

/** The parsed body, or null when it is not JSON (DynamoDB's SerializationException follows). */
export function parsedBody(request: WireRequest): unknown {
  try {
    return JSON.parse(request.body) as unknown;
  } catch {
    return null;
  }
}

/** An answer with a JSON body, as DynamoDB sends it. */
export function jsonResponse(status: number, body: string): WireResponse {
  return { status, headers: { "content-type": JSON_10, "content-length": String(Buffer.byteLength(body)) }, body };
}

/** The error response DynamoDB sends (the type after `#` is what the SDK names the error). */
export function awsError(type: string, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message, ...extra });
}

/** The error an answer carries, named as the SDK names it (`ConditionalCheckFailedException`). */
export function errorOf(response: WireResponse): Error {
  let body: { __type?: string; message?: string; Message?: string } = {};
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    // no JSON body: the status names the error
  }
  const type = body.__type ?? `HTTP ${response.status}`;
  const name = type.slice(type.indexOf("#") + 1).split(":")[0];
  return Object.assign(new Error(body.message ?? body.Message ?? ""), { name });
}

/**
 * A request the engine itself sends (a transaction's actions, reading a record back): DynamoDB's
 * headers, with a local signature (dynalite, as DynamoDB local, checks its form, not its value). Resolves to the parsed
 * answer; rejects with the error DynamoDB answered.
 */
export async function call<T>(wire: Wire, operation: string, input: unknown): Promise<T> {
  const body = JSON.stringify(input);
  // The SDK's form: 20261201T142000Z, and its date in the credential's scope.
  const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, "");
  const response = await wire({
    operation,
    headers: {
      "content-length": String(Buffer.byteLength(body)),
      "content-type": JSON_10,
      "x-amz-target": `${API}.${operation}`,
      "x-amz-date": date,
      authorization: `AWS4-HMAC-SHA256 Credential=local/${date.slice(0, 8)}/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  });
  if (response.status !== 200) throw errorOf(response);
  return JSON.parse(response.body) as T;
}

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * dynalite's request listener as a wire: it is handed a request object carrying the headers and body
 * (the events it listens to), and an answer object collecting what it sets and sends.
 */
export function listenerWire(listener: Listener): Wire {
  return (request) =>
    new Promise<WireResponse>((resolve) => {
      const req = Object.assign(new EventEmitter(), { headers: request.headers, method: "POST", url: "/" });
      const headers: Record<string, string> = {};
      const res = {
        statusCode: 200,
        contentType: undefined as string | undefined,
        setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
        end(body?: string | Buffer) {
          resolve({ status: this.statusCode, headers, body: body === undefined ? "" : body.toString() });
        },
      };
      listener(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse);
      if (request.body.length > 0) req.emit("data", Buffer.from(request.body, "utf8"));
      req.emit("end");
    });
}

/** An endpoint over HTTP as a wire (an external DynamoDB, a test's proxy). */
export function httpWire(endpoint: string): { wire: Wire; close: () => void } {
  const url = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true });
  const wire: Wire = (request) =>
    new Promise<WireResponse>((resolve, reject) => {
      const forward = http.request(
        { host: url.hostname, port: url.port, method: "POST", path: "/", headers: request.headers, agent },
        (upstream) => {
          const chunks: Buffer[] = [];
          upstream.on("data", (c: Buffer) => chunks.push(c));
          upstream.on("error", reject);
          upstream.on("end", () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(upstream.headers)) if (typeof v === "string") headers[k] = v;
            resolve({ status: upstream.statusCode ?? 500, headers, body: Buffer.concat(chunks).toString("utf8") });
          });
        },
      );
      forward.on("error", reject);
      forward.end(request.body);
    });
  return { wire, close: () => agent.destroy() };
}
