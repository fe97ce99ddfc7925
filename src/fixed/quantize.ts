/**
 * The scalar core of the fixed-point engine: Q_T(v), the conversion of an exact value to type T
 * with T's quantisation mode, then T's overflow mode (Vitis HLS assignment semantics).
 *
 * Values travel as *raw integers held in doubles*: the exact value is `raw × 2^-F`. A double holds
 * every integer up to 2^53 exactly and scaling by a power of two is exact, so types up to W = 53
 * fit this fast path. Sums and products wider than 53 bits arrive as two exact doubles (a + b)
 * and are resolved exactly by `quantizeSum`; anything beyond that goes to the BigInt path
 * (bigfixed.ts). docs/fixed-point.md gives the rules and the exactness argument.
 *
 * CONTRACT used by the functional simulator and HLS golden generation: keep these signatures.
 */
import { bitAt, modPow2, overflowByMode, rawMax, rawMin, resolveOverflow } from './overflow.js';
import { pow2, TWO53 } from './pow2.js';
import { quantizeBig } from './bigfixed.js';
import { quantCode, roundIncrement, roundsUp } from './rounding.js';
import type { FixedType, QuantMode } from './type.js';

export { overflowByMode, wrap } from './overflow.js';
export { pow2 } from './pow2.js';
export { quantCode, roundIncrement, roundsUp } from './rounding.js';

/** Beyond this many bits of shift a scaled value could leave the normal double range. */
const SAFE_SHIFT = 900;
const TINY = pow2(-60); // stands for any non-zero magnitude below half an ulp
const HUGE = pow2(1000); // stands for any multiple of 2^W far outside the range

/** Round an exact real `scaled` (a double with an exact fractional part) to an integer per mode. */
export function roundByMode(scaled: number, q: QuantMode): number {
  const fl = Math.floor(scaled);
  if (fl === scaled) return fl;
  // Compare with the midpoint fl + ½ (exact: |fl| < 2^52) rather than forming scaled − fl, which
  // is not a double for negative values in (−1, 0) with bits below 2^-53.
  const mid = fl + 0.5;
  const cmp = scaled > mid ? 1 : scaled < mid ? -1 : 0;
  return roundsUp(q, cmp, fl < 0, fl % 2 !== 0) ? fl + 1 : fl;
}

/**
 * Q_T(x · 2^-F) where `x` is the exact value already scaled to T's grid (any finite double that
 * holds the value exactly, of any magnitude). Returns T's raw integer.
 */
export function quantizeScaled(x: number, t: FixedType): number {
  const fl = Math.floor(x);
  const r = fl === x || t.q === 'AP_TRN' ? fl : fl + roundIncrement(quantCode(t.q), x, fl);
  if (r >= rawMin(t) && r <= rawMax(t) && t.o !== 'AP_SAT_SYM') return r;
  return overflowByMode(r, t, x < 0, fl);
}

/** x · 2^k, replacing magnitudes outside the exact double range by stand-ins that quantise alike. */
function scaleSafe(x: number, k: number): number {
  const y = x * pow2(k);
  const a = Math.abs(y);
  if (a < TINY) return x > 0 ? TINY : x < 0 ? -TINY : 0;
  if (!(a < HUGE)) return x > 0 ? HUGE : -HUGE;
  return y;
}

/**
 * Q_T(raw × 2^-fromF): quantise then overflow. `raw` must be an integer-valued double with
 * |raw| ≤ 2^53. Returns T's raw integer.
 */
export function quantize(raw: number, fromF: number, t: FixedType): number {
  return quantizeScaled(scaleSafe(raw, t.F - fromF), t);
}

/** Conversion from a JS number (double): quantised with T's modes. Exact for any finite double. */
export function fromDouble(x: number, t: FixedType): number {
  if (!Number.isFinite(x)) throw new RangeError(`cannot convert ${x} to a fixed-point value`);
  return quantizeScaled(scaleSafe(x, t.F), t);
}

