/** Operand widths as a multiplier sees them (shared by the plan and the DSP arithmetic in hw/). */
import type { FixedType } from '../fixed/type.js';

/** Width of a fixed-point operand as the multiplier sees it (unsigned gets a zero sign bit). */
export function operandBits(t: { readonly W: number; readonly signed: boolean }): number {
  return t.signed ? t.W : t.W + 1;
}

/** Width of the exact difference a − b of two signed fixed-point values (Vitis result type). */
export function differenceBits(a: FixedType, b: FixedType): number {
  const I = Math.max(a.I + (b.signed && !a.signed ? 1 : 0), b.I + (a.signed && !b.signed ? 1 : 0)) + 1;
  return I + Math.max(a.F, b.F);
}
