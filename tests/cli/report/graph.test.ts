/**
 * The report's graph as Chromium draws it, at a wide and a narrow window: Start and End markers,
 * every edge label whole, no label over another or across a node, no Choice rule's edge and no edge of
 * the recovery branch crossing another edge, the recovery branch beside the main flow, and the graph's
 * frame as wide as the page. The boxes and the edges' lines are measured in the rendered page, not
 * taken from the layout. Screenshots at 1400 px and 800 px go to a temporary folder (kept when
 * REPORT_SHOTS names a folder).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Browser } from "playwright-core";
import { LocalWorkflow } from "../../../engine/engine";
import { Point, crossingPairs } from "../../../cli/report/geometry";
import { renderReport } from "../../../cli/report/report";
import { StateMachineDefinition, allStates } from "../../../workflow/asl";
import { launchChromium, requireChromium } from "../../support/chromium";
import { sampleOrder } from "../../support/sampleOrder";

interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}
/** What the page reports of the graph (measured in the page; this tsconfig has no DOM library). */
interface Drawn {
  readonly labels: Array<{ text: string; from: string; to: string; box: Rect }>;
  /** Each edge as the points its drawn line passes through, in the page's coordinates. */
  readonly edges: Array<{ from: string; to: string; points: Point[] }>;
  readonly nodes: Array<{ name: string; container: boolean; box: Rect; head: Rect | null }>;
  readonly terminals: string[];
  readonly frame: Rect;
  readonly page: number;
}
interface DomRectish extends Rect {
  readonly width: number;
}
interface Matrix {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly e: number;
  readonly f: number;
}
interface El {
  readonly textContent: string | null;
  getTotalLength(): number;
  getPointAtLength(length: number): Point;
  getScreenCTM(): Matrix | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): DomRectish;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  readonly classList: { contains(name: string): boolean };
}