/** Exact value of a raw integer of type T. */
export function toDouble(raw: number, t: FixedType): number {
  return raw * pow2(-t.F);
}

/** Sign of (s + e) − c for an exact pair s + e (|e| ≤ ulp(s)/2) and a double c. */
function cmpPair(s: number, e: number, c: number): number {
  // rounding is monotonic: s > c implies s + e > c; only s = c leaves the decision to e.
  return s > c ? 1 : s < c ? -1 : e > 0 ? 1 : e < 0 ? -1 : 0;
}

/**
 * Q_T(a + b) for two exact doubles a, b already scaled to T's grid, whose sum need not be a double
 * (e.g. a huge integer plus a fraction). Exact for any finite a, b.
 */
export function quantizeSum(a: number, b: number, t: FixedType): number {
  const s = a + b;
  const bv = s - a;
  if ((a - (s - bv)) + (b - bv) === 0) return quantizeScaled(s, t); // TwoSum error 0: s is exact
  // Split both into integer part + fraction toward zero (x − trunc(x) is always a double, unlike
  // x − floor(x)); the fraction sum f = af + bf in (−2, 2) is kept exactly as fs + fe (TwoSum).
  const ai = Math.trunc(a);
  const bi = Math.trunc(b);
  const af = a - ai;
  const bf = b - bi;
  const fs = af + bf;
  const fv = fs - af;
  const fe = (af - (fs - fv)) + (bf - fv);
  const flf = cmpPair(fs, fe, 1) >= 0 ? 1 : cmpPair(fs, fe, 0) >= 0 ? 0 : cmpPair(fs, fe, -1) >= 0 ? -1 : -2;
  const exact = fs === flf && fe === 0;
  const cmp = cmpPair(fs, fe, flf + 0.5);
  // floor(a + b) = p1 + p2; floor(f) goes into a part that had a fraction (|part| < 2^52: exact).
  let p1 = ai;
  let p2 = bi;
  if (af !== 0) p1 += flf; else p2 += flf;
  const neg = p1 + p2 < 0; // a rounded sum of two integers never has the wrong sign
  const odd = (bitAt(p1, 0) + bitAt(p2, 0)) % 2 === 1;
  const inc = !exact && roundsUp(t.q, cmp, neg, odd) ? 1 : 0;
  const r = p1 + p2 + inc;
  if (Math.abs(r) < TWO53 && Math.abs(p1 + p2) < TWO53) {
    // both roundings were exact: a rounded sum below 2^53 is the exact sum
    return overflowByMode(r, t, neg, p1 + p2);
  }
  // |floor| ≥ 2^53 − 1: outside every fast-path range; work on the bits mod 2^W.
  const W = t.W;
  const m = pow2(W);
  const m1 = modPow2(p1, W);
  const m2 = modPow2(p2, W);
  const d = m - m2;
  const wrapped = m1 >= d ? m1 - d : m1 + m2; // (p1 + p2) mod 2^W, computed without a 2^54 sum
  const lD = (bitAt(p1, W) + bitAt(p2, W) + (m1 >= d ? 1 : 0)) % 2;
  const p = inc === 1 ? (wrapped === m - 1 ? 0 : wrapped + 1) : wrapped;
  if (r < rawMin(t)) return resolveOverflow(p, true, lD, t);
  if (r > rawMax(t)) return resolveOverflow(p, false, lD, t);
  return overflowByMode(r, t, neg, r - inc); // unreachable for W ≤ 53; kept for wider types
}

/**
 * Q_T((hi·2^loBits + lo) · 2^-fromF) exactly, for integer-valued doubles |hi|, |lo| ≤ 2^53 (the
 * value itself may exceed 2^53: sums of 32×32-bit products split into halves).
 */
