/**
 * The layout of a state machine's graph for the HTML report: each state a box sized to its name,
 * a Parallel or Map a box holding its branches' layouts side by side, placed in layers top to
 * bottom (layers.ts) with its edges routed between them (routes.ts). Pure: the same definition
 * always gives the same layout.
 */
import { State, SubMachine, children } from "../../workflow/asl";
import { describeCondition } from "../../workflow/mermaid";
import {
  HEAD_HEIGHT,
  INNER_PADDING,
  KIND_CHAR_WIDTH,
  LAYER_GAP,
  NAME_CHAR_WIDTH,
  NODE_HEIGHT,
  NODE_MAX_WIDTH,
  NODE_MIN_WIDTH,
  REGION_GAP,
  TERMINAL_HEIGHT,
  TERMINAL_WIDTH,
  TEXT_PADDING,
} from "./geometry";
import type { Box } from "./geometry";
import { Edge, EdgeKind, GraphNode, LayeredGraph, layeredGraph } from "./layers";
import { Bands, routeEdges } from "./routes";

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly LaidNode[];
  readonly edges: readonly LaidEdge[];
}

/** A Parallel's branch or a Map's iterator, placed relative to the node holding it. */
export interface Region {
  readonly x: number;
  readonly y: number;
  readonly layout: Layout;
}

export interface LaidNode {
  readonly name: string;
  readonly state: State<string>;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly regions: readonly Region[];
  /** Set on the Start and End markers of the top-level graph, which are no states. */
  readonly terminal?: "Start" | "End";
}

export interface LaidEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
  /** SVG path data, in the layout's coordinates. */
  readonly path: string;
  /** The label in lines, whole, and the box it is written in. */
  readonly labelLines?: readonly string[];
  readonly labelBox?: Box;
}

