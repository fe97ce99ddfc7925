/**
 * Edge-MoE GELU: GELU(x) = x·Φ(x) = ReLU(x) − δ(|x|) with δ(a) = a·Φ(−a), the same correction for
 * x and −x. δ is small (≤ 0.17) and negligible beyond a few units, so a short table of δ with
 * linear interpolation is accurate (docs/math.md). Bit-exact with vf_gelu in vf_math.h:
 *
 *   a = |x|;  n = floor(a/s), f = a/s − n   (bit slices of a: s = 2^-k)
 *   |x| ≥ range (n ≥ N−1):  result = max(x, 0)
 *   otherwise:  result = Q_fm(max(x, 0) − (T[n] + (T[n+1] − T[n])·f))   — one quantisation of
 *   the exact value.
 */
import { UserError } from '../../errors.js';
import { erfc } from '../../kernels/erf.js';
import type { FixedType } from '../type.js';
import { formatFixedType } from '../type.js';
import { quantizeBig } from '../bigfixed.js';
import { fromDouble, quantize } from '../quantize.js';
import { pow2 } from './wide.js';

const TWO53 = 2 ** 53;

export interface GeluTable {
  /** Table step s, a power of two ≤ 1. */
  readonly step: number;
  /** δ is tabulated on [0, range]; |x| ≥ range uses δ = 0. */
  readonly range: number;
  /** Type of the entries (unsigned). */
  readonly type: FixedType;
  /** Raw entries Q_type(δ(n·step)), n = 0..range/step (length range/step + 1). */
  readonly entries: Float64Array;
}

/** Largest table the builder accepts (the design loader allows 65536 entries). */
const MAX_ENTRIES = 65537;

/** δ(a) = a·Φ(−a) = ½·a·erfc(a/√2), from the float64 erf reference (≈1e-16 relative). */
export function geluDelta(a: number): number {
  return 0.5 * a * erfc(a * Math.SQRT1_2);
}

export function buildGeluTable(step: number, range: number, type: FixedType): GeluTable {
  const k = -Math.log2(step);
  if (!(step > 0) || !Number.isInteger(k) || k < 0 || k > 30) {
    throw new UserError('gelu.step', `${step} is not a power of two in [2^-30, 1]`, '1, 0.5, 0.25, ...');
  }
  const count = range / step;
  if (!(range > 0) || !Number.isInteger(count) || count + 1 > MAX_ENTRIES) {
    throw new UserError('gelu.range', `${range} must be a positive multiple of gelu.step (${step}) with at most ${MAX_ENTRIES} entries`);
  }
  if (type.signed) throw new UserError('types.geluTable', `${formatFixedType(type)} must be unsigned (ap_ufixed)`);
  const entries = new Float64Array(count + 1);
  for (let n = 0; n <= count; n++) entries[n] = fromDouble(geluDelta(n * step), type);
  return Object.freeze({ step, range, type, entries });
}

/** Q_fm(max(x, 0) − δ̃(|x|)) for x = xRaw·2^-fm.F. Returns fm's raw. */
export function geluHw(xRaw: number, fm: FixedType, table: GeluTable): number {
  const F = fm.F;
  const k = -Math.log2(table.step);
  const last = table.entries.length - 1;
  const xpos = xRaw > 0 ? xRaw : 0;
  const a = Math.abs(xRaw);
  const sh = F - k; // fraction bits of a/s
  const n = Math.floor(a * pow2(-sh));
  if (n >= last) return quantize(xpos, F, fm);
  const FT = table.type.F;
  const t0 = table.entries[n]!;
  let dRaw: number; // δ̃ with dF fractional bits, exact
  let dF: number;
  if (sh > 0) {
    const fr = a - n * pow2(sh);
    const slope = (table.entries[n + 1]! - t0) * fr;
    if (Math.abs(slope) >= TWO53) return geluBig(xpos, a, n, sh, fm, table);
    dRaw = t0 * pow2(sh) + slope;
    dF = FT + sh;
  } else {
    dRaw = t0;
    dF = FT;
  }
  const vF = Math.max(F, dF);
  const vRaw = xpos * pow2(vF - F) - dRaw * pow2(vF - dF);
  // Every term above is exact when its true value is below 2^53 (and shows up as ≥ 2^53 when it
  // is not); only very wide table/fm combinations take the BigInt path.
  if (Math.abs(dRaw) >= TWO53 || Math.abs(vRaw) >= TWO53) return geluBig(xpos, a, n, sh, fm, table);
  return quantize(vRaw, vF, fm);
}

/** The same value as geluHw's fast path, in BigInt (for tables/fm types too wide for doubles). */
function geluBig(xpos: number, a: number, n: number, sh: number, fm: FixedType, table: GeluTable): number {
  const FT = table.type.F;
  const t0 = BigInt(table.entries[n]!);
  let d: bigint;
  let dF: number;
  if (sh > 0) {
    const fr = BigInt(a) - (BigInt(n) << BigInt(sh));
    d = (t0 << BigInt(sh)) + (BigInt(table.entries[n + 1]!) - t0) * fr;
    dF = FT + sh;
  } else {
    d = t0;
    dF = FT;
  }
  const vF = Math.max(fm.F, dF);
  const v = (BigInt(xpos) << BigInt(vF - fm.F)) - (d << BigInt(vF - dF));
  return Number(quantizeBig(v, vF, fm));
}
