/**
 * RECIP(x) ≈ 1/x for x > 0 (softmax normaliser), bit-exact with vf_recip in vf_math.h:
 *
 *   x ≤ 0      → out's largest value (cannot happen in the datapath: S ≥ 1)
 *   e  = index of the leading one of x's raw;  m = Q_{RECIP_M_T}(raw·2^-e) ∈ [1, 2)
 *   j  = top 8 fraction bits of m, u = the remaining 25 bits as a fraction in [0, 1)
 *   D  = T[j] − T[j+1]                                   exact in RECIP_D_T; T[j] = 1/(1 + j/256)
 *   y0 = Q_{RECIP_Y0_T}(T[j] − D·u)                      interpolated seed
 *   h  = Q_{RECIP_H_T}(1 − m·y0)                         Newton residual, |h| < 2^-16
 *   y1 = Q_{RECIP_Y_T}(y0 + y0·h)                        ≈ 1/m ∈ (0.5, 1]
 *   return Q_out(y1·2^-(e − F_x))                        (exact shift, then out's modes)
 */
import type { FixedType } from '../type.js';
import { rawRange } from '../type.js';
import { quantize } from '../quantize.js';
import { mathTables } from './tables.js';
import { RECIP_H_T, RECIP_INDEX_BITS, RECIP_M_T, RECIP_TABLE_T, RECIP_Y0_T, RECIP_Y_T } from './types.js';
import { floorMulShift, interpolatedSeed, leadingOne, pow2, rangeBug } from './wide.js';

const M_F = RECIP_M_T.F; // 33
const U_BITS = M_F - RECIP_INDEX_BITS; // 25
const U_MOD = 2 ** U_BITS;
const J_OFFSET = 2 ** RECIP_INDEX_BITS; // m ≥ 1 ⇒ floor(m·256) ≥ 256
const Y0_SHIFT = RECIP_TABLE_T.F + U_BITS - RECIP_Y0_T.F;
const H_SHIFT = M_F + RECIP_Y0_T.F - RECIP_H_T.F;
const ONE_H = 2 ** RECIP_H_T.F;
const Y_SHIFT = RECIP_Y0_T.F + RECIP_H_T.F - RECIP_Y_T.F;
const Y0_TO_Y = 2 ** (RECIP_Y_T.F - RECIP_Y0_T.F);
const H_LIM = 2 ** (RECIP_H_T.W - 1); // h raw ∈ [−H_LIM, H_LIM)
const Y_END = 2 ** RECIP_Y_T.W;

/** ≈ 1/x for x = xRaw·2^-xT.F (|xRaw| ≤ 2^53). Returns `out`'s raw; x ≤ 0 gives out's maximum. */
export function recipHw(xRaw: number, xT: FixedType, out: FixedType): number {
  if (xRaw <= 0) return rawRange(out).max;
  const tb = mathTables().recip;
  const e = leadingOne(xRaw);
  const m = Math.floor(xRaw * pow2(M_F - e)); // exact shift; floor drops bits below m's LSB
  const y0 = interpolatedSeed(tb, m, U_MOD, J_OFFSET, Y0_SHIFT); // < 2^51: exact
  const h = ONE_H + floorMulShift(-m, y0, H_SHIFT);
  if (h < -H_LIM || h >= H_LIM) throw rangeBug('recipHw', 'RECIP_H_T', h);
  const y1 = y0 * Y0_TO_Y + Math.floor(y0 * h * pow2(-Y_SHIFT)); // y0·h < 2^50: exact
  if (y1 >= Y_END) throw rangeBug('recipHw', 'RECIP_Y_T', y1);
  return quantize(y1, RECIP_Y_T.F + e - xT.F, out);
}
