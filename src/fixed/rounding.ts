/**
 * The seven Vitis HLS quantisation modes, reduced to one decision: after truncating an inexact
 * value to the floor of the target grid, is one ulp added? (docs/fixed-point.md, "Quantisation".)
 */
import type { QuantMode } from './type.js';

/**
 * Whether rounding moves the floor `fl` of an inexact value up by one ulp. `cmpHalf` compares the
 * discarded remainder with half an ulp (−1, 0, +1); `neg` is the sign of the exact value (= fl < 0);
 * `odd` is the parity of fl. AP_TRN is floor; the AP_RND* modes differ only on exact ties.
 */
export function roundsUp(q: QuantMode, cmpHalf: number, neg: boolean, odd: boolean): boolean {
  switch (q) {
    case 'AP_TRN': return false;
    case 'AP_TRN_ZERO': return neg;
    case 'AP_RND': return cmpHalf >= 0;
    case 'AP_RND_ZERO': return cmpHalf > 0 || (cmpHalf === 0 && neg);
    case 'AP_RND_MIN_INF': return cmpHalf > 0;
    case 'AP_RND_INF': return cmpHalf > 0 || (cmpHalf === 0 && !neg);
    case 'AP_RND_CONV': return cmpHalf > 0 || (cmpHalf === 0 && odd);
  }
}


/** Numeric code of a quantisation mode (its index in QUANT_MODES) for hot loops: 0 = AP_TRN. */
export function quantCode(q: QuantMode): number {
  switch (q) {
    case 'AP_TRN': return 0;
    case 'AP_TRN_ZERO': return 1;
    case 'AP_RND': return 2;
    case 'AP_RND_ZERO': return 3;
    case 'AP_RND_MIN_INF': return 4;
    case 'AP_RND_INF': return 5;
    case 'AP_RND_CONV': return 6;
  }
}

/**
 * roundsUp by mode code, for an inexact value whose floor is fl (|fl| < 2^53) and whose fraction
 * compares with ½ as c (−1, 0, +1): 1 if one ulp is added.
 */
export function roundIncrementCmp(qc: number, c: number, fl: number): number {
  switch (qc) {
    case 0: return 0;
    case 1: return fl < 0 ? 1 : 0;
    case 2: return c >= 0 ? 1 : 0;
    case 3: return c > 0 || (c === 0 && fl < 0) ? 1 : 0;
    case 4: return c > 0 ? 1 : 0;
    case 5: return c > 0 || (c === 0 && fl >= 0) ? 1 : 0;
    default: return c > 0 || (c === 0 && fl % 2 !== 0) ? 1 : 0;
  }
}

/**
 * roundIncrementCmp for an inexact double x with floor fl: compares x with the exact midpoint
 * fl + ½ instead of forming the fraction x − fl (not always a double for x in (−1, 0)).
 */
export function roundIncrement(qc: number, x: number, fl: number): number {
  const mid = fl + 0.5;
  return roundIncrementCmp(qc, x > mid ? 1 : x < mid ? -1 : 0, fl);
}
