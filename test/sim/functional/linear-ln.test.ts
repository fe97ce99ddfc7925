/**
 * The linear unit, the GELU unit and the LayerNorm unit against the float64 reference kernels
 * (src/kernels), with tolerances DERIVED from the types. Notation: u_T = 2^-F_T bounds
 * |Q_T(v) − v| for every quantisation mode when nothing overflows (truncation < u_T, rounding
 * ≤ u_T/2). Inputs are chosen inside every type's range, so overflow cannot occur.
 */
import { describe, expect, it } from 'vitest';
import { geluHw } from '../../../src/fixed/math/index.js';
import { fromDouble } from '../../../src/fixed/quantize.js';
import { geluExact } from '../../../src/kernels/erf.js';
import { layerNorm } from '../../../src/kernels/layernorm.js';
import { linear } from '../../../src/kernels/linear.js';
import { buildContext, GeluUnit } from '../../../src/sim/functional/context.js';
import { layerNormUnit } from '../../../src/sim/functional/layernorm.js';
import { linearUnit } from '../../../src/sim/functional/linear.js';
import { quantizeTensorData, type QTensor } from '../../../src/sim/functional/weights.js';
import { tinyDesign } from './helpers/fixtures.js';
import { floatValues, gridValues, rng } from './helpers/rng.js';

const u = (F: number): number => 2 ** -F;
/** max |GELU'(x)| = Φ(x) + x·φ(x) at x = √2: 1.1289… */
const GELU_LIP = 1.129;
/** max |δ''(a)| for δ(a) = a·Φ(−a): δ'' = φ(a)(a² − 2), largest at a = 0: 2φ(0). */
const DELTA2 = 2 / Math.sqrt(2 * Math.PI);

function qtensor(name: string, data: Float32Array, type: QTensor['type']): QTensor {
  const { raw, maxAbs } = quantizeTensorData(data, type);
  return { name, shape: [data.length], cls: 'linearWeight', type, raw, maxAbs };
}

describe('linear unit vs float linear', () => {
  for (const [label, extra] of [
    ['Edge-MoE types, tile 4', {}],
    ['AP_RND types, tile 16', {
      linear: { tileIn: 16, tileOut: 4 },
      types: { fm: 'ap_fixed<24,8,AP_RND>', accum: 'ap_fixed<26,8,AP_RND_CONV>', linearWeight: 'ap_fixed<12,2,AP_RND>', bias: 'ap_fixed<12,5,AP_RND>' },
    }],
  ] as const) {
    it(`${label}: |y − y*| ≤ Σ|x|·u_w + (K/TI)·u_acc + u_b + u_fm`, () => {
      const design = tinyDesign({ dim: 48, heads: 3 }, extra);
      const ctx = buildContext(design);
      const T = ctx.T;
      const r = rng(11);
      const rows = 5, K = 48, N = 12, TI = design.linear.tileIn;
      const x = gridValues(r, rows * K, 3, T.fm.F);
      const W = floatValues(r, N * K, 0.9);
      const b = floatValues(r, N, 2);
      const wq = qtensor('w', W, T.linearWeight);
      const bq = qtensor('b', b, T.bias);
      const out = new Float64Array(rows * N);
      const outG = new Float64Array(rows * N);
      const L = { w: wq.raw, wOff: 0, wF: T.linearWeight.F, wMaxAbs: wq.maxAbs, N, K, b: bq.raw, bOff: 0, bF: T.bias.F };
      linearUnit(ctx, L, x, T.fm.F, rows, false, out);
      linearUnit(ctx, L, x, T.fm.F, rows, true, outG);
      const xd = Float64Array.from(x, (v) => v * u(T.fm.F));
      const ref = linear(xd, rows, K, W, b, N);
      let worst = 0;
      for (let rr = 0; rr < rows; rr++) {
        let sx = 0;
        for (let k = 0; k < K; k++) sx += Math.abs(xd[rr * K + k]!);
        const tol = sx * u(T.linearWeight.F) + (K / TI) * u(T.accum.F) + u(T.bias.F) + u(T.fm.F) + 1e-12 * sx;
        // GELU: Lipschitz propagation, interpolation s²/8·max|δ''|, table entries u_gt, output u_fm.
        const s = design.gelu.step;
        const tolG = GELU_LIP * tol + (s * s / 8) * DELTA2 + u(T.geluTable.F) + u(T.fm.F);
        for (let o = 0; o < N; o++) {
          const i = rr * N + o;
          const e = Math.abs(out[i]! * u(T.fm.F) - ref[i]!);
          expect(e, `row ${rr} out ${o}`).toBeLessThanOrEqual(tol);
          expect(Math.abs(outG[i]! * u(T.fm.F) - geluExact(ref[i]!)), `gelu row ${rr} out ${o}`).toBeLessThanOrEqual(tolG);
          worst = Math.max(worst, e / tol);
        }
      }
      expect(worst).toBeGreaterThan(0); // the comparison is not vacuous
    });
  }

  it('gate layout: no bias, Q_fm(acc) only', () => {
    const design = tinyDesign({ dim: 48, heads: 3 });
    const ctx = buildContext(design);
    const T = ctx.T;
    const r = rng(5);
    const K = 48, N = 4;
    const x = gridValues(r, K, 2, T.fm.F);
    const W = floatValues(r, N * K, 0.5);
    const wq = qtensor('g', W, T.linearWeight);
    const out = new Float64Array(N);
    linearUnit(ctx, { w: wq.raw, wOff: 0, wF: T.linearWeight.F, wMaxAbs: wq.maxAbs, N, K, b: null, bOff: 0, bF: 0 }, x, T.fm.F, 1, false, out);
    const ref = linear(Float64Array.from(x, (v) => v * u(T.fm.F)), 1, K, W, null, N);
    let sx = 0;
    for (const v of x) sx += Math.abs(v) * u(T.fm.F);
    const tol = sx * u(T.linearWeight.F) + (K / design.linear.tileIn) * u(T.accum.F) + u(T.fm.F);
    for (let o = 0; o < N; o++) expect(Math.abs(out[o]! * u(T.fm.F) - ref[o]!)).toBeLessThanOrEqual(tol);
  });
});

