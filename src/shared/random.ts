/** Seeded pseudo-random numbers: the same seed gives the same sequence on every machine and run. */

/** A seeded random source. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Standard normal (mean 0, standard deviation 1). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** Folds any integer seed (negative or beyond 32 bits) and optional stream ids into 32 bits. */
export function mixSeed(seed: number, ...streams: number[]): number {
  let h = 0x9e3779b9 ^ (seed >>> 0);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  // Keep the high bits of seeds above 2^32 so that e.g. 1 and 2^32 + 1 differ.
  h ^= Math.floor(seed / 4294967296) >>> 0;
  for (const s of streams) {
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= s >>> 0;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A mulberry32 generator with Box–Muller normals; `streams` derive independent sequences from one seed. */
export function createRng(seed: number, ...streams: number[]): Rng {
  let state = mixSeed(seed, ...streams);
  let spare: number | undefined;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    normal: () => {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      // 1 - u keeps the log argument in (0, 1], so it is never log(0).
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      const angle = 2 * Math.PI * next();
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    int: (n) => Math.floor(next() * n),
  };
}

/** A Fisher–Yates shuffle of 0..n-1. */
export function shuffledIndices(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order;
}
