/**
 * Types, seeded random values and reference semantics for test/hls/csim-headers.test.ts.
 *
 * Fixed-point conversions, arithmetic and result types are taken from the TypeScript engine
 * (src/fixed: quantize/fromDouble fast path and the BigInt path). What the engine does not model
 * (integer-type conversions, to_int, range access, shifts, and the vendor's comparison rules) is
 * written here with BigInt from the vendor semantics documented in docs/hls.md.
 */
import { bigRawMax, bigRawMin, type BigFixed } from '../../src/fixed/bigfixed.js';
import { fixedType, wideType, type FixedType, type OverflowMode, type QuantMode } from '../../src/fixed/type.js';

export interface CType extends FixedType {
  readonly id: number;
  readonly kind: 'fixed' | 'int';
  readonly cpp: string;
}

/** Deterministic 32-bit generator (mulberry32). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + (this.u32() % (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.u32() % a.length]!;
  }
  /** Uniform n-bit unsigned BigInt. */
  bits(n: number): bigint {
    let v = 0n;
    for (let i = 0; i < n; i += 32) v = (v << 32n) | BigInt(this.u32());
    return BigInt.asUintN(n, v);
  }
}

export function cppSpelling(t: FixedType, kind: 'fixed' | 'int'): string {
  if (kind === 'int') return `${t.signed ? 'ap_int' : 'ap_uint'}<${t.W}>`;
  return `${t.signed ? 'ap_fixed' : 'ap_ufixed'}<${t.W},${t.I},${t.q},${t.o},${t.n}>`;
}

export class TypeTable {
  readonly all: CType[] = [];
  add(t: FixedType, kind: 'fixed' | 'int' = 'fixed'): CType {
    const c: CType = { ...t, id: this.all.length, kind, cpp: cppSpelling(t, kind) };
    this.all.push(c);
    return c;
  }
  fixed(W: number, I: number, signed = true, q: QuantMode = 'AP_TRN', o: OverflowMode = 'AP_WRAP', n = 0): CType {
    return this.add(W > 64 ? { ...wideType(W, I, signed), q, o, n } : fixedType(W, I, signed, q, o, n));
  }
  int(W: number, signed: boolean): CType {
    return this.add(W > 64 ? wideType(W, W, signed) : fixedType(W, W, signed), 'int');
  }
}

export const minOf = (t: FixedType): bigint => bigRawMin(t);
export const maxOf = (t: FixedType): bigint => bigRawMax(t);
export const clampRaw = (r: bigint, t: FixedType): bigint => (t.signed ? BigInt.asIntN(t.W, r) : BigInt.asUintN(t.W, r));

/** A random raw value of t, biased toward zero, small magnitudes and the range ends. */
export function randomRaw(rng: Rng, t: FixedType): bigint {
  const min = minOf(t);
  const max = maxOf(t);
  const small = BigInt(rng.int(0, 3));
  switch (rng.int(0, 5)) {
    case 1: return clampRaw((rng.chance(0.5) ? -1n : 1n) * rng.bits(rng.int(0, t.W)), t);
    case 2: return min + small <= max ? min + small : min;
    case 3: return max - small >= min ? max - small : max;
    case 4: return clampRaw(small - 1n, t);
    default: return min + rng.bits(t.W);
  }
}

/**
 * A raw value of `src` chosen so that, seen on the grid of `dst`, it lands near dst's range ends,
 * zero, or a random point, with a dropped fraction that is 0, an exact tie, a tie ± 1 LSB, or random.
 */
export function rawTowards(rng: Rng, src: FixedType, dst: FixedType): bigint {
  const k = src.F - dst.F; // one dst LSB = 2^k src LSBs
  const spread = BigInt(rng.int(0, 3));
  const n = rng.pick<() => bigint>([
    () => minOf(dst) - spread, () => maxOf(dst) + spread, () => minOf(dst) + spread, () => maxOf(dst) - spread,
    () => BigInt(rng.int(-3, 3)), () => minOf(dst) + rng.bits(dst.W), () => (rng.chance(0.5) ? -1n : 1n) * rng.bits(dst.W + 4),
  ])();
  let raw: bigint;
  if (k > 0) {
    const K = BigInt(k);
    const half = 1n << (K - 1n);
    const frac = rng.pick<() => bigint>([
      () => 0n, () => half, () => half, () => half - 1n, () => half + 1n, () => 1n, () => (1n << K) - 1n, () => rng.bits(k),
    ])();
    raw = (n << K) + BigInt.asUintN(k, frac);
  } else {
    raw = n >> BigInt(-k);
  }
  return raw >= minOf(src) && raw <= maxOf(src) ? raw : randomRaw(rng, src);
}

