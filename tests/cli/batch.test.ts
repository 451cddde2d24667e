/**
 * Two entries with the same orderId in one input: the first in the file wins, whatever the
 * concurrency (cli/batch.ts runs orders under one orderId one after another, in file order).
 */
import * as assert from "assert";
import type { ExecutionReport } from "../../workflow/execution/report";
import { processOrders } from "../../cli/batch";
import type { OrderInput } from "../../cli/inputs";

function report(orderId: string, executionName: string): ExecutionReport {
  return {
    orderId,
    executionName,
    status: "SUCCEEDED",
    error: null,
    cause: null,
    states: [],
    transitions: 0,
    charged: true,
    record: null,
    notifications: [],
    published: [],
    lambdaInvocations: 0,
  };
}

describe("a batch with the same orderId twice", () => {
  it("starts the later entry only once the earlier one has ended, even with free workers; others run at once", async () => {
    const orders: OrderInput[] = [
      { order: { orderId: "same" }, source: "f #1" },
      { order: { orderId: "other" }, source: "f #2" },
      { order: { orderId: "same", changed: true }, source: "f #3" },
      { order: ["not an object"], source: "f #4" },
    ];
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const results = processOrders({
      orders,
      concurrency: 4,
      sinks: [],
      definition: { StartAt: "Done", States: { Done: { Type: "Succeed" } } },
      run: async (order, index) => {
        events.push(`start ${index}`);
        if (index === 0) await firstHeld;
        // Once every other entry that can start has started, let the first one end.
        if (index === 3) queueMicrotask(() => releaseFirst());
        events.push(`end ${index}`);
        return report(String((order.order as { orderId?: string }).orderId), `e${index}`);
      },
    });
    const done = await results;
    assert.deepStrictEqual(
      done.map((r) => r.source),
      ["f #1", "f #2", "f #3", "f #4"],
    );
    assert.ok(events.indexOf("start 2") > events.indexOf("end 0"), events.join(", "));
    assert.ok(events.indexOf("start 1") < events.indexOf("end 0"), events.join(", "));
    assert.ok(events.indexOf("start 3") < events.indexOf("end 0"), events.join(", "));
  });
});
