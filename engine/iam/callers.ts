/**
 * Who sends a Lambda's SDK request, and the check DynamoDB makes of it. In AWS a function's requests
 * are signed with its role's session credentials; locally every bundle shares one process (and one
 * environment), so the engine runs each invocation in an async context naming its function: the
 * engine's guard and the function. A request the SDK sends to the engine's DynamoDB endpoint is
 * answered in this process (engine/front.ts), in that context; any HTTP request started in it carries
 * the caller in a header (set through Node's `http.client.request.created` diagnostics channel, before
 * the request is sent). `guardLayer`, in front of the table, asks that engine's guard and answers a
 * denied call as DynamoDB does.
 */
import { AsyncLocalStorage } from "async_hooks";
import * as diagnostics from "diagnostics_channel";
import * as http from "http";
import { Wire, WireRequest, jsonResponse } from "../wire";

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

/** The caller the current async context runs as, if any. */
export function currentCaller(): string | undefined {
  return callers.getStore();
}

/**
 * IAM in front of DynamoDB (engine/wire.ts): a request sent as `<guard id>/<function>` is decided by
 * that engine's guard, a denied one answered as DynamoDB answers it; any other is passed on.
 */
export function guardLayer(next: Wire): Wire {
  return async (request) => {
    let refusal: Refusal | undefined;
    try {
      refusal = await decide(request);
    } catch (error) {
      refusal = { status: 500, body: { __type: "InternalFailure", message: String(error) } };
    }
    return refusal === undefined ? next(request) : jsonResponse(refusal.status, JSON.stringify(refusal.body));
  };
}

async function decide(request: WireRequest): Promise<Refusal | undefined> {
  const tag = request.caller;
  const target = request.headers["x-amz-target"] ?? "";
  if (tag === undefined || !target.includes(".")) return undefined;
  const slash = tag.indexOf("/");
  const guard = guards.get(tag.slice(0, slash));
  // A request of an engine that has closed: nobody is left to decide it.
  if (guard === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    return undefined; // DynamoDB's own SerializationException follows
  }
  return guard({ caller: tag.slice(slash + 1), operation: request.operation, body: parsed });
}
