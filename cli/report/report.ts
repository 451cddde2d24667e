/**
 * `npm start -- --report FILE.html`: one self-contained HTML page for a batch of executions. Each
 * execution gets the state machine's graph with its path coloured as the Step Functions console
 * colours it (succeeded green, failed red, caught error orange, not entered grey), the facts of the
 * run, the order's record and the notifications it published.
 *
 * The page needs nothing but itself: the graph is laid out here (layered, top to bottom, as the
 * console draws it) and drawn as positioned HTML boxes over an inline SVG of the edges; the one
 * inline script (switching executions) is pinned by hash in a Content-Security-Policy that allows
 * nothing else to load or run. Every string from the input is escaped.
 *
 * ExecutionReport names the states entered, not how each ended, so {@link derivePath} infers the
 * outcome of each state from where the execution went next; where that cannot tell, it says so.
 */
import { createHash } from "crypto";
import { State, StateMachineDefinition, SubMachine, catchTargets, children, declaredStates, nextStates } from "../../workflow/asl";
import { describeCondition } from "../../workflow/mermaid";
import type { ExecutionReport } from "../../engine/engine";

// ---------------------------------------------------------------------------------------------
// Outcome of each state
// ---------------------------------------------------------------------------------------------

/**
 * How a state fared in one execution, as the console's legend says it. `unknown`: it was entered,
 * but the states entered cannot tell whether it succeeded (a branch's last state in a Parallel or
 * Map that failed, say).
 */
export type StateStatus = "succeeded" | "failed" | "caught" | "unknown" | "not-entered";

export const STATE_STATUSES: readonly StateStatus[] = ["succeeded", "failed", "caught", "unknown", "not-entered"];

/** Colours of each status: the node's fill, its border and its text. */
export const PALETTE: Readonly<Record<StateStatus, { readonly fill: string; readonly border: string; readonly text: string; readonly label: string }>> = {
  succeeded: { fill: "#c5efcf", border: "#1d8102", text: "#0b3d12", label: "Succeeded" },
  failed: { fill: "#fcc9c4", border: "#d13212", text: "#5c0e03", label: "Failed" },
  caught: { fill: "#ffd59e", border: "#ec7211", text: "#5a2a00", label: "Caught error" },
  unknown: { fill: "#dce6f3", border: "#5b7ba6", text: "#1f3556", label: "Entered, outcome not recorded" },
  "not-entered": { fill: "#f2f3f3", border: "#c4c9ce", text: "#687078", label: "Not entered" },
};

/** The path of one execution through the definition. */
export interface ExecutionPath {
  /** Every state of the definition, nested ones included, with how it fared. */
  readonly statuses: ReadonlyMap<string, StateStatus>;
  /** The transitions taken, as {@link transitionKey} gives them. */
  readonly taken: ReadonlySet<string>;
}

/** The key of a transition: `caught` when it is a Catch's, false for Next, a Choice rule or Default. */
export function transitionKey(from: string, to: string, caught: boolean): string {
  return JSON.stringify([from, to, caught]);
}

/** Worse outcomes win when a state was entered more than once (loops, Map iterations). */
const SEVERITY: Readonly<Record<StateStatus, number>> = { "not-entered": 0, succeeded: 1, unknown: 2, caught: 3, failed: 4 };

/**
 * The outcome of every state of `definition` in one execution, from the states it entered in order
 * and how it ended:
 *
 * - a Fail state entered failed; a Succeed state entered succeeded;
 * - another state entered went somewhere next: at the top level, states run one at a time, so that
 *   is the next top-level state entered; inside a Parallel branch or Map iteration (which
 *   interleave) it is the first later entry of one of its targets not already claimed by another
 *   entry. Its Next (or a Choice rule, or Default) means succeeded; one of its Catch targets means
 *   caught. A target both its Next and a Catch's cannot be told apart: succeeded. A state entered
 *   next that is neither (impossible in a run of this definition): unknown;
 * - the last top-level state of a FAILED execution that is not a Fail state let the error out:
 *   failed; of a SUCCEEDED execution: succeeded;
 * - a nested state that went nowhere ended its branch: succeeded when its Parallel or Map
 *   succeeded; otherwise unknown, since the branch may have failed there or been stopped;
 * - a state never entered: not-entered.
 *
 * A state entered several times shows its worst outcome. Names the definition does not declare are
 * ignored.
 */
