/**
 * The HTML execution report (cli/report/): the page as text (escaping, cap, self-containment), the
 * definition it draws (the one that ran), and the page in headless Chromium
 * on real orders run through the local engine: the colours on each path, the execution selector,
 * an injection attempt shown as text, and a screenshot.
 *
 * Chromium is required, not optional: without it the suite fails and says how to install it. The
 * README's picture is this test's screenshot:
 *
 *   REPORT_SCREENSHOT=docs/report.png npx mocha --no-config -r ts-node/register/transpile-only --timeout 120000 tests/cli/report/report.test.ts
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Browser, Page } from "playwright-core";
import { LocalWorkflow } from "../../../engine/engine";
import type { FailureRates } from "../../../handlers/ports/config";
import { PALETTE } from "../../../cli/report/assets";
import { escapeHtml } from "../../../cli/report/html";
import { DEFAULT_DETAILED_RUNS, renderReport } from "../../../cli/report/report";
import { StateMachineDefinition, allStates } from "../../../workflow/asl";
import { StateStatus, pathByState } from "../../../workflow/execution/path";
import type { ExecutionReport } from "../../../workflow/execution/report";
import { launchChromium, requireChromium } from "../../support/chromium";
import { DEMO } from "../../support/paths";
import { orderWith, sampleOrder } from "../../support/sampleOrder";

/**
 * The little of the DOM the in-page callbacks use: this is a Node project, its tsconfig has no DOM
 * library. The callbacks run in the page (Playwright sends their source), so they name `globalThis`.
 */
interface DomElement {
  readonly id: string;
  readonly classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
}
interface DomWindow {
  readonly document: { querySelector(selector: string): DomElement | null };
  getComputedStyle(element: DomElement): {
    readonly backgroundColor: string;
    readonly borderTopColor: string;
    readonly display: string;
  };
  readonly __injected?: unknown;
}

/** An execution report with only what the page reads set to something meaningful. */
function fakeRun(overrides: Partial<ExecutionReport> & Pick<ExecutionReport, "states" | "status">): ExecutionReport {
  return {
    orderId: "order-1",
    executionName: "exec-1",
    error: overrides.status === "FAILED" ? "FAILED" : null,
    cause: null,
    transitions: overrides.states.length,
    charged: false,
    record: null,
    notifications: [],
    published: [],
    lambdaInvocations: 0,
    ...overrides,
  };
}

