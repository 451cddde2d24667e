/**
 * The layered drawing of one (sub-)machine's graph, top to bottom as the console draws it
 * (Sugiyama): loops set aside by a depth-first search from StartAt, layers by longest path, long
 * edges through a virtual node per layer they cross, an order within each layer with the fewest
 * crossings found (barycentres then sifting, from the discovery order and from seeded shuffles of
 * it; a crossing on a labelled edge counts more), then positions by isotonic regression so each node
 * sits as close as it can to the nodes it is joined to. Nothing here knows the order workflow's
 * states: a saga's new states are ordered by the same rules.
 */
import { NODE_GAP, VIRTUAL_GAP } from "./geometry";

export type EdgeKind = "next" | "choice" | "catch";

export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
}

/** A node of the layered graph: a state, or (without a name) a virtual node on a long edge. */
export interface GraphNode {
  readonly id: number;
  readonly name?: string;
  readonly w: number;
  readonly h: number;
  layer: number;
  key: number;
  /** The centre, once positioned. */
  x: number;
  up: number[];
  down: number[];
}

export interface LayeredGraph {
  /** Every node by id: the states, then the virtual nodes. */
  readonly nodes: readonly GraphNode[];
  /** The nodes of each layer, in their order left to right. */
  readonly layers: readonly GraphNode[][];
  readonly idOf: ReadonlyMap<string, number>;
  /** Each edge down the layers as the ids of the nodes it passes, first to last. */
  readonly chains: ReadonlyMap<Edge, number[]>;
  /** The edges that go back up (loops): not layered. */
  readonly back: ReadonlySet<Edge>;
}

/** The graph of `names` and `edges`, layered, ordered and positioned (x only). */
export function layeredGraph(
  startAt: string,
  names: readonly string[],
  edges: readonly Edge[],
  sizes: ReadonlyMap<string, { w: number; h: number }>,
): LayeredGraph {
  const { back, topological } = depthFirst(startAt, names, edges);
  const forward = edges.filter((e) => !back.has(e));
  const { nodes, idOf, chains } = buildNodes(topological, forward, sizes);
  const layerCount = Math.max(0, ...nodes.map((n) => n.layer)) + 1;
  const layers: GraphNode[][] = Array.from({ length: layerCount }, () => []);
  for (const node of nodes) layers[node.layer].push(node);
  for (const layer of layers) layer.sort((a, b) => a.key - b.key);
  const weights = new Map<string, number>();
  for (const [edge, chain] of chains)
    if (edge.label !== undefined) for (let k = 1; k < chain.length; k++) weights.set(`${chain[k - 1]}>${chain[k]}`, 1);
  orderLayers(layers, weights);
  positionNodes(nodes, layers);
  return { nodes, layers, idOf, chains, back };
}

/** Back edges (a loop) by depth-first search from StartAt, and the states in topological order. */
function depthFirst(
  startAt: string,
  names: readonly string[],
  edges: readonly Edge[],
): { back: Set<Edge>; topological: string[] } {
  const known = new Set(names);
  const order: string[] = [];
  const mark = new Map<string, 1 | 2>();
  const back = new Set<Edge>();
  const dfs = (name: string): void => {
    mark.set(name, 1);
    // Last listed, first visited: in the reverse postorder the first rule, then Next, then the catchers, left to right.
    for (const edge of edges.filter((e) => e.from === name).reverse()) {
      const m = mark.get(edge.to);
      if (m === 1) back.add(edge);
      else if (m === undefined) dfs(edge.to);
    }
    mark.set(name, 2);
    order.push(name);
  };
  for (const name of [startAt, ...names]) if (known.has(name) && !mark.has(name)) dfs(name);
  return { back, topological: [...order].reverse() };
}

/** The states on layers by longest path, and a virtual node per layer an edge crosses. */
function buildNodes(
  topological: readonly string[],
  forward: readonly Edge[],
  sizes: ReadonlyMap<string, { w: number; h: number }>,
): { nodes: GraphNode[]; idOf: Map<string, number>; chains: Map<Edge, number[]> } {
  const layerOf = new Map<string, number>();
  for (const name of topological) {
    const from = forward.filter((e) => e.to === name).map((e) => (layerOf.get(e.from) ?? 0) + 1);
    layerOf.set(name, Math.max(0, ...from));
  }
  const nodes: GraphNode[] = [];
  const idOf = new Map<string, number>();
  topological.forEach((name, discovered) => {
    const size = sizes.get(name) as { w: number; h: number };
    const id = nodes.length;
    nodes.push({
      id,
      name,
      w: size.w,
      h: size.h,
      layer: layerOf.get(name) ?? 0,
      key: discovered,
      x: 0,
      up: [],
      down: [],
    });
    idOf.set(name, id);
  });
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
  return { nodes, idOf, chains };
}

/** Each node's index in its layer. */
function positions(layers: readonly GraphNode[][]): Map<number, number> {
  return new Map(layers.flatMap((layer) => layer.map((n, i) => [n.id, i] as [number, number])));
}

/**
 * What a crossing costs, per segment between two layers (`from>to` by id): 1, and 1 more for each of
 * the two segments that carries a label, whose crossing makes it unclear which edge the label names.
 */
export type SegmentWeights = ReadonlyMap<string, number>;

/** The weighted crossings of the segments from `upper` to the layer below it, at the positions `pos`. */
function crossingsBelow(
  upper: readonly GraphNode[],
  pos: ReadonlyMap<number, number>,
  weights: SegmentWeights,
): number {
  const segments = upper.flatMap((n) =>
    n.down.map((d) => [pos.get(n.id) as number, pos.get(d) as number, weights.get(`${n.id}>${d}`) ?? 0]),
  );
  let count = 0;
  for (let a = 0; a < segments.length; a++) {
    for (let b = a + 1; b < segments.length; b++) {
      if ((segments[a][0] - segments[b][0]) * (segments[a][1] - segments[b][1]) < 0)
        count += 1 + segments[a][2] + segments[b][2];
    }
  }
  return count;
}

