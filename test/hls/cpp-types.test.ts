import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addShape, cppDouble, cppType, exactDotShape, mulShape, type ApShape } from '../../src/hls/cpp-types.js';
import { parseFixedType } from '../../src/fixed/type.js';

const fx = (W: number, I: number): ApShape => ({ W, I, signed: true });
const ufx = (W: number, I: number): ApShape => ({ W, I, signed: false });

describe('Vitis full-precision result types (hand-worked from the ap_fixed rules)', () => {
  it('a + b: one integer bit over the wider operand, the larger F', () => {
    // ap_fixed<32,10> + ap_fixed<16,7>: F = max(22, 9) = 22, I = max(10, 7) + 1 = 11.
    expect(addShape(fx(32, 10), fx(16, 7))).toEqual({ W: 33, I: 11, signed: true });
    // ap_ufixed<8,0> + ap_fixed<16,0>: the unsigned operand needs a sign bit: I = max(0+1, 0) + 1 = 2, F = 16.
    expect(addShape(ufx(8, 0), fx(16, 0))).toEqual({ W: 18, I: 2, signed: true });
    // ap_ufixed<8,4> - ap_ufixed<8,4>: a difference is signed: I = 4 + 1 = 5, F = 4.
    expect(addShape(ufx(8, 4), ufx(8, 4), true)).toEqual({ W: 9, I: 5, signed: true });
    expect(addShape(ufx(8, 4), ufx(8, 4))).toEqual({ W: 9, I: 5, signed: false });
  });

  it('a * b: widths and integer bits add', () => {
    expect(mulShape(fx(32, 10), fx(16, 2))).toEqual({ W: 48, I: 12, signed: true });
    expect(mulShape(ufx(8, 0), fx(16, 0))).toEqual({ W: 24, I: 0, signed: true });
  });
});

/** Exact extreme values of a type's raw range. */
function rawExtremes(s: ApShape): [bigint, bigint] {
  return s.signed ? [-(1n << BigInt(s.W - 1)), (1n << BigInt(s.W - 1)) - 1n] : [0n, (1n << BigInt(s.W)) - 1n];
}

describe('exact adder-tree types', () => {
  const shapeArb = fc.record({ W: fc.integer({ min: 1, max: 20 }), I: fc.integer({ min: -6, max: 24 }), signed: fc.boolean() });

  it('hold every sum of `terms` products (extremes enumerated with BigInt)', () => {
    fc.assert(fc.property(shapeArb, shapeArb, fc.integer({ min: 1, max: 40 }), (x, w, n) => {
      const s = exactDotShape(x, w, n);
      const [x0, x1] = rawExtremes(x);
      const [w0, w1] = rawExtremes(w);
      const prods = [x0 * w0, x0 * w1, x1 * w0, x1 * w1];
      const hi = BigInt(n) * prods.reduce((a, b) => (b > a ? b : a));
      const lo = BigInt(n) * prods.reduce((a, b) => (b < a ? b : a));
      // The sum has F = Fx + Fw, the same grid as the type: compare raws directly.
      expect(s.W - s.I).toBe(x.W - x.I + (w.W - w.I));
      const [s0, s1] = rawExtremes(s);
      return s0 <= lo && hi <= s1;
    }), { seed: 42, numRuns: 2000 });
  });

  it('are not wasteful for the Edge-MoE linear unit: fm_t * lw_t, 16 terms', () => {
    // |x| ≤ 2^9, |w| ≤ 2^1, 16 terms → |sum| ≤ 2^14: 16 integer bits with the sign; F = 22 + 14.
    expect(exactDotShape(fx(32, 10), fx(16, 2), 16)).toEqual({ W: 52, I: 16, signed: true });
  });
});

describe('C++ spellings', () => {
  it('types print with their modes, defaults omitted', () => {
    expect(cppType(parseFixedType('ap_fixed<32,10>'))).toBe('ap_fixed<32, 10>');
    expect(cppType(parseFixedType('ap_ufixed<16,-2>'))).toBe('ap_ufixed<16, -2>');
    expect(cppType(parseFixedType('ap_fixed<16,2,AP_RND>'))).toBe('ap_fixed<16, 2, AP_RND>');
    expect(cppType(parseFixedType('ap_fixed<16,2,AP_TRN,AP_SAT>'))).toBe('ap_fixed<16, 2, AP_TRN, AP_SAT>');
  });

  it('double literals parse back to the same double', () => {
    for (const x of [0.125, 1 / 192, 1e-6, 1, 4, 1 / Math.sqrt(3), 2 ** -40]) {
      const s = cppDouble(x);
      expect(s).toMatch(/[.e]/);
      expect(Number(s)).toBe(x);
    }
  });
});
