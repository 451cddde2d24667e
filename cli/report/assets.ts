/**
 * What the report page carries besides its content: the colours of each state's status (as the
 * Step Functions console colours them), the style sheet, and the one inline script (switching
 * executions), which the page pins by hash in its Content-Security-Policy.
 */
import { STATE_STATUSES, StateStatus } from "../../workflow/execution/path";
import { HEAD_HEIGHT } from "./geometry";

/** Colours of each status: the node's fill, its border and its text. */
export const PALETTE: Readonly<
  Record<StateStatus, { readonly fill: string; readonly border: string; readonly text: string; readonly label: string }>
> = {
  succeeded: { fill: "#c5efcf", border: "#1d8102", text: "#0b3d12", label: "Succeeded" },
  failed: { fill: "#fcc9c4", border: "#d13212", text: "#5c0e03", label: "Failed" },
  caught: { fill: "#ffd59e", border: "#ec7211", text: "#5a2a00", label: "Caught error" },
  unknown: { fill: "#dce6f3", border: "#5b7ba6", text: "#1f3556", label: "Entered, outcome not recorded" },
  "not-entered": { fill: "#f2f3f3", border: "#c4c9ce", text: "#687078", label: "Not entered" },
};

/**
 * The page's script: shows one execution at a time, chosen in the selector or by the URL's fragment,
 * and zooms a graph wider than its frame out to fit (down to 70 %; the frame scrolls beyond that).
 */
export const SCRIPT = `(function () {
  document.documentElement.classList.add("js");
  var select = document.getElementById("run-select");
  var runs = document.querySelectorAll("section.run");
  function fit() {
    var graphs = document.querySelectorAll("section.run.active .graph");
    for (var i = 0; i < graphs.length; i++) {
      var room = graphs[i].parentNode.clientWidth - 2;
      var wide = Number(graphs[i].getAttribute("data-width"));
      if (room > 0 && wide > 0) graphs[i].style.zoom = String(Math.max(0.7, Math.min(1, room / wide)));
    }
  }
  function show(id) {
    var found = false;
    for (var i = 0; i < runs.length; i++) {
      var on = runs[i].id === id;
      runs[i].classList.toggle("active", on);
      if (on) found = true;
    }
    if (found && select) select.value = id;
    fit();
    return found;
  }
  window.addEventListener("resize", fit);
  function fromHash() {
    if (!show(location.hash.slice(1)) && runs.length > 0) show(runs[0].id);
  }
  if (select) {
    select.addEventListener("change", function () {
      show(select.value);
      try { history.replaceState(null, "", "#" + select.value); } catch (e) { /* a page without history */ }
    });
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();`;

