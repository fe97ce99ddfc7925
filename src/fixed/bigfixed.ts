/**
 * The general, exact path: fixed-point values as {raw: bigint, type}. Any width (operands up to
 * 64 bits, full-precision intermediates up to MAX_INTERMEDIATE_WIDTH), every quantisation and
 * overflow mode. Slow (BigInt allocates); the simulator's hot loops use the double fast path in
 * quantize.ts / kernels.ts, which falls back here only for values beyond its exact range.
 */
import { roundsUp } from './rounding.js';
import { addType, mulType, negType, subType } from './optypes.js';
import type { FixedType } from './type.js';

/** A value of a fixed-point type: raw × 2^-F with raw inside the type's raw range. */
export interface BigFixed {
  readonly raw: bigint;
  readonly type: FixedType;
}

export function bigRawMin(t: FixedType): bigint {
  return t.signed ? -(1n << BigInt(t.W - 1)) : 0n;
}

export function bigRawMax(t: FixedType): bigint {
  return t.signed ? (1n << BigInt(t.W - 1)) - 1n : (1n << BigInt(t.W)) - 1n;
}

/**
 * Q_T(raw × 2^-fromF) for any integer raw: quantise per T's mode, then T's overflow mode.
 * Returns T's raw integer.
 */
export function quantizeBig(raw: bigint, fromF: number, t: FixedType): bigint {
  const s = fromF - t.F;
  if (s <= 0) {
    const r = raw << BigInt(-s);
    return overflowBig(r, r, t);
  }
  const S = BigInt(s);
  const fl = raw >> S; // BigInt >> is floor division by 2^s
  const rem = raw - (fl << S); // 0 ≤ rem < 2^s
  let r = fl;
  if (rem !== 0n) {
    const half = 1n << (S - 1n);
    const cmp = rem > half ? 1 : rem < half ? -1 : 0;
    if (roundsUp(t.q, cmp, fl < 0n, (fl & 1n) === 1n)) r = fl + 1n;
  }
  return overflowBig(r, fl, t);
}

/** T's overflow mode applied to the exact rounded integer r (trunc = the floor before rounding). */
export function overflowBig(r: bigint, trunc: bigint, t: FixedType): bigint {
  const min = bigRawMin(t);
  const max = bigRawMax(t);
  if (r >= min && r <= max) {
    return r === min && t.o === 'AP_SAT_SYM' && t.signed && t.W > 1 ? min + 1n : r;
  }
  const neg = r < min;
  const W = BigInt(t.W);
  const m = 1n << W;
  const half = m >> 1n;
  const toSigned = (p: bigint): bigint => (t.signed && p >= half ? p - m : p);
  let p = BigInt.asUintN(t.W, r);
  switch (t.o) {
    case 'AP_SAT': return neg ? min : max;
    case 'AP_SAT_ZERO': return 0n;
    case 'AP_SAT_SYM': return !neg ? max : !t.signed ? 0n : t.W > 1 ? min + 1n : min;
    case 'AP_WRAP':
      return t.n === 0 ? toSigned(p) : topBitsBig(p, neg, t);
    case 'AP_WRAP_SM': {
      const ro = p >= half;
      if (t.n === 0) {
        const lD = ((trunc >> W) & 1n) === 1n;
        if (lD !== ro) p = m - 1n - p;
        return toSigned(p);
      }
      if (t.n === 1) {
        if (neg !== ro) p = m - 1n - p;
        return toSigned(p);
      }
      if ((((p >> BigInt(t.W - t.n)) & 1n) === 1n) === neg) p = m - 1n - p;
      return topBitsBig(p, neg, t);
    }
  }
}

/** AP_WRAP / AP_WRAP_SM with N > 0: see overflow.ts saturateTopBits. */
function topBitsBig(p: bigint, neg: boolean, t: FixedType): bigint {
  const lowBits = BigInt(t.W - t.n);
  const low = p & ((1n << lowBits) - 1n);
  const m = 1n << BigInt(t.W);
  if (!t.signed) return low + m - (1n << lowBits);
  const half = m >> 1n;
  return neg ? low - half : low + half - (1n << lowBits);
}