export function quantizeSplit(hi: number, lo: number, loBits: number, fromF: number, t: FixedType): number {
  const n = hi * pow2(loBits) + lo;
  if (Math.abs(n) < TWO53) return quantize(n, fromF, t); // n is exact
  const s = fromF - t.F;
  if (Math.abs(s) > SAFE_SHIFT || Math.abs(loBits - s) > SAFE_SHIFT) {
    return Number(quantizeBig((BigInt(hi) << BigInt(loBits)) + BigInt(lo), fromF, t));
  }
  return quantizeSum(hi * pow2(loBits - s), lo * pow2(-s), t);
}

/** Error of the rounded product p = fl(a·b): a·b = p + e exactly (Dekker's TwoProduct). */
function productError(a: number, b: number, p: number): number {
  const SPLIT = 134217729; // 2^27 + 1
  const ca = SPLIT * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLIT * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/**
 * Q_T(a·2^-aF · b·2^-bF) exactly for raw |a|, |b| < 2^53 (the product may be ~2^106; it is split
 * into an exact pair internally).
 */
export function mulQuantize(a: number, aF: number, b: number, bF: number, t: FixedType): number {
  const p = a * b;
  if (Math.abs(p) < TWO53) return quantize(p, aF + bF, t); // the product is exact
  const s = aF + bF - t.F;
  if (Math.abs(s) > SAFE_SHIFT) return Number(quantizeBig(BigInt(a) * BigInt(b), aF + bF, t));
  const e = productError(a, b, p);
  return quantizeSum(p * pow2(-s), e * pow2(-s), t);
}

/** dst[i] = Q_T(src[i] × 2^-fromF) for raw integers |src[i]| ≤ 2^53. dst may be src. */
export function quantizeArray(src: Float64Array, fromF: number, t: FixedType, dst: Float64Array): void {
  const n = src.length;
  if (dst.length < n) throw new RangeError(`quantizeArray: dst has ${dst.length} elements, src ${n}`);
  const k = t.F - fromF;
  if (k <= -60 || k >= SAFE_SHIFT) {
    for (let i = 0; i < n; i++) dst[i] = quantize(src[i]!, fromF, t); // stand-ins for extreme scales
    return;
  }
  scaledLoop(src, k, t, dst, n);
}

/** Raw integers of type T for every double of src (quantised with T's modes). */
export function fromDoubleArray(src: ArrayLike<number>, t: FixedType, dst?: Float64Array): Float64Array {
  const n = src.length;
  const out = dst ?? new Float64Array(n);
  if (out.length < n) throw new RangeError(`fromDoubleArray: dst has ${out.length} elements, src ${n}`);
  if (t.F > -SAFE_SHIFT && t.F < SAFE_SHIFT) scaledLoop(src, t.F, t, out, n);
  else for (let i = 0; i < n; i++) out[i] = fromDouble(src[i]!, t);
  return out;
}

/**
 * dst[i] = Q_T(src[i]·2^k) for the array forms: the scalar rule inlined with mode codes. Elements
 * whose scaled value is not a normal double in [2^-60, 2^1000) (zero, tiny, huge) take the scalar
 * stand-in route; a non-finite element throws as fromDouble does.
 */
function scaledLoop(src: ArrayLike<number>, k: number, t: FixedType, dst: Float64Array, n: number): void {
  const sc = pow2(k);
  const min = rawMin(t);
  const max = rawMax(t);
  const qc = quantCode(t.q);
  const sym = t.o === 'AP_SAT_SYM';
  for (let i = 0; i < n; i++) {
    const x = src[i]! * sc;
    const ax = Math.abs(x);
    if (!(ax >= TINY && ax < HUGE)) {
      const v = src[i]!;
      if (!Number.isFinite(v)) throw new RangeError(`cannot convert ${v} to a fixed-point value`);
      dst[i] = quantizeScaled(scaleSafe(v, k), t);
      continue;
    }
    const fl = Math.floor(x);
    const r = qc === 0 || fl === x ? fl : fl + roundIncrement(qc, x, fl);
    dst[i] = r >= min && r <= max && !sym ? r : overflowByMode(r, t, x < 0, fl);
  }
}
