/**
 * Fixed-point type descriptors with Vitis HLS `ap_fixed<W,I,Q,O,N>` / `ap_ufixed` / `ap_int` /
 * `ap_uint` meaning. A value of a type is `raw × 2^-F` with `raw` a W-bit two's-complement
 * (signed) or plain binary (unsigned) integer and F = W − I fractional bits (F may be negative,
 * or larger than W).
 */
import { UserError } from '../errors.js';

export const QUANT_MODES = [
  'AP_TRN', 'AP_TRN_ZERO', 'AP_RND', 'AP_RND_ZERO', 'AP_RND_MIN_INF', 'AP_RND_INF', 'AP_RND_CONV',
] as const;
export type QuantMode = (typeof QUANT_MODES)[number];

export const OVERFLOW_MODES = ['AP_WRAP', 'AP_SAT', 'AP_SAT_ZERO', 'AP_SAT_SYM', 'AP_WRAP_SM'] as const;
export type OverflowMode = (typeof OVERFLOW_MODES)[number];

/** Widest type a design may declare; intermediates of products of two such values are exact. */
export const MAX_WIDTH = 64;

export interface FixedType {
  readonly signed: boolean;
  /** Total bits. */
  readonly W: number;
  /** Integer bits including the sign bit for signed types. */
  readonly I: number;
  /** Fractional bits, W − I. */
  readonly F: number;
  readonly q: QuantMode;
  readonly o: OverflowMode;
  /** Saturation bits for AP_WRAP / AP_WRAP_SM. */
  readonly n: number;
}

export function fixedType(
  W: number, I: number, signed = true, q: QuantMode = 'AP_TRN', o: OverflowMode = 'AP_WRAP', n = 0,
  field = 'type',
): FixedType {
  if (!Number.isInteger(W) || W < 1 || W > MAX_WIDTH) {
    throw new UserError(field, `width W=${W} is out of range`, `integer 1..${MAX_WIDTH}`);
  }
  if (!Number.isInteger(I) || Math.abs(I) > 4 * MAX_WIDTH) {
    throw new UserError(field, `integer bits I=${I} is out of range`, `integer -${4 * MAX_WIDTH}..${4 * MAX_WIDTH}`);
  }
  if (!QUANT_MODES.includes(q)) throw new UserError(field, `unknown quantisation mode ${q}`, QUANT_MODES.join(', '));
  if (!OVERFLOW_MODES.includes(o)) throw new UserError(field, `unknown overflow mode ${o}`, OVERFLOW_MODES.join(', '));
  if (!Number.isInteger(n) || n < 0 || n > W) {
    throw new UserError(field, `saturation bits N=${n} is out of range`, `integer 0..W (${W})`);
  }
  // Vitis rejects ap_ufixed with AP_WRAP_SM (its C-simulation headers stop with an error).
  if (!signed && o === 'AP_WRAP_SM') {
    throw new UserError(field, 'AP_WRAP_SM needs a signed type (ap_fixed)', OVERFLOW_MODES.filter((m) => m !== 'AP_WRAP_SM').join(', '));
  }
  // Store the canonical (interned) mode strings: hot loops compare them, and a string sliced out of
  // a parsed type would otherwise be compared character by character.
  const qc = QUANT_MODES[QUANT_MODES.indexOf(q)]!;
  const oc = OVERFLOW_MODES[OVERFLOW_MODES.indexOf(o)]!;
  return Object.freeze({ signed, W, I, F: W - I, q: qc, o: oc, n });
}

/** Widest full-precision intermediate the BigInt path builds (Vitis' default AP_INT_MAX_W). */
export const MAX_INTERMEDIATE_WIDTH = 1024;

/**
 * Type of a full-precision operator result (a+b, a·b, −a): default modes, and W may exceed
 * MAX_WIDTH because intermediates are never stored in a design's declared types.
 */
export function wideType(W: number, I: number, signed: boolean): FixedType {
  if (!Number.isInteger(W) || W < 1 || W > MAX_INTERMEDIATE_WIDTH || !Number.isInteger(I)) {
    throw new RangeError(`intermediate type W=${W}, I=${I} is out of range (W 1..${MAX_INTERMEDIATE_WIDTH})`);
  }
  return Object.freeze({ signed, W, I, F: W - I, q: 'AP_TRN', o: 'AP_WRAP', n: 0 });
}

const TYPE_RE = /^\s*(ap_fixed|ap_ufixed|ap_int|ap_uint)\s*<\s*([^>]*)>\s*$/;

/**
 * Parse the C++ spelling, e.g. `ap_fixed<32,10>`, `ap_ufixed<8,0>`, `ap_fixed<16,2,AP_RND,AP_SAT>`,
 * `ap_int<8>`. Errors name `field` and list what is allowed.
 */
export function parseFixedType(text: string, field = 'type'): FixedType {
  const m = TYPE_RE.exec(String(text));
  if (!m) {
    throw new UserError(field, `cannot parse fixed-point type '${text}'`,
      'ap_fixed<W,I[,Q[,O[,N]]]>, ap_ufixed<W,I[,Q[,O[,N]]]>, ap_int<W>, ap_uint<W>');
  }
  const kind = m[1]!;
  const args = m[2]!.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const signed = kind === 'ap_fixed' || kind === 'ap_int';
  const isInt = kind === 'ap_int' || kind === 'ap_uint';
  const num = (s: string | undefined, what: string): number => {
    if (s === undefined || !/^-?\d+$/.test(s)) throw new UserError(field, `${what} of '${text}' must be an integer`);
    return Number(s);
  };
  if (isInt) {
    if (args.length !== 1) throw new UserError(field, `'${text}' takes exactly one parameter W`);
    const W = num(args[0], 'W');
    return fixedType(W, W, signed, 'AP_TRN', 'AP_WRAP', 0, field);
  }
  if (args.length < 2 || args.length > 5) {
    throw new UserError(field, `'${text}' takes 2 to 5 parameters`, `${kind}<W,I[,Q[,O[,N]]]>`);
  }
  const W = num(args[0], 'W');
  const I = num(args[1], 'I');
  const q = (args[2] ?? 'AP_TRN') as QuantMode;
  const o = (args[3] ?? 'AP_WRAP') as OverflowMode;
  const n = args[4] === undefined ? 0 : num(args[4], 'N');
  return fixedType(W, I, signed, q, o, n, field);
}

/** Canonical C++ spelling; default trailing modes are omitted so Edge-MoE types read as in its sources. */
export function formatFixedType(t: FixedType): string {
  const base = t.signed ? 'ap_fixed' : 'ap_ufixed';
  const parts: (string | number)[] = [t.W, t.I];
  if (t.q !== 'AP_TRN' || t.o !== 'AP_WRAP' || t.n !== 0) parts.push(t.q);
  if (t.o !== 'AP_WRAP' || t.n !== 0) parts.push(t.o);
  if (t.n !== 0) parts.push(t.n);
  return `${base}<${parts.join(',')}>`;
}

/** Smallest and largest raw integer of the type. */
export function rawRange(t: FixedType): { min: number; max: number } {
  return t.signed ? { min: -(2 ** (t.W - 1)), max: 2 ** (t.W - 1) - 1 } : { min: 0, max: 2 ** t.W - 1 };
}
