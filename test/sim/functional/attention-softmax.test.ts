/**
 * Single-pass softmax and the attention unit.
 * - The single-pass algorithm in float64 equals the textbook two-pass softmax to float rounding.
 * - In fixed point, probabilities and attention outputs stay within bounds derived from the
 *   types and the math units' documented accuracy (docs/math.md: |EXP − e^d| ≤ 24·2^-32 before
 *   output rounding, RECIP relative ≤ 2^-32 before output rounding).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attention } from '../../../src/kernels/attention.js';
import { softmaxInPlace } from '../../../src/kernels/softmax.js';
import { attentionScratch, attentionUnit } from '../../../src/sim/functional/attention.js';
import { buildContext } from '../../../src/sim/functional/context.js';
import { FixedSoftmax, FLOAT_SOFTMAX, softmaxProbs, softmaxStats } from '../../../src/sim/functional/softmax.js';
import { tinyDesign } from './helpers/fixtures.js';
import { gridValues, rng } from './helpers/rng.js';

const u = (F: number): number => 2 ** -F;
const EXP_ERR = 24 * 2 ** -32;
const RECIP_REL = 2 ** -32;

describe('single-pass softmax in float64', () => {
  it('matches two-pass softmax to 1e-12 relative (random, rising, falling, tied inputs)', () => {
    const arb = fc.oneof(
      fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 200 }),
      fc.integer({ min: 1, max: 200 }).map((n) => Array.from({ length: n }, (_, i) => i * 0.37)), // a new max every step
      fc.integer({ min: 1, max: 200 }).map((n) => Array.from({ length: n }, (_, i) => -i * 0.37)),
      fc.array(fc.constantFrom(-1, 0, 2), { minLength: 1, maxLength: 50 }),
    );
    fc.assert(fc.property(arb, (xs) => {
      const x = Float64Array.from(xs);
      const stats = new Float64Array(2);
      const got = new Float64Array(x.length);
      softmaxStats(x, 0, 1, x.length, FLOAT_SOFTMAX, stats);
      softmaxProbs(x, 0, 1, x.length, FLOAT_SOFTMAX, stats, got, 0);
      const want = x.slice();
      softmaxInPlace(want, 0, want.length);
      for (let j = 0; j < x.length; j++) {
        if (Math.abs(got[j]! - want[j]!) > 1e-12 * want[j]! + 1e-300) return false;
      }
      return stats[0] === Math.max(...xs);
    }), { seed: 42, numRuns: 400 });
  });

  it('strided access reads every stride-th element', () => {
    const x = Float64Array.from([1, 99, 2, 99, 3, 99]);
    const stats = new Float64Array(2);
    softmaxStats(x, 0, 2, 3, FLOAT_SOFTMAX, stats);
    expect(stats[0]).toBe(3);
    expect(stats[1]).toBeCloseTo(1 / (Math.exp(-2) + Math.exp(-1) + 1), 14);
  });
});

/**
 * Bound on |a_j − p_j| for the fixed single-pass softmax of exact fm inputs (N elements):
 * every EXP is within εE = EXP_ERR + u_s of e^d (AP_TRN output); sums of two softmax raws are
 * exact; each rescale adds ≤ S·εE + u_s (S ≤ N) and shrinks earlier errors, so
 *   |S − S*| ≤ ΔS = N·εE + (N − 1)(N·εE + u_s);
 * R = RECIP(S): |R − 1/S*| ≤ ΔS/(S*(S* − ΔS)) + 2^-32/S + u_s =: ΔR   (S* ≥ 1);
 * a = Q_fm(e·R): |a − p| ≤ εE·R + e·ΔR + u_fm ≤ εE + ΔR + u_fm   (e, R ≤ 1).
 */
function probBound(N: number, Sstar: number, uS: number, uFm: number): number {
  const eE = EXP_ERR + uS;
  const dS = N * eE + (N - 1) * (N * eE + uS);
  const dR = dS / (Sstar * (Sstar - dS)) + RECIP_REL + uS;
  return eE + dR + uFm;
}

