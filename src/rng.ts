/**
 * The one seeded pseudo-random generator of vitforge (library code never calls Math.random, so
 * every run is reproducible from its seed): synthetic weights and images, DSE strategies.
 */

/** 32-bit mixing (splitmix32 finaliser); also used to derive seeds. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a hash of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * xoshiro128** (Blackman & Vigna): small state, good statistical quality, pure 32-bit integer
 * arithmetic, so the stream is identical on every platform.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = '') {
    let s = mix32((seed >>> 0) ^ Math.imul(hashString(stream), 0x27d4eb2f));
    // Truncate a non-integer / huge seed to its low 32 bits; mix again so stream hashes spread.
    s = mix32(s ^ Math.floor(seed / 2 ** 32));
    this.a = (s = mix32(s));
    this.b = (s = mix32(s));
    this.c = (s = mix32(s));
    this.d = mix32(s) | 1; // never all-zero state
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n) (n ≤ 2^32), unbiased by rejection. */
  int(n: number): number {
    const limit = Math.floor(4294967296 / n) * n;
    for (;;) {
      const v = this.nextU32();
      if (v < limit) return v % n;
    }
  }

  private spare = NaN;

  /** Standard normal (Box–Muller; the second value of each pair is returned by the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const phi = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(phi);
    return r * Math.cos(phi);
  }

  /** Normal with standard deviation `std`, redrawn until within ±2·std. */
  truncNormal(std: number): number {
    for (;;) {
      const z = this.normal();
      if (z >= -2 && z <= 2) return z * std;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