export function derivePath(definition: StateMachineDefinition, run: Pick<ExecutionReport, "states" | "status">): ExecutionPath {
  const placed = declaredStates(definition);
  const entries = run.states;
  const outcomes = new Map<string, StateStatus>();
  const endedBranch = new Set<string>();
  const taken = new Set<string>();
  const claimed = new Set<number>();
  const note = (name: string, status: StateStatus): void => {
    const current = outcomes.get(name);
    if (current === undefined || SEVERITY[status] > SEVERITY[current]) outcomes.set(name, status);
  };

  entries.forEach((name, i) => {
    const here = placed.get(name);
    if (here === undefined) return;
    const { state, scope, parent: container } = here;
    if (state.Type === "Fail") return note(name, "failed");
    if (state.Type === "Succeed") return note(name, "succeeded");
    const normal = new Set(nextStates(state));
    const caught = new Set(catchTargets(state));
    let next: number | undefined;
    for (let j = i + 1; j < entries.length && next === undefined; j++) {
      const there = placed.get(entries[j]);
      if (there === undefined || there.scope !== scope || claimed.has(j)) continue;
      if (container === null || normal.has(entries[j]) || caught.has(entries[j])) next = j;
    }
    if (next === undefined) {
      if (container === null) note(name, run.status === "SUCCEEDED" ? "succeeded" : "failed");
      else endedBranch.add(name);
      return;
    }
    claimed.add(next);
    const to = entries[next];
    if (normal.has(to)) {
      note(name, "succeeded");
      taken.add(transitionKey(name, to, false));
    } else if (caught.has(to)) {
      note(name, "caught");
      taken.add(transitionKey(name, to, true));
    } else {
      note(name, "unknown");
    }
  });

  // Top down, so that a container's outcome is known before its branches' last states are read.
  const statuses = new Map<string, StateStatus>();
  const resolve = (scope: SubMachine, containerStatus: StateStatus | undefined): void => {
    for (const [name, state] of Object.entries(scope.States)) {
      if (statuses.has(name)) continue;
      let status = outcomes.get(name);
      if (endedBranch.has(name)) {
        const ended: StateStatus = containerStatus === "succeeded" ? "succeeded" : "unknown";
        if (status === undefined || SEVERITY[ended] > SEVERITY[status]) status = ended;
      }
      statuses.set(name, status ?? "not-entered");
      for (const child of children(state)) resolve(child, statuses.get(name));
    }
  };
  resolve(definition, undefined);
  return { statuses, taken };
}

// ---------------------------------------------------------------------------------------------
// Layout: layered, top to bottom (Sugiyama: layers by longest path, long edges through virtual
// nodes, barycentric ordering, then positions by isotonic regression so each node sits as close
// as it can to the nodes it is joined to).
// ---------------------------------------------------------------------------------------------

const NODE_HEIGHT = 46;
const NODE_MIN_WIDTH = 150;
const NODE_MAX_WIDTH = 300;
/** Average advance of a character: a name (13px, bold), a kind (11px), an edge label (10.5px). */
const NAME_CHAR_WIDTH = 9;
const KIND_CHAR_WIDTH = 7;
const LABEL_CHAR_WIDTH = 6;
const LABEL_HEIGHT = 14;
const TEXT_PADDING = 28;
const LAYER_GAP = 62;
const NODE_GAP = 30;
const VIRTUAL_GAP = 12;
const HEAD_HEIGHT = 34;
const INNER_PADDING = 14;
const REGION_GAP = 18;
const MARGIN = 24;
const LABEL_MAX = 30;

type EdgeKind = "next" | "choice" | "catch";

interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly LaidNode[];
  readonly edges: readonly LaidEdge[];
}

