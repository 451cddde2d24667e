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
export const LABEL_CHAR_WIDTH = 6;
export const LABEL_HEIGHT = 14;
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
/** Characters of an edge label shown. */
export const LABEL_MAX = 30;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
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
