/**
 * One-pass LayerNorm unit, docs/datapath.md LN(v; γ, β): the sum and the sum of squares are
 * accumulated in one pass over the features (in lnStat, d ascending), mean and E[v²] are formed
 * by multiplying with the constant 1/D, the variance as E[v²] − mean² (clamped at 0), and 1/σ
 * comes from the math library's RSQRT. Then a second, element-wise pass normalises and applies
 * γ, β. Every step is one exact Q_T (exact.ts), so the per-token statistics may need BigInt;
 * they run once per token, not per MAC.
 */
import type { FixedContext } from './context.js';
import { INV_D_TYPE } from './context.js';
import { addQ, diffMulQ, macQ, mulQ, Quantizer, subSquareQ, TWO53 } from './exact.js';
import type { QTensor } from './weights.js';

/** y = LN(x) row by row for `rows` rows of width D (fm raws); γ, β in the norm type. */
export function layerNormUnit(ctx: FixedContext, x: Float64Array, rows: number, gamma: QTensor, beta: QTensor,
  out: Float64Array): void {
  const D = ctx.model.dim;
  const fmT = ctx.T.fm;
  const lnT = ctx.T.lnStat;
  const fmF = fmT.F;
  const lnF = lnT.F;
  const invF = INV_D_TYPE.F;
  const g = gamma.raw;
  const gF = gamma.type.F;
  const b = beta.raw;
  const bF = beta.type.F;
  // Exact double shortcuts where the type bounds allow them (checked once): the running sums on
  // the common grid of lnStat and fm, and the affine step n·γ + β on the grid of the product.
  const c1 = Math.max(lnF, fmF);
  const s1Exact = 2 ** (lnT.W - 1 + c1 - lnF) + 2 ** (fmT.W - 1 + c1 - fmF) < TWO53;
  const qS1 = new Quantizer(c1, lnT);
  const qSq = new Quantizer(2 * fmF, lnT);
  const qS2 = new Quantizer(lnF, lnT);
  const cA = Math.max(fmF + gF, bF);
  const affineExact = 2 ** (fmT.W - 1 + gamma.type.W - 1 + cA - fmF - gF) + 2 ** (beta.type.W + cA - bF) < TWO53;
  const qAff = new Quantizer(cA, fmT);
  const s1a = 2 ** (c1 - lnF);
  const s1v = 2 ** (c1 - fmF);
  const sAp = 2 ** (cA - fmF - gF);
  const sAb = 2 ** (cA - bF);
  for (let r = 0; r < rows; r++) {
    const o = r * D;
    let s1 = 0;
    let s2 = 0;
    for (let d = 0; d < D; d++) {
      const v = x[o + d]!;
      s1 = s1Exact ? qS1.q(s1 * s1a + v * s1v) : addQ(s1, lnF, v, fmF, lnT);
      const vv = v * v;
      const sq = vv < TWO53 ? qSq.q(vv) : mulQ(v, fmF, v, fmF, lnT);
      s2 = qS2.q(s2 + sq); // two lnStat raws (W ≤ 53): the sum is exact
    }
    const mean = mulQ(s1, lnF, ctx.invD, invF, lnT);
    const ex2 = mulQ(s2, lnF, ctx.invD, invF, lnT);
    let variance = subSquareQ(ex2, lnF, mean, lnF, lnT);
    if (variance < 0) variance = 0;
    const rs = ctx.math.rsqrt(addQ(variance, lnF, ctx.eps, lnF, lnT));
    for (let d = 0; d < D; d++) {
      const n = diffMulQ(x[o + d]!, fmF, mean, lnF, rs, lnF, fmT);
      out[o + d] = affineExact ? qAff.q(n * g[d]! * sAp + b[d]! * sAb) : macQ(b[d]!, bF, n, fmF, g[d]!, gF, fmT);
    }
  }
}
