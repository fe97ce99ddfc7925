/**
 * Result types of the ap_fixed operators (Vitis HLS `ap_fixed_base::RType`): every binary
 * operator returns a type wide enough to hold the exact result, so nothing is lost until the value
 * is assigned to a declared type. docs/fixed-point.md, "Operator result types".
 */
import { wideType, type FixedType } from './type.js';

/**
 * Integer bits both operands need in a common signedness: an unsigned operand mixed with a signed
 * one needs one more integer bit, for the sign.
 */
function commonI(a: FixedType, b: FixedType): number {
  return Math.max(a.I + (b.signed && !a.signed ? 1 : 0), b.I + (a.signed && !b.signed ? 1 : 0));
}

/** a + b: one integer bit more than the common integer part, the larger F; signed if either is. */
export function addType(a: FixedType, b: FixedType): FixedType {
  const I = commonI(a, b) + 1;
  return wideType(I + Math.max(a.F, b.F), I, a.signed || b.signed);
}

/** a − b: as a + b, but always signed. */
export function subType(a: FixedType, b: FixedType): FixedType {
  const I = commonI(a, b) + 1;
  return wideType(I + Math.max(a.F, b.F), I, true);
}

/** a · b: W = Wa + Wb, I = Ia + Ib, signed if either is. */
export function mulType(a: FixedType, b: FixedType): FixedType {
  return wideType(a.W + b.W, a.I + b.I, a.signed || b.signed);
}

/** −a: the result type of 0 − a with a's own type, i.e. W + 1, I + 1, signed. */
export function negType(a: FixedType): FixedType {
  return subType(a, a);
}
