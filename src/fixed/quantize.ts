/**
 * The scalar core of the fixed-point engine: Q_T(v), the conversion of an exact value to type T
 * with T's quantisation mode, then T's overflow mode (Vitis HLS assignment semantics).
 *
 * Values travel as *raw integers held in doubles*: the exact value is `raw × 2^-F`. A double holds
 * every integer up to 2^53 exactly, and scaling by a power of two is exact, so for |raw| ≤ 2^53
 * everything here is exact; types up to W = 53 fit this fast path. (Wider values use the BigInt
 * path in bigfixed.ts.)
 *
 * CONTRACT used by the functional simulator and HLS golden generation: keep these signatures.
 */
import type { FixedType } from './type.js';

const POW2 = (k: number): number => 2 ** k;

/** Round an exact real `scaled` (a double with an exact fractional part) to an integer per mode. */
export function roundByMode(scaled: number, q: FixedType['q']): number {
  const fl = Math.floor(scaled);
  const frac = scaled - fl; // exact: scaled is a dyadic rational well inside double precision
  if (frac === 0) return fl;
  switch (q) {
    case 'AP_TRN': return fl;
    case 'AP_TRN_ZERO': return scaled < 0 ? fl + 1 : fl;
    case 'AP_RND': return frac >= 0.5 ? fl + 1 : fl;
    case 'AP_RND_ZERO': return frac > 0.5 || (frac === 0.5 && scaled < 0) ? fl + 1 : fl;
    case 'AP_RND_MIN_INF': return frac > 0.5 ? fl + 1 : fl;
    case 'AP_RND_INF': return frac > 0.5 || (frac === 0.5 && scaled > 0) ? fl + 1 : fl;
    case 'AP_RND_CONV': return frac > 0.5 || (frac === 0.5 && fl % 2 !== 0) ? fl + 1 : fl;
  }
}

/**
 * Apply T's overflow mode to an integer `v` already on T's grid (quantised).
 * `negSrc` is the sign of the value before quantisation (AP_SAT_SYM and the N-bit modes need it).
 */
export function overflowByMode(v: number, t: FixedType, negSrc = v < 0): number {
  const min = t.signed ? -POW2(t.W - 1) : 0;
  const max = t.signed ? POW2(t.W - 1) - 1 : POW2(t.W) - 1;
  if (v >= min && v <= max) return v;
  switch (t.o) {
    case 'AP_SAT': return v > max ? max : min;
    case 'AP_SAT_ZERO': return 0;
    case 'AP_SAT_SYM':
      if (!t.signed) return v > max ? max : 0;
      return v > max ? max : -max;
    case 'AP_WRAP':
      if (t.n === 0) return wrap(v, t);
      return wrapSaturateN(v, t, negSrc);
    case 'AP_WRAP_SM':
      return wrapSignMagnitude(v, t);
  }
}

/** Two's-complement (or unsigned) wrap of an integer into W bits. */
export function wrap(v: number, t: FixedType): number {
  const m = POW2(t.W);
  let r = v - Math.floor(v / m) * m; // 0 ≤ r < 2^W, exact for |v| ≤ 2^53
  if (t.signed && r >= m / 2) r -= m;
  return r;
}

/** AP_WRAP with N > 0 saturation bits. */
function wrapSaturateN(v: number, t: FixedType, negSrc: boolean): number {
  void negSrc;
  void v;
  throw new Error(`AP_WRAP with N=${t.n} saturation bits is not implemented on the fast path`);
}

/** AP_WRAP_SM: sign-magnitude wrap. */
function wrapSignMagnitude(v: number, t: FixedType): number {
  void v;
  throw new Error(`AP_WRAP_SM is not implemented on the fast path (type W=${t.W})`);
}

/**
 * Q_T(raw × 2^-fromF): quantise then overflow. `raw` must be an integer-valued double with
 * |raw| ≤ 2^53. Returns T's raw integer.
 */
export function quantize(raw: number, fromF: number, t: FixedType): number {
  const shift = fromF - t.F;
  let v: number;
  if (shift <= 0) v = raw * POW2(-shift);
  else v = roundByMode(raw * POW2(-shift), t.q);
  return overflowByMode(v, t, raw < 0);
}

/** Conversion from a JS number (double): quantised with T's modes. Exact for any finite double. */
export function fromDouble(x: number, t: FixedType): number {
  if (!Number.isFinite(x)) throw new RangeError(`cannot convert ${x} to a fixed-point value`);
  // x·2^F is exact (power-of-two scaling); rounding its fraction per mode is exact as well.
  const scaled = x * POW2(t.F);
  const v = Math.abs(scaled) >= POW2(53) ? Math.round(scaled) : roundByMode(scaled, t.q);
  return overflowByMode(v, t, x < 0);
}

/** Exact value of a raw integer of type T. */
export function toDouble(raw: number, t: FixedType): number {
  return raw * POW2(-t.F);
}
