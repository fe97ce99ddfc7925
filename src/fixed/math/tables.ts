/**
 * Constant tables and constants of the exp / recip / rsqrt units, as raw integers of their named
 * types (types.ts). They are design-independent: generated once here, emitted verbatim into
 * vf_math.h (cpp.ts: mathTablesCpp), and checked in test/fixed/math/tables.test.ts against exact
 * BigInt evaluations, so "rounded to nearest" below holds exactly, not just in double.
 */
import {
  EXP_A_BITS, EXP_B_BITS, EXP_LN2_T, EXP_LOG2E_T, EXP_TA_T, EXP_TB_T,
  RECIP_INDEX_BITS, RECIP_TABLE_T, RSQRT_INDEX_BITS, RSQRT_TABLE_T,
} from './types.js';

export interface MathTables {
  /** log2(e) in EXP_LOG2E_T. */
  readonly log2e: number;
  /** ln 2 in EXP_LN2_T. */
  readonly ln2: number;
  /** 2^(a/2^EXP_A_BITS), a = 0..255, in EXP_TA_T. */
  readonly expA: Float64Array;
  /** 2^(b/2^(EXP_A_BITS+EXP_B_BITS)) − 1, b = 0..255, in EXP_TB_T. */
  readonly expB: Float64Array;
  /** 1/(1 + j/256), j = 0..256, in RECIP_TABLE_T. */
  readonly recip: Float64Array;
  /** 1/√(1 + j/128), j = 0..384 (m ∈ [1, 4]), in RSQRT_TABLE_T. */
  readonly rsqrt: Float64Array;
}

/**
 * Round-to-nearest of a positive value given as a double accurate to < 1 ulp. The tests prove
 * that no entry lies within 2^-40 of a rounding midpoint, so this equals rounding the exact value.
 */
const roundPos = (v: number, F: number): number => Math.round(v * 2 ** F);

let cached: MathTables | undefined;

export function mathTables(): MathTables {
  if (cached) return cached;
  const nA = 2 ** EXP_A_BITS;
  const nAB = 2 ** (EXP_A_BITS + EXP_B_BITS);
  const expA = new Float64Array(nA);
  for (let a = 0; a < nA; a++) expA[a] = roundPos(2 ** (a / nA), EXP_TA_T.F);
  const expB = new Float64Array(2 ** EXP_B_BITS);
  for (let b = 0; b < expB.length; b++) expB[b] = roundPos(2 ** (b / nAB) - 1, EXP_TB_T.F); // exact subtraction (Sterbenz)
  const kR = 2 ** RECIP_INDEX_BITS;
  const recip = new Float64Array(kR + 1);
  // kR/(kR + j)·2^F is a rational with denominator ≤ 512: its distance from a midpoint is either 0
  // (only when it is an integer) or ≥ 1/1024, far above the division's rounding error.
  for (let j = 0; j <= kR; j++) recip[j] = roundPos(kR / (kR + j), RECIP_TABLE_T.F);
  const kS = 2 ** RSQRT_INDEX_BITS;
  const rsqrt = new Float64Array(3 * kS + 1);
  for (let j = 0; j <= 3 * kS; j++) rsqrt[j] = roundPos(Math.sqrt(kS / (kS + j)), RSQRT_TABLE_T.F);
  cached = Object.freeze({
    log2e: roundPos(Math.LOG2E, EXP_LOG2E_T.F),
    ln2: roundPos(Math.LN2, EXP_LN2_T.F),
    expA, expB, recip, rsqrt,
  });
  return cached;
}
