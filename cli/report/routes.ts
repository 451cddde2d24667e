/**
 * The edges of a laid-out graph: each leaves its node's bottom and reaches its target's top,
 * spread out in the order of where they go, as a smooth S between layers and straight through the
 * layers it crosses; a loop goes out to the right and back up. Each label goes beside its own edge
 * (as the console writes a Choice rule by its arrow), where it hides no node, no other label and
 * crosses no other edge, if its edge has such a place; it is wrapped, never cut short.
 */
import { Box, Point, labelSize, onCurve, overlap, r, segmentHits, wrapLabel } from "./geometry";
import type { Edge, GraphNode, LayeredGraph } from "./layers";
import type { LaidEdge } from "./layout";

/** Where along a segment between layers a label may go, best first. */
const LABEL_STOPS = [0.5, 0.35, 0.65, 0.2, 0.8];
/** How far a label sits from its edge, beside it. */
const LABEL_OFFSET = 6;

/** An edge as drawn: its path, where its label may go, and the polyline it follows (to keep other labels off it). */
interface Routed {
  readonly laid: LaidEdge;
  readonly stops: Point[];
  readonly line: Point[];
}

function sampleCurve(x0: number, y0: number, x1: number, y1: number): Point[] {
  return Array.from({ length: 17 }, (_, k) => onCurve(x0, y0, x1, y1, k / 16));
}

/** The layers' vertical extents, and where a node's top is. */
export interface Bands {
  readonly top: readonly number[];
  readonly height: readonly number[];
  nodeTop(node: GraphNode): number;
}

/** Offsets from a node's centre at which each edge leaves it and arrives at its target. */
function edgeSlots(graph: LayeredGraph): { outSlot: Map<Edge, number>; inSlot: Map<Edge, number> } {
  const { nodes, chains } = graph;
  const outSlot = new Map<Edge, number>();
  const inSlot = new Map<Edge, number>();
  const spread = (list: Array<{ edge: Edge; towards: number }>, width: number, into: Map<Edge, number>): void => {
    list.sort((a, b) => a.towards - b.towards);
    const step = list.length > 1 ? Math.min(18, (width * 0.6) / (list.length - 1)) : 0;
    list.forEach((item, k) => into.set(item.edge, (k - (list.length - 1) / 2) * step));
  };
  for (const node of nodes) {
    if (node.name === undefined) continue;
    const leaving = [...chains]
      .filter(([e]) => e.from === node.name)
      .map(([edge, chain]) => ({ edge, towards: nodes[chain[1]].x }));
    const arriving = [...chains]
      .filter(([e]) => e.to === node.name)
      .map(([edge, chain]) => ({ edge, towards: nodes[chain[chain.length - 2]].x }));
    spread(leaving, node.w, outSlot);
    spread(arriving, node.w, inSlot);
  }
  return { outSlot, inSlot };
}

/** A loop back up: out of the source's right side, round, into the target's right side. */
function loopEdge(edge: Edge, graph: LayeredGraph, bands: Bands): Routed {
  const a = graph.nodes[graph.idOf.get(edge.from) as number];
  const b = graph.nodes[graph.idOf.get(edge.to) as number];
  const ax = a.x + a.w / 2;
  const ay = bands.nodeTop(a) + a.h / 2;
  const bx = b.x + b.w / 2;
  const by = bands.nodeTop(b) + b.h / 2;
  const out = Math.max(ax, bx) + 48;
  const laid = { ...edge, path: `M${r(ax)},${r(ay)} C${r(out)},${r(ay)} ${r(out)},${r(by)} ${r(bx)},${r(by)}` };
  const line = Array.from({ length: 17 }, (_, k) => {
    const t = k / 16;
    const u = 1 - t;
    return {
      x: u * u * u * ax + 3 * u * t * out + t * t * t * bx,
      y: u * u * u * ay + 3 * u * u * t * ay + 3 * u * t * t * by + t * t * t * by,
    };
  });
  return { laid, stops: [{ x: out - 6, y: (ay + by) / 2 }], line };
}