/** A finite double as mantissa × 2^exp with an integer mantissa (exact decomposition). */
export function doubleToDyadic(x: number): { mant: bigint; exp: number } {
  if (!Number.isFinite(x)) throw new RangeError(`cannot convert ${x} to a fixed-point value`);
  if (x === 0) return { mant: 0n, exp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mag = e === 0 ? frac : frac | (1n << 52n);
  const exp = (e === 0 ? 1 : e) - 1075;
  return { mant: x < 0 ? -mag : mag, exp };
}

/** T(x) for a double x: exact, with T's modes. */
export function fromDoubleBig(x: number, t: FixedType): bigint {
  const { mant, exp } = doubleToDyadic(x);
  return quantizeBig(mant, -exp, t);
}

/** Nearest double to raw × 2^-F (ties to even, as Vitis' to_double). */
export function toDoubleBig(raw: bigint, t: FixedType): number {
  // Number(bigint) rounds to nearest-even; scaling by 2^-F is exact unless the result is subnormal.
  return Number(raw) * 2 ** -t.F;
}

// ---- values -------------------------------------------------------------------------------

/** A value from its raw integer; throws RangeError if raw is outside the type's range. */
export function bigFixed(raw: bigint | number, type: FixedType): BigFixed {
  const r = typeof raw === 'bigint' ? raw : BigInt(raw);
  if (r < bigRawMin(type) || r > bigRawMax(type)) throw new RangeError(`raw ${r} is outside W=${type.W}`);
  return { raw: r, type };
}

export function bigFromDouble(x: number, type: FixedType): BigFixed {
  return { raw: fromDoubleBig(x, type), type };
}

export function bigToDouble(v: BigFixed): number {
  return toDoubleBig(v.raw, v.type);
}

/** Assignment `T t = v;`: quantise and overflow into T. */
export function convert(v: BigFixed, t: FixedType): BigFixed {
  return { raw: quantizeBig(v.raw, v.type.F, t), type: t };
}

/** raw of v re-expressed with F fractional bits (F ≥ v's F: exact). */
function align(v: BigFixed, F: number): bigint {
  return v.raw << BigInt(F - v.type.F);
}

/** a + b at full precision (type per addType). */
export function add(a: BigFixed, b: BigFixed): BigFixed {
  const type = addType(a.type, b.type);
  return { raw: align(a, type.F) + align(b, type.F), type };
}

/** a − b at full precision (always signed, type per subType). */
export function sub(a: BigFixed, b: BigFixed): BigFixed {
  const type = subType(a.type, b.type);
  return { raw: align(a, type.F) - align(b, type.F), type };
}

/** a · b at full precision (W = Wa + Wb, I = Ia + Ib). */
export function mul(a: BigFixed, b: BigFixed): BigFixed {
  return { raw: a.raw * b.raw, type: mulType(a.type, b.type) };
}

/** −a (one more bit, always signed: −min must fit). */
export function neg(a: BigFixed): BigFixed {
  return { raw: -a.raw, type: negType(a.type) };
}

/** Exact comparison of the values: −1, 0 or +1. */
export function compare(a: BigFixed, b: BigFixed): number {
  const F = Math.max(a.type.F, b.type.F);
  const x = align(a, F);
  const y = align(b, F);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compound assignment `acc op= v`: the exact result of the operator, then quantised into acc's type. */
export function addAssign(acc: BigFixed, v: BigFixed): BigFixed {
  return convert(add(acc, v), acc.type);
}

export function subAssign(acc: BigFixed, v: BigFixed): BigFixed {
  return convert(sub(acc, v), acc.type);
}

export function mulAssign(acc: BigFixed, v: BigFixed): BigFixed {
  return convert(mul(acc, v), acc.type);
}

/**
 * `v << k` on ap_fixed (k ≥ 0): the type is kept and the raw bits move; bits leaving the top are
 * lost (a plain wrap, whatever v's overflow mode: Vitis applies no mode to shifts).
 */
export function shiftLeft(v: BigFixed, k: number): BigFixed {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`shift amount ${k} must be a non-negative integer`);
  const r = v.raw << BigInt(k);
  return { raw: v.type.signed ? BigInt.asIntN(v.type.W, r) : BigInt.asUintN(v.type.W, r), type: v.type };
}

/** `v >> k` on ap_fixed (k ≥ 0): the type is kept; the raw shifts arithmetically (floor), no rounding mode. */
export function shiftRight(v: BigFixed, k: number): BigFixed {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`shift amount ${k} must be a non-negative integer`);
  return { raw: v.raw >> BigInt(k), type: v.type };
}

/**
 * Vitis `to_int()` / `to_int64()` of an ap_fixed: the integer part truncated toward zero (like a
 * C cast from double), then the low `bits` bits read as a signed integer. Two vendor corner cases
 * are reproduced: with I = 0 the integer part lives in a 1-bit signed register, so a negative
 * non-zero value gives −1 (0 + 1 wraps); with I < 0 the vendor reads an uninitialised register
 * (undefined), for which this returns what vitforge's C-sim headers return: the I = 0 result.
 */
export function toIntBig(v: BigFixed, bits = 32): bigint {
  const { W, I, F, signed } = v.type;
  let ip: bigint;
  if (I <= 0) ip = signed && v.raw < 0n ? -1n : 0n;
  else if (I > W) ip = v.raw << BigInt(I - W);
  else {
    ip = v.raw >> BigInt(F); // floor
    if (v.raw < 0n && (v.raw & ((1n << BigInt(F)) - 1n)) !== 0n) ip += 1n; // toward zero
  }
  return BigInt.asIntN(bits, ip);
}
