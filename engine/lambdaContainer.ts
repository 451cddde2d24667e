/**
 * A Lambda function's container as a worker thread: its bundle (bundles.ts) loaded there as loadBundle
 * loads it (a fresh CommonJS module that can require only the runtime's AWS SDK, its console captured),
 * with the function's environment as the thread's own `process.env` for its whole life, as a container
 * has it, and each invocation a message. The functions' work (their SDK clients' requests included)
 * then runs beside the state machine rather than taking turns with it on one thread (docs/bench.md).
 */
import { Worker } from "worker_threads";
import { toJson } from "../handlers/order/json";
import { LambdaHandler, LogSink, placeBundle } from "./bundles";

/** The container's side: load the bundle, answer each invocation, send every console line first. */
const CONTAINER = `
const { parentPort, workerData } = require("worker_threads");
const path = require("path");
const vm = require("vm");
const { createRequire } = require("module");
const { file, text } = workerData;
const write = (...args) => parentPort.postMessage({ log: args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ") });
const lambdaConsole = { ...console, log: write, info: write, warn: write, error: write, debug: write };
const module_ = { exports: {} };
const init = vm.compileFunction(text, ["exports", "require", "module", "__filename", "__dirname", "console"], { filename: file });
init(module_.exports, createRequire(file), module_, file, path.dirname(file), lambdaConsole);
const handler = module_.exports.handler;
if (typeof handler !== "function") throw new Error(file + " exports no handler function");
parentPort.on("message", async ({ id, event, context }) => {
  try {
    const result = await handler(JSON.parse(event), context);
    let json;
    try {
      json = result === undefined ? undefined : JSON.stringify(result);
    } catch {
      // Too deep for JSON.stringify: the structured clone carries it.
      return parentPort.postMessage({ id, result });
    }
    parentPort.postMessage({ id, json });
  } catch (error) {
    const e = error instanceof Error ? { name: error.name, message: error.message } : { name: "Error", message: String(error) };
    parentPort.postMessage({ id, error: e });
  }
});
parentPort.postMessage({ ready: true });
`;

type Message =
  | { readonly log: string }
  | { readonly ready: true }
  | { readonly id: number; readonly json: string | undefined }
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string } };

export interface LambdaContainer {
  /** Invokes the function: the event and the result cross as JSON text. */
  readonly handler: LambdaHandler;
  close(): Promise<void>;
}

/** Starts a container for a serialized bundle with the function's `env`; its console lines go to `log`, in order, before its answer. */
export async function startLambdaContainer(
  text: string,
  env: Record<string, string>,
  log: LogSink,
): Promise<LambdaContainer> {
  const file = placeBundle(text);
  const worker = new Worker(CONTAINER, {
    eval: true,
    workerData: { file, text },
    env: { ...process.env, ...env },
    // The parent's flags (ts-node's -r) are not the runtime's.
    execArgv: [],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  let failed: Error | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on("message", (m: Message) => {
      if ("log" in m) return log(m.log);
      if ("ready" in m) return resolve();
      const call = pending.get(m.id);
      pending.delete(m.id);
      // Only invocations in flight keep the process alive.
      if (pending.size === 0) worker.unref();
      if ("error" in m) call?.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
      else call?.resolve("json" in m ? (m.json === undefined ? undefined : JSON.parse(m.json)) : m.result);
    });
    worker.on("error", (error: Error) => {
      failed = error;
      reject(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    });
  });
  await ready;
  worker.unref();
  const handler: LambdaHandler = (event, context) =>
    new Promise((resolve, reject) => {
      if (failed !== undefined) return reject(failed);
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.ref();
      // JSON text crosses far cheaper than a structured clone of the same value, and is what Lambda's API carries.
      worker.postMessage({ id, event: toJson(event ?? null), context });
    });
  return { handler, close: async () => void (await worker.terminate()) };
}
