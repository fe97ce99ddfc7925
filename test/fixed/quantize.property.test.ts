/**
 * Property tests of the double fast path (quantize, fromDouble, quantizeSplit, mulQuantize, the
 * array forms) against the bit-level BigInt reference in reference.ts: ≥ 10,000 seeded cases per
 * quantisation mode and per overflow mode.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fixedType, OVERFLOW_MODES, QUANT_MODES, type FixedType } from '../../src/fixed/type.js';
import {
  fromDouble, fromDoubleArray, mulQuantize, quantize, quantizeArray, quantizeSplit, toDouble,
} from '../../src/fixed/quantize.js';
import { doubleToDyadic, fromDoubleBig, quantizeBig } from '../../src/fixed/bigfixed.js';
import { refFromDouble, refQuantize } from './reference.js';
import { SEED, sourceArb, typeArb } from './arbitraries.js';

const RUNS = 10_000;
const typeArbSample = (): FixedType => fixedType(32, 10);
const TWO53 = 2n ** 53n;

/** Doubles: any finite double, or dyadic values k/2^j that hit grid points and ties. */
const doubleArb = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.tuple(fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), fc.integer({ min: -40, max: 60 })).map(([k, j]) => k * 2 ** -j),
  fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: -1074, max: 1023 })).map(([m, e]) => m * 2 ** e),
);

describe.each(QUANT_MODES.map((q) => [q]))('quantisation mode %s', (q) => {
  test('quantize(raw, fromF) matches the reference', () => {
    fc.assert(fc.property(typeArb(53, q).chain((t) => fc.tuple(fc.constant(t), sourceArb(t, 53))), ([t, { raw, fromF }]) => {
      const want = refQuantize(raw, fromF, t);
      expect(quantize(Number(raw), fromF, t)).toBe(Number(want));
    }), { seed: SEED, numRuns: RUNS });
  });
  test('fromDouble matches the vendor double constructor', () => {
    fc.assert(fc.property(typeArb(53, q), doubleArb, (t, x) => {
      expect(fromDouble(x, t)).toBe(Number(refFromDouble(x, t)));
    }), { seed: SEED, numRuns: RUNS });
  });
});

describe.each(OVERFLOW_MODES.map((o) => [o]))('overflow mode %s', (o) => {
  test('quantize(raw, fromF) matches the reference', () => {
    fc.assert(fc.property(typeArb(53, undefined, o).chain((t) => fc.tuple(fc.constant(t), sourceArb(t, 53))), ([t, { raw, fromF }]) => {
      expect(quantize(Number(raw), fromF, t)).toBe(Number(refQuantize(raw, fromF, t)));
    }), { seed: SEED, numRuns: RUNS });
  });
  test('fromDouble matches the vendor double constructor', () => {
    fc.assert(fc.property(typeArb(53, undefined, o), doubleArb, (t, x) => {
      expect(fromDouble(x, t)).toBe(Number(refFromDouble(x, t)));
    }), { seed: SEED, numRuns: RUNS });
  });
});