interface LaidNode {
  readonly name: string;
  readonly state: State<string>;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** A Parallel's branches or a Map's iterator, placed relative to this node. */
  readonly regions: ReadonlyArray<{ readonly x: number; readonly y: number; readonly layout: Layout }>;
}

interface LaidEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
  /** SVG path data, in the layout's coordinates. */
  readonly path: string;
  readonly labelAt?: { readonly x: number; readonly y: number };
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The edges leaving a state, in the order the definition lists them. */
function edgesOf(name: string, state: State<string>): Edge[] {
  const edges: Edge[] = [];
  if (state.Type === "Choice") {
    for (const rule of state.Choices) edges.push({ from: name, to: rule.Next, kind: "choice", label: describeCondition(rule) });
    if (state.Default !== undefined) edges.push({ from: name, to: state.Default, kind: "choice", label: "otherwise" });
  }
  if ("Next" in state && typeof state.Next === "string") edges.push({ from: name, to: state.Next, kind: "next" });
  if ("Catch" in state && state.Catch) {
    for (const catcher of state.Catch) edges.push({ from: name, to: catcher.Next, kind: "catch", label: `catch ${catcher.ErrorEquals.join(", ")}` });
  }
  return edges;
}

/** What a state does, shown under its name. */
export function describeState(state: State<string>): string {
  switch (state.Type) {
    case "Task": {
      const integration = /^arn:aws:states:::(.+)$/.exec(state.Resource);
      return integration ? integration[1] : "Task";
    }
    case "Fail":
      return state.Error !== undefined ? `Fail ${state.Error}` : "Fail";
    default:
      return state.Type;
  }
}

