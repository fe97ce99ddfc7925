/**
 * Each float64 kernel against an independent check: naive textbook loops over nested JS arrays,
 * closed forms, and properties.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { linear, addInPlace } from '../../src/kernels/linear.js';
import { layerNorm } from '../../src/kernels/layernorm.js';
import { softmaxInPlace, softmaxRows } from '../../src/kernels/softmax.js';
import { attention } from '../../src/kernels/attention.js';
import { mlp } from '../../src/kernels/mlp.js';
import { moeExperts, moeGate, topK } from '../../src/kernels/moe.js';
import { im2patches, patchEmbed } from '../../src/kernels/patch.js';
import { geluExact } from '../../src/kernels/erf.js';
import { Rng } from '../../src/rng.js';

function randArray(n: number, seed: number, scale = 1): Float64Array {
  const r = new Rng(seed, 'test');
  return Float64Array.from({ length: n }, () => (r.uniform() * 2 - 1) * scale);
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void => {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  expect(worst).toBeLessThanOrEqual(tol);
};

/** y[r][o] = b[o] + Σ_i W[o][i]·x[r][i] on nested arrays. */
function naiveLinear(x: number[][], w: number[][], b: number[] | null): number[][] {
  return x.map((row) => w.map((wr, o) => wr.reduce((s, wv, i) => s + wv * row[i]!, 0) + (b ? b[o]! : 0)));
}
const nest = (a: ArrayLike<number>, rows: number, cols: number): number[][] =>
  Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => a[r * cols + c]!));

describe('linear', () => {
  it('matches the naive loop for odd and even sizes (tile remainders)', () => {
    for (const [rows, inDim, outDim] of [[1, 1, 1], [3, 5, 7], [4, 8, 6], [5, 16, 3], [2, 3, 2]] as const) {
      const x = randArray(rows * inDim, rows);
      const w = Float32Array.from(randArray(outDim * inDim, inDim));
      const b = Float32Array.from(randArray(outDim, outDim));
      const y = linear(x, rows, inDim, w, b, outDim);
      close(y, naiveLinear(nest(x, rows, inDim), nest(w, outDim, inDim), [...b]).flat(), 1e-14);
      const y0 = linear(x, rows, inDim, w, null, outDim);
      close(y0, naiveLinear(nest(x, rows, inDim), nest(w, outDim, inDim), null).flat(), 1e-14);
    }
  });

  it('is exact on small integers (closed form of a known product)', () => {
    // [[1,2],[3,4]] · W with W = [[1,0],[1,1],[2,-1]] → rows (1,3,0), (3,7,2), plus bias (10,20,30).
    const y = linear(Float64Array.from([1, 2, 3, 4]), 2, 2, Float64Array.from([1, 0, 1, 1, 2, -1]), Float64Array.from([10, 20, 30]), 3);
    expect([...y]).toEqual([11, 23, 30, 13, 27, 32]);
  });

  it('rejects arrays that are too short', () => {
    expect(() => linear(new Float64Array(3), 2, 2, new Float64Array(4), null, 2)).toThrow(RangeError);
  });

  it('addInPlace adds elementwise', () => {
    expect([...addInPlace(Float64Array.from([1, 2]), Float32Array.from([0.5, -2]))]).toEqual([1.5, 0]);
  });
});