/** The page's style sheet. */
export const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #16191f; background: #fafafa; }
body { margin: 0; padding: 20px 24px 40px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 8px 0 12px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; overflow-wrap: anywhere; }
h3 { font-size: 14px; margin: 18px 0 6px; color: #414d5c; text-transform: uppercase; letter-spacing: .04em; }
.subtitle { color: #5f6b7a; margin: 0 0 14px; }
.legend { display: flex; flex-wrap: wrap; gap: 8px 18px; margin: 10px 0 16px; font-size: 13px; align-items: center; }
.legend .swatch { display: inline-block; width: 22px; height: 14px; border: 2px solid; border-radius: 4px; vertical-align: -3px; margin-right: 6px; }
.legend .line { display: inline-block; width: 28px; height: 0; border-top: 2px solid #8d99a8; vertical-align: 3px; margin-right: 6px; }
.legend .line.catch { border-top-style: dashed; }
.legend .line.taken { border-top: 3px solid #16191f; }
table.summary { border-collapse: collapse; font-size: 14px; margin-bottom: 12px; background: #fff; }
table.summary th, table.summary td { border: 1px solid #d5dbdb; padding: 4px 10px; text-align: left; }
table.summary td.count { text-align: right; font-variant-numeric: tabular-nums; }
nav.runs { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin: 14px 0 6px; font-size: 14px; }
nav.runs select { font-size: 14px; padding: 3px 6px; max-width: 100%; }
.capped { color: #8a4b00; background: #fff4e5; border: 1px solid #f2c38b; padding: 6px 10px; border-radius: 4px; font-size: 13px; }
.js section.run:not(.active) { display: none; }
section.run { border-top: 1px solid #d5dbdb; padding-top: 8px; margin-top: 14px; }
.run-body { display: flex; gap: 20px; align-items: flex-start; flex-wrap: wrap; }
.graph-wrap { flex: 1 1 auto; max-width: 100%; overflow: auto; background: #fff; border: 1px solid #d5dbdb; border-radius: 6px; }
aside { flex: 1 1 340px; min-width: 320px; max-width: 560px; font-size: 13px; }
.graph { position: relative; margin: 0 auto; }
.terminal { position: absolute; box-sizing: border-box; border: 2px solid #545b64; border-radius: 15px; background: #fff; color: #16191f; display: flex; align-items: center; justify-content: center; font-size: 12px; font-weight: 600; }
.graph .edges { position: absolute; left: 0; top: 0; overflow: visible; }
.edge { fill: none; stroke: #8d99a8; stroke-width: 1.4; }
.edge.catch { stroke-dasharray: 5 4; }
.edge.taken { stroke: #16191f; stroke-width: 2.6; }
.arrow path { fill: #8d99a8; }
.arrow.taken path { fill: #16191f; }
.edge-label { font-size: 10.5px; fill: #5f6b7a; text-anchor: middle; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
.edge-label.taken { fill: #16191f; font-weight: 600; }
.state { position: absolute; box-sizing: border-box; border: 2px solid; border-radius: 6px; display: flex; flex-direction: column; justify-content: center; align-items: center; text-align: center; overflow: hidden; padding: 2px 8px; }
.state .name { font-size: 13px; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; }
.state .kind { font-size: 11px; opacity: .8; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; }
.state.t-succeed, .state.t-fail { border-radius: 23px; }
.state.t-choice { border-style: solid; border-radius: 14px; }
.state.container { justify-content: flex-start; padding: 0; border-width: 2px; }
.state.container .head { height: ${HEAD_HEIGHT - 6}px; display: flex; gap: 8px; align-items: baseline; justify-content: center; padding-top: 6px; }
.state.container .region { position: absolute; box-sizing: border-box; background: rgba(255,255,255,.82); border: 1px dashed rgba(0,0,0,.25); border-radius: 4px; }
${STATE_STATUSES.map((s) => `.s-${s} { background-color: ${PALETTE[s].fill}; border-color: ${PALETTE[s].border}; color: ${PALETTE[s].text}; }`).join("\n")}
.state.s-unknown { border-style: dashed; }
.badge { font-size: 12px; font-weight: 700; padding: 2px 8px; border-radius: 10px; border: 1px solid; }
.error { font-size: 14px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #8c1d0a; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 12px; margin: 0; }
dl.facts dt { color: #5f6b7a; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ol.path { margin: 0; padding-left: 24px; columns: 2 230px; column-gap: 20px; }
ol.path li { background: none; padding: 1px 0; break-inside: avoid; overflow-wrap: anywhere; }
ol.path .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; vertical-align: -1px; }
${STATE_STATUSES.map((s) => `ol.path li.s-${s} .dot { background: ${PALETTE[s].border}; }`).join("\n")}
table.record { border-collapse: collapse; width: 100%; background: #fff; }
table.record th, table.record td { border: 1px solid #e0e4e8; padding: 3px 8px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
table.record th { color: #414d5c; font-weight: 600; width: 1%; white-space: nowrap; }
pre { margin: 0; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
figure.notification { margin: 0 0 8px; background: #fff; border: 1px solid #e0e4e8; border-radius: 4px; padding: 6px 8px; }
figure.notification figcaption { font-size: 11px; color: #5f6b7a; }
.none { color: #5f6b7a; font-style: italic; margin: 0; }
`;