function measure(section: El): Drawn {
  const rect = (el: El): Rect => {
    const b = el.getBoundingClientRect();
    return { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
  };
  const all = (selector: string): El[] => Array.from(section.querySelectorAll(selector));
  const body = (globalThis as unknown as { document: { body: El } }).document.body;
  return {
    labels: all("text.edge-label").map((el) => ({
      text: el.textContent ?? "",
      from: el.getAttribute("data-from") ?? "",
      to: el.getAttribute("data-to") ?? "",
      box: rect(el),
    })),
    edges: all("path.edge").map((el) => {
      const length = el.getTotalLength();
      const m = el.getScreenCTM() as Matrix;
      const points = Array.from({ length: 97 }, (_, k) => {
        const p = el.getPointAtLength((length * k) / 96);
        return { x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f };
      });
      return { from: el.getAttribute("data-from") ?? "", to: el.getAttribute("data-to") ?? "", points };
    }),
    nodes: all(".graph [data-state]").map((el) => {
      const head = el.querySelector(".head");
      return {
        name: el.getAttribute("data-state") ?? "",
        container: el.classList.contains("container"),
        box: rect(el),
        head: head === null ? null : rect(head),
      };
    }),
    terminals: all(".graph [data-terminal]").map((el) => el.getAttribute("data-terminal") ?? ""),
    frame: rect(section.querySelector(".graph-wrap") as El),
    page: body.getBoundingClientRect().width,
  };
}

const intersects = (a: Rect, b: Rect): boolean =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const inside = (a: Rect, b: Rect): boolean =>
  a.left >= b.left && a.right <= b.right && a.top >= b.top && a.bottom <= b.bottom;
const centreX = (a: Rect): number => (a.left + a.right) / 2;

describe("the report's graph, as Chromium draws it", function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let dir: string;
  let file: string;
  let definition: StateMachineDefinition;

  before(async () => {
    requireChromium();
    const workflow = await LocalWorkflow.start({ rates: { payment: 0, stock: 0, charge: 1 }, seed: "graph" });
    try {
      definition = JSON.parse(workflow.definition) as StateMachineDefinition;
      const run = await workflow.run(sampleOrder(), "graph-payment-failed");
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "order-graph-"));
      file = path.join(dir, "report.html");
      fs.writeFileSync(file, renderReport(definition, [run]));
    } finally {
      await workflow.close();
    }
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const width of [1400, 800]) {
    it(`at ${width} px: Start and End, labels whole, apart and off the nodes; a screenshot`, async () => {
      const page = await (browser as Browser).newPage({ viewport: { width, height: 900 } });
      try {
        await page.goto(pathToFileURL(file).href);
        const drawn = await page.locator("#run-0").evaluate(measure);
        assert.deepStrictEqual(drawn.terminals.sort(), ["End", "Start"]);

        const written = drawn.labels.map((l) => l.text.replace(/\s+/g, ""));
        assert.ok(
          written.includes("catchDynamoDB.ConditionalCheckFailedException"),
          `the whole catch label (${written.join(" | ")})`,
        );
        assert.ok(
          written.includes('$.rejection.error=="INVALID_ORDER"'),
          `the whole Choice rule (${written.join(" | ")})`,
        );
        assert.ok(
          drawn.labels.every((l) => !l.text.includes("…")),
          "no label cut short",
        );

        for (const [i, a] of drawn.labels.entries()) {
          for (const b of drawn.labels.slice(i + 1))
            assert.ok(!intersects(a.box, b.box), `"${a.text}" and "${b.text}" overlap`);
          for (const node of drawn.nodes) {
            const crosses = node.container
              ? intersects(a.box, node.box) && !inside(a.box, node.box)
              : intersects(a.box, node.box);
            assert.ok(!crosses, `"${a.text}" (${a.from} → ${a.to}) crosses ${node.name}`);
            if (node.head !== null) assert.ok(!intersects(a.box, node.head), `"${a.text}" covers ${node.name}'s name`);
          }
        }

        // No Choice rule's edge, and no edge into or out of the recovery branch, crosses another edge.
        const choices = new Set(
          allStates(definition).flatMap(([name, state]) => (state.Type === "Choice" ? [name] : [])),
        );
        const recoveryStates = ["RecoverOrderId", "CheckOrderId", "UseExecutionName", "UseCheckedOrderId"];
        const guarded = (e: Drawn["edges"][number]): boolean =>
          choices.has(e.from) || recoveryStates.includes(e.from) || recoveryStates.includes(e.to);
        const crossed = crossingPairs(drawn.edges.map((e) => e.points))
          .map(([i, j]) => [drawn.edges[i], drawn.edges[j]])
          .filter(([a, b]) => guarded(a) || guarded(b))
          .map(([a, b]) => `${a.from} → ${a.to} crosses ${b.from} → ${b.to}`);
        assert.ok(drawn.edges.length > 40, `only ${drawn.edges.length} edges drawn`);
        assert.deepStrictEqual(crossed, []);

        // The recovery branch is beside the main flow: all of it on one side of the states of the main path.
        const x = (name: string): number =>
          centreX((drawn.nodes.find((n) => n.name === name) as Drawn["nodes"][number]).box);
        const recovery = recoveryStates.map(x);
        const main = ["PaymentVerified?", "CheckStock", "ChargePayment"].map(x);
        assert.ok(
          Math.min(...recovery) > Math.max(...main) || Math.max(...recovery) < Math.min(...main),
          `recovery ${recovery.map(Math.round).join(",")} beside main ${main.map(Math.round).join(",")}`,
        );
        // The graph's frame spans the page (less the body's padding).
        assert.ok(
          drawn.frame.right - drawn.frame.left >= drawn.page - 60,
          `frame ${Math.round(drawn.frame.right - drawn.frame.left)} of ${drawn.page}`,
        );

        const shot = path.join(process.env.REPORT_SHOTS ?? dir, `graph-${width}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        assert.ok(fs.statSync(shot).size > 20_000);
      } finally {
        await page.close();
      }
    });
  }
});
