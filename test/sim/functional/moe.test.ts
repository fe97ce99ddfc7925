/**
 * MoE router and experts: top-k by insertion against the reference top-k, and the MoE unit against
 * the float64 MoE (gate, softmax, top-k, expert MLPs, weighted sum) within a derived bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geluExact } from '../../../src/kernels/erf.js';
import { linear } from '../../../src/kernels/linear.js';
import { mlp } from '../../../src/kernels/mlp.js';
import { moeGate, topK } from '../../../src/kernels/moe.js';
import { buildContext } from '../../../src/sim/functional/context.js';
import { moeUnit, topKInsert } from '../../../src/sim/functional/moe.js';
import { FixedSoftmax } from '../../../src/sim/functional/softmax.js';
import { quantizeWeights } from '../../../src/sim/functional/weights.js';
import { scaledWeights, tinyDesign } from './helpers/fixtures.js';
import { gridValues, rng } from './helpers/rng.js';

const u = (F: number): number => 2 ** -F;
const GELU_LIP = 1.129;
const DELTA2 = 2 / Math.sqrt(2 * Math.PI);
const EXP_ERR = 24 * 2 ** -32;

describe('top-k by insertion', () => {
  it('equals the reference top-k (ties to the lower index) on logits with many ties', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 12 }).chain((E) => fc.tuple(
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: E, maxLength: E }),
        fc.integer({ min: 1, max: E }),
      )),
      ([vals, k]) => {
        const g = Float64Array.from(vals);
        const a = new Int32Array(k);
        const b = new Int32Array(k);
        topKInsert(g, 0, g.length, k, a, 0);
        topK(g, 0, g.length, k, b, 0);
        return a.every((v, i) => v === b[i]);
      },
    ), { seed: 42, numRuns: 2000 });
  });

  it('hand example: ties keep the lower index, rank order by logit', () => {
    const top = new Int32Array(3);
    topKInsert(Float64Array.from([1, 5, 5, 2, 5]), 0, 5, 3, top, 0);
    expect(Array.from(top)).toEqual([1, 2, 4]);
    topKInsert(Float64Array.from([0, 0, 0, 7]), 0, 4, 2, top, 0);
    expect(Array.from(top.subarray(0, 2))).toEqual([3, 0]);
  });
});

describe('MoE unit vs float MoE', () => {
  it('same routing where the float top-k margin exceeds the logit error, outputs within the derived bound', () => {
    const design = tinyDesign({ dim: 32, heads: 2, moe: { experts: 6, topK: 2, hidden: 24, tasks: 1, layers: 'odd' } });
    const ctx = buildContext(design);
    const T = ctx.T;
    const weights = scaledWeights(design.model, 17, 25);
    const qw = quantizeWeights(design, weights);
    const N = ctx.dims.tokens, D = 32, E = 6, k = 2, Hd = 24, TI = design.linear.tileIn;
    const uf = gridValues(rng(2), N * D, 3, T.fm.F);
    const out = new Float64Array(N * D);
    const routed = moeUnit(ctx, qw, 1, uf, out, new FixedSoftmax(ctx.math, T.fm, T.softmax, T.fm));

    const ud = Float64Array.from(uf, (v) => v * u(T.fm.F));
    const G = weights.get('l1_w_gate_T_task0').data;
    const gate = moeGate(ud, N, D, G, E, k);
    const A = weights.get('l1_htoh4_weight').data, a = weights.get('l1_htoh4_bias').data;
    const Bw = weights.get('l1_h4toh_weight').data, c = weights.get('l1_h4toh_bias').data;
    const uW = u(T.linearWeight.F), uA = u(T.accum.F), uB = u(T.bias.F), uF = u(T.fm.F), uS = u(T.softmax.F);
    const s = design.gelu.step;
    let checked = 0;
    for (let t = 0; t < N; t++) {
      const row = ud.subarray(t * D, t * D + D);
      const su = row.reduce((acc, v) => acc + Math.abs(v), 0);
      const dG = su * uW + (D / TI) * uA + uF; // gate logit error (LIN without bias)
      const sorted = Array.from(gate.logits.subarray(t * E, t * E + E)).sort((x, y) => y - x);
      if (sorted[k - 1]! - sorted[k]! <= 2 * dG) continue; // routing not certain at this precision
      checked++;
      const want = Array.from(gate.top.subarray(t * k, t * k + k)).sort();
      expect(Array.from(routed.top.subarray(t * k, t * k + k)).sort(), `token ${t}`).toEqual(want);
      // Probability error (logits off by ≤ dG, then the single-pass softmax bound over E).
      const Sstar = 1 / Math.max(...gate.probs.subarray(t * E, t * E + E)) * Math.exp(-2 * dG);
      const eE = EXP_ERR + uS;
      const dS = E * eE + (E - 1) * (E * eE + uS);
      const pBase = eE + dS / (Sstar * (Sstar - dS)) + 2 ** -32 + uS + uF;
      const tolSum = new Float64Array(D);
      for (let r = 0; r < k; r++) {
        const e = gate.top[t * k + r]!;
        const p = gate.weights[t * k + r]!;
        const dP = p * (Math.exp(2 * dG) - 1) + pBase;
        // Expert MLP in float, and its hidden layer before GELU.
        const w1 = A.subarray(e * Hd * D, (e + 1) * Hd * D), b1 = a.subarray(e * Hd, (e + 1) * Hd);
        const w2 = Bw.subarray(e * D * Hd, (e + 1) * D * Hd), b2 = c.subarray(e * D, (e + 1) * D);
        const pre = linear(row, 1, D, w1, b1, Hd);
        const y = mlp(row, 1, D, Hd, { w1, b1, w2, b2 });
        const dPre = su * uW + (D / TI) * uA + uB + uF;
        const dH = GELU_LIP * dPre + (s * s / 8) * DELTA2 + u(T.geluTable.F) + uF;
        let sh = 0;
        for (let j = 0; j < Hd; j++) sh += Math.abs(geluExact(pre[j]!));
        for (let d = 0; d < D; d++) {
          let sw = 0;
          for (let j = 0; j < Hd; j++) sw += Math.abs(w2[d * Hd + j]!) + uW;
          const dY = sh * uW + sw * dH + (Hd / TI) * uA + uB + uF;
          tolSum[d] += dP * (Math.abs(y[d]!) + dY) + p * dY + 2 * uF;
        }
      }
      for (let d = 0; d < D; d++) {
        let want2 = 0;
        for (let r = 0; r < k; r++) {
          const e = gate.top[t * k + r]!;
          const y = mlp(row, 1, D, Hd, {
            w1: A.subarray(e * Hd * D, (e + 1) * Hd * D), b1: a.subarray(e * Hd, (e + 1) * Hd),
            w2: Bw.subarray(e * D * Hd, (e + 1) * D * Hd), b2: c.subarray(e * D, (e + 1) * D),
          });
          want2 += gate.weights[t * k + r]! * y[d]!;
        }
        expect(Math.abs(out[t * D + d]! * uF - want2), `token ${t} d ${d}`).toBeLessThanOrEqual(tolSum[d]! + 1e-12);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(N / 2);
    // Counts are the queue lengths: every token in exactly k queues.
    expect(routed.counts.reduce((x, y) => x + y, 0)).toBe(N * k);
  });
});
