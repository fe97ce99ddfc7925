/** Seeded test inputs for the math-library tests (deterministic: same seed, same vectors). */

/** mulberry32: a small, well-mixed 32-bit generator. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Uniform integer in [lo, hi] (|lo|, |hi| ≤ 2^53), from two draws so that all 53 bits vary. */
export function randInt(r: () => number, lo: number, hi: number): number {
  const span = hi - lo + 1;
  const u = Math.floor(r() * 2 ** 26) * 2 ** 27 + Math.floor(r() * 2 ** 27); // 53 random bits
  return lo + Math.floor((u / 2 ** 53) * span);
}

/** Positive integer with a uniformly random bit length in [1, bits]: covers every binade. */
export function randLogInt(r: () => number, bits: number): number {
  const len = 1 + Math.floor(r() * bits);
  const hi = 2 ** len - 1;
  return Math.max(1, randInt(r, 2 ** (len - 1), hi));
}
