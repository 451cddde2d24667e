/**
 * The edges of a laid-out graph: each leaves its node's bottom and reaches its target's top,
 * spread out in the order of where they go, as a smooth S between layers and straight through the
 * layers it crosses; a loop goes out to the right and back up. Each label goes where it hides no
 * node and no other label, if its edge has such a place.
 */
import { Box, LABEL_CHAR_WIDTH, LABEL_HEIGHT, LABEL_MAX, Point, onCurve, overlap, r } from "./geometry";
import type { Edge, GraphNode, LayeredGraph } from "./layers";
import type { LaidEdge } from "./layout";

/** Where along a segment between layers a label may go, best first. */
const LABEL_STOPS = [0.5, 0.35, 0.65, 0.2, 0.8];

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
    const leaving = [...chains].filter(([e]) => e.from === node.name).map(([edge, chain]) => ({ edge, towards: nodes[chain[1]].x }));
    const arriving = [...chains].filter(([e]) => e.to === node.name).map(([edge, chain]) => ({ edge, towards: nodes[chain[chain.length - 2]].x }));
    spread(leaving, node.w, outSlot);
    spread(arriving, node.w, inSlot);
  }
  return { outSlot, inSlot };
}

/** A loop back up: out of the source's right side, round, into the target's right side. */
function loopEdge(edge: Edge, graph: LayeredGraph, bands: Bands): { laid: LaidEdge; stops: Point[] } {
  const a = graph.nodes[graph.idOf.get(edge.from) as number];
  const b = graph.nodes[graph.idOf.get(edge.to) as number];
  const ax = a.x + a.w / 2;
  const ay = bands.nodeTop(a) + a.h / 2;
  const bx = b.x + b.w / 2;
  const by = bands.nodeTop(b) + b.h / 2;
  const out = Math.max(ax, bx) + 48;
  const laid = { ...edge, path: `M${r(ax)},${r(ay)} C${r(out)},${r(ay)} ${r(out)},${r(by)} ${r(bx)},${r(by)}` };
  return { laid, stops: [{ x: out - 6, y: (ay + by) / 2 }] };
}

/** An edge down the layers, through the virtual nodes of `chain`. */
function layeredEdge(edge: Edge, chain: readonly number[], graph: LayeredGraph, bands: Bands, slots: ReturnType<typeof edgeSlots>): { laid: LaidEdge; stops: Point[] } {
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
  return { laid: { ...edge, path }, stops };
}

/** Labels where they hide no node and no other label, if there is such a place on their edge. */
function placeLabels(routed: ReadonlyArray<{ laid: LaidEdge; stops: Point[] }>, occupied: Box[]): LaidEdge[] {
  return routed.map(({ laid: edge, stops }) => {
    if (edge.label === undefined) return edge;
    const w = Math.min(edge.label.length, LABEL_MAX) * LABEL_CHAR_WIDTH + 8;
    let best: { box: Box; at: Point; cost: number } | undefined;
    for (const at of stops) {
      const box = { x: at.x - w / 2, y: at.y - LABEL_HEIGHT / 2, w, h: LABEL_HEIGHT };
      const cost = occupied.reduce((sum, other) => sum + overlap(box, other), 0);
      if (best === undefined || cost < best.cost) best = { box, at, cost };
      if (cost === 0) break;
    }
    if (best === undefined) return edge;
    occupied.push(best.box);
    return { ...edge, labelAt: best.at };
  });
}

/** Every edge of `edges` drawn over the positioned graph, in the order given. */
export function routeEdges(edges: readonly Edge[], graph: LayeredGraph, bands: Bands): LaidEdge[] {
  const slots = edgeSlots(graph);
  const routed = edges.map((edge) => {
    const chain = graph.chains.get(edge);
    return chain === undefined ? loopEdge(edge, graph, bands) : layeredEdge(edge, chain, graph, bands, slots);
  });
  const occupied: Box[] = graph.nodes.filter((n) => n.name !== undefined).map((n) => ({ x: n.x - n.w / 2, y: bands.nodeTop(n), w: n.w, h: n.h }));
  return placeLabels(routed, occupied);
}