describe('layerNorm', () => {
  it('gives mean 0 and variance 1 (biased) before the affine part, up to eps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 0, max: 1000 }), fc.double({ min: -1000, max: 1000, noNaN: true }), (dim, seed, offset) => {
        const x = randArray(dim, seed, 3).map((v) => v + offset);
        const ones = new Float64Array(dim).fill(1);
        const y = layerNorm(x, 1, dim, ones, new Float64Array(dim), 1e-12);
        const mean = y.reduce((s, v) => s + v, 0) / dim;
        const variance = y.reduce((s, v) => s + (v - mean) ** 2, 0) / dim;
        expect(Math.abs(mean)).toBeLessThan(1e-12);
        expect(Math.abs(variance - 1)).toBeLessThan(1e-9);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('matches the closed form with affine parameters and eps', () => {
    // v = (1, 2, 3, 6): μ = 3, σ² = (4+1+0+9)/4 = 3.5
    const v = Float64Array.from([1, 2, 3, 6]);
    const g = Float64Array.from([1, 2, 0.5, -1]);
    const b = Float64Array.from([0, 1, -1, 0.25]);
    const eps = 0.5;
    const s = Math.sqrt(3.5 + eps);
    const y = layerNorm(v, 1, 4, g, b, eps);
    close(y, [(-2 / s) * 1, (-1 / s) * 2 + 1, 0 * 0.5 - 1, (3 / s) * -1 + 0.25], 1e-15);
  });

  it('normalises each row independently', () => {
    const x = Float64Array.from([1, 3, 10, 30]);
    const y = layerNorm(x, 2, 2, Float64Array.from([1, 1]), Float64Array.from([0, 0]), 0);
    close(y, [-1, 1, -1, 1], 1e-15);
  });
});

describe('softmax', () => {
  it('rows sum to 1, entries are positive, order is preserved, and a shift changes nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 40 }), fc.double({ min: -500, max: 500, noNaN: true }), (vals, shift) => {
        const a = Float64Array.from(vals);
        const b = Float64Array.from(vals, (v) => v + shift);
        softmaxInPlace(a, 0, a.length);
        softmaxInPlace(b, 0, b.length);
        expect(Math.abs(a.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-14);
        for (let i = 0; i < a.length; i++) {
          expect(a[i]).toBeGreaterThan(0);
          expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-12);
          for (let j = 0; j < a.length; j++) if (vals[i]! < vals[j]!) expect(a[i]).toBeLessThanOrEqual(a[j]!);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('two entries give the logistic function; large logits do not overflow', () => {
    const a = Float64Array.from([2, -1.5]);
    softmaxInPlace(a, 0, 2);
    expect(a[0]).toBeCloseTo(1 / (1 + Math.exp(-3.5)), 15);
    const big = Float64Array.from([1000, 999]);
    softmaxRows(big, 1, 2);
    expect(big[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
  });
});

/** Textbook MHSA on nested arrays: explicit per-head Q, K, V matrices. */
function naiveAttention(qkv: number[][], dim: number, heads: number): number[][] {
  const dh = dim / heads;
  const N = qkv.length;
  const out = Array.from({ length: N }, () => new Array<number>(dim).fill(0));
  for (let h = 0; h < heads; h++) {
    const Q = qkv.map((r) => r.slice(h * dh, (h + 1) * dh));
    const K = qkv.map((r) => r.slice(dim + h * dh, dim + (h + 1) * dh));
    const V = qkv.map((r) => r.slice(2 * dim + h * dh, 2 * dim + (h + 1) * dh));
    for (let i = 0; i < N; i++) {
      const s = K.map((k) => k.reduce((acc, kv, c) => acc + kv * Q[i]![c]!, 0) / Math.sqrt(dh));
      const m = Math.max(...s);
      const e = s.map((v) => Math.exp(v - m));
      const z = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < dh; c++) out[i]![h * dh + c] = e.reduce((acc, ev, j) => acc + (ev / z) * V[j]![c]!, 0);
    }
  }
  return out;
}

describe('attention', () => {
  it('matches the textbook per-head computation', () => {
    const N = 7, D = 12, H = 3;
    const qkv = randArray(N * 3 * D, 5, 2);
    close(attention(qkv, N, D, H), naiveAttention(nest(qkv, N, 3 * D), D, H).flat(), 1e-14);
  });

  it('with zero queries every token receives the mean of the values', () => {
    const N = 5, D = 4, H = 2;
    const qkv = randArray(N * 3 * D, 9);
    for (let t = 0; t < N; t++) for (let c = 0; c < D; c++) qkv[t * 3 * D + c] = 0;
    const o = attention(qkv, N, D, H);
    for (let c = 0; c < D; c++) {
      let mean = 0;
      for (let j = 0; j < N; j++) mean += qkv[j * 3 * D + 2 * D + c]! / N;
      for (let i = 0; i < N; i++) expect(o[i * D + c]).toBeCloseTo(mean, 14);
    }
  });

  it('exposes probabilities whose rows sum to 1', () => {
    const N = 6, D = 8, H = 2;
    const probs = new Float64Array(H * N * N);
    attention(randArray(N * 3 * D, 3), N, D, H, undefined, probs);
    for (let r = 0; r < H * N; r++) {
      let s = 0;
      for (let j = 0; j < N; j++) s += probs[r * N + j]!;
      expect(Math.abs(s - 1)).toBeLessThan(1e-14);
    }
  });
});

describe('MoE routing', () => {
  /** Reference: stable sort by value descending (stable → equal values keep index order). */
  const refTop = (v: number[], k: number): number[] =>
    v.map((x, i) => [x, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k).map((p) => p[1]);

  it('topK equals a stable descending sort, ties to the lower index', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 20 }), fc.nat(), (vals, kk) => {
        const k = 1 + (kk % vals.length);
        const out = new Int32Array(k);
        topK(Float64Array.from(vals), 0, vals.length, k, out);
        expect([...out]).toEqual(refTop(vals, k));
      }),
      { seed: 42, numRuns: 300 },
    );
    const out = new Int32Array(2);
    topK(Float64Array.from([1, 5, 5, 5]), 0, 4, 2, out);
    expect([...out]).toEqual([1, 2]);
  });

  it('gate: softmax over all experts, top-k by logit, weights not renormalised', () => {
    const T = 9, D = 6, E = 5, k = 2;
    const u = randArray(T * D, 1);
    const g = randArray(E * D, 2);
    const r = moeGate(u, T, D, g, E, k);
    for (let t = 0; t < T; t++) {
      const logits = Array.from({ length: E }, (_, e) => g.subarray(e * D, (e + 1) * D).reduce((s, gv, d) => s + gv * u[t * D + d]!, 0));
      const z = logits.reduce((s, l) => s + Math.exp(l), 0);
      const top = refTop(logits, k);
      expect([...r.top.subarray(t * k, t * k + k)]).toEqual(top);
      for (let q = 0; q < k; q++) expect(r.weights[t * k + q]).toBeCloseTo(Math.exp(logits[top[q]!]!) / z, 15);
      const wsum = r.weights[t * k]! + r.weights[t * k + 1]!;
      expect(wsum).toBeLessThan(1); // E > k: the selected probabilities do not sum to 1
      expect(r.weights[t * k]).toBeGreaterThanOrEqual(r.weights[t * k + 1]!);
    }
  });

  it('experts: per-token naive sum of weighted expert MLPs (bias scaled too)', () => {
    const T = 7, D = 4, Hd = 6, E = 3, k = 2;
    const u = randArray(T * D, 11);
    const w = { w1: randArray(E * Hd * D, 12), b1: randArray(E * Hd, 13), w2: randArray(E * D * Hd, 14), b2: randArray(E * D, 15) };
    const top = Int32Array.from({ length: T * k }, (_, s) => ((s >> 1) + (s & 1) * 2) % E); // distinct per token
    const weights = randArray(T * k, 16).map(Math.abs);
    const out = moeExperts(u, T, D, Hd, E, k, top, weights, w);
    for (let t = 0; t < T; t++) {
      const ref = new Array<number>(D).fill(0);
      for (let r = 0; r < k; r++) {
        const e = top[t * k + r]!;
        const h = Array.from({ length: Hd }, (_, j) => geluExact(w.b1[e * Hd + j]! + Array.from({ length: D }, (_, d) => w.w1[(e * Hd + j) * D + d]! * u[t * D + d]!).reduce((a, b) => a + b, 0)));
        for (let d = 0; d < D; d++) {
          const y = w.b2[e * D + d]! + h.reduce((s, hv, j) => s + hv * w.w2[(e * D + d) * Hd + j]!, 0);
          ref[d]! += weights[t * k + r]! * y;
        }
      }
      close(out.subarray(t * D, (t + 1) * D), ref, 1e-14);
    }
  });

  it('dense mlp equals one expert with weight 1', () => {
    const T = 3, D = 4, Hd = 5;
    const u = randArray(T * D, 21);
    const w = { w1: randArray(Hd * D, 22), b1: randArray(Hd, 23), w2: randArray(D * Hd, 24), b2: randArray(D, 25) };
    const viaMoe = moeExperts(u, T, D, Hd, 1, 1, new Int32Array(T), new Float64Array(T).fill(1), w);
    close(mlp(u, T, D, Hd, w), viaMoe, 1e-15);
  });
});

describe('patch embedding', () => {
  it('equals a direct stride-P convolution loop', () => {
    const g = { channels: 2, height: 6, width: 9, patch: 3 };
    const D = 4;
    const img = randArray(2 * 6 * 9, 31);
    const w = randArray(D * 2 * 3 * 3, 32);
    const b = randArray(D, 33);
    const tok = patchEmbed(img, g, w, b, D);
    let p = 0;
    for (let py = 0; py < 2; py++) {
      for (let px = 0; px < 3; px++, p++) {
        for (let d = 0; d < D; d++) {
          let s = b[d]!;
          for (let c = 0; c < 2; c++) for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) {
            s += w[((d * 2 + c) * 3 + ky) * 3 + kx]! * img[(c * 6 + 3 * py + ky) * 9 + 3 * px + kx]!;
          }
          expect(tok[p * D + d]).toBeCloseTo(s, 14);
        }
      }
    }
    expect(im2patches(img, g).length).toBe(6 * 18);
  });
});
