/**
 * Exact scalar steps of the datapath: `Q_T` of a sum or product of raw values, computed exactly.
 *
 * Raws travel as integer-valued doubles (simulator types have W ≤ 53, see checkSimulatable). A
 * sum or product of two raws may need up to ~107 bits: each helper first tries plain double
 * arithmetic, which is exact whenever every intermediate stays below 2^53 (a product of integers
 * whose rounded magnitude is < 2^53 is exact, because rounding is monotone and 2^53 is
 * representable), and otherwise falls back to BigInt. The fallbacks are rare in practice (they
 * matter for wide user types), so they may allocate.
 */
import { quantizeBig } from '../../fixed/bigfixed.js';
import { mulQuantize, quantize } from '../../fixed/quantize.js';
import type { FixedType } from '../../fixed/type.js';

export const TWO53 = 2 ** 53;

/** Q_T(v · 2^-fromF) for an exact BigInt v (any width). */
export function qBig(v: bigint, fromF: number, t: FixedType): number {
  return Number(quantizeBig(v, fromF, t));
}

/** Q_T(a·2^-aF + b·2^-bF), exact. */
export function addQ(a: number, aF: number, b: number, bF: number, t: FixedType): number {
  const c = aF > bF ? aF : bF;
  const x = a * 2 ** (c - aF);
  const y = b * 2 ** (c - bF);
  if (Math.abs(x) + Math.abs(y) < TWO53) return quantize(x + y, c, t);
  return qBig((BigInt(a) << BigInt(c - aF)) + (BigInt(b) << BigInt(c - bF)), c, t);
}

/** Q_T(a·2^-aF · b·2^-bF), exact. */
export function mulQ(a: number, aF: number, b: number, bF: number, t: FixedType): number {
  const p = a * b;
  if (Math.abs(p) < TWO53) return quantize(p, aF + bF, t);
  return mulQuantize(a, aF, b, bF, t);
}

/** Q_T(c·2^-cF + a·2^-aF · b·2^-bF), exact (a multiply-add with one final quantisation). */
export function macQ(c: number, cF: number, a: number, aF: number, b: number, bF: number, t: FixedType): number {
  const p = a * b;
  if (Math.abs(p) < TWO53) return addQ(c, cF, p, aF + bF, t);
  const pF = aF + bF;
  const F = cF > pF ? cF : pF;
  return qBig((BigInt(c) << BigInt(F - cF)) + ((BigInt(a) * BigInt(b)) << BigInt(F - pF)), F, t);
}

/** Q_T((a·2^-aF − b·2^-bF) · r·2^-rF), exact: the LayerNorm normalisation step. */
export function diffMulQ(a: number, aF: number, b: number, bF: number, r: number, rF: number, t: FixedType): number {
  const c = aF > bF ? aF : bF;
  const x = a * 2 ** (c - aF);
  const y = b * 2 ** (c - bF);
  if (Math.abs(x) + Math.abs(y) < TWO53) return mulQ(x - y, c, r, rF, t);
  const d = (BigInt(a) << BigInt(c - aF)) - (BigInt(b) << BigInt(c - bF));
  return qBig(d * BigInt(r), c + rF, t);
}

/** Q_T(e·2^-eF − (m·2^-mF)²), exact: the LayerNorm variance step. */
export function subSquareQ(e: number, eF: number, m: number, mF: number, t: FixedType): number {
  const F = eF > 2 * mF ? eF : 2 * mF;
  const sq = m * m;
  const x = e * 2 ** (F - eF);
  const y = sq * 2 ** (F - 2 * mF);
  if (Math.abs(sq) < TWO53 && Math.abs(x) + Math.abs(y) < TWO53) return quantize(x - y, F, t);
  const mb = BigInt(m);
  return qBig((BigInt(e) << BigInt(F - eF)) - ((mb * mb) << BigInt(F - 2 * mF)), F, t);
}

/**
 * Q_T(raw·2^-fromF) specialised once for a (fromF, T) pair: under AP_TRN (any overflow mode but
 * AP_SAT_SYM, which alters one in-range code) an in-range result is ⌊raw·2^(F_T − fromF)⌋ —
 * a power-of-two scaling and a floor, both exact — and everything else (other rounding modes,
 * out-of-range results) goes through the general `quantize`. `raw` must be an integer-valued
 * double with |raw| ≤ 2^53.
 */
export class Quantizer {
  private readonly scale: number;
  private readonly trn: boolean;
  private readonly min: number;
  private readonly max: number;

  constructor(readonly fromF: number, readonly t: FixedType) {
    this.scale = 2 ** (t.F - fromF);
    this.trn = t.q === 'AP_TRN' && t.o !== 'AP_SAT_SYM';
    this.min = t.signed ? -(2 ** (t.W - 1)) : 0;
    this.max = t.signed ? 2 ** (t.W - 1) - 1 : 2 ** t.W - 1;
  }

  q(raw: number): number {
    if (this.trn) {
      const v = Math.floor(raw * this.scale);
      if (v >= this.min && v <= this.max) return v;
    }
    return quantize(raw, this.fromF, this.t);
  }
}
