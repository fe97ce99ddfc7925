/**
 * C++ spellings of fixed-point types and the Vitis full-precision operator result types, used to
 * size the exact intermediates the generated kernel declares (adder-tree sums, LayerNorm sums) and
 * to check that no intermediate expression of a design exceeds the 128-bit limit of ap_fixed
 * operators in our C-simulation headers (docs/hls.md, "Intermediate widths").
 */
import { UserError } from '../errors.js';
import type { FixedType } from '../fixed/type.js';

/** The width limit of an ap_fixed value in the vitforge C++ subset (operands ≤ 64, products ≤ 128). */
export const MAX_CPP_WIDTH = 128;

/** Shape of a value as the C++ operators see it (modes do not matter for result types). */
export interface ApShape {
  readonly W: number;
  readonly I: number;
  readonly signed: boolean;
}

/** `ap_fixed<W,I,Q,O,N>` spelling with default trailing modes omitted. */
export function cppType(t: FixedType): string {
  const base = t.signed ? 'ap_fixed' : 'ap_ufixed';
  const args: (string | number)[] = [t.W, t.I];
  if (t.q !== 'AP_TRN' || t.o !== 'AP_WRAP' || t.n !== 0) args.push(t.q);
  if (t.o !== 'AP_WRAP' || t.n !== 0) args.push(t.o);
  if (t.n !== 0) args.push(t.n);
  return `${base}<${args.join(', ')}>`;
}

/** Spelling of an exact intermediate (truncation/wrap modes never act: the type is wide enough). */
export function cppShape(s: ApShape): string {
  return `${s.signed ? 'ap_fixed' : 'ap_ufixed'}<${s.W}, ${s.I}>`;
}

const F = (s: ApShape): number => s.W - s.I;

/** Vitis result type of `a + b` (and `a - b`, which is always signed). */
export function addShape(a: ApShape, b: ApShape, minus = false): ApShape {
  const fr = Math.max(F(a), F(b));
  // Mixing signed and unsigned: the unsigned operand needs one more integer bit to stay positive.
  const I = Math.max(a.I + (b.signed && !a.signed ? 1 : 0), b.I + (a.signed && !b.signed ? 1 : 0)) + 1;
  return { W: I + fr, I, signed: minus || a.signed || b.signed };
}

/** Vitis result type of `a * b`. */
export function mulShape(a: ApShape, b: ApShape): ApShape {
  return { W: a.W + b.W, I: a.I + b.I, signed: a.signed || b.signed };
}

/**
 * The narrowest signed type holding every sum of `terms` products x·w exactly (an adder tree
 * without rounding). A product's magnitude is at most 2^(Ix' + Iw') where I' drops the sign bit of a
 * signed operand; `terms` of them stay within 2^(Ix' + Iw' + ⌈log2 terms⌉), and a signed type needs
 * one bit more than that exponent plus the sign bit.
 */
export function exactDotShape(x: ApShape, w: ApShape, terms: number): ApShape {
  const mag = (s: ApShape): number => s.I - (s.signed ? 1 : 0);
  const I = mag(x) + mag(w) + Math.ceil(Math.log2(terms)) + 2;
  return { W: I + F(x) + F(w), I, signed: true };
}

/** Reject a design whose named intermediate is wider than the C++ operators support. */
export function checkWidth(name: string, s: ApShape, field = 'types'): void {
  if (s.W > MAX_CPP_WIDTH) {
    throw new UserError(field,
      `the intermediate ${name} needs ${s.W} bits (ap_fixed<${s.W},${s.I}>), more than the ${MAX_CPP_WIDTH} the generated C++ supports; narrow the types involved`);
  }
}

/** A C++ double literal that parses back to exactly `x` (JS prints the shortest round-trip form). */
export function cppDouble(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`non-finite constant ${x}`);
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}
