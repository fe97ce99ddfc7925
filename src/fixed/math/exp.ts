/**
 * EXP(d) ≈ e^d for d ≤ 0 (softmax), bit-exact with vf_exp in vf_math.h. Algorithm (docs/math.md):
 *
 *   d > 0          → treated as 0 (returns Q_out(1)); cannot happen in the datapath
 *   d < -22        → Q_out(0)   (e^-22 < 2^-31.7, below EXP_E_T's resolution)
 *   dd = Q_{EXP_D_T}(d)
 *   t  = Q_{EXP_T_T}(dd·LOG2E)                       t ≤ 0, 31 fractional bits
 *   n  = floor(t) ∈ [-32, 0];  f = t − n = a·2^-8 + b·2^-16 + c·2^-31   (bit slices of t)
 *   Lc = Q_{EXP_LC_T}(c·2^-31·LN2)                   2^(c·2^-31) ≈ 1 + Lc (error < 2^-33)
 *   S  = Q_{EXP_S_T}(TB[b] + Lc + TB[b]·Lc)          (1 + TB)(1 + Lc) − 1
 *   E  = Q_{EXP_E_T}(TA[a] + TA[a]·S)                ≈ 2^f ∈ [1, 2)
 *   y  = E·2^n truncated to EXP_E_T's grid           (right shift of the raw by −n)
 *   return Q_out(y)
 *
 * Two small tables, four multiplies and a barrel shift: an integer pipeline.
 */
import type { FixedType } from '../type.js';
import { quantize } from '../quantize.js';
import { mathTables } from './tables.js';
import {
  EXP_B_BITS, EXP_C_BITS, EXP_C_T, EXP_D_MIN, EXP_D_T, EXP_E_T, EXP_LC_T, EXP_LN2_T, EXP_LOG2E_T,
  EXP_S_T, EXP_T_T, EXP_TA_T, EXP_TB_T,
} from './types.js';
import { floorMulShift, pow2, rangeBug } from './wide.js';

const ONE_T = 2 ** EXP_T_T.F;
const T_SHIFT = EXP_D_T.F + EXP_LOG2E_T.F - EXP_T_T.F;
const LC_SHIFT = EXP_C_T.F + EXP_LN2_T.F - EXP_LC_T.F;
// S = TB + Lc + TB·Lc: TB and Lc share S's grid (F = 32), the product has 64 fractional bits.
const S_PROD_SHIFT = EXP_TB_T.F + EXP_LC_T.F - EXP_S_T.F;
// E = TA + TA·S: TA has E's grid, the product has 64 fractional bits.
const E_PROD_SHIFT = EXP_TA_T.F + EXP_S_T.F - EXP_E_T.F;
const C_MOD = 2 ** EXP_C_BITS;
const B_MOD = 2 ** EXP_B_BITS;
const AB_DIV = 2 ** (EXP_C_BITS + EXP_B_BITS);
const S_END = 2 ** EXP_S_T.W; // S and E are unsigned: raw < 2^W
const E_END = 2 ** EXP_E_T.W;

if (EXP_TB_T.F !== EXP_S_T.F || EXP_LC_T.F !== EXP_S_T.F || EXP_TA_T.F !== EXP_E_T.F) {
  throw new Error('exp: the additions below assume TB, Lc, S and TA, E share their grids');
}

/**
 * ≈ e^d for the exact value d = dRaw·2^-dF (integer-valued double, |dRaw| ≤ 2^53). Returns `out`'s
 * raw integer. d > 0 is clamped to 0 (result Q_out(1)); d < -22 gives Q_out(0).
 */
export function expHw(dRaw: number, dF: number, out: FixedType): number {
  if (dRaw > 0) return quantize(1, 0, out);
  if (dRaw < EXP_D_MIN * pow2(dF)) return quantize(0, 0, out);
  const tb = mathTables();
  // Q_{EXP_D_T}(d): d ∈ [-22, 0] cannot overflow, so the AP_TRN conversion is a floor.
  const dd = Math.floor(dRaw * pow2(EXP_D_T.F - dF));
  const t = floorMulShift(dd, tb.log2e, T_SHIFT);
  const n = Math.floor(t / ONE_T); // ≤ 0
  const f = t - n * ONE_T; // [0, 2^31): the fraction bits of t
  const c = f % C_MOD;
  const b = Math.floor(f / C_MOD) % B_MOD;
  const a = Math.floor(f / AB_DIV);
  const lc = Math.floor(c * tb.ln2 * pow2(-LC_SHIFT)); // < 2^33: exact
  const tbb = tb.expB[b]!;
  const s = tbb + lc + Math.floor(tbb * lc * pow2(-S_PROD_SHIFT)); // tbb·lc < 2^40: exact
  const ta = tb.expA[a]!;
  const e = ta + floorMulShift(ta, s, E_PROD_SHIFT);
  if (s >= S_END || e >= E_END) throw rangeBug('expHw', s >= S_END ? 'EXP_S_T' : 'EXP_E_T', s >= S_END ? s : e);
  const y = Math.floor(e * pow2(n));
  return quantize(y, EXP_E_T.F, out);
}