describe('wide sources on the fast path', () => {
  test('quantizeSplit equals Q of (hi·2^L + lo)·2^-fromF', () => {
    const arb = typeArb(53).chain((t) => fc.record({
      t: fc.constant(t),
      hi: fc.oneof(fc.bigInt({ min: -TWO53, max: TWO53 }), fc.bigInt({ min: -(1n << 20n), max: 1n << 20n })),
      lo: fc.oneof(fc.bigInt({ min: -TWO53, max: TWO53 }), fc.bigInt({ min: 0n, max: 1n << 16n })),
      L: fc.integer({ min: 0, max: 60 }),
      sh: fc.oneof(fc.integer({ min: -4, max: 60 }), fc.integer({ min: -1000, max: 1000 })),
    }));
    fc.assert(fc.property(arb, ({ t, hi, lo, L, sh }) => {
      const fromF = t.F + sh;
      const exact = (hi << BigInt(L)) + lo;
      expect(quantizeSplit(Number(hi), Number(lo), L, fromF, t)).toBe(Number(refQuantize(exact, fromF, t)));
    }), { seed: SEED, numRuns: RUNS });
  });

  test('mulQuantize equals Q of the exact product', () => {
    const big = fc.oneof(fc.bigInt({ min: -(TWO53 - 1n), max: TWO53 - 1n }), fc.bigInt({ min: -(1n << 32n), max: 1n << 32n }),
      fc.bigInt({ min: -1000n, max: 1000n }));
    const arb = typeArb(53).chain((t) => fc.record({
      t: fc.constant(t), a: big, b: big,
      aF: fc.integer({ min: -20, max: 70 }), bF: fc.integer({ min: -20, max: 70 }),
    }));
    fc.assert(fc.property(arb, ({ t, a, b, aF, bF }) => {
      expect(mulQuantize(Number(a), aF, Number(b), bF, t)).toBe(Number(refQuantize(a * b, aF + bF, t)));
    }), { seed: SEED, numRuns: RUNS });
  });

  test('quantizeArray and fromDoubleArray equal the scalar reference element-wise', () => {
    const arb = typeArb(53).chain((t) => fc.record({
      t: fc.constant(t),
      raws: fc.array(fc.oneof(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: -300, max: 300 })), { maxLength: 40 }),
      sh: fc.integer({ min: -70, max: 70 }),
      xs: fc.array(doubleArb, { maxLength: 20 }),
    }));
    fc.assert(fc.property(arb, ({ t, raws, sh, xs }) => {
      const src = Float64Array.from(raws);
      const dst = new Float64Array(src.length);
      quantizeArray(src, t.F + sh, t, dst);
      raws.forEach((r, i) => expect(dst[i]).toBe(Number(refQuantize(BigInt(r), t.F + sh, t))));
      const fx = fromDoubleArray(xs, t);
      xs.forEach((x, i) => expect(fx[i]).toBe(Number(refFromDouble(x, t))));
      const f32 = Float32Array.from(xs.map((x) => (Math.abs(x) < 3e38 ? x : 0)));
      const f32x = fromDoubleArray(f32, t, new Float64Array(f32.length));
      f32.forEach((x, i) => expect(f32x[i]).toBe(Number(refFromDouble(x, t))));
    }), { seed: SEED, numRuns: 2_000 });
  });
});

describe('non-finite input', () => {
  test('NaN and ±Infinity throw RangeError from the scalar and the array forms', () => {
    const t = typeArbSample();
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(() => fromDouble(bad, t)).toThrow(RangeError);
      expect(() => fromDoubleArray([0.5, bad], t)).toThrow(RangeError);
      expect(() => fromDoubleArray(new Float64Array([bad]), t)).toThrow(RangeError);
    }
  });
});

describe('BigInt path', () => {
  test('quantizeBig handles W ≤ 64 targets and 130-bit sources', () => {
    fc.assert(fc.property(typeArb(64).chain((t) => fc.tuple(fc.constant(t), sourceArb(t, 130))), ([t, { raw, fromF }]) => {
      expect(quantizeBig(raw, fromF, t)).toBe(refQuantize(raw, fromF, t));
    }), { seed: SEED, numRuns: RUNS });
  });
  test('fromDoubleBig matches the vendor double constructor for W ≤ 64', () => {
    fc.assert(fc.property(typeArb(64), doubleArb, (t, x) => {
      expect(fromDoubleBig(x, t)).toBe(refFromDouble(x, t));
    }), { seed: SEED, numRuns: RUNS });
  });
  test('toDouble is exact on the fast path', () => {
    fc.assert(fc.property(typeArb(53), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (t, u) => {
      const lo = t.signed ? -(2 ** (t.W - 1)) : 0;
      const r = lo + Math.floor(u * 2 ** t.W); // any raw of the type
      const { mant, exp } = doubleToDyadic(toDouble(r, t));
      // mant·2^exp = r·2^-F  ⇔  mant·2^(exp+F) = r, compared in BigInt
      const k = exp + t.F;
      const lhs = k >= 0 ? mant << BigInt(k) : mant;
      const rhs = k >= 0 ? BigInt(r) : BigInt(r) << BigInt(-k);
      expect(lhs).toBe(rhs);
    }), { seed: SEED, numRuns: 2_000 });
  });
});