/** Edge crossings between adjacent layers in the current order, each weighted by its segments. */
export function crossings(layers: readonly GraphNode[][], weights: SegmentWeights = new Map()): number {
  const pos = positions(layers);
  return layers.reduce((sum, layer) => sum + crossingsBelow(layer, pos, weights), 0);
}

/** Barycentres, sweeping down and up from the given order; the order with the fewest crossings wins. */
function barycentres(layers: GraphNode[][], weights: SegmentWeights): number {
  let best = layers.map((layer) => [...layer]);
  let fewest = crossings(layers, weights);
  for (let sweep = 0; sweep < 12 && fewest > 0; sweep++) {
    const down = sweep % 2 === 0;
    const pos = positions(layers);
    const sequence = down ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const layer of sequence) {
      for (const node of layer) {
        const neighbours = down ? node.up : node.down;
        node.key =
          neighbours.length === 0
            ? (pos.get(node.id) as number)
            : neighbours.reduce((s, n) => s + (pos.get(n) as number), 0) / neighbours.length;
      }
      layer.sort((a, b) => a.key - b.key);
      layer.forEach((n, i) => pos.set(n.id, i));
    }
    const now = crossings(layers, weights);
    if (now < fewest) {
      fewest = now;
      best = layers.map((layer) => [...layer]);
    }
  }
  best.forEach((layer, i) => (layers[i] = layer));
  return fewest;
}

/** How many orders the ordering starts from besides the discovery order: shuffles by a fixed seed. */
const RESTARTS = 24;

/** A small seeded generator (mulberry32), so the same graph always gets the same layout. */
function shuffler(seed: number): <T>(list: T[]) => T[] {
  let state = seed;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (list) => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  };
}

/**
 * Ordering, in place: from the discovery order and from RESTARTS shuffles of it, barycentres then
 * sifting; the order with the fewest (weighted) crossings wins, the earliest on a tie.
 */
function orderLayers(layers: GraphNode[][], weights: SegmentWeights): void {
  const shuffle = shuffler(1);
  const discovered = layers.map((layer) => [...layer]);
  let best = discovered;
  let fewest = Infinity;
  for (let start = 0; start <= RESTARTS && fewest > 0; start++) {
    const trial = discovered.map((layer) => (start === 0 ? [...layer] : shuffle([...layer])));
    sift(trial, barycentres(trial, weights), weights);
    const now = crossings(trial, weights);
    if (now < fewest) {
      fewest = now;
      best = trial;
    }
  }
  best.forEach((layer, i) => (layers[i] = layer));
}

/**
 * Local refinement, in place, after the barycentres (sifting, Matuszewski et al., "Using sifting for
 * k-layer straightline crossing minimization", 1999, of which the adjacent swaps of Gansner et al.'s
 * "transpose" are the one-step case): each node in turn is tried at every place in its layer and left
 * where the crossings are fewest, until no move lowers them.
 */
function sift(layers: GraphNode[][], start: number, weights: SegmentWeights): void {
  const pos = positions(layers);
  // Moving a node in layer l changes only the crossings between l - 1 and l, and between l and l + 1.
  const around = (l: number): number =>
    (l > 0 ? crossingsBelow(layers[l - 1], pos, weights) : 0) + crossingsBelow(layers[l], pos, weights);
  const reindex = (layer: readonly GraphNode[]): void => layer.forEach((n, i) => pos.set(n.id, i));
  let fewest = start;
  for (let improved = fewest > 0; improved && fewest > 0;) {
    improved = false;
    for (const [l, layer] of layers.entries()) {
      for (const node of [...layer]) {
        const from = layer.indexOf(node);
        const before = around(l);
        let least = before;
        let bestAt = from;
        layer.splice(from, 1);
        for (let at = 0; at <= layer.length; at++) {
          if (at === from) continue;
          layer.splice(at, 0, node);
          reindex(layer);
          const now = around(l);
          layer.splice(at, 1);
          if (now < least) {
            least = now;
            bestAt = at;
          }
        }
        layer.splice(bestAt, 0, node);
        reindex(layer);
        if (least < before) {
          fewest -= before - least;
          improved = true;
        }
      }
    }
  }
}

const gapBetween = (a: GraphNode, b: GraphNode): number =>
  a.name === undefined || b.name === undefined ? VIRTUAL_GAP : NODE_GAP;

/** How hard two joined nodes pull on each other: long edges pull hardest, to stay straight. */
const pull = (a: GraphNode, b: GraphNode): number =>
  a.name === undefined && b.name === undefined ? 8 : a.name === undefined || b.name === undefined ? 2 : 1;

/** Positions: packed, then each node drawn towards its neighbours. */
function positionNodes(nodes: readonly GraphNode[], layers: readonly GraphNode[][]): void {
  for (const layer of layers) {
    let x = 0;
    layer.forEach((node, i) => {
      if (i > 0) x += (layer[i - 1].w + node.w) / 2 + gapBetween(layer[i - 1], node);
      node.x = x;
    });
    const shift = x / 2;
    for (const node of layer) node.x -= shift;
  }
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
}

/** Positions minimising Σ weight·(centre − desired)² with nodes in order and apart: pool adjacent violators. */
function placeInOrder(
  widths: readonly number[],
  gaps: readonly number[],
  desired: readonly number[],
  weights: readonly number[],
): number[] {
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
  for (const block of blocks)
    for (let k = 0; k < block.count; k++) centres.push(block.sum / block.weight + offsets[centres.length]);
  return centres;
}