/** A double whose value lands near t's interesting points, or a random double over a wide range. */
export function randomDouble(rng: Rng, t: FixedType): number {
  const choice = rng.int(0, 9);
  if (choice <= 5) {
    // On t's grid: n + fraction, n near the ends / zero / random, the fraction an exact tie etc.
    const spread = rng.int(0, 2);
    const lim = Math.min(t.W, 50);
    const base = rng.pick([
      () => Number(minOf(t)) - spread, () => Number(maxOf(t)) + spread, () => Number(minOf(t)) + spread,
      () => Number(maxOf(t)) - spread, () => rng.int(-3, 3), () => (rng.chance(0.5) ? -1 : 1) * Number(rng.bits(lim)),
    ])();
    const frac = rng.pick([0, 0.5, 0.5, 0.25, 0.75, 0.5 - 2 ** -20, 0.5 + 2 ** -20, rng.u32() / 4294967296]);
    const v = (Math.trunc(base) + frac) * 2 ** -t.F;
    return Number.isFinite(v) ? v : 0;
  }
  if (choice === 6) return rng.pick([0, -0, 5e-324, -5e-324, 2 ** -1022, -(2 ** -1030), 2 ** 200, -(2 ** 200), 1, -1, 0.5, -0.5, 0.25, -0.25]);
  // Random mantissa and an exponent around t's range.
  const m = 1 + rng.u32() / 4294967296 + rng.u32() / 2 ** 52;
  const e = rng.int(-t.F - 8, t.I + 8);
  return (rng.chance(0.5) ? -1 : 1) * m * 2 ** e;
}

/** The vendor's ap_int<W>(double): truncate toward zero, wrap; |d| < 0.5 negative gives +1. */
export function intFromDouble(d: number, t: FixedType): bigint {
  if (d === 0) return 0n;
  if (d < 0 && d > -0.5) return clampRaw(1n, t);
  const tr = BigInt(Math.trunc(d)); // exact: |d| ≥ 0.5 has an exactly representable truncation
  return clampRaw(tr, t);
}

/** The integer part the vendor's to_int() family starts from (see docs/hls.md). */
export function intPart(raw: bigint, t: FixedType): bigint {
  if (t.I <= 0) return t.signed && raw < 0n ? -1n : 0n;
  if (t.F <= 0) return raw << BigInt(-t.F);
  const F = BigInt(t.F);
  const fl = raw >> F;
  return raw < 0n && (raw & ((1n << F) - 1n)) !== 0n ? fl + 1n : fl;
}

/**
 * The vendor's integer comparison: exact, except mixed signedness with a >= 32-bit operand where
 * the unsigned one is at least as wide (C's usual conversions): compared modulo 2^(max W + 1);
 * equality compares modulo 2^max(WA, WB, 32) whenever the signedness differs, except for two
 * integers of the same width below 64 bits (the vendor's same-width overload is exact there).
 */
export function vendorLt(a: bigint, WA: number, SA: boolean, b: bigint, WB: number, SB: boolean): boolean {
  if (SA !== SB && !(WA < 32 && WB < 32) && (SA ? WB >= WA : WA >= WB) && Math.max(WA, WB) + 1 <= 128) {
    const M = Math.max(WA, WB) + 1;
    return BigInt.asUintN(M, a) < BigInt.asUintN(M, b);
  }
  return a < b;
}
export function vendorEq(a: bigint, WA: number, SA: boolean, b: bigint, WB: number, SB: boolean): boolean {
  const M = Math.max(WA, WB, 32);
  if (SA !== SB && !(WA === WB && WA < 64) && M <= 128) return BigInt.asUintN(M, a) === BigInt.asUintN(M, b);
  return a === b;
}

/** "== != < <= > >=" flags of a OP b as the vendor's ap_fixed comparison computes them. */
export function cmpFlags(a: BigFixed, b: BigFixed): string {
  const ta = a.type;
  const tb = b.type;
  const d = Math.abs(ta.F - tb.F);
  const WA = ta.F < tb.F ? ta.W + d + 1 : ta.W;
  const WB = ta.F > tb.F ? tb.W + d : tb.W;
  const symMin = ta.F > tb.F && tb.o === 'AP_SAT_SYM' && tb.signed && b.raw === minOf(tb);
  const xa = ta.F < tb.F ? a.raw << BigInt(d) : a.raw;
  const yb = ta.F > tb.F ? (b.raw << BigInt(d)) + (symMin ? 1n : 0n) : b.raw;
  let eq: boolean;
  let lt: boolean;
  let gt: boolean;
  if (WA <= 127 && WB <= 127) {
    eq = vendorEq(xa, WA, ta.signed, yb, WB, tb.signed);
    lt = vendorLt(xa, WA, ta.signed, yb, WB, tb.signed);
    gt = vendorLt(yb, WB, tb.signed, xa, WA, ta.signed);
  } else {
    eq = xa === yb;
    lt = xa < yb;
    gt = xa > yb;
  }
  const f = (x: boolean): string => (x ? '1' : '0');
  return f(eq) + f(!eq) + f(lt) + f(!gt) + f(gt) + f(!lt);
}

/** The signed 32-bit C int as a fixed-point operand (ap_fixed<32,32>). */
export const INT32: FixedType = fixedType(32, 32, true);

export function typedStr(v: BigFixed): string {
  return `${v.raw} ${v.type.W} ${v.type.I} ${v.type.signed ? 1 : 0}`;
}

/** IEEE bits of a double as 16 hex digits (what the driver prints). */
export function doubleHex(d: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}