/** The edges leaving a state, in the order the definition lists them. */
function edgesOf(name: string, state: State<string>): Edge[] {
  const edges: Edge[] = [];
  if (state.Type === "Choice") {
    for (const rule of state.Choices)
      edges.push({ from: name, to: rule.Next, kind: "choice", label: describeCondition(rule) });
    if (state.Default !== undefined) edges.push({ from: name, to: state.Default, kind: "choice", label: "otherwise" });
  }
  if ("Next" in state && typeof state.Next === "string") edges.push({ from: name, to: state.Next, kind: "next" });
  if ("Catch" in state && state.Catch) {
    for (const catcher of state.Catch)
      edges.push({ from: name, to: catcher.Next, kind: "catch", label: `catch ${catcher.ErrorEquals.join(", ")}` });
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
  const text = sameLine
    ? (name.length + 2) * NAME_CHAR_WIDTH + kind.length * KIND_CHAR_WIDTH
    : Math.max(name.length * NAME_CHAR_WIDTH, kind.length * KIND_CHAR_WIDTH);
  return Math.min(NODE_MAX_WIDTH, Math.max(NODE_MIN_WIDTH, Math.ceil(text) + TEXT_PADDING));
}

interface Sized {
  readonly w: number;
  readonly h: number;
  readonly regions: Region[];
}

/** A state's box: a leaf fits its name; a Parallel or Map holds its regions side by side. */
function sizeState(name: string, state: State<string>): Sized {
  const inner = children(state).map((child) => layoutMachine(child));
  if (inner.length === 0) return { w: nodeWidth(name, describeState(state)), h: NODE_HEIGHT, regions: [] };
  const content = inner.reduce((sum, l) => sum + l.width, 0) + REGION_GAP * (inner.length - 1);
  const w = Math.max(nodeWidth(name, state.Type, true), content + 2 * INNER_PADDING);
  const h = HEAD_HEIGHT + Math.max(...inner.map((l) => l.height)) + INNER_PADDING;
  let x = (w - content) / 2;
  const regions = inner.map((layout) => {
    const region = { x, y: HEAD_HEIGHT, layout };
    x += layout.width + REGION_GAP;
    return region;
  });
  return { w, h, regions };
}

/** Moves the graph to start at x = 0, and stacks its layers: each layer a band as tall as its tallest node. */
function placeBands(graph: LayeredGraph): { bands: Bands; width: number; height: number } {
  const { nodes, layers } = graph;
  const left = Math.min(...nodes.map((n) => n.x - n.w / 2));
  const right = Math.max(...nodes.map((n) => n.x + n.w / 2));
  for (const node of nodes) node.x -= left;
  const top: number[] = [];
  const height = layers.map((layer) => Math.max(0, ...layer.map((n) => n.h)));
  let y = 0;
  for (let l = 0; l < layers.length; l++) {
    top.push(y);
    y += height[l] + LAYER_GAP;
  }
  const nodeTop = (n: GraphNode): number => top[n.layer] + (height[n.layer] - n.h) / 2;
  return { bands: { top, height, nodeTop }, width: right - left, height: y - LAYER_GAP };
}

/** Whether a state ends its (sub-)machine: Succeed, Fail, or End. */
function isTerminal(state: State<string>): boolean {
  return state.Type === "Succeed" || state.Type === "Fail" || ("End" in state && state.End === true);
}

/** Names for the Start and End markers that no state of `names` has. */
function terminalNames(names: readonly string[]): { start: string; end: string } {
  let mark = "\u0000";
  while (names.some((n) => n.startsWith(mark))) mark += "\u0000";
  return { start: `${mark}Start`, end: `${mark}End` };
}

/** A stand-in state for the Start and End markers (never drawn as a state). */
const MARKER_STATE: State<string> = { Type: "Succeed" };

/**
 * The layout of a (sub-)machine, its Parallels' and Maps' regions included. With `terminals` (the
 * top-level graph, as the console draws it) a Start marker leads to StartAt and every state that
 * ends the execution leads to an End marker.
 */
export function layoutMachine(sub: SubMachine, terminals = false): Layout {
  const names = Object.keys(sub.States);
  const known = new Set(names);
  const edges = names.flatMap((name) => edgesOf(name, sub.States[name])).filter((e) => known.has(e.to));
  const sized = new Map(names.map((name) => [name, sizeState(name, sub.States[name])]));
  const marker = terminalNames(names);
  const all = [...names];
  if (terminals) {
    const ends = names.filter((n) => isTerminal(sub.States[n]));
    edges.unshift({ from: marker.start, to: sub.StartAt, kind: "next" });
    edges.push(...ends.map((from): Edge => ({ from, to: marker.end, kind: "next" })));
    for (const name of [marker.start, marker.end])
      sized.set(name, { w: TERMINAL_WIDTH, h: TERMINAL_HEIGHT, regions: [] });
    all.unshift(marker.start);
    all.push(marker.end);
  }
  const graph = layeredGraph(terminals ? marker.start : sub.StartAt, all, edges, sized);
  const { bands, width: nodesWidth, height } = placeBands(graph);
  // Loops are drawn out to the right of the nodes they join.
  const width = nodesWidth + (graph.back.size > 0 ? 56 : 0);
  const laidEdges = routeEdges(edges, graph, bands, width);
  const laidNodes: LaidNode[] = [];
  for (const node of graph.nodes) {
    if (node.name === undefined) continue;
    const { regions } = sized.get(node.name) as Sized;
    const terminal = node.name === marker.start ? "Start" : node.name === marker.end ? "End" : undefined;
    const state = terminal === undefined ? sub.States[node.name] : MARKER_STATE;
    laidNodes.push({
      name: node.name,
      state,
      x: node.x - node.w / 2,
      y: bands.nodeTop(node),
      w: node.w,
      h: node.h,
      regions,
      ...(terminal === undefined ? {} : { terminal }),
    });
  }
  return { width, height, nodes: laidNodes, edges: laidEdges };
}
