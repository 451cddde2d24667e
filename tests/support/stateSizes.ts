/**
 * How large each state's data gets, as Step Functions measures it against its 262,144-byte limit
 * (UTF-8 bytes of JSON): every state's input and output, every Task's input after Parameters and its
 * integration's raw result, and a Parallel's array of branch results.
 *
 * It runs the definition the engine runs (aws-local-stepfunctions, with the project's patches) with
 * the handlers called directly on test doubles, and the Lambda integration answering with every field
 * AWS's `lambda:invoke` returns (so its metadata counts, as on AWS). The engine's own enforcement of
 * the limit is engine/engine.ts's; this measures what an order's data weighs in each state.
 */
import { randomUUID } from "crypto";
import type { ChargeInput, ParallelInput, RefundInput, ReleaseInput, ReserveInput } from "../../handlers/contract";
import { chargePayment } from "../../handlers/chargePayment";
import { jsonByteLength, toJson } from "../../handlers/order/json";
import { retrieveStockLevels } from "../../handlers/retrieveStockLevels";
import { verifyPaymentDetails } from "../../handlers/verifyPaymentDetails";
import type { ChargeOutcome, Verification } from "../../handlers/ports/payments";
import { localResources } from "../../engine/engine";
import { StateMachine } from "../../engine/runtime";
import { allStates, render } from "../../workflow/asl";
import { LAMBDA_INVOKE, SNS_PUBLISH, orderWorkflowDefinition } from "../../workflow/definition";
import { MemoryReservations, ScriptedGateway, fixedInventory } from "./fakePorts";
import { refundPayment } from "../../handlers/refundPayment";
import { releaseStock } from "../../handlers/releaseStock";
import { reserveStock } from "../../handlers/reserveStock";
import { NOW } from "./sampleOrder";

export interface SizeScenario {
  /** Each item's stock level; defaults to 5 for every item. */
  readonly stock?: (index: number) => number;
  readonly verification?: Verification;
  readonly charge?: ChargeOutcome;
  /** The stock Lambda fails every time (the fault path). */
  readonly stockFails?: boolean;
}

export interface StateSizes {
  readonly status: "SUCCEEDED" | "FAILED";
  readonly error: string | null;
  readonly states: string[];
  /** Bytes by "<state> input", "<state> output", "<state> effective input", "<state> result", "<state> branch results". */
  readonly sizes: Map<string, number>;
  readonly largest: { readonly where: string; readonly bytes: number };
}

