/**
 * `npm start -- --report FILE.html`: one self-contained HTML page for a batch of executions. Each
 * execution gets the state machine's graph with its path coloured as the Step Functions console
 * colours it (succeeded green, failed red, caught error orange, not entered grey), the facts of the
 * run, the order's record and the notifications it published.
 *
 * The page needs nothing but itself: the graph is laid out in layout.ts (layered, top to bottom,
 * as the console draws it) and drawn as positioned HTML boxes over an inline SVG of the edges; the
 * one inline script (switching executions) is pinned by hash in a Content-Security-Policy that
 * allows nothing else to load or run. Every string from the input is escaped.
 *
 * ExecutionReport names the states entered, not how each ended: the outcome of each state is
 * inferred from where the execution went next (workflow/execution/path.ts); where that cannot tell,
 * the page says so. The parts: layout.ts (with layers.ts, routes.ts, geometry.ts) places the graph,
 * html.ts writes the sections, assets.ts holds the colours, style sheet and script.
 */
import { createHash } from "crypto";
import type { StateMachineDefinition } from "../../workflow/asl";
import { STATE_STATUSES } from "../../workflow/execution/path";
import type { ExecutionReport } from "../../workflow/execution/report";
import { PALETTE, SCRIPT, STYLE } from "./assets";
import { escapeHtml, outcomeOf, renderRun } from "./html";
import { layoutMachine } from "./layout";

/** Executions shown in full; the counts cover every one. */
export const DEFAULT_DETAILED_RUNS = 50;

export interface ReportOptions {
  /** Executions given a full section (the rest are counted only); default {@link DEFAULT_DETAILED_RUNS}. */
  readonly maxDetailed?: number;
  /** The page's title. */
  readonly title?: string;
}

/**
 * One self-contained HTML page for `runs` of `definition`: counts by outcome for every run, and a
 * section per run (the first `maxDetailed`) with the graph coloured along its path, its facts,
 * record and notifications. Pure: the same input gives the same page.
 */
export function renderReport(
  definition: StateMachineDefinition,
  runs: readonly ExecutionReport[],
  options: ReportOptions = {},
): string {
  const maxDetailed = Math.max(0, Math.floor(options.maxDetailed ?? DEFAULT_DETAILED_RUNS));
  const title = options.title ?? "Order workflow: execution report";
  const detailed = runs.slice(0, maxDetailed);
  const layout = layoutMachine(definition, true);

  const outcomes = new Map<string, { count: number; first: number }>();
  runs.forEach((run, i) => {
    const key = outcomeOf(run);
    const seen = outcomes.get(key);
    if (seen === undefined) outcomes.set(key, { count: 1, first: i });
    else seen.count++;
  });
  const summaryRows = [...outcomes]
    .sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first)
    .map(([outcome, { count, first }]) => {
      const link = first < detailed.length ? `<a href="#run-${first}">#${first + 1}</a>` : `#${first + 1} (not shown)`;
      return `<tr><td>${escapeHtml(outcome)}</td><td class="count">${count.toLocaleString("en-US")}</td><td>${link}</td></tr>`;
    })
    .join("");
  const summary =
    runs.length === 0
      ? `<p class="none">No executions.</p>`
      : `<table class="summary"><thead><tr><th>Outcome</th><th>Executions</th><th>First</th></tr></thead><tbody>${summaryRows}</tbody></table>`;
  const capped =
    runs.length > detailed.length
      ? `<p class="capped">Showing the first ${detailed.length.toLocaleString("en-US")} of ${runs.length.toLocaleString("en-US")} executions in detail; the counts above cover all ${runs.length.toLocaleString("en-US")}.</p>`
      : "";
  const choices = detailed
    .map(
      (run, i) =>
        `<option value="run-${i}">${escapeHtml(`#${i + 1} ${run.orderId ?? run.executionName}: ${outcomeOf(run)}`)}</option>`,
    )
    .join("");
  const nav =
    detailed.length === 0
      ? ""
      : `<nav class="runs"><label for="run-select">Execution</label><select id="run-select">${choices}</select></nav>`;
  const legend =
    `<div class="legend">${STATE_STATUSES.map((s) => `<span><span class="swatch s-${s}"></span>${escapeHtml(PALETTE[s].label)}</span>`).join("")}` +
    `<span><span class="line"></span>transition</span><span><span class="line catch"></span>catch</span><span><span class="line taken"></span>taken</span></div>`;
  const hash = createHash("sha256").update(SCRIPT, "utf8").digest("base64");
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const counted = `${runs.length.toLocaleString("en-US")} execution${runs.length === 1 ? "" : "s"}`;

  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`,
    `<body><header><h1>${escapeHtml(title)}</h1>`,
    `<p class="subtitle">${escapeHtml(counted)}${definition.Comment === undefined ? "" : ` of “${escapeHtml(definition.Comment)}”`}</p>`,
    `${legend}</header>`,
    `<main>${summary}${capped}${nav}${detailed.map((run, i) => renderRun(run, i, definition, layout)).join("\n")}</main>`,
    `<script>${SCRIPT}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}
