/**
 * The HTML of the report's parts: an execution's graph (positioned boxes over an inline SVG of the
 * edges), its facts, record and notifications. Every string from the input is escaped.
 */
import type { StateMachineDefinition } from "../../workflow/asl";
import { PathByState, pathByState, transitionKey } from "../../workflow/execution/path";
import type { ExecutionReport } from "../../workflow/execution/report";
import { PALETTE } from "./assets";
import { LABEL_LINE_HEIGHT, MARGIN, r } from "./geometry";
import { LaidEdge, Layout, describeState } from "./layout";

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe in HTML content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Any value as escaped, indented JSON. */
function json(value: unknown): string {
  return escapeHtml(JSON.stringify(value, null, 2) ?? String(value));
}

/** An edge label: its lines centred in its box. */
function labelText(edge: LaidEdge, ox: number, oy: number, taken: boolean): string {
  const { labelLines: lines, labelBox: box } = edge;
  if (lines === undefined || box === undefined) return "";
  const cx = ox + box.x + box.w / 2;
  const top = oy + box.y + (box.h - lines.length * LABEL_LINE_HEIGHT) / 2;
  const spans = lines
    .map((line, k) => `<tspan x="${r(cx)}" y="${r(top + (k + 0.78) * LABEL_LINE_HEIGHT)}">${escapeHtml(line)}</tspan>`)
    .join("");
  return `<text class="edge-label${taken ? " taken" : ""}" data-from="${escapeHtml(edge.from)}" data-to="${escapeHtml(edge.to)}">${spans}</text>`;
}

/** Whether the run took `edge`; the Start marker's edge when it started, an End marker's when it ended there. */
function wasTaken(
  edge: LaidEdge,
  terminals: ReadonlyMap<string, string>,
  path: PathByState,
  last: string | undefined,
): boolean {
  if (terminals.get(edge.from) === "Start") return (path.statuses.get(edge.to) ?? "not-entered") !== "not-entered";
  if (terminals.get(edge.to) === "End") return edge.from === last;
  return path.taken.has(transitionKey(edge.from, edge.to, edge.kind === "catch"));
}

/**
 * The graph of `layout`, each state coloured by how it fared in `path`, the transitions taken drawn
 * bold; `last` is the state the execution ended in (its edge to the End marker is taken).
 */
export function renderGraph(layout: Layout, path: PathByState, prefix: string, last?: string): string {
  const terminals = new Map(
    layout.nodes.filter((n) => n.terminal !== undefined).map((n) => [n.name, n.terminal as string]),
  );
  const boxes: string[] = [];
  const leaves: string[] = [];
  const lines: string[] = [];
  const labels: string[] = [];
  const draw = (l: Layout, ox: number, oy: number): void => {
    for (const edge of l.edges) {
      const taken = wasTaken(edge, terminals, path, last);
      const classes = ["edge", edge.kind === "catch" ? "catch" : "", taken ? "taken" : ""].filter(Boolean).join(" ");
      const marker = taken ? `${prefix}-arrow-taken` : `${prefix}-arrow`;
      lines.push(
        `<path class="${classes}" data-from="${escapeHtml(terminals.get(edge.from) ?? edge.from)}" data-to="${escapeHtml(terminals.get(edge.to) ?? edge.to)}" transform="translate(${r(ox)},${r(oy)})" d="${edge.path}" marker-end="url(#${marker})"><title>${escapeHtml(`${terminals.get(edge.from) ?? edge.from} → ${terminals.get(edge.to) ?? edge.to}${edge.label === undefined ? "" : `: ${edge.label}`}`)}</title></path>`,
      );
      labels.push(labelText(edge, ox, oy, taken));
    }
    for (const node of l.nodes) {
      const status = path.statuses.get(node.name) ?? "not-entered";
      const x = ox + node.x;
      const y = oy + node.y;
      if (node.terminal !== undefined) {
        const style = `left:${r(x)}px;top:${r(y)}px;width:${r(node.w)}px;height:${r(node.h)}px`;
        leaves.push(`<div class="terminal" data-terminal="${node.terminal}" style="${style}">${node.terminal}</div>`);
        continue;
      }
      const kind = describeState(node.state);
      const attributes =
        `data-state="${escapeHtml(node.name)}" data-status="${status}" data-type="${node.state.Type}" ` +
        `title="${escapeHtml(`${node.name} (${kind}): ${PALETTE[status].label}`)}" style="left:${r(x)}px;top:${r(y)}px;width:${r(node.w)}px;height:${r(node.h)}px"`;
      const text = `<span class="name">${escapeHtml(node.name)}</span><span class="kind">${escapeHtml(kind)}</span>`;
      if (node.regions.length === 0) {
        leaves.push(`<div class="state s-${status} t-${node.state.Type.toLowerCase()}" ${attributes}>${text}</div>`);
      } else {
        const regions = node.regions
          .map(
            (g) =>
              `<div class="region" style="left:${r(g.x - 6)}px;top:${r(g.y - 6)}px;width:${r(g.layout.width + 12)}px;height:${r(g.layout.height + 12)}px"></div>`,
          )
          .join("");
        boxes.push(
          `<div class="state container s-${status}" ${attributes}><div class="head">${text}</div>${regions}</div>`,
        );
        for (const g of node.regions) draw(g.layout, x + g.x, y + g.y);
      }
    }
  };
  draw(layout, MARGIN, MARGIN);
  const width = layout.width + 2 * MARGIN;
  const height = layout.height + 2 * MARGIN;
  const arrow = (id: string, cls: string): string =>
    `<marker id="${id}" class="${cls}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="${cls === "arrow" ? 8 : 10}" markerHeight="${cls === "arrow" ? 8 : 10}" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`;
  const svg =
    `<svg class="edges" width="${r(width)}" height="${r(height)}" viewBox="0 0 ${r(width)} ${r(height)}" aria-hidden="true">` +
    `<defs>${arrow(`${prefix}-arrow`, "arrow")}${arrow(`${prefix}-arrow-taken`, "arrow taken")}</defs>` +
    `${lines.join("")}${labels.join("")}</svg>`;
  return `<div class="graph" data-width="${r(width)}" style="width:${r(width)}px;height:${r(height)}px">${boxes.join("")}${svg}${leaves.join("")}</div>`;
}

