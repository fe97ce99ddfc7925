/**
 * The exact scalar steps (Q_T of sums and products of raws, with double fast paths and BigInt
 * fallbacks) against the test-side BigInt reference (helpers/bigref.ts), over random types up to
 * W = 53, every quantisation mode and the overflow modes the reference models.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedType, type FixedType, type OverflowMode, type QuantMode } from '../../../src/fixed/type.js';
import { addQ, diffMulQ, macQ, mulQ, qBig, Quantizer, subSquareQ } from '../../../src/sim/functional/exact.js';
import { errorMetrics, routingAgreement, routingMatches } from '../../../src/sim/functional/metrics.js';
import { align, qRef } from './helpers/bigref.js';

const Q: QuantMode[] = ['AP_TRN', 'AP_TRN_ZERO', 'AP_RND', 'AP_RND_ZERO', 'AP_RND_MIN_INF', 'AP_RND_INF', 'AP_RND_CONV'];
const O: OverflowMode[] = ['AP_WRAP', 'AP_SAT', 'AP_SAT_ZERO', 'AP_SAT_SYM'];

const arbType: fc.Arbitrary<FixedType> = fc.record({
  W: fc.integer({ min: 2, max: 53 }), I: fc.integer({ min: -8, max: 40 }), signed: fc.boolean(),
  q: fc.constantFrom(...Q), o: fc.constantFrom(...O),
}).map(({ W, I, signed, q, o }) => fixedType(W, I, signed, q, o));

/** A raw of a W-bit signed type with W in 2..53, biased towards wide values. */
const arbRaw = fc.integer({ min: 2, max: 53 }).chain((W) => fc.bigInt({ min: -(1n << BigInt(W - 1)), max: (1n << BigInt(W - 1)) - 1n }))
  .map(Number);
const arbF = fc.integer({ min: -10, max: 60 });

const opts = { seed: 42, numRuns: 4000 };

describe('exact steps equal the BigInt reference', () => {
  it('addQ', () => {
    fc.assert(fc.property(arbRaw, arbF, arbRaw, arbF, arbType, (a, aF, b, bF, t) => {
      const F = Math.max(aF, bF);
      return addQ(a, aF, b, bF, t) === Number(qRef(align(BigInt(a), aF, F) + align(BigInt(b), bF, F), F, t));
    }), opts);
  });
  it('mulQ', () => {
    fc.assert(fc.property(arbRaw, arbF, arbRaw, arbF, arbType, (a, aF, b, bF, t) =>
      mulQ(a, aF, b, bF, t) === Number(qRef(BigInt(a) * BigInt(b), aF + bF, t))), opts);
  });
  it('macQ', () => {
    fc.assert(fc.property(arbRaw, arbF, arbRaw, arbF, arbRaw, arbF, arbType, (c, cF, a, aF, b, bF, t) => {
      const F = Math.max(cF, aF + bF);
      const v = align(BigInt(c), cF, F) + align(BigInt(a) * BigInt(b), aF + bF, F);
      return macQ(c, cF, a, aF, b, bF, t) === Number(qRef(v, F, t));
    }), opts);
  });
  it('diffMulQ', () => {
    fc.assert(fc.property(arbRaw, arbF, arbRaw, arbF, arbRaw, arbF, arbType, (a, aF, b, bF, r, rF, t) => {
      const F = Math.max(aF, bF);
      const v = (align(BigInt(a), aF, F) - align(BigInt(b), bF, F)) * BigInt(r);
      return diffMulQ(a, aF, b, bF, r, rF, t) === Number(qRef(v, F + rF, t));
    }), opts);
  });
  it('subSquareQ', () => {
    fc.assert(fc.property(arbRaw, arbF, arbRaw, arbF, arbType, (e, eF, m, mF, t) => {
      const F = Math.max(eF, 2 * mF);
      const v = align(BigInt(e), eF, F) - align(BigInt(m) * BigInt(m), 2 * mF, F);
      return subSquareQ(e, eF, m, mF, t) === Number(qRef(v, F, t));
    }), opts);
  });
  it('qBig on values far beyond 2^53', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(1n << 120n), max: 1n << 120n }), fc.integer({ min: 0, max: 130 }), arbType,
      (v, F, t) => qBig(v, F, t) === Number(qRef(v, F, t))), opts);
  });
  it('Quantizer equals quantize semantics (incl. out-of-range and non-TRN modes)', () => {
    fc.assert(fc.property(arbRaw, arbF, arbType, (raw, F, t) => new Quantizer(F, t).q(raw) === Number(qRef(BigInt(raw), F, t))), opts);
  });
});

describe('error metrics', () => {
  it('hand-worked example', () => {
    // ref (3, 4), test (3, 5): Σref² = 25, Σe² = 1 → SQNR 10·log10 25, MSE 1/2, rel L2 1/5, max 1.
    const m = errorMetrics([3, 4], [3, 5]);
    expect(m.sqnrDb).toBeCloseTo(10 * Math.log10(25), 12);
    expect(m.mse).toBe(0.5);
    expect(m.relL2).toBeCloseTo(0.2, 15);
    expect(m.maxAbs).toBe(1);
    expect(errorMetrics([1, 2], [1, 2]).sqnrDb).toBe(Infinity);
    // Row mask: only row 1 of a 2×2 matrix.
    const r = errorMetrics([1, 1, 3, 4], [9, 9, 3, 5], { keep: [false, true], cols: 2 });
    expect(r.maxAbs).toBe(1);
    expect(r.mse).toBe(0.5);
  });
  it('routing agreement compares expert SETS per token', () => {
    // token 0: {1,2} vs {2,1} same; token 1: {0,3} vs {0,2} differs; token 2 same.
    const ref = [1, 2, 0, 3, 4, 5];
    const got = [2, 1, 0, 2, 4, 5];
    expect(routingMatches(ref, got, 2)).toEqual([true, false, true]);
    expect(routingAgreement(ref, got, 2)).toBeCloseTo(2 / 3, 15);
  });
});
