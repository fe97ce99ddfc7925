/** Small seeded generator for test inputs (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n raws of a fixed-point grid with F fractional bits, values uniform in (−amp, amp). */
export function gridValues(r: () => number, n: number, amp: number, F: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor((2 * r() - 1) * amp * 2 ** F);
  return out;
}

/** n float32 values uniform in (−amp, amp). */
export function floatValues(r: () => number, n: number, amp: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * r() - 1) * amp;
  return out;
}
