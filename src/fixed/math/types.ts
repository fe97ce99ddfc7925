/**
 * The named fixed-point types inside the math units. They are fixed (independent of the design's
 * types) so that one table set serves every design; they are sized for outputs with up to ~28
 * fractional bits (docs/math.md gives each unit's error bound). The C++ header
 * templates/hls/include/vf_math.h declares the same types under the same names (vf_exp_t_t ↔
 * EXP_T_T, ...); test/fixed/math/cpp-cross.test.ts checks that the two sides compute the same bits.
 */
import { fixedType, type FixedType } from '../type.js';

const sfx = (W: number, I: number): FixedType => fixedType(W, I, true);
const ufx = (W: number, I: number): FixedType => fixedType(W, I, false);

// ---- EXP ---------------------------------------------------------------------------------------
/** Inputs below this are returned as 0: e^-22 ≈ 2^-31.7 is below EXP_E_T's resolution. */
export const EXP_D_MIN = -22;
/** d after the range check, truncated to 32 fractional bits (exact for fm differences with F ≤ 32). */
export const EXP_D_T = sfx(38, 6);
/**
 * log2(e), rounded to nearest. 25 fractional bits suffice because the output error is absolute:
 * a relative error η in t costs e^d·|d|·η·ln2 ≤ η·ln2/e.
 */
export const EXP_LOG2E_T = ufx(26, 1);
/** t = d·log2(e) ∈ [-32, 0], truncated. */
export const EXP_T_T = sfx(37, 6);
/** Bits of the fraction f = t − floor(t): a (8, table A) | b (8, table B) | c (15, linear term). */
export const EXP_A_BITS = 8;
export const EXP_B_BITS = 8;
export const EXP_C_BITS = EXP_T_T.F - EXP_A_BITS - EXP_B_BITS; // 15
/** Table A: 2^(a/2^8) ∈ [1, 2), rounded to nearest. */
export const EXP_TA_T = ufx(33, 1);
/** Table B: 2^(b/2^16) − 1 ∈ [0, 2^-8), rounded to nearest (only the part above 1 is stored). */
export const EXP_TB_T = ufx(24, -8);
/** ln 2 rounded to nearest; it multiplies c·2^-31 < 2^-16, so 18 fractional bits suffice. */
export const EXP_LN2_T = ufx(18, 0);
/** The low part c·2^-31 of the fraction as a fixed value (a bit slice of t). */
export const EXP_C_T = ufx(EXP_C_BITS, EXP_C_BITS - EXP_T_T.F);
/** Lc = c·2^-31·ln2 < 2^-16 (so that 2^(c·2^-31) ≈ 1 + Lc), truncated. */
export const EXP_LC_T = ufx(16, -16);
/** S = TB + Lc + TB·Lc, i.e. (1 + TB)(1 + Lc) − 1 < 2^-8, truncated. */
export const EXP_S_T = ufx(24, -8);
/** E = TA + TA·S ≈ 2^f ∈ [1, 2), truncated; the result y = E·2^n keeps E's grid. */
export const EXP_E_T = ufx(33, 1);

// ---- RECIP -------------------------------------------------------------------------------------
/** Normalised mantissa m = x·2^-e ∈ [1, 2), truncated. */
export const RECIP_M_T = ufx(34, 1);
/** Seed table index bits (top fraction bits of m); the table has 2^k + 1 entries 1/(1 + j/2^k). */
export const RECIP_INDEX_BITS = 8;
export const RECIP_TABLE_T = ufx(26, 1);
/** Table step T[j] − T[j+1] ∈ [0, 2^-8): named so that the interpolation multiplier is 17 bits wide. */
export const RECIP_D_T = ufx(17, -8);
/** Interpolated seed y0 ≈ 1/m. */
export const RECIP_Y0_T = ufx(26, 1);
/** Newton residual h = 1 − m·y0, |h| < 2^-16. */
export const RECIP_H_T = sfx(25, -15);
/** y1 = y0 + y0·h ∈ (0.5, 1]. */
export const RECIP_Y_T = ufx(36, 1);

// ---- RSQRT -------------------------------------------------------------------------------------
/** Normalised mantissa m = x·2^-E ∈ [1, 4) with E even, truncated. */
export const RSQRT_M_T = ufx(35, 2);
/** Seed table on m ∈ [1, 4) in steps of 2^-7: 385 entries 1/√(1 + j/128). */
export const RSQRT_INDEX_BITS = 7;
export const RSQRT_TABLE_T = ufx(26, 1);
/** Table step T[j] − T[j+1] ∈ [0, 2^-8) (the largest, j = 0, is 0.00387). */
export const RSQRT_D_T = ufx(17, -8);
export const RSQRT_Y0_T = ufx(26, 1);
/** w = m·y0 ≈ √m ∈ [1, 2], truncated (I = 2: the seed may exceed 1/√m slightly). */
export const RSQRT_W_T = ufx(36, 2);
/** Newton residual h = (1 − w·y0)/2, |h| < 2^-15. */
export const RSQRT_H_T = sfx(26, -14);
/** y1 = y0 + y0·h ∈ (0.5, 1]. */
export const RSQRT_Y_T = ufx(36, 1);