/** An edge down the layers, through the virtual nodes of `chain`. */
function layeredEdge(
  edge: Edge,
  chain: readonly number[],
  graph: LayeredGraph,
  bands: Bands,
  slots: ReturnType<typeof edgeSlots>,
): Routed {
  const { nodes } = graph;
  const first = nodes[chain[0]];
  const last = nodes[chain[chain.length - 1]];
  const points: Array<[number, number]> = [[first.x + (slots.outSlot.get(edge) ?? 0), bands.nodeTop(first) + first.h]];
  for (const id of chain.slice(1, -1)) {
    const v = nodes[id];
    points.push([v.x, bands.top[v.layer]], [v.x, bands.top[v.layer] + bands.height[v.layer]]);
  }
  points.push([last.x + (slots.inSlot.get(edge) ?? 0), bands.nodeTop(last)]);
  let path = `M${r(points[0][0])},${r(points[0][1])}`;
  const stops: Point[] = [];
  const line: Point[] = [];
  for (let k = 1; k < points.length; k++) {
    const [x0, y0] = points[k - 1];
    const [x1, y1] = points[k];
    // Between layers a smooth S; through a layer (a virtual node) a straight line.
    if (k % 2 === 1) {
      path += ` C${r(x0)},${r((y0 + y1) / 2)} ${r(x1)},${r((y0 + y1) / 2)} ${r(x1)},${r(y1)}`;
      stops.push(...LABEL_STOPS.map((t) => onCurve(x0, y0, x1, y1, t)));
      line.push(...sampleCurve(x0, y0, x1, y1));
    } else {
      path += ` L${r(x1)},${r(y1)}`;
    }
  }
  return { laid: { ...edge, path }, stops, line };
}

/** How many of `others`' segments pass through `box`. */
function crossings(box: Box, others: ReadonlyArray<readonly Point[]>): number {
  let count = 0;
  for (const line of others) for (let k = 1; k < line.length; k++) if (segmentHits(line[k - 1], line[k], box)) count++;
  return count;
}

/**
 * Labels beside their edges: at each stop along the edge, to its right, to its left, or on it, the
 * first place that hides no node or label, crosses no other edge and stays inside the graph; failing
 * that, the place that does least of those.
 */
function placeLabels(routed: readonly Routed[], occupied: Box[], width: number): LaidEdge[] {
  return routed.map(({ laid: edge, stops }, index) => {
    if (edge.label === undefined) return edge;
    const lines = wrapLabel(edge.label);
    const { w, h } = labelSize(lines);
    const others = routed.filter((_, k) => k !== index).map((o) => o.line);
    let best: { box: Box; cost: number } | undefined;
    for (const [rank, at] of stops.entries()) {
      for (const [side, x] of [at.x + LABEL_OFFSET, at.x - LABEL_OFFSET - w, at.x - w / 2].entries()) {
        const box = { x, y: at.y - h / 2, w, h };
        const hidden = occupied.reduce(
          (sum, other) => sum + overlap({ x: box.x - 2, y: box.y - 2, w: box.w + 4, h: box.h + 4 }, other),
          0,
        );
        const outside = Math.max(0, -box.x) + Math.max(0, box.x + box.w - width);
        const cost = hidden * 100 + crossings(box, others) * 400 + outside * 50 + side * 2 + rank;
        if (best === undefined || cost < best.cost) best = { box, cost };
      }
    }
    if (best === undefined) return edge;
    occupied.push(best.box);
    return { ...edge, labelLines: lines, labelBox: best.box };
  });
}

/** Every edge of `edges` drawn over the positioned graph, in the order given. */
export function routeEdges(edges: readonly Edge[], graph: LayeredGraph, bands: Bands, width: number): LaidEdge[] {
  const slots = edgeSlots(graph);
  const routed = edges.map((edge) => {
    const chain = graph.chains.get(edge);
    return chain === undefined ? loopEdge(edge, graph, bands) : layeredEdge(edge, chain, graph, bands, slots);
  });
  const occupied: Box[] = graph.nodes
    .filter((n) => n.name !== undefined)
    .map((n) => ({ x: n.x - n.w / 2, y: bands.nodeTop(n), w: n.w, h: n.h }));
  return placeLabels(routed, occupied, width);
}
