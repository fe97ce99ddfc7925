/**
 * RSQRT(x) ≈ 1/√x for x > 0 (LayerNorm), bit-exact with vf_rsqrt in vf_math.h:
 *
 *   x ≤ 0      → out's largest value (cannot happen in the datapath: var + eps > 0)
 *   e  = index of the leading one of x's raw, E = e − F_x; o = E mod 2
 *   m  = Q_{RSQRT_M_T}(raw·2^-(e−o)) ∈ [1, 4)            x = m·2^(E−o), E − o even
 *   j  = floor((m − 1)·128), u = the remaining 26 bits of m as a fraction in [0, 1)
 *   D  = T[j] − T[j+1]                                   exact in RSQRT_D_T; T[j] = 1/√(1 + j/128)
 *   y0 = Q_{RSQRT_Y0_T}(T[j] − D·u)                      interpolated seed
 *   w  = Q_{RSQRT_W_T}(m·y0)                             ≈ √m
 *   h  = Q_{RSQRT_H_T}((1 − w·y0)·½)                     Newton residual, |h| < 2^-15
 *   y1 = Q_{RSQRT_Y_T}(y0 + y0·h)                        ≈ 1/√m ∈ (0.5, 1]
 *   return Q_out(y1·2^-((E−o)/2))
 */
import type { FixedType } from '../type.js';
import { rawRange } from '../type.js';
import { quantize } from '../quantize.js';
import { mathTables } from './tables.js';
import {
  RSQRT_H_T, RSQRT_INDEX_BITS, RSQRT_M_T, RSQRT_TABLE_T, RSQRT_Y0_T, RSQRT_Y_T, RSQRT_W_T,
} from './types.js';
import { floorMulShift, interpolatedSeed, leadingOne, parity, pow2, rangeBug } from './wide.js';

const M_F = RSQRT_M_T.F; // 33
const U_BITS = M_F - RSQRT_INDEX_BITS; // 26
const U_MOD = 2 ** U_BITS;
const J_OFFSET = 2 ** RSQRT_INDEX_BITS; // m ≥ 1 ⇒ floor(m·128) ≥ 128
const Y0_SHIFT = RSQRT_TABLE_T.F + U_BITS - RSQRT_Y0_T.F;
const W_SHIFT = M_F + RSQRT_Y0_T.F - RSQRT_W_T.F;
// h = (1 − w·y0)/2 has W_F + Y0_F + 1 fractional bits before truncation.
const H_SHIFT = RSQRT_W_T.F + RSQRT_Y0_T.F + 1 - RSQRT_H_T.F;
const HALF_H = 2 ** (RSQRT_H_T.F - 1);
const Y_SHIFT = RSQRT_Y0_T.F + RSQRT_H_T.F - RSQRT_Y_T.F;
const Y0_TO_Y = 2 ** (RSQRT_Y_T.F - RSQRT_Y0_T.F);
const W_END = 2 ** RSQRT_W_T.W;
const H_LIM = 2 ** (RSQRT_H_T.W - 1); // h raw ∈ [−H_LIM, H_LIM)
const Y_END = 2 ** RSQRT_Y_T.W;

/** ≈ 1/√x for x = xRaw·2^-xT.F (|xRaw| ≤ 2^53). Returns `out`'s raw; x ≤ 0 gives out's maximum. */
export function rsqrtHw(xRaw: number, xT: FixedType, out: FixedType): number {
  if (xRaw <= 0) return rawRange(out).max;
  const tb = mathTables().rsqrt;
  const e = leadingOne(xRaw);
  const o = parity(e - xT.F);
  const sh = M_F - e + o; // m = raw·2^sh
  const m = Math.floor(xRaw * pow2(sh)); // exact shift; floor drops bits below m's LSB
  const y0 = interpolatedSeed(tb, m, U_MOD, J_OFFSET, Y0_SHIFT); // < 2^52: exact
  const w = floorMulShift(m, y0, W_SHIFT);
  const h = HALF_H + floorMulShift(-w, y0, H_SHIFT);
  if (w >= W_END || h < -H_LIM || h >= H_LIM) throw rangeBug('rsqrtHw', w >= W_END ? 'RSQRT_W_T' : 'RSQRT_H_T', w >= W_END ? w : h);
  const y1 = y0 * Y0_TO_Y + Math.floor(y0 * h * pow2(-Y_SHIFT)); // y0·h < 2^51: exact
  if (y1 >= Y_END) throw rangeBug('rsqrtHw', 'RSQRT_Y_T', y1);
  return quantize(y1, RSQRT_Y_T.F + (e - xT.F - o) / 2, out);
}