/** An execution's outcome in a word or two: SUCCEEDED, or FAILED and its error. */
export function outcomeOf(run: ExecutionReport): string {
  return run.status === "SUCCEEDED" ? "SUCCEEDED" : `FAILED ${run.error ?? "(no error)"}`;
}

export function statusBadge(run: ExecutionReport): string {
  const cls = run.status === "SUCCEEDED" ? "s-succeeded" : "s-failed";
  return `<span class="badge ${cls}">${escapeHtml(run.status)}</span>`;
}

function renderRecord(record: ExecutionReport["record"]): string {
  if (record === null) return `<p class="none">No record.</p>`;
  const rows = Object.entries(record)
    .map(([key, value]) => {
      const shown =
        typeof value === "string"
          ? escapeHtml(value)
          : typeof value === "number"
            ? escapeHtml(String(value))
            : `<pre>${json(value)}</pre>`;
      return `<tr><th scope="row">${escapeHtml(key)}</th><td>${shown}</td></tr>`;
    })
    .join("");
  return `<table class="record">${rows}</table>`;
}

/** One execution's section: its graph, its facts, the states it entered, its record and its notifications. */
export function renderRun(
  run: ExecutionReport,
  index: number,
  definition: StateMachineDefinition,
  layout: Layout,
): string {
  const path = pathByState(definition, run);
  const id = `run-${index}`;
  const facts: Array<[string, string]> = [
    ["Order", run.orderId ?? "(none)"],
    ["Execution", run.executionName],
    ["Status", run.status],
    ["Error", run.error ?? "—"],
    ["Cause", run.cause ?? "—"],
    ["Charged", run.charged ? "yes" : "no"],
    ["State transitions", String(run.transitions)],
    ["Lambda invocations", String(run.lambdaInvocations)],
  ];
  const factList = facts
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${k === "Status" ? statusBadge(run) : escapeHtml(v)}</dd>`)
    .join("");
  const entered = run.states
    .map((name) => {
      const status = path.statuses.get(name) ?? "unknown";
      return `<li class="s-${status}" data-status="${status}"><span class="dot"></span>${escapeHtml(name)}</li>`;
    })
    .join("");
  // What SNS received (topic and message attributes, which subscribers filter on) when the engine
  // reports it; the message bodies alone otherwise (a report read back from --json lines).
  const published: Array<{ message: unknown; topicArn?: string; attributes?: Record<string, string> }> =
    (run.published ?? []).length > 0 ? run.published : run.notifications.map((message) => ({ message }));
  const notifications =
    published.length === 0
      ? `<p class="none">None published.</p>`
      : published
          .map((n, i) => {
            const attributes = Object.entries(n.attributes ?? {}).map(([k, v]) => `${k}=${v}`);
            const caption = [
              `#${i + 1}`,
              ...(attributes.length > 0 ? [`attributes ${attributes.join(", ")}`] : []),
              ...(n.topicArn === undefined ? [] : [n.topicArn]),
            ];
            return `<figure class="notification"><figcaption>${escapeHtml(caption.join(" · "))}</figcaption><pre>${json(n.message)}</pre></figure>`;
          })
          .join("");
  return (
    `<section class="run${index === 0 ? " active" : ""}" id="${id}" data-execution="${escapeHtml(run.executionName)}" data-run-status="${escapeHtml(run.status)}">` +
    `<h2>${escapeHtml(run.orderId ?? run.executionName)} ${statusBadge(run)}${run.error === null ? "" : ` <span class="error">${escapeHtml(run.error)}</span>`}</h2>` +
    `<div class="run-body"><div class="graph-wrap">${renderGraph(layout, path, id, run.states[run.states.length - 1])}</div>` +
    `<aside><h3>Execution</h3><dl class="facts">${factList}</dl>` +
    `<h3>States entered (${run.states.length})</h3><ol class="path">${entered}</ol>` +
    `<h3>Record</h3>${renderRecord(run.record)}` +
    `<h3>Notifications (${published.length})</h3>${notifications}</aside></div></section>`
  );
}
