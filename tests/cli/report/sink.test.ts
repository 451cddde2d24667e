/**
 * The HTML report as a batch writes it (cli/batch.ts htmlReportSink through cli/command.ts
 * runBatch): the page draws the definition the workflow ran, not one of its own.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Workflow, htmlReportSink } from "../../../cli/batch";
import { runBatch } from "../../../cli/command";
import { render, allStates } from "../../../workflow/asl";
import { orderWorkflowDefinition, workflowResources } from "../../../workflow/definition";
import type { ExecutionReport } from "../../../workflow/execution/report";
import { CapturedIo } from "../../support/commands";
import { DEMO } from "../../support/paths";

/** A workflow that runs DEMO: every order takes the same succeeded path. */
const demoWorkflow: Workflow = {
  definition: render({ ...DEMO, Comment: "the demo machine" }),
  run: (_input, executionName = "exec-1"): Promise<ExecutionReport> =>
    Promise.resolve({
      orderId: executionName,
      executionName,
      status: "SUCCEEDED",
      error: null,
      cause: null,
      states: ["Fetch", "A", "B", "B2", "Each", "Check", "Ok", "Save", "Notify"],
      transitions: 9,
      charged: false,
      record: null,
      notifications: [],
      published: [],
      lambdaInvocations: 1,
    }),
};

describe("the HTML report of a batch", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-sink-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("draws the definition the workflow ran, every one of its states, and none of the order workflow's", async () => {
    const file = path.join(dir, "report.html");
    const io = new CapturedIo();
    await runBatch(io, demoWorkflow, {
      orders: [{ order: {}, source: "a.json" }],
      json: true,
      concurrency: 1,
      outputs: [htmlReportSink(file)],
      executionName: () => "order-7",
    });
    const html = fs.readFileSync(file, "utf8");
    assert.match(html, /1 execution of “the demo machine”/);
    for (const [name] of allStates(DEMO)) assert.ok(html.includes(`data-state="${name}"`), `${name} drawn`);
    for (const [name] of allStates(orderWorkflowDefinition(workflowResources((key) => key, "t", "n")))) {
      assert.ok(!html.includes(`data-state="${name}"`), `${name} is not in the definition that ran`);
    }
    assert.match(html, /data-state="Fetch" data-status="succeeded"/);
  });

  it("refuses at once a file it cannot write, before any order runs", () => {
    assert.throws(
      () => htmlReportSink(path.join(dir, "missing", "report.html")),
      /cannot write the report .*report\.html/,
    );
  });
});