function nodeWidth(name: string, kind: string, sameLine = false): number {
  const text = sameLine ? (name.length + 2) * NAME_CHAR_WIDTH + kind.length * KIND_CHAR_WIDTH : Math.max(name.length * NAME_CHAR_WIDTH, kind.length * KIND_CHAR_WIDTH);
  return Math.min(NODE_MAX_WIDTH, Math.max(NODE_MIN_WIDTH, Math.ceil(text) + TEXT_PADDING));
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** A point of the S curve between layers from (x0, y0) to (x1, y1), at t in [0, 1]. */
function onCurve(x0: number, y0: number, x1: number, y1: number, t: number): { x: number; y: number } {
  const u = 1 - t;
  const start = u * u * u + 3 * u * u * t;
  const middle = 3 * u * u * t + 3 * u * t * t;
  return { x: x0 * start + x1 * (1 - start), y: y0 * u * u * u + ((y0 + y1) / 2) * middle + y1 * t * t * t };
}

/** Where along a segment between layers a label may go, best first. */
const LABEL_STOPS = [0.5, 0.35, 0.65, 0.2, 0.8];

/** Positions minimising Σ weight·(centre − desired)² with nodes in order and apart: pool adjacent violators. */
function placeInOrder(widths: readonly number[], gaps: readonly number[], desired: readonly number[], weights: readonly number[]): number[] {
  const offsets: number[] = [0];
  for (let i = 1; i < widths.length; i++) offsets.push(offsets[i - 1] + (widths[i - 1] + widths[i]) / 2 + gaps[i - 1]);
  const blocks: Array<{ sum: number; weight: number; count: number }> = [];
  desired.forEach((d, i) => {
    blocks.push({ sum: (d - offsets[i]) * weights[i], weight: weights[i], count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1];
      const before = blocks[blocks.length - 2];
      if (before.sum / before.weight <= last.sum / last.weight) break;
      blocks.pop();
      before.sum += last.sum;
      before.weight += last.weight;
      before.count += last.count;
    }
  });
  const centres: number[] = [];
  for (const block of blocks) for (let k = 0; k < block.count; k++) centres.push(block.sum / block.weight + offsets[centres.length]);
  return centres;
}

interface GraphNode {
  readonly id: number;
  readonly name?: string;
  readonly w: number;
  readonly h: number;
  layer: number;
  key: number;
  x: number;
  up: number[];
  down: number[];
}

function layoutMachine(sub: SubMachine): Layout {
  const names = Object.keys(sub.States);
  const known = new Set(names);
  const edges = names.flatMap((name) => edgesOf(name, sub.States[name])).filter((e) => known.has(e.to));

  // Sizes: a leaf fits its name; a Parallel or Map holds its regions side by side.
  const sized = new Map<string, { w: number; h: number; regions: Array<{ x: number; y: number; layout: Layout }> }>();
  for (const name of names) {
    const state = sub.States[name];
    const inner = children(state).map(layoutMachine);
    if (inner.length === 0) {
      sized.set(name, { w: nodeWidth(name, describeState(state)), h: NODE_HEIGHT, regions: [] });
      continue;
    }
    const content = inner.reduce((sum, l) => sum + l.width, 0) + REGION_GAP * (inner.length - 1);
    const w = Math.max(nodeWidth(name, state.Type, true), content + 2 * INNER_PADDING);
    const h = HEAD_HEIGHT + Math.max(...inner.map((l) => l.height)) + INNER_PADDING;
    let x = (w - content) / 2;
    const regions = inner.map((layout) => {
      const region = { x, y: HEAD_HEIGHT, layout };
      x += layout.width + REGION_GAP;
      return region;
    });
    sized.set(name, { w, h, regions });
  }

  // Back edges (a loop) by depth-first search from StartAt; the rest is a DAG to layer.
  const order: string[] = [];
  const mark = new Map<string, 1 | 2>();
  const back = new Set<Edge>();
  const dfs = (name: string): void => {
    mark.set(name, 1);
    for (const edge of edges.filter((e) => e.from === name)) {
      const m = mark.get(edge.to);
      if (m === 1) back.add(edge);
      else if (m === undefined) dfs(edge.to);
    }
    mark.set(name, 2);
    order.push(name);
  };
  for (const name of [sub.StartAt, ...names]) if (known.has(name) && !mark.has(name)) dfs(name);
  const topological = [...order].reverse();
  const discovery = new Map(topological.map((name, i) => [name, i]));
  const forward = edges.filter((e) => !back.has(e));

  const layerOf = new Map<string, number>();
  for (const name of topological) {
    const from = forward.filter((e) => e.to === name).map((e) => (layerOf.get(e.from) ?? 0) + 1);
    layerOf.set(name, Math.max(0, ...from));
  }

  // The layered graph: real nodes, and a virtual node per layer an edge crosses.
  const nodes: GraphNode[] = [];
  const idOf = new Map<string, number>();
  for (const name of topological) {
    const size = sized.get(name) as { w: number; h: number };
    const id = nodes.length;
    nodes.push({ id, name, w: size.w, h: size.h, layer: layerOf.get(name) ?? 0, key: discovery.get(name) ?? 0, x: 0, up: [], down: [] });
    idOf.set(name, id);
  }
  const chains = new Map<Edge, number[]>();
  for (const edge of forward) {
    const from = idOf.get(edge.from) as number;
    const to = idOf.get(edge.to) as number;
    const chain = [from];
    for (let layer = nodes[from].layer + 1; layer < nodes[to].layer; layer++) {
      const id = nodes.length;
      nodes.push({ id, w: 2, h: 0, layer, key: nodes[from].key + 0.5, x: 0, up: [], down: [] });
      chain.push(id);
    }
    chain.push(to);
    for (let k = 1; k < chain.length; k++) {
      nodes[chain[k - 1]].down.push(chain[k]);
      nodes[chain[k]].up.push(chain[k - 1]);
    }
    chains.set(edge, chain);
  }
  const layerCount = Math.max(0, ...nodes.map((n) => n.layer)) + 1;
  const layers: GraphNode[][] = Array.from({ length: layerCount }, () => []);
  for (const node of nodes) layers[node.layer].push(node);
  for (const layer of layers) layer.sort((a, b) => a.key - b.key);

  // Ordering: barycentres, sweeping down and up; the order with the fewest crossings wins.
  const position = (): Map<number, number> => new Map(layers.flatMap((layer) => layer.map((n, i) => [n.id, i] as [number, number])));
  const crossings = (): number => {
    const pos = position();
    let count = 0;
    for (const layer of layers) {
      const segments = layer.flatMap((n) => n.down.map((d) => [pos.get(n.id) as number, pos.get(d) as number]));
      for (let a = 0; a < segments.length; a++) {
        for (let b = a + 1; b < segments.length; b++) {
          if ((segments[a][0] - segments[b][0]) * (segments[a][1] - segments[b][1]) < 0) count++;
        }
      }
    }
    return count;
  };
  let best = layers.map((layer) => [...layer]);
  let fewest = crossings();
  for (let sweep = 0; sweep < 12 && fewest > 0; sweep++) {
    const down = sweep % 2 === 0;
    const pos = position();
    const sequence = down ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const layer of sequence) {
      for (const node of layer) {
        const neighbours = down ? node.up : node.down;
        node.key = neighbours.length === 0 ? (pos.get(node.id) as number) : neighbours.reduce((s, n) => s + (pos.get(n) as number), 0) / neighbours.length;
      }
      layer.sort((a, b) => a.key - b.key);
      layer.forEach((n, i) => pos.set(n.id, i));
    }
    const now = crossings();
    if (now < fewest) {
      fewest = now;
      best = layers.map((layer) => [...layer]);
    }
  }
  best.forEach((layer, i) => (layers[i] = layer));

  // Positions: packed, then each node drawn towards its neighbours; long edges pull hardest, to stay straight.
  const gapBetween = (a: GraphNode, b: GraphNode): number => (a.name === undefined || b.name === undefined ? VIRTUAL_GAP : NODE_GAP);
  for (const layer of layers) {
    let x = 0;
    layer.forEach((node, i) => {
      if (i > 0) x += (layer[i - 1].w + node.w) / 2 + gapBetween(layer[i - 1], node);
      node.x = x;
    });
    const shift = x / 2;
    for (const node of layer) node.x -= shift;
  }
  const pull = (a: GraphNode, b: GraphNode): number => (a.name === undefined && b.name === undefined ? 8 : a.name === undefined || b.name === undefined ? 2 : 1);
  const settle = (layer: GraphNode[], side: "up" | "down" | "both"): void => {
    const desired: number[] = [];
    const weights: number[] = [];
    for (const node of layer) {
      const ids = side === "up" ? node.up : side === "down" ? node.down : [...node.up, ...node.down];
      const joined = ids.map((id) => nodes[id]);
      const total = joined.reduce((s, n) => s + pull(node, n), 0);
      desired.push(total === 0 ? node.x : joined.reduce((s, n) => s + n.x * pull(node, n), 0) / total);
      weights.push(total === 0 ? 0.5 : total);
    }
    const gaps = layer.slice(1).map((node, i) => gapBetween(layer[i], node));
    const centres = placeInOrder(
      layer.map((n) => n.w),
      gaps,
      desired,
      weights,
    );
    layer.forEach((node, i) => (node.x = centres[i]));
  };
  for (let round = 0; round < 10; round++) {
    for (const layer of layers.slice(1)) settle(layer, "up");
    for (const layer of layers.slice(0, -1).reverse()) settle(layer, "down");
  }
  for (const layer of layers) settle(layer, "both");

  const left = Math.min(...nodes.map((n) => n.x - n.w / 2));
  const right = Math.max(...nodes.map((n) => n.x + n.w / 2));
  for (const node of nodes) node.x -= left;
  const bandTop: number[] = [];
  const bandHeight = layers.map((layer) => Math.max(0, ...layer.map((n) => n.h)));
  let y = 0;
  for (let l = 0; l < layerCount; l++) {
    bandTop.push(y);
    y += bandHeight[l] + LAYER_GAP;
  }
  const height = y - LAYER_GAP;
  const top = (n: GraphNode): number => bandTop[n.layer] + (bandHeight[n.layer] - n.h) / 2;

  // Edges leave a node's bottom and reach a node's top spread out, in the order of where they go.
  const outSlot = new Map<Edge, number>();
  const inSlot = new Map<Edge, number>();
  const spread = (list: Array<{ edge: Edge; towards: number }>, width: number, into: Map<Edge, number>): void => {
    list.sort((a, b) => a.towards - b.towards);
    const step = list.length > 1 ? Math.min(18, (width * 0.6) / (list.length - 1)) : 0;
    list.forEach((item, k) => into.set(item.edge, (k - (list.length - 1) / 2) * step));
  };
  for (const node of nodes) {
    if (node.name === undefined) continue;
    const leaving = [...chains].filter(([e]) => e.from === node.name).map(([edge, chain]) => ({ edge, towards: nodes[chain[1]].x }));
    const arriving = [...chains].filter(([e]) => e.to === node.name).map(([edge, chain]) => ({ edge, towards: nodes[chain[chain.length - 2]].x }));
    spread(leaving, node.w, outSlot);
    spread(arriving, node.w, inSlot);
  }

  const laidEdges: LaidEdge[] = [];
  const candidates = new Map<LaidEdge, Array<{ x: number; y: number }>>();
  for (const edge of edges) {
    const chain = chains.get(edge);
    if (chain === undefined) {
      // A loop back up: out of the source's right side, round, into the target's right side.
      const a = nodes[idOf.get(edge.from) as number];
      const b = nodes[idOf.get(edge.to) as number];
      const ax = a.x + a.w / 2;
      const ay = top(a) + a.h / 2;
      const bx = b.x + b.w / 2;
      const by = top(b) + b.h / 2;
      const out = Math.max(ax, bx) + 48;
      const laid = { ...edge, path: `M${r(ax)},${r(ay)} C${r(out)},${r(ay)} ${r(out)},${r(by)} ${r(bx)},${r(by)}` };
      laidEdges.push(laid);
      candidates.set(laid, [{ x: out - 6, y: (ay + by) / 2 }]);
      continue;
    }
    const first = nodes[chain[0]];
    const last = nodes[chain[chain.length - 1]];
    const points: Array<[number, number]> = [[first.x + (outSlot.get(edge) ?? 0), top(first) + first.h]];
    for (const id of chain.slice(1, -1)) {
      const v = nodes[id];
      points.push([v.x, bandTop[v.layer]], [v.x, bandTop[v.layer] + bandHeight[v.layer]]);
    }
    points.push([last.x + (inSlot.get(edge) ?? 0), top(last)]);
    let path = `M${r(points[0][0])},${r(points[0][1])}`;
    const stops: Array<{ x: number; y: number }> = [];
    for (let k = 1; k < points.length; k++) {
      const [x0, y0] = points[k - 1];
      const [x1, y1] = points[k];
      // Between layers a smooth S; through a layer (a virtual node) a straight line.
      if (k % 2 === 1) {
        path += ` C${r(x0)},${r((y0 + y1) / 2)} ${r(x1)},${r((y0 + y1) / 2)} ${r(x1)},${r(y1)}`;
        stops.push(...LABEL_STOPS.map((t) => onCurve(x0, y0, x1, y1, t)));
      } else {
        path += ` L${r(x1)},${r(y1)}`;
      }
    }
    const laid = { ...edge, path };
    laidEdges.push(laid);
    candidates.set(laid, stops);
  }

  // Labels where they hide no node and no other label, if there is such a place on their edge.
  const occupied: Box[] = nodes.filter((n) => n.name !== undefined).map((n) => ({ x: n.x - n.w / 2, y: top(n), w: n.w, h: n.h }));
  laidEdges.forEach((edge, i) => {
    if (edge.label === undefined) return;
    const w = Math.min(edge.label.length, LABEL_MAX) * LABEL_CHAR_WIDTH + 8;
    let best: { box: Box; at: { x: number; y: number }; cost: number } | undefined;
    for (const at of candidates.get(edge) ?? []) {
      const box = { x: at.x - w / 2, y: at.y - LABEL_HEIGHT / 2, w, h: LABEL_HEIGHT };
      const cost = occupied.reduce((sum, other) => sum + overlap(box, other), 0);
      if (best === undefined || cost < best.cost) best = { box, at, cost };
      if (cost === 0) break;
    }
    if (best === undefined) return;
    occupied.push(best.box);
    laidEdges[i] = { ...edge, labelAt: best.at };
  });

  const laidNodes: LaidNode[] = [];
  for (const node of nodes) {
    if (node.name === undefined) continue;
    const size = sized.get(node.name) as { regions: LaidNode["regions"] };
    laidNodes.push({ name: node.name, state: sub.States[node.name], x: node.x - node.w / 2, y: top(node), w: node.w, h: node.h, regions: size.regions });
  }
  // Loops are drawn out to the right of the nodes they join.
  return { width: right - left + (back.size > 0 ? 56 : 0), height, nodes: laidNodes, edges: laidEdges };
}

