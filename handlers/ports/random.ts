/**
 * The randomness behind the failure simulation. Each decision draws from its own source, derived from
 * the seed and the decision's keys (order, decision name, item index), so a seeded run gives the same
 * outcomes whatever order concurrent Lambdas happen to run in.
 */

/** Numbers in [0, 1). */
export interface RandomSource {
  next(): number;
}

/** The source for one decision, named by its keys. */
export type RandomFactory = (...keys: string[]) => RandomSource;

/** FNV-1a, 32 bits, over UTF-16 code units: a string to a PRNG seed. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a small, fast PRNG, good enough for simulated failures. */
export function seededRandom(seed: string): RandomSource {
  let state = hashString(seed);
  return {
    next(): number {
      state = (state + 0x6d2b79f5) | 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

export const mathRandom: RandomSource = { next: () => Math.random() };

/** The source for one decision: seeded from (seed, ...keys) when a seed is set, else Math.random. */
export function randomFor(seed: string | undefined, ...keys: string[]): RandomSource {
  return seed === undefined ? mathRandom : seededRandom(JSON.stringify([seed, ...keys]));
}

export function randomFactory(seed: string | undefined): RandomFactory {
  return (...keys) => randomFor(seed, ...keys);
}

/** `count` hex digits drawn from a source (for simulated tokens and ids). */
export function randomHex(source: RandomSource, count: number): string {
  let hex = "";
  while (hex.length < count) {
    hex += Math.floor(source.next() * 65536)
      .toString(16)
      .padStart(4, "0");
  }
  return hex.slice(0, count);
}
