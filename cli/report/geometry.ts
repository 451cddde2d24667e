/**
 * The measures of the report's graph (node sizes, gaps, text widths) and the little geometry its
 * layout needs: boxes and their overlap, the S curve an edge follows between layers, and how a
 * coordinate is written into the page.
 */

export const NODE_HEIGHT = 46;
export const NODE_MIN_WIDTH = 150;
export const NODE_MAX_WIDTH = 300;
/** Average advance of a character: a name (13px, bold), a kind (11px), an edge label (10.5px). */
export const NAME_CHAR_WIDTH = 9;
export const KIND_CHAR_WIDTH = 7;
export const LABEL_CHAR_WIDTH = 6.2;
/** One line of an edge label, and the most characters on a line before it wraps. */
export const LABEL_LINE_HEIGHT = 13;
export const LABEL_LINE_CHARS = 32;
export const TEXT_PADDING = 28;
export const LAYER_GAP = 62;
export const NODE_GAP = 30;
export const VIRTUAL_GAP = 12;
/** The head of a Parallel or Map, above its regions. */
export const HEAD_HEIGHT = 34;
export const INNER_PADDING = 14;
export const REGION_GAP = 18;
/** Around the whole graph. */
export const MARGIN = 24;
/** The Start and End markers of the top-level graph. */
export const TERMINAL_WIDTH = 76;
export const TERMINAL_HEIGHT = 30;

/**
 * An edge label in lines of at most `max` characters, whole: broken between words, and a word
 * longer than a line after a dot (DynamoDB.ConditionalCheckFailedException) or, failing that, anywhere.
 */
export function wrapLabel(text: string, max: number = LABEL_LINE_CHARS): string[] {
  const tokens: Array<{ text: string; glue: string }> = [];
  for (const word of text.split(" ")) {
    let rest = word;
    let glue = " ";
    while (rest.length > max) {
      const dot = rest.lastIndexOf(".", max - 1);
      const cut = dot > 0 ? dot + 1 : max;
      tokens.push({ text: rest.slice(0, cut), glue });
      rest = rest.slice(cut);
      glue = "";
    }
    tokens.push({ text: rest, glue });
  }
  const lines: string[] = [];
  for (const { text: piece, glue } of tokens) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + glue.length + piece.length <= max) lines[last] += glue + piece;
    else lines.push(piece);
  }
  return lines;
}

/** The size of a label's box: its longest line wide, its lines tall, with a little room around. */
export function labelSize(lines: readonly string[]): { w: number; h: number } {
  return { w: Math.max(...lines.map((l) => l.length)) * LABEL_CHAR_WIDTH + 8, h: lines.length * LABEL_LINE_HEIGHT + 3 };
}

/** Whether the segment from a to b passes through `box`. */
export function segmentHits(a: Point, b: Point, box: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const sides: Array<[number, number]> = [
    [-dx, a.x - box.x],
    [dx, box.x + box.w - a.x],
    [-dy, a.y - box.y],
    [dy, box.y + box.h - a.y],
  ];
  for (const [p, q] of sides) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** A point of the S curve between layers from (x0, y0) to (x1, y1), at t in [0, 1]. */
export function onCurve(x0: number, y0: number, x1: number, y1: number, t: number): Point {
  const u = 1 - t;
  const start = u * u * u + 3 * u * u * t;
  const middle = 3 * u * u * t + 3 * u * t * t;
  return { x: x0 * start + x1 * (1 - start), y: y0 * u * u * u + ((y0 + y1) / 2) * middle + y1 * t * t * t };
}

/** A coordinate as written into the page. */
export function r(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** The points an SVG path of M, L and C commands (as routes.ts writes them) passes through, each curve sampled. */
export function pathPoints(d: string, samples = 16): Point[] {
  const points: Point[] = [];
  for (const [, command, args] of d.matchAll(/([MLC])\s*([^MLC]*)/g)) {
    const xy = args
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (command !== "C") {
      points.push({ x: xy[0], y: xy[1] });
      continue;
    }
    const p0 = points[points.length - 1];
    for (let k = 1; k <= samples; k++) {
      const t = k / samples;
      const u = 1 - t;
      const [a, b, c, e] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
      points.push({ x: a * p0.x + b * xy[0] + c * xy[2] + e * xy[4], y: a * p0.y + b * xy[1] + c * xy[3] + e * xy[5] });
    }
  }
  return points;
}

/** Whether segments ab and cd meet: cross, or touch (one's end on the other); two on one line never do. */
export function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const side = (p: Point, q: Point, s: Point): number => (q.x - p.x) * (s.y - p.y) - (q.y - p.y) * (s.x - p.x);
  const d1 = side(c, d, a);
  const d2 = side(c, d, b);
  const d3 = side(a, b, c);
  const d4 = side(a, b, d);
  if (d1 === 0 && d2 === 0) return false;
  return d1 * d2 <= 0 && d3 * d4 <= 0;
}

const samePoint = (p: Point, q: Point): boolean => p.x === q.x && p.y === q.y;

/**
 * The pairs (by index) of polylines that cross each other: meet anywhere but where both end (two
 * edges into one node, or out of it, at the same point).
 */
export function crossingPairs(lines: ReadonlyArray<readonly Point[]>): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  const ends = (line: readonly Point[]): Point[] => [line[0], line[line.length - 1]];
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const [p, q] = [lines[i], lines[j]];
      const shared = ends(p).filter((e) => ends(q).some((f) => samePoint(e, f)));
      const atShared = (s: Point, t: Point, u: Point, v: Point): boolean =>
        shared.some((e) => (samePoint(s, e) || samePoint(t, e)) && (samePoint(u, e) || samePoint(v, e)));
      let crossed = false;
      for (let a = 1; a < p.length && !crossed; a++)
        for (let b = 1; b < q.length && !crossed; b++)
          crossed = segmentsCross(p[a - 1], p[a], q[b - 1], q[b]) && !atShared(p[a - 1], p[a], q[b - 1], q[b]);
      if (crossed) pairs.push([i, j]);
    }
  }
  return pairs;
}