describe('GELU unit', () => {
  it('equals geluHw bit for bit on a dense sweep (default and other table/fm types)', () => {
    for (const extra of [
      {},
      { types: { fm: 'ap_fixed<28,9,AP_RND>', geluTable: 'ap_ufixed<12,-2,AP_RND>' }, gelu: { step: 1 / 16, range: 6 } },
      { types: { fm: 'ap_fixed<20,8,AP_TRN,AP_SAT>' }, gelu: { step: 1 / 64, range: 2 } },
    ]) {
      const design = tinyDesign({}, extra);
      const ctx = buildContext(design);
      const fm = ctx.T.fm;
      const unit = new GeluUnit(fm, ctx.math.geluTable!);
      const lim = Math.min(2 ** (fm.W - 1) - 1, 9 * 2 ** fm.F);
      const stride = Math.max(1, Math.floor(lim / 200000));
      let n = 0;
      for (let raw = -lim; raw <= lim; raw += stride) {
        const want = geluHw(raw, fm, ctx.math.geluTable!);
        if (unit.apply(raw) !== want) expect(unit.apply(raw), `raw ${raw}`).toBe(want);
        n++;
      }
      expect(n).toBeGreaterThan(1000);
    }
  });
});

describe('LayerNorm unit vs float LayerNorm', () => {
  it('within the bound propagated from mean, E[v²], RSQRT and the affine step', () => {
    const design = tinyDesign({ dim: 48, heads: 3 });
    const ctx = buildContext(design);
    const T = ctx.T;
    const D = 48, rows = 6;
    const r = rng(3);
    const x = new Float64Array(rows * D);
    // Rows with different offsets and spreads, incl. a nearly constant one (σ² ≪ 1).
    const spreads = [1, 5, 0.01, 2, 30, 0.2];
    for (let rr = 0; rr < rows; rr++) {
      const off = (r() - 0.5) * 20;
      for (let d = 0; d < D; d++) x[rr * D + d] = fromDouble(off + (2 * r() - 1) * spreads[rr]!, T.fm);
    }
    const g = Float32Array.from({ length: D }, () => 0.5 + r());
    const b = floatValues(r, D, 1);
    const gq = qtensor('g', g, T.norm);
    const bq = qtensor('b', b, T.norm);
    const out = new Float64Array(rows * D);
    layerNormUnit(ctx, x, rows, gq, bq, out);
    const xd = Float64Array.from(x, (v) => v * u(T.fm.F));
    const eps = design.model.lnEps;
    const ref = layerNorm(xd, rows, D, g, b, eps);
    const uL = u(T.lnStat.F), uF = u(T.fm.F), uN = u(T.norm.F);
    const invDErr = 2 ** -33; // INV_D = 1/D rounded to nearest at 32 fractional bits
    for (let rr = 0; rr < rows; rr++) {
      const v = xd.subarray(rr * D, rr * D + D);
      let s1 = 0, s2 = 0;
      for (const a of v) { s1 += a; s2 += a * a; }
      const mu = s1 / D;
      let c2 = 0;
      for (const a of v) c2 += (a - mu) ** 2;
      const sigma2 = c2 / D;
      const dMean = Math.abs(s1) * invDErr + uL;
      const dEx2 = uL * (1 + D * invDErr) + s2 * invDErr + uL; // D squares each off by < u_L, ·INV_D, then Q
      const dVar = dEx2 + (2 * Math.abs(mu) + dMean) * dMean + uL;
      const dIn = dVar + 2 * uL; // + EPS conversion and the Q of var + EPS
      const rStar = 1 / Math.sqrt(sigma2 + eps);
      // 1/√ is decreasing and convex: a relative input error δ gives at most (1 − δ)^-½ − 1.
      const rel = Math.pow(1 - dIn / (sigma2 + eps), -0.5) - 1;
      const dR = rStar * (rel + 2 ** -32) + uL; // RSQRT unit: ≤ 2^-32 relative (docs/math.md) + output ulp
      for (let d = 0; d < D; d++) {
        const nStar = (v[d]! - mu) * rStar;
        const dN = Math.abs(v[d]! - mu) * dR + dMean * (rStar + dR) + uF;
        const tol = (Math.abs(g[d]!) + uN) * dN + (Math.abs(nStar) + dN) * uN + uN + uF + 1e-12 * (Math.abs(ref[rr * D + d]!) + 1);
        expect(Math.abs(out[rr * D + d]! * uF - ref[rr * D + d]!), `row ${rr} d ${d}`).toBeLessThanOrEqual(tol);
      }
    }
  });
});
