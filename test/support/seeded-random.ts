/** A small seeded generator (mulberry32): numbers in [0, 1) that repeat for a seed, so a failing generated case can be run again. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fixed seeds plus one that changes per run; tests print the seed of a failing case. */
export function testSeeds(...fixed: number[]): number[] {
  return [...fixed, (Date.now() % 100000) + 1000];
}
