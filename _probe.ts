(Promise as any).withResolvers ??= function () { let resolve: any, reject: any; const promise = new Promise((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; };
import { orderWorkflowDefinition } from "./workflow/definition";
async function main() {
  const { StateMachine } = await import("aws-local-stepfunctions");
  const def = JSON.parse(JSON.stringify(orderWorkflowDefinition({verifyPaymentDetailsFunction:"v", retrieveStockLevelsFunction:"s", chargePaymentFunction:"c", tableName:"orders", topicArn:"t"})));
  const sm = new StateMachine(def as any, { validationOptions: { checkPaths: true } });
  const stock = Number(process.argv[2] ?? 5);
  const ex = sm.run(JSON.parse(process.argv[4] ?? "{\"orderId\":\"o-1\"}"), { context: { Execution: { Name: "exec-1", Id: "arn:exec-1" } }, overrides: { taskResourceLocalHandlers: {
    VerifyPaymentDetails: async (i: any) => { console.log("verify in", JSON.stringify(i)); return { Payload: { orderId: "o-1", paymentVerified: process.argv[3] !== "nv", rejection: process.argv[3] === "nv" ? { error: "PAYMENT_NOT_VERIFIED", cause: "bad card" } : null, item: { OrderId: { S: "o-1" } }, notice: { orderId: "o-1", customerId: "c" }, charge: { customerId: "c", amountMinor: 100, paymentToken: "t" } } }; },
    RetrieveStockLevels: async () => ({ Payload: { items: [{ itemId: "a", price: 1, itemDescription: "A", quantityInStock: stock }, { itemId: "b", price: 1, itemDescription: "B's {x}", quantityInStock: 3 }] } }),
    ChargePayment: async (i: any) => { console.log("charge in", JSON.stringify(i)); if (process.argv[3] === "decline") { const e = new Error(JSON.stringify({errorType: "PaymentError", errorMessage: "declined"})); e.name = "PaymentError"; throw e; } return { Payload: { charged: true, chargeId: "ch", notification: { orderId: "o-1", state: "PROCESSED", message: "ok" } } }; },
    NotifyOrderProcessed: async (i: any) => { console.log("notify ok", JSON.stringify(i)); return { MessageId: "m" }; },
    RecordFailedOrder: async (i: any) => { console.log("record", JSON.stringify(i)); return {}; },
    NotifyOrderFailed: async (i: any) => { console.log("notify failed", JSON.stringify(i)); return { MessageId: "m" }; },
  } } } as any);
  const names: string[] = [];
  (async () => { for await (const ev of ex.eventLogs as any) { if (ev.type === "StateEntered") names.push(ev.state?.name ?? JSON.stringify(ev)); else if (!["StateExited","ExecutionStarted"].includes(ev.type)) console.log("EV", ev.type, JSON.stringify(ev).slice(0,300)); } })();
  try { console.log("RESULT", JSON.stringify(await ex.result)); } catch (e: any) { console.log("ERR", e.name, e.message, e.cause); }
  await new Promise(r => setTimeout(r, 50));
  console.log(names.length, names.join(" > "));
}
main();
