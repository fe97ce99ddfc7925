/**
 * Overflow modes of Vitis HLS `ap_fixed` on the double fast path. Inputs are integers already on
 * the target grid (after quantisation), held exactly in doubles; the pattern arithmetic below is
 * exact because every intermediate is an integer below 2^53 or an exact power-of-two scaling.
 * The rules follow the vendor's `overflow_adjust` (docs/fixed-point.md, "Overflow").
 */
import { pow2 } from './pow2.js';
import type { FixedType } from './type.js';

// Range ends by width, looked up rather than recomputed in hot loops.
const HALF = Float64Array.from({ length: 66 }, (_, W) => pow2(W - 1));
const FULL = Float64Array.from({ length: 66 }, (_, W) => pow2(W));

/** Smallest raw integer of t (exact for W ≤ 53). */
export function rawMin(t: FixedType): number {
  return t.signed ? -HALF[t.W]! : 0;
}

/** Largest raw integer of t (exact for W ≤ 53). */
export function rawMax(t: FixedType): number {
  return t.signed ? HALF[t.W]! - 1 : FULL[t.W]! - 1;
}

/** r mod 2^k in [0, 2^k) for an integer-valued double r of any size (k ≤ 53). */
export function modPow2(r: number, k: number): number {
  // r·2^-k is exact (a scaling), and so is the difference: its exact value is < 2^53.
  return r - Math.floor(r * pow2(-k)) * pow2(k);
}

/** Bit k of an integer-valued double, reading it as an infinitely sign-extended two's complement. */
export function bitAt(r: number, k: number): number {
  const q = Math.floor(r * pow2(-k));
  return q - 2 * Math.floor(q * 0.5);
}

/** Two's-complement (or unsigned) wrap of an integer into W bits. */
export function wrap(v: number, t: FixedType): number {
  const r = modPow2(v, t.W);
  return t.signed && r >= pow2(t.W - 1) ? r - pow2(t.W) : r;
}

/**
 * Result of an out-of-range value. `p` = the value mod 2^W (the bits a plain wrap keeps), `neg` =
 * the value is below the range (else above it), `lD` = bit W of the value truncated to the target
 * grid before rounding (only AP_WRAP_SM with N = 0 reads it).
 */
export function resolveOverflow(p: number, neg: boolean, lD: number, t: FixedType): number {
  const W = t.W;
  const m = pow2(W);
  const half = m / 2;
  switch (t.o) {
    case 'AP_SAT':
      return neg ? rawMin(t) : rawMax(t);
    case 'AP_SAT_ZERO':
      return 0;
    case 'AP_SAT_SYM':
      // Vitis sets the pattern 10…01 on negative overflow, which for W = 1 is just the minimum.
      if (!neg) return rawMax(t);
      return !t.signed ? 0 : W > 1 ? rawMin(t) + 1 : rawMin(t);
    case 'AP_WRAP':
      if (t.n === 0) return t.signed && p >= half ? p - m : p;
      return saturateTopBits(p, neg, t);
    case 'AP_WRAP_SM': {
      // Signed only (type.ts rejects ap_ufixed with AP_WRAP_SM, as Vitis does).
      if (t.n === 0) {
        if (lD !== (p >= half ? 1 : 0)) p = m - 1 - p; // invert all bits; the MSB becomes lD
        return p >= half ? p - m : p;
      }
      if (t.n === 1) {
        if (neg !== p >= half) p = m - 1 - p;
        return p >= half ? p - m : p;
      }
      if ((bitAt(p, W - t.n) === 1) === neg) p = m - 1 - p;
      return saturateTopBits(p, neg, t);
    }
  }
}

/**
 * AP_WRAP with N > 0 saturation bits: signed → MSB = sign, the next N−1 bits = NOT sign, the low
 * W−N bits kept; unsigned → the top N bits set to 1 (also on negative overflow, as Vitis does).
 */
function saturateTopBits(p: number, neg: boolean, t: FixedType): number {
  const low = modPow2(p, t.W - t.n);
  // parenthesised so that no intermediate reaches 2^53 (W = 53 would lose the last bit)
  if (!t.signed) return low + (pow2(t.W) - pow2(t.W - t.n));
  return neg ? low - pow2(t.W - 1) : low + (pow2(t.W - 1) - pow2(t.W - t.n));
}

/**
 * Apply T's overflow mode to an integer `v` already on T's grid (quantised). `trunc` is the value
 * truncated (floor) to T's grid before rounding; it differs from v only after a rounding increment
 * and only AP_WRAP_SM reads it. The third parameter is kept for compatibility and ignored: the sign
 * that the N-bit modes need is the sign of v whenever v is out of range.
 */
export function overflowByMode(v: number, t: FixedType, _negSrc = v < 0, trunc = v): number {
  const min = rawMin(t);
  if (v >= min && v <= rawMax(t)) {
    // AP_SAT_SYM never yields the most negative value: a negative source landing there becomes −max.
    return v === min && t.o === 'AP_SAT_SYM' && t.signed && t.W > 1 ? min + 1 : v;
  }
  const lD = t.o === 'AP_WRAP_SM' && t.n === 0 ? bitAt(trunc, t.W) : 0;
  return resolveOverflow(modPow2(v, t.W), v < min, lD, t);
}
