/**
 * Seeded synthetic tensor values. Each tensor gets its own generator, seeded from (seed, tensor
 * name), so a tensor's values do not depend on which other tensors exist or are loaded from
 * files: `--fill-missing --seed 3` fills a gap with exactly the values a fully synthetic run with
 * seed 3 would use for that tensor.
 *
 * Scales follow the usual ViT initialisation (timm): truncated normal with std 0.02 for linear,
 * patch, gate, positional and class-token parameters; LayerNorm γ = 1, β = 0. Biases get a small
 * truncated normal (std 0.01) rather than zero so that bias paths are exercised. Truncation is at
 * ±2σ (redrawn). Trained weights are larger (M3ViT-tiny: linear std ≈ 0.05, biases std ≈ 0.6),
 * so synthetic activations are smaller than real ones.
 */

/** 32-bit mixing (splitmix32 finaliser); also used to derive seeds. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a hash of a string. */
function hashString(s: string): number {
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

/** How a tensor is initialised, decided from its name. */
export type SyntheticKind = 'weight' | 'bias' | 'ln-gamma' | 'ln-beta' | 'embed';

export function syntheticKind(name: string): SyntheticKind {
  if (/_norm\d_weight$/.test(name)) return 'ln-gamma';
  if (/_norm\d_bias$/.test(name)) return 'ln-beta';
  if (name === 'pos_embed' || name === 'cls_token') return 'embed';
  if (name.endsWith('_bias')) return 'bias';
  return 'weight';
}

export const SYNTHETIC_STD: Readonly<Record<SyntheticKind, number>> = {
  weight: 0.02,
  embed: 0.02,
  bias: 0.01,
  'ln-gamma': 0,
  'ln-beta': 0,
};

/** The synthetic values of tensor `name` (length `size`) for `seed`. */
export function syntheticTensorData(name: string, size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  const kind = syntheticKind(name);
  if (kind === 'ln-gamma') return out.fill(1);
  if (kind === 'ln-beta') return out;
  const std = SYNTHETIC_STD[kind];
  const rng = new Rng(seed, name);
  for (let i = 0; i < size; i++) out[i] = rng.truncNormal(std);
  return out;
}
