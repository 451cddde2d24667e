/** The patched library's event log and abort (engine/patches.ts): what an execution's reader and its branches see. */
import * as assert from "assert";
import { StateMachine } from "../../engine/runtime";

const LAMBDA = "arn:aws:states:::lambda:invoke";

/** A Parallel state whose one branch runs First, then Second. */
const definition = {
  StartAt: "P",
  States: {
    P: {
      Type: "Parallel",
      End: true,
      Branches: [
        {
          StartAt: "First",
          States: {
            First: { Type: "Task", Resource: LAMBDA, Next: "Second" },
            Second: { Type: "Task", Resource: LAMBDA, End: true },
          },
        },
      ],
    },
  },
};

function start(handlers: Record<string, () => Promise<unknown>>) {
  const machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
  return machine.run({}, { overrides: { taskResourceLocalHandlers: handlers } } as never);
}

describe("the patched library", function () {
  it("stops a Parallel branch when its execution is aborted: the branch enters no state after that", async function () {
    let finishFirst: (value: unknown) => void = () => undefined;
    const entered: string[] = [];
    const execution = start({
      First: () => (entered.push("First"), new Promise((resolve) => (finishFirst = resolve))),
      Second: async () => (entered.push("Second"), {}),
    });
    await new Promise((resolve) => setImmediate(resolve));
    execution.abort();
    finishFirst({});
    await assert.rejects(execution.result, { name: "ExecutionAbortedError" });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepStrictEqual(entered, ["First"]);
  });

  it("logs every state's events, in order, to the execution's reader", async function () {
    const execution = start({ First: async () => ({}), Second: async () => ({}) });
    const events: string[] = [];
    for await (const event of execution.eventLogs as AsyncIterable<{ type: string; state?: { name: string } }>)
      events.push(event.state ? `${event.type} ${event.state.name}` : event.type);
    await execution.result;
    assert.deepStrictEqual(events, [
      "ExecutionStarted",
      "StateEntered P",
      "ParallelBranchStarted",
      "StateEntered First",
      "StateExited First",
      "StateEntered Second",
      "StateExited Second",
      "ParallelBranchSucceeded",
      "StateExited P",
      "ExecutionSucceeded",
    ]);
  });
});