describe('fixed-point single-pass softmax', () => {
  it('probabilities within the derived bound of the exact softmax', () => {
    const design = tinyDesign({});
    const ctx = buildContext(design);
    const T = ctx.T;
    const sm = new FixedSoftmax(ctx.math, T.fm, T.softmax, T.fm);
    const r = rng(9);
    for (const [n, amp] of [[7, 3], [40, 8], [129, 6], [16, 0.01]] as const) {
      const x = gridValues(r, n, amp, T.fm.F);
      const stats = new Float64Array(2);
      const got = new Float64Array(n);
      softmaxStats(x, 0, 1, n, sm, stats);
      softmaxProbs(x, 0, 1, n, sm, stats, got, 0);
      const xd = Float64Array.from(x, (v) => v * u(T.fm.F));
      const mx = Math.max(...xd);
      const Sstar = xd.reduce((a, v) => a + Math.exp(v - mx), 0);
      const want = xd.slice();
      softmaxInPlace(want, 0, n);
      const tol = probBound(n, Sstar, u(T.softmax.F), u(T.fm.F));
      for (let j = 0; j < n; j++) expect(Math.abs(got[j]! * u(T.fm.F) - want[j]!), `n ${n} j ${j}`).toBeLessThanOrEqual(tol);
      expect(stats[0]! * u(T.fm.F)).toBe(mx);
    }
  });
});

describe('attention unit vs float attention', () => {
  for (const [label, model, extra] of [
    ['Edge-MoE types, P = 4, dot tile 8', { dim: 48, heads: 3 }, { attention: { parallel: 4, dotTile: 8 } }],
    ['P = 1, dot tile 2, AP_RND accum', { dim: 48, heads: 3 }, { attention: { parallel: 1, dotTile: 2 }, types: { accum: 'ap_fixed<32,10,AP_RND>' } }],
    ['P = all tokens, narrow fm', { dim: 32, heads: 2, classToken: 'none' as const }, { attention: { parallel: 6, dotTile: 16 }, types: { fm: 'ap_fixed<24,8>', accum: 'ap_fixed<26,8>', softmax: 'ap_fixed<24,8>' } }],
  ] as const) {
    it(`${label}: within the bound from score, probability and accumulation errors`, () => {
      const design = tinyDesign(model, extra);
      const ctx = buildContext(design);
      const T = ctx.T;
      const N = ctx.dims.tokens, D = design.model.dim, H = design.model.heads, dh = D / H;
      const B = design.attention.dotTile;
      const r = rng(21);
      const qkv = gridValues(r, N * 3 * D, 2.5, T.fm.F);
      const out = new Float64Array(N * D);
      attentionUnit(ctx, qkv, out, attentionScratch(ctx), new FixedSoftmax(ctx.math, T.fm, T.softmax, T.fm));
      const qd = Float64Array.from(qkv, (v) => v * u(T.fm.F));
      const probs = new Float64Array(H * N * N);
      const ref = attention(qd, N, D, H, undefined, probs);
      const scale = 1 / Math.sqrt(dh); // a power of two here: SCALE is exact in fm
      // Score error: dh/B truncations in accum, scaled, then Q_fm.
      const dScore = (dh / B) * u(T.accum.F) * scale + u(T.fm.F);
      for (let h = 0; h < H; h++) {
        for (let i = 0; i < N; i++) {
          // S* of the exact scores (relative to their max) for the probability bound.
          const row = probs.subarray((h * N + i) * N, (h * N + i + 1) * N);
          const pmax = Math.max(...row);
          const Sstar = 1 / pmax;
          // Scores off by ≤ dScore change each p_j by a factor within e^{±2·dScore}.
          const dA = (j: number): number => row[j]! * (Math.exp(2 * dScore) - 1) + probBound(N, Sstar * Math.exp(-2 * dScore), u(T.softmax.F), u(T.fm.F));
          for (let c = 0; c < dh; c++) {
            let tol = N * u(T.accum.F) + u(T.fm.F);
            for (let j = 0; j < N; j++) tol += dA(j) * Math.abs(qd[j * 3 * D + 2 * D + h * dh + c]!);
            const k = i * D + h * dh + c;
            expect(Math.abs(out[k]! * u(T.fm.F) - ref[k]!), `h ${h} i ${i} c ${c}`).toBeLessThanOrEqual(tol);
          }
        }
      }
    });
  }

  it('the query-block size P never changes a value', () => {
    const outs = [1, 3, 7].map((P) => {
      const design = tinyDesign({ dim: 48, heads: 3 }, { attention: { parallel: P, dotTile: 4 } });
      const ctx = buildContext(design);
      const qkv = gridValues(rng(4), ctx.dims.tokens * 3 * 48, 4, ctx.T.fm.F);
      const out = new Float64Array(ctx.dims.tokens * 48);
      attentionUnit(ctx, qkv, out, attentionScratch(ctx), new FixedSoftmax(ctx.math, ctx.T.fm, ctx.T.softmax, ctx.T.fm));
      return Array.from(out);
    });
    expect(outs[1]).toEqual(outs[0]);
    expect(outs[2]).toEqual(outs[0]);
  });
});
