/**
 * mulberry32: a tiny, fast seeded generator, good enough for demo and test data and reproducible
 * for a given seed (never for secrets). The demo directory (seed.ts) and the mock IdP's seeded
 * randomness (idp/random.ts) both draw from it.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
