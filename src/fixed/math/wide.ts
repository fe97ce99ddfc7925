/**
 * Exact integer helpers for the math units. Values are raw integers held in doubles (as in
 * quantize.ts); a product of two raws can exceed 2^53, so it is formed from 26-bit pieces.
 * Every helper returns the exact mathematical result (no double rounding anywhere).
 */

import { pow2 } from '../pow2.js';

const P26 = 2 ** 26;
const P32 = 2 ** 32;
const P53 = 2 ** 53;

export { pow2 };

/**
 * floor(a·b·2^-s): the AP_TRN quantisation of an exact product to a grid `s` bits coarser.
 * Requires integers |a|, |b| < 2^52, integer s ≥ 0 and |result| < 2^53.
 */
export function floorMulShift(a: number, b: number, s: number): number {
  const p = a * b;
  // A true product below 2^53 in magnitude is computed exactly (rounding is monotonic and 2^53 is
  // representable, so an inexact product would have come out ≥ 2^53).
  if (Math.abs(p) < P53) return Math.floor(p * pow2(-s)) + 0; // + 0 turns a −0 product into +0
  if (Math.abs(a) <= P26) return splitOne(a, b, s);
  if (Math.abs(b) <= P26) return splitOne(b, a, s);
  return splitBoth(a, b, s);
}

/** |a| ≤ 2^26: b = bh·2^26 + bl, both partial products below 2^52 in magnitude. */
function splitOne(a: number, b: number, s: number): number {
  const bh = Math.floor(b / P26);
  const hi = a * bh;
  const lo = a * (b - bh * P26);
  // a·b = hi·2^26 + lo; hi + floor(lo/2^26) < 2^53, and nested floors of exact quotients compose.
  if (s >= 26) return Math.floor((hi + Math.floor(lo / P26)) * pow2(26 - s));
  return hi * pow2(26 - s) + Math.floor(lo * pow2(-s));
}

function splitBoth(a: number, b: number, s: number): number {
  const ah = Math.floor(a / P26);
  const al = a - ah * P26; // al ∈ [0, 2^26), |ah| ≤ 2^26
  const bh = Math.floor(b / P26);
  const bl = b - bh * P26;
  // a·b = hh·2^52 + (m1 + m2)·2^26 + ll; every partial product is below 2^52 in magnitude.
  const hh = ah * bh;
  const m1 = ah * bl;
  const m2 = al * bh;
  const ll = al * bl;
  const llh = Math.floor(ll / P26);
  const l0 = ll - llh * P26;
  const m1h = Math.floor(m1 / P26);
  const m2h = Math.floor(m2 / P26);
  const d1 = (m1 - m1h * P26) + (m2 - m2h * P26) + llh; // < 3·2^26
  const c1 = Math.floor(d1 / P26);
  const l1 = d1 - c1 * P26;
  const d2 = hh + m1h + m2h + c1; // |d2| < 2^53: exact
  // a·b = d2·2^52 + l1·2^26 + l0 with l0, l1 ∈ [0, 2^26): drop the digits below 2^s.
  if (s >= 52) return Math.floor(d2 * pow2(52 - s));
  if (s >= 26) return d2 * pow2(52 - s) + Math.floor(l1 * pow2(26 - s));
  return d2 * pow2(52 - s) + l1 * pow2(26 - s) + Math.floor(l0 * pow2(-s));
}

/** Index of the leading one of an integer 1 ≤ x < 2^53 (floor(log2 x)), what a priority encoder gives. */
export function leadingOne(x: number): number {
  if (x < P32) return 31 - Math.clz32(x);
  return 63 - Math.clz32(Math.floor(x / P32));
}

/**
 * Seed of a Newton step by linear interpolation in a table indexed by the top bits of the
 * normalised mantissa m (RECIP and RSQRT share it): the index j = ⌊m / uMod⌋ − jOffset selects
 * T[j] and T[j+1], the remaining bits u = m mod uMod interpolate between them, and the result is
 * truncated by `shift` bits. Every product stays below 2^53 (checked per unit in docs/math.md).
 */
export function interpolatedSeed(table: ArrayLike<number>, m: number, uMod: number, jOffset: number, shift: number): number {
  const j = Math.floor(m / uMod) - jOffset;
  const u = m % uMod;
  const t0 = table[j]!;
  const d = t0 - table[j + 1]!; // < 2^17: fits the unit's difference type (tables.test.ts)
  return Math.floor((t0 * uMod - d * u) * pow2(-shift));
}

/** Parity (0 or 1) of a small integer, also for negative values. */
export function parity(v: number): number {
  return v & 1; // bit 0 of the two's-complement int32 is the parity for negative values too
}

/**
 * An intermediate left its named type's range. The error analysis in docs/math.md proves this
 * cannot happen; the check keeps the TypeScript honest about it, because the C++ would wrap.
 */
export function rangeBug(unit: string, typeName: string, raw: number): Error {
  return new Error(`${unit}: intermediate ${typeName} raw ${raw} is outside its type (internal error)`);
}
