/** The exact-product helpers against BigInt arithmetic. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floorMulShift, leadingOne, parity, pow2 } from '../../../src/fixed/math/wide.js';

/** floor(a·b / 2^s) in BigInt (BigInt >> is an arithmetic shift: floor for negatives too). */
const ref = (a: number, b: number, s: number): number => Number((BigInt(a) * BigInt(b)) >> BigInt(s));

/** An integer with a random bit length up to `bits`, either sign. */
const intBits = (bits: number) => fc.tuple(fc.integer({ min: 0, max: bits }), fc.double({ min: 0, max: 1, noNaN: true }),
  fc.boolean()).map(([len, u, neg]) => {
  const v = Math.floor(u * 2 ** len);
  return neg ? 0 - v : v; // 0 - 0 is +0, not -0
});

describe('floorMulShift', () => {
  it('equals floor(a·b/2^s) for operands below 2^52 whenever the result is below 2^53', () => {
    fc.assert(fc.property(intBits(51), intBits(51), fc.integer({ min: 0, max: 110 }), (a, b, s) => {
      const want = (BigInt(a) * BigInt(b)) >> BigInt(s);
      fc.pre(want < 2n ** 53n && want >= -(2n ** 53n));
      expect(floorMulShift(a, b, s)).toBe(Number(want));
    }), { seed: 42, numRuns: 20_000 });
  });

  it('covers each path: small products, one operand ≤ 2^26, both wide', () => {
    const cases: [number, number, number][] = [
      [3, -5, 1], [2 ** 26, 2 ** 51 - 1, 30], [-(2 ** 26), 2 ** 51 - 1, 30], [2 ** 20 + 7, -(2 ** 45) - 3, 12],
      [2 ** 51 - 1, 2 ** 51 - 1, 52], [-(2 ** 51) + 1, 2 ** 51 - 1, 52], [2 ** 40 + 12345, 2 ** 38 + 999, 30],
      [-(2 ** 40) - 12345, 2 ** 38 + 999, 26], [2 ** 33 + 1, -(2 ** 33) - 1, 20], [2 ** 45 + 3, 2 ** 30 + 5, 25],
    ];
    for (const [a, b, s] of cases) expect(floorMulShift(a, b, s)).toBe(ref(a, b, s));
  });
});

describe('leadingOne, parity, pow2', () => {
  it('leadingOne is floor(log2 x) for every bit length up to 53', () => {
    for (let k = 0; k < 53; k++) {
      for (const x of [2 ** k, 2 ** (k + 1) - 1, 2 ** k + Math.floor(2 ** k / 3)]) {
        if (x >= 2 ** 53) continue;
        expect(leadingOne(x)).toBe(BigInt(x).toString(2).length - 1);
      }
    }
  });
  it('parity works for negative values', () => {
    for (let v = -9; v <= 9; v++) expect(parity(v)).toBe(((v % 2) + 2) % 2);
  });
  it('pow2 is exact', () => {
    for (const k of [-1023, -60, -1, 0, 1, 52, 1023]) expect(pow2(k)).toBe(2 ** k);
  });
});
