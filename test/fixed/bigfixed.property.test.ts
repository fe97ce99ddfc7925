/**
 * Full-precision operators of the BigInt path: result types against the vendor formulas (written
 * out here), values against exact rational arithmetic, compound assignment against the bit-level
 * reference conversion.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { add, addAssign, bigFixed, compare, mul, mulAssign, neg, sub, subAssign, type BigFixed } from '../../src/fixed/bigfixed.js';
import { mulQuantize } from '../../src/fixed/quantize.js';
import type { FixedType } from '../../src/fixed/type.js';
import { refConvert } from './reference.js';
import { SEED, typeArb } from './arbitraries.js';

const valueArb = (maxW: number): fc.Arbitrary<BigFixed> => typeArb(maxW).chain((t) => {
  const lo = t.signed ? -(1n << BigInt(t.W - 1)) : 0n;
  const hi = t.signed ? (1n << BigInt(t.W - 1)) - 1n : (1n << BigInt(t.W)) - 1n;
  return fc.oneof(fc.bigInt({ min: lo, max: hi }), fc.constantFrom(lo, hi, 0n)).map((r) => bigFixed(r, t));
});

/** Exact value as a fraction num / 2^den with den = max(F, 0)… kept simple: compare at a common scale. */
function atScale(v: { raw: bigint; type: FixedType }, F: number): bigint {
  const k = F - v.type.F;
  if (k < 0) throw new Error('scale too coarse');
  return v.raw << BigInt(k);
}

function inRange(v: BigFixed): boolean {
  const t = v.type;
  const lo = t.signed ? -(1n << BigInt(t.W - 1)) : 0n;
  const hi = t.signed ? (1n << BigInt(t.W - 1)) - 1n : (1n << BigInt(t.W)) - 1n;
  return v.raw >= lo && v.raw <= hi;
}

describe('operators', () => {
  const pair = fc.tuple(valueArb(64), valueArb(64));
  test('a + b, a − b: type per plus/minus formula, exact value, representable', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      const A = a.type, B = b.type;
      const I = Math.max(A.I + (B.signed && !A.signed ? 1 : 0), B.I + (A.signed && !B.signed ? 1 : 0)) + 1;
      const F = Math.max(A.F, B.F);
      const s = add(a, b);
      const d = sub(a, b);
      expect([s.type.W, s.type.I, s.type.signed]).toEqual([I + F, I, A.signed || B.signed]);
      expect([d.type.W, d.type.I, d.type.signed]).toEqual([I + F, I, true]);
      expect(atScale(s, F)).toBe(atScale(a, F) + atScale(b, F));
      expect(atScale(d, F)).toBe(atScale(a, F) - atScale(b, F));
      expect(inRange(s) && inRange(d)).toBe(true);
    }), { seed: SEED, numRuns: 10_000 });
  });
  test('a · b: W = Wa + Wb, I = Ia + Ib, exact and representable; −a exact in W+1 bits', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      const p = mul(a, b);
      expect([p.type.W, p.type.I, p.type.signed]).toEqual([a.type.W + b.type.W, a.type.I + b.type.I, a.type.signed || b.type.signed]);
      expect(p.raw).toBe(a.raw * b.raw); // F adds up: Fa + Fb = F of the product
      expect(inRange(p)).toBe(true);
      const n = neg(a);
      expect([n.type.W, n.type.I, n.raw]).toEqual([a.type.W + 1, a.type.I + 1, -a.raw]);
      expect(inRange(n)).toBe(true);
    }), { seed: SEED, numRuns: 10_000 });
  });
  test('compare is the sign of the exact difference', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      const F = Math.max(a.type.F, b.type.F);
      const diff = atScale(a, F) - atScale(b, F);
      expect(compare(a, b)).toBe(diff > 0n ? 1 : diff < 0n ? -1 : 0);
    }), { seed: SEED, numRuns: 5_000 });
  });
  test('acc += v, acc −= v, acc *= v: exact operator, then the reference conversion into acc', () => {
    fc.assert(fc.property(pair, ([acc, v]) => {
      const F = Math.max(acc.type.F, v.type.F);
      const fmt = (W: number): { W: number; I: number; signed: boolean } => ({ W, I: W - F, signed: true });
      const sum = atScale(acc, F) + atScale(v, F);
      const dif = atScale(acc, F) - atScale(v, F);
      const wide = Math.max(acc.type.W, v.type.W) + Math.abs(acc.type.F - v.type.F) + 2;
      expect(addAssign(acc, v).raw).toBe(refConvert(sum, fmt(wide), acc.type));
      expect(subAssign(acc, v).raw).toBe(refConvert(dif, fmt(wide), acc.type));
      const pf = acc.type.F + v.type.F;
      const prodFmt = { W: acc.type.W + v.type.W + 1, I: acc.type.W + v.type.W + 1 - pf, signed: true };
      expect(mulAssign(acc, v).raw).toBe(refConvert(acc.raw * v.raw, prodFmt, acc.type));
    }), { seed: SEED, numRuns: 10_000 });
  });
  test('fast-path mulQuantize agrees with the BigInt product converted to the target', () => {
    fc.assert(fc.property(valueArb(53), valueArb(53), typeArb(53), (a, b, t) => {
      const pf = a.type.F + b.type.F;
      const fmt = { W: a.type.W + b.type.W + 1, I: a.type.W + b.type.W + 1 - pf, signed: true };
      expect(mulQuantize(Number(a.raw), a.type.F, Number(b.raw), b.type.F, t)).toBe(Number(refConvert(a.raw * b.raw, fmt, t)));
    }), { seed: SEED, numRuns: 5_000 });
  });
});