describe("execution report", function () {
  this.timeout(120_000);

  describe("renderReport: the page as text", () => {
    const succeeded = ["Fetch", "A", "B", "B2", "Each", "Check", "Ok", "Save", "Notify"];

    it("is deterministic, and one section per run with every state in each", () => {
      const runs = [
        fakeRun({ states: succeeded, status: "SUCCEEDED" }),
        fakeRun({ states: ["Fetch", "A", "B", "Recover", "Failed"], status: "FAILED" }),
      ];
      const html = renderReport(DEMO, runs);
      assert.strictEqual(html, renderReport(DEMO, runs));
      assert.strictEqual(html.match(/<section class="run/g)?.length, 2);
      for (const [name] of allStates(DEMO)) {
        assert.strictEqual(html.split(`data-state="${name}"`).length - 1, 2, `${name} once per section`);
      }
      assert.match(html, /<section class="run" id="run-1"[\s\S]*data-state="Fetch" data-status="caught"/);
    });

    it("needs nothing outside itself: no URL to load, one inline script pinned by a Content-Security-Policy", () => {
      const html = renderReport(DEMO, [fakeRun({ states: succeeded, status: "SUCCEEDED" })]);
      assert.doesNotMatch(html, /\b(?:src|srcset|action|xlink:href)\s*=/i);
      assert.deepStrictEqual(html.match(/\bhref="[^"]*"/g) ?? [], ['href="#run-0"'], "links only to its own sections");
      assert.doesNotMatch(html, /<link\b|@import|url\((?!#)/i);
      assert.strictEqual(html.match(/<script\b/g)?.length, 1);
      assert.match(
        html,
        /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/=]+'/,
      );
    });

    it("escapes every string from the input", () => {
      const attack = `<script>window.__injected = 1</script><img src=x onerror="window.__injected = 2">'"&`;
      const html = renderReport(DEMO, [
        fakeRun({
          states: [...succeeded.slice(0, -1), "Notify"],
          status: "FAILED",
          orderId: attack,
          executionName: attack,
          error: attack,
          cause: attack,
          record: { Items: [{ itemDescription: attack }], [attack]: attack },
          notifications: [{ message: attack }],
          published: [{ topicArn: attack, message: { message: attack }, attributes: { [attack]: attack } }],
        }),
      ]);
      assert.ok(!html.includes(attack), "the raw text appears nowhere");
      assert.ok(!html.includes("<img"), "no element from the input");
      assert.strictEqual(html.match(/<script\b/g)?.length, 1, "only the page's own script");
      assert.ok(html.includes(escapeHtml(attack)));
      assert.strictEqual(escapeHtml(`<a href="x">'&`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;");
    });

    it(`shows the first ${DEFAULT_DETAILED_RUNS} runs in detail and counts them all`, () => {
      const runs = Array.from({ length: 1200 }, (_, i) =>
        i % 3 === 0
          ? fakeRun({
              states: ["Fetch", "A", "B", "Recover", "Failed"],
              status: "FAILED",
              error: "FAILED",
              executionName: `e${i}`,
            })
          : fakeRun({ states: succeeded, status: "SUCCEEDED", executionName: `e${i}` }),
      );
      const html = renderReport(DEMO, runs);
      assert.strictEqual(html.match(/<section class="run/g)?.length, DEFAULT_DETAILED_RUNS);
      assert.strictEqual(html.match(/<option /g)?.length, DEFAULT_DETAILED_RUNS);
      assert.match(html, /Showing the first 50 of 1,200 executions in detail; the counts above cover all 1,200\./);
      assert.match(html, /<td>SUCCEEDED<\/td><td class="count">800<\/td>/);
      assert.match(html, /<td>FAILED FAILED<\/td><td class="count">400<\/td>/);
      assert.strictEqual(renderReport(DEMO, runs, { maxDetailed: 5 }).match(/<section class="run/g)?.length, 5);
    });

    it("says so when there is nothing to show", () => {
      const html = renderReport(DEMO, []);
      assert.match(html, /No executions\./);
      assert.doesNotMatch(html, /<section class="run/);
    });
  });

  describe("the page in headless Chromium, on orders run through the local engine", () => {
    const NEVER: FailureRates = { payment: 0, stock: 0, charge: 0 };
    /** An item description that would run script if the page put it into HTML as markup. */
    const INJECTED = `Laptop <script>window.__injected = "script"</script><img src=x onerror="window.__injected = 'img'">`;
    let dir: string;
    let file: string;
    let definition: StateMachineDefinition;
    const runs: ExecutionReport[] = [];
    let browser: Browser | undefined;
    let page: Page;
    const requests: string[] = [];
    const problems: string[] = [];

    before(async () => {
      requireChromium();
      const injected = orderWith((o) => (o.orderContents.items[0].itemDescription = INJECTED));
      const cases: Array<[Partial<FailureRates>, unknown, string]> = [
        [NEVER, sampleOrder(), "report-succeeded"],
        [{ ...NEVER, stock: 1 }, injected, "report-out-of-stock"],
        [{ ...NEVER, charge: 1 }, sampleOrder(), "report-payment-failed"],
      ];
      for (const [rates, input, name] of cases) {
        const workflow = await LocalWorkflow.start({ rates, seed: "report" });
        try {
          definition = JSON.parse(workflow.definition) as StateMachineDefinition;
          runs.push(await workflow.run(input, name));
        } finally {
          await workflow.close();
        }
      }
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "order-report-"));
      file = path.join(dir, "report.html");
      fs.writeFileSync(file, renderReport(definition, runs));

      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      page.on("request", (request) => requests.push(request.url()));
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning")
          problems.push(`console ${message.type()}: ${message.text()}`);
      });
      await page.goto(pathToFileURL(file).href);
    });

    after(async () => {
      await browser?.close();
      if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("ran the three orders to the outcomes the colours are checked against", () => {
      assert.deepStrictEqual(
        runs.map((r) => [r.status, r.error]),
        [
          ["SUCCEEDED", null],
          ["FAILED", "OUT_OF_STOCK"],
          ["FAILED", "PAYMENT_FAILED"],
        ],
      );
    });

    it("loads nothing but itself, and runs its script without error or policy violation", () => {
      assert.deepStrictEqual(requests, [pathToFileURL(file).href]);
      assert.deepStrictEqual(problems, []);
    });

    /** The state's node in a run's section: its status attribute and computed colours. */
    async function node(
      run: number,
      state: string,
    ): Promise<{ status: string | null; background: string; border: string }> {
      const locator = page.locator(`#run-${run} .graph [data-state="${state}"]`);
      assert.strictEqual(await locator.count(), 1, `one node for ${state} in run ${run}`);
      return locator.evaluate((el: DomElement) => {
        const style = (globalThis as unknown as DomWindow).getComputedStyle(el);
        return {
          status: el.getAttribute("data-status"),
          background: style.backgroundColor,
          border: style.borderTopColor,
        };
      });
    }

    function rgb(hex: string): string {
      const n = Number.parseInt(hex.slice(1), 16);
      return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
    }

    async function assertColoured(run: number, state: string, status: StateStatus): Promise<void> {
      const seen = await node(run, state);
      assert.deepStrictEqual(
        seen,
        { status, background: rgb(PALETTE[status].fill), border: rgb(PALETTE[status].border) },
        `${state} in run ${run}`,
      );
    }

    it("colours the succeeded path green and leaves the failure path grey", async () => {
      for (const state of [
        "VerifyPaymentAndCheckStock",
        "VerifyPaymentDetails",
        "PaymentVerified?",
        "CheckStock",
        "InStock?",
        "ItemInStock",
        "ChargePayment",
        "NotifyOrderProcessed",
      ]) {
        await assertColoured(0, state, "succeeded");
      }
      for (const state of ["ItemOutOfStock", "PaymentFailed", "RecordFailedOrder", "OrderFailed", "RecoverOrderId"]) {
        await assertColoured(0, state, "not-entered");
      }
    });

    it("OUT_OF_STOCK: the Map caught (orange), the item's Fail state and OrderFailed red, the failure path green, the charge grey", async () => {
      await assertColoured(1, "CheckStock", "caught");
      await assertColoured(1, "ItemOutOfStock", "failed");
      await assertColoured(1, "OrderFailed", "failed");
      for (const state of ["InStock?", "OutOfStock", "RecordFailedOrder", "ComposeNotification", "NotifyOrderFailed"])
        await assertColoured(1, state, "succeeded");
      for (const state of ["ChargePayment", "ItemInStock", "PaymentFailed"])
        await assertColoured(1, state, "not-entered");
    });

    it("PAYMENT_FAILED: ChargePayment caught (orange), PaymentFailed and the failure path green, OrderFailed red", async () => {
      await assertColoured(2, "ChargePayment", "caught");
      await assertColoured(2, "OrderFailed", "failed");
      for (const state of ["CheckStock", "ItemInStock", "PaymentFailed", "RecordFailedOrder", "NotifyOrderFailed"])
        await assertColoured(2, state, "succeeded");
      for (const state of ["NotifyOrderProcessed", "OutOfStock", "ItemOutOfStock"])
        await assertColoured(2, state, "not-entered");
    });

    it("the four colours read as the console's: green, red, orange, grey", () => {
      const channels = (hex: string): [number, number, number] => {
        const n = Number.parseInt(hex.slice(1), 16);
        return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
      };
      const [gr, gg, gb] = channels(PALETTE.succeeded.border);
      assert.ok(gg > gr && gg > gb, "succeeded is green");
      const [rr, rg, rb] = channels(PALETTE.failed.border);
      assert.ok(rr > rg + 80 && rr > rb + 80, "failed is red");
      const [or, og, ob] = channels(PALETTE.caught.border);
      assert.ok(or > og && og > ob && og - ob > 60, "caught is orange");
      const [nr, ng, nb] = channels(PALETTE["not-entered"].border);
      assert.ok(Math.max(nr, ng, nb) - Math.min(nr, ng, nb) < 16, "not entered is grey");
    });

    it("every node's status and colour in the page is the derivation's", async () => {
      for (const [i, run] of runs.entries()) {
        const expected = pathByState(definition, run).statuses;
        const shown = await page
          .locator(`#run-${i} .graph [data-state]`)
          .evaluateAll((els: DomElement[]) =>
            els.map((el) => [
              el.getAttribute("data-state"),
              el.getAttribute("data-status"),
              (globalThis as unknown as DomWindow).getComputedStyle(el).backgroundColor,
            ]),
          );
        assert.strictEqual(shown.length, expected.size);
        for (const [state, status, background] of shown) {
          const want = expected.get(state as string) as StateStatus;
          assert.strictEqual(status, want, `${state} in run ${i}`);
          assert.strictEqual(background, rgb(PALETTE[want].fill), `${state}'s colour in run ${i}`);
        }
      }
    });

    it("shows one execution at a time, switched by the selector and by the summary's links", async () => {
      const visible = () =>
        page
          .locator("section.run")
          .evaluateAll((els: DomElement[]) =>
            els
              .filter((el) => (globalThis as unknown as DomWindow).getComputedStyle(el).display !== "none")
              .map((el) => el.id),
          );
      assert.deepStrictEqual(await visible(), ["run-0"]);
      await page.selectOption("#run-select", "run-2");
      assert.deepStrictEqual(await visible(), ["run-2"]);
      await page.click('table.summary a[href="#run-1"]');
      await page.waitForFunction(
        () =>
          (globalThis as unknown as DomWindow).document.querySelector("#run-1")?.classList.contains("active") === true,
      );
      assert.deepStrictEqual(await visible(), ["run-1"]);
      assert.strictEqual(await page.inputValue("#run-select"), "run-1");
    });

    it("shows the record and the notifications", async () => {
      for (const [i, run] of runs.entries()) {
        const text = (await page.locator(`#run-${i}`).textContent()) ?? "";
        assert.ok(text.includes(`State${run.record?.State as string}`), `run ${i}'s record state`);
        const message = (run.notifications[0] as { message: string }).message;
        assert.ok(text.includes(JSON.stringify(message)), `run ${i}'s notification, as JSON text`);
        if (run.status === "FAILED")
          assert.ok(text.includes(`reason=${run.error}`), "the reason attribute subscribers filter on");
      }
    });

    it("shows an item description holding <script> as text and runs none of it", async () => {
      const injected = await page.evaluate(() => (globalThis as unknown as DomWindow).__injected);
      assert.strictEqual(injected, undefined);
      assert.strictEqual(await page.locator("script").count(), 1, "only the page's own script");
      assert.strictEqual(await page.locator("img").count(), 0);
      const cause = runs[1].cause as string;
      assert.ok(cause.includes(INJECTED), "the engine's cause names the description");
      const facts = await page.locator("#run-1 dl.facts").innerText();
      assert.ok(facts.includes(INJECTED), "the cause is shown as the text it is");
      const record = await page.locator("#run-1 table.record").innerText();
      assert.ok(record.includes(JSON.stringify(INJECTED)), "the record's item, as JSON text");
    });

    it("saves a screenshot of the PAYMENT_FAILED run", async () => {
      await page.selectOption("#run-select", "run-2");
      const shot = path.join(dir, "report.png");
      await page.screenshot({ path: shot, fullPage: true });
      const png = fs.readFileSync(shot);
      assert.deepStrictEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG");
      assert.ok(png.length > 20_000, `a real picture (${png.length} bytes)`);
      const target = process.env.REPORT_SCREENSHOT;
      if (target !== undefined && target !== "") {
        fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
        fs.copyFileSync(shot, target);
      }
    });
  });
});