/** The fields AWS's `lambda:invoke` integration returns around the function's payload. */
function lambdaResponse(payload: unknown): unknown {
  const requestId = randomUUID();
  const headers = {
    Connection: "keep-alive",
    "Content-Length": String(jsonByteLength(payload)),
    "Content-Type": "application/json",
    Date: "Fri, 27 Nov 2026 05:00:00 GMT",
    "X-Amz-Executed-Version": "$LATEST",
    "x-amzn-Remapped-Content-Length": "0",
    "x-amzn-RequestId": requestId,
    "X-Amzn-Trace-Id":
      "Root=1-5f8e7a2b-3c4d5e6f7a8b9c0d1e2f3a4b;Parent=1a2b3c4d5e6f7a8b;Sampled=1;Lineage=1:abcdef12:0",
  };
  return {
    ExecutedVersion: "$LATEST",
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

type Definition = ConstructorParameters<typeof StateMachine>[0];

/** Each Task state answered as AWS's integration would, its input after Parameters and its raw result measured. */
function taskOverrides(
  definition: Definition,
  call: (fn: string, payload: unknown) => Promise<unknown>,
  note: (where: string, value: unknown) => void,
) {
  const overrides: Record<string, (params: unknown) => Promise<unknown>> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  for (const [name, state] of allStates(definition as never)) {
    if (state.Type !== "Task") continue;
    retryIntervalOverrides[name] = 0;
    overrides[name] = async (params) => {
      note(`${name} effective input`, params);
      let result: unknown;
      if (state.Resource === LAMBDA_INVOKE) {
        const { FunctionName, Payload } = params as { FunctionName: string; Payload: unknown };
        result = lambdaResponse(await call(FunctionName.split(":").pop() ?? "", Payload));
      } else if (state.Resource === SNS_PUBLISH) {
        result = {
          MessageId: randomUUID(),
          SdkHttpMetadata: { HttpStatusCode: 200 },
          SdkResponseMetadata: { RequestId: randomUUID() },
        };
      } else {
        result = { SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: randomUUID() } };
      }
      note(`${name} result`, result);
      return result;
    };
  }
  return { overrides, retryIntervalOverrides };
}

/** Runs `input` through the definition and measures every state's data. */
export async function measureStateSizes(
  input: unknown,
  executionName: string,
  scenario: SizeScenario = {},
): Promise<StateSizes> {
  const definition = JSON.parse(render(orderWorkflowDefinition(localResources("CustomerOrders")))) as Definition;
  const sizes = new Map<string, number>();
  const note = (where: string, value: unknown) =>
    sizes.set(where, Math.max(sizes.get(where) ?? 0, jsonByteLength(value)));
  const gateway = new ScriptedGateway(scenario.verification, scenario.charge);
  const reservations = new MemoryReservations();
  const levels = (count: number) => Array.from({ length: count }, (_, i) => scenario.stock?.(i) ?? 5);

  const call = async (fn: string, payload: unknown): Promise<unknown> => {
    const event = JSON.parse(toJson(payload)) as unknown;
    if (fn === "verifyPaymentDetails") return verifyPaymentDetails(event as ParallelInput, { gateway, now: () => NOW });
    if (fn === "retrieveStockLevels") {
      if (scenario.stockFails === true)
        throw Object.assign(new Error("Injected: the Lambda service failed"), { name: "Lambda.ServiceException" });
      const order = (event as ParallelInput).order as { orderContents?: { items?: unknown[] } };
      return retrieveStockLevels(event as ParallelInput, {
        inventory: fixedInventory(levels(order?.orderContents?.items?.length ?? 0)),
      });
    }
    const stock = { reservations, inventory: fixedInventory([]) };
    if (fn === "reserveStock") return reserveStock(event as ReserveInput, stock);
    if (fn === "releaseStock") return releaseStock(event as ReleaseInput, stock);
    if (fn === "refundPayment") return refundPayment(event as RefundInput, gateway);
    return chargePayment(event as ChargeInput, { gateway });
  };

  const { overrides, retryIntervalOverrides } = taskOverrides(definition, call, note);
  const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
  const execution = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: overrides as never, retryIntervalOverrides },
    context: {
      Execution: {
        Id: `arn:aws:states:us-east-1:000000000000:execution:OrderWorkflow:${executionName}`,
        Name: executionName,
        StartTime: NOW.toISOString(),
      },
      StateMachine: { Id: "arn:aws:states:us-east-1:000000000000:stateMachine:OrderWorkflow", Name: "OrderWorkflow" },
    },
  });
  type Event = { type: string; state?: { name: string; input?: unknown; output?: unknown }; Error?: string };
  const states: string[] = [];
  const branchResults: Record<string, unknown> = {};
  let error: string | null = null;
  const events = (async () => {
    for await (const event of execution.eventLogs as AsyncIterable<Event>) {
      if (event.type === "StateEntered" && event.state) {
        states.push(event.state.name);
        note(`${event.state.name} input`, event.state.input);
      } else if (event.type === "StateExited" && event.state) {
        note(`${event.state.name} output`, event.state.output);
        if (event.state.name === "VerifyPaymentDetails" || event.state.name === "RetrieveStockLevels")
          branchResults[event.state.name] = event.state.output;
      } else if (event.type === "ExecutionFailed") {
        error = event.Error ?? null;
      }
    }
  })();
  let status: StateSizes["status"] = "SUCCEEDED";
  try {
    await execution.result;
  } catch {
    status = "FAILED";
  }
  await events;
  note("VerifyPaymentAndCheckStock branch results", [
    branchResults.VerifyPaymentDetails ?? null,
    branchResults.RetrieveStockLevels ?? null,
  ]);
  const [where, bytes] = [...sizes.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
  return { status, error, states, sizes, largest: { where, bytes } };
}