/** A coordinate as written into the page. */
function r(value: number): string {
  return String(Math.round(value * 10) / 10);
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe in HTML content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Any value as escaped, indented JSON. */
function json(value: unknown): string {
  return escapeHtml(JSON.stringify(value, null, 2) ?? String(value));
}

/** Executions shown in full; the counts cover every one. */
export const DEFAULT_DETAILED_RUNS = 50;

export interface ReportOptions {
  /** Executions given a full section (the rest are counted only); default {@link DEFAULT_DETAILED_RUNS}. */
  readonly maxDetailed?: number;
  /** The page's title. */
  readonly title?: string;
}

function renderGraph(layout: Layout, path: ExecutionPath, prefix: string): string {
  const boxes: string[] = [];
  const leaves: string[] = [];
  const lines: string[] = [];
  const labels: string[] = [];
  const draw = (l: Layout, ox: number, oy: number): void => {
    for (const edge of l.edges) {
      const taken = path.taken.has(transitionKey(edge.from, edge.to, edge.kind === "catch"));
      const classes = ["edge", edge.kind === "catch" ? "catch" : "", taken ? "taken" : ""].filter(Boolean).join(" ");
      const marker = taken ? `${prefix}-arrow-taken` : `${prefix}-arrow`;
      lines.push(
        `<path class="${classes}" data-from="${escapeHtml(edge.from)}" data-to="${escapeHtml(edge.to)}" transform="translate(${r(ox)},${r(oy)})" d="${edge.path}" marker-end="url(#${marker})"><title>${escapeHtml(`${edge.from} → ${edge.to}${edge.label === undefined ? "" : `: ${edge.label}`}`)}</title></path>`,
      );
      if (edge.label !== undefined && edge.labelAt !== undefined) {
        labels.push(
          `<text class="edge-label${taken ? " taken" : ""}" x="${r(ox + edge.labelAt.x)}" y="${r(oy + edge.labelAt.y + 4)}">${escapeHtml(truncate(edge.label, LABEL_MAX))}</text>`,
        );
      }
    }
    for (const node of l.nodes) {
      const status = path.statuses.get(node.name) ?? "not-entered";
      const x = ox + node.x;
      const y = oy + node.y;
      const kind = describeState(node.state);
      const attributes =
        `data-state="${escapeHtml(node.name)}" data-status="${status}" data-type="${node.state.Type}" ` +
        `title="${escapeHtml(`${node.name} (${kind}): ${PALETTE[status].label}`)}" style="left:${r(x)}px;top:${r(y)}px;width:${r(node.w)}px;height:${r(node.h)}px"`;
      const text = `<span class="name">${escapeHtml(node.name)}</span><span class="kind">${escapeHtml(kind)}</span>`;
      if (node.regions.length === 0) {
        leaves.push(`<div class="state s-${status} t-${node.state.Type.toLowerCase()}" ${attributes}>${text}</div>`);
      } else {
        const regions = node.regions
          .map((g) => `<div class="region" style="left:${r(g.x - 6)}px;top:${r(g.y - 6)}px;width:${r(g.layout.width + 12)}px;height:${r(g.layout.height + 12)}px"></div>`)
          .join("");
        boxes.push(`<div class="state container s-${status}" ${attributes}><div class="head">${text}</div>${regions}</div>`);
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
  return `<div class="graph" style="width:${r(width)}px;height:${r(height)}px">${boxes.join("")}${svg}${leaves.join("")}</div>`;
}

function outcomeOf(run: ExecutionReport): string {
  return run.status === "SUCCEEDED" ? "SUCCEEDED" : `FAILED ${run.error ?? "(no error)"}`;
}

function statusBadge(run: ExecutionReport): string {
  const cls = run.status === "SUCCEEDED" ? "s-succeeded" : "s-failed";
  return `<span class="badge ${cls}">${escapeHtml(run.status)}</span>`;
}

function renderRecord(record: ExecutionReport["record"]): string {
  if (record === null) return `<p class="none">No record.</p>`;
  const rows = Object.entries(record)
    .map(([key, value]) => {
      const shown = typeof value === "string" ? escapeHtml(value) : typeof value === "number" ? escapeHtml(String(value)) : `<pre>${json(value)}</pre>`;
      return `<tr><th scope="row">${escapeHtml(key)}</th><td>${shown}</td></tr>`;
    })
    .join("");
  return `<table class="record">${rows}</table>`;
}

function renderRun(run: ExecutionReport, index: number, definition: StateMachineDefinition, layout: Layout): string {
  const path = derivePath(definition, run);
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
  const factList = facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${k === "Status" ? statusBadge(run) : escapeHtml(v)}</dd>`).join("");
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
            const caption = [`#${i + 1}`, ...(attributes.length > 0 ? [`attributes ${attributes.join(", ")}`] : []), ...(n.topicArn === undefined ? [] : [n.topicArn])];
            return `<figure class="notification"><figcaption>${escapeHtml(caption.join(" · "))}</figcaption><pre>${json(n.message)}</pre></figure>`;
          })
          .join("");
  return (
    `<section class="run${index === 0 ? " active" : ""}" id="${id}" data-execution="${escapeHtml(run.executionName)}" data-run-status="${escapeHtml(run.status)}">` +
    `<h2>${escapeHtml(run.orderId ?? run.executionName)} ${statusBadge(run)}${run.error === null ? "" : ` <span class="error">${escapeHtml(run.error)}</span>`}</h2>` +
    `<div class="run-body"><div class="graph-wrap">${renderGraph(layout, path, id)}</div>` +
    `<aside><h3>Execution</h3><dl class="facts">${factList}</dl>` +
    `<h3>States entered (${run.states.length})</h3><ol class="path">${entered}</ol>` +
    `<h3>Record</h3>${renderRecord(run.record)}` +
    `<h3>Notifications (${published.length})</h3>${notifications}</aside></div></section>`
  );
}

const SCRIPT = `(function () {
  document.documentElement.classList.add("js");
  var select = document.getElementById("run-select");
  var runs = document.querySelectorAll("section.run");
  function show(id) {
    var found = false;
    for (var i = 0; i < runs.length; i++) {
      var on = runs[i].id === id;
      runs[i].classList.toggle("active", on);
      if (on) found = true;
    }
    if (found && select) select.value = id;
    return found;
  }
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

const STYLE = `
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
.graph-wrap { flex: 0 1 auto; max-width: 100%; overflow: auto; background: #fff; border: 1px solid #d5dbdb; border-radius: 6px; }
aside { flex: 1 1 340px; min-width: 320px; max-width: 560px; font-size: 13px; }
.graph { position: relative; }
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

/**
 * One self-contained HTML page for `runs` of `definition`: counts by outcome for every run, and a
 * section per run (the first `maxDetailed`) with the graph coloured along its path, its facts,
 * record and notifications. Pure: the same input gives the same page.
 */
export function renderReport(definition: StateMachineDefinition, runs: readonly ExecutionReport[], options: ReportOptions = {}): string {
  const maxDetailed = Math.max(0, Math.floor(options.maxDetailed ?? DEFAULT_DETAILED_RUNS));
  const title = options.title ?? "Order workflow: execution report";
  const detailed = runs.slice(0, maxDetailed);
  const layout = layoutMachine(definition);

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
    .map((run, i) => `<option value="run-${i}">${escapeHtml(`#${i + 1} ${run.orderId ?? run.executionName}: ${outcomeOf(run)}`)}</option>`)
    .join("");
  const nav =
    detailed.length === 0 ? "" : `<nav class="runs"><label for="run-select">Execution</label><select id="run-select">${choices}</select></nav>`;
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
