/**
 * RECIP and RSQRT accuracy against double 1/x and 1/√x (correctly rounded, independent of the
 * units), with the relative bounds derived in docs/math.md for the value before output rounding:
 *
 *   RECIP: 2^-33 (mantissa truncation) + ε0² (ε0 ≤ 3.9e-6: interpolated seed) + 2^-40 + 2^-34
 *          (Newton residual and y1 truncation)                                  ≤ 2^-32
 *   RSQRT: 2^-34 (mantissa) + 1.5·ε0² (ε0 ≤ 5.8e-6) + 2^-35 + 2^-40 + 2^-34        ≤ 2^-32
 *
 * The output conversion then adds [−1, 0] ulp (AP_TRN).
 */
import { describe, expect, it } from 'vitest';
import { recipHw, rsqrtHw } from '../../../src/fixed/math/index.js';
import { parseFixedType, rawRange } from '../../../src/fixed/type.js';
import { randInt, rng } from './rng.js';

const B = 2 ** -32;
const SOFTMAX = parseFixedType('ap_fixed<32,10>');
const LNSTAT = parseFixedType('ap_fixed<48,24>');

/** Largest relative deviation of got from want above (+) and below (−, in want units). */
function track(acc: { hi: number; lo: number }, got: number, want: number, ulp: number): void {
  acc.hi = Math.max(acc.hi, (got - want) / want);
  acc.lo = Math.max(acc.lo, (want - got - ulp) / want); // after allowing one ulp of truncation
}

describe('recipHw accuracy', () => {
  it('unrounded (wide output): relative error ≤ 2^-32 for softmax sums in [1, 512)', () => {
    const out = parseFixedType('ap_ufixed<46,2>'); // F = 44 ≥ 35 + 9: the conversion is exact
    const acc = { hi: 0, lo: 0 };
    const check = (raw: number): void => track(acc, recipHw(raw, SOFTMAX, out) * 2 ** -out.F, 2 ** SOFTMAX.F / raw, 0);
    for (let raw = 2 ** 22; raw < 2 ** 23; raw += 3) check(raw); // x ∈ [1, 2): every third mantissa
    for (let raw = 2 ** 23; raw < 2 ** 31; raw += 4099) check(raw);
    expect(acc.hi).toBeLessThanOrEqual(B);
    expect(acc.lo).toBeLessThanOrEqual(B);
    expect(Math.max(acc.hi, acc.lo)).toBeGreaterThan(0);
  });

  it('wide inputs (mantissa truncated to 34 bits) stay within 2^-32', () => {
    const xT = parseFixedType('ap_fixed<53,20>');
    const out = parseFixedType('ap_ufixed<53,5>'); // 1/x ∈ [2^-4, 2^4] exactly representable
    const r = rng(3);
    const acc = { hi: 0, lo: 0 };
    for (let i = 0; i < 100_000; i++) {
      const raw = randInt(r, 2 ** 29, 2 ** 37);
      track(acc, recipHw(raw, xT, out) * 2 ** -out.F, 2 ** xT.F / raw, 0);
    }
    expect(Math.max(acc.hi, acc.lo)).toBeLessThanOrEqual(B);
  });

  it('softmax output (AP_TRN): 1/x·(1 − 2^-32) − ulp ≤ result ≤ 1/x·(1 + 2^-32)', () => {
    const ulp = 2 ** -SOFTMAX.F;
    const acc = { hi: 0, lo: 0 };
    for (let raw = 2 ** 22; raw < 2 ** 31; raw += 997) {
      track(acc, recipHw(raw, SOFTMAX, SOFTMAX) * ulp, 2 ** SOFTMAX.F / raw, ulp);
    }
    expect(acc.hi).toBeLessThanOrEqual(B);
    expect(acc.lo).toBeLessThanOrEqual(B);
  });

  it('powers of two are exact; x ≤ 0 gives the maximum; overflow follows the output mode', () => {
    for (let k = -8; k <= 22; k++) expect(recipHw(2 ** (22 + k), SOFTMAX, SOFTMAX)).toBe(2 ** (22 - k));
    expect(recipHw(0, SOFTMAX, SOFTMAX)).toBe(rawRange(SOFTMAX).max);
    expect(recipHw(-5, SOFTMAX, SOFTMAX)).toBe(rawRange(SOFTMAX).max);
    const sat = parseFixedType('ap_fixed<32,10,AP_TRN,AP_SAT>');
    expect(recipHw(1, SOFTMAX, sat)).toBe(rawRange(sat).max); // 1/2^-22 = 2^22 > 512
    expect(recipHw(1, SOFTMAX, SOFTMAX)).toBe(0); // AP_WRAP: 2^22·2^22 mod 2^32 = 0
  });
});

describe('rsqrtHw accuracy', () => {
  it('unrounded (wide output): relative error ≤ 2^-32 for m ∈ [1, 4) and LayerNorm inputs', () => {
    const inT = parseFixedType('ap_fixed<40,16>'); // F = 24
    const out = parseFixedType('ap_ufixed<53,13>'); // F = 40 ≥ 35 + 5 for x ≥ 2^-10
    const acc = { hi: 0, lo: 0 };
    const check = (raw: number): void => track(acc, rsqrtHw(raw, inT, out) * 2 ** -out.F, 1 / Math.sqrt(raw * 2 ** -24), 0);
    for (let raw = 2 ** 24; raw < 2 ** 26; raw += 37) check(raw); // x ∈ [1, 4): both parities
    for (let i = 0; i <= 200_000; i++) check(Math.round(2 ** (14 + (i / 200_000) * 24))); // x ∈ [2^-10, 2^14]
    expect(acc.hi).toBeLessThanOrEqual(B);
    expect(acc.lo).toBeLessThanOrEqual(B);
  });

  it('lnStat ap_fixed<48,24> in and out, x ∈ [1e-6, 1e4]: within 2^-32 relative + 1 ulp', () => {
    const ulp = 2 ** -LNSTAT.F;
    const acc = { hi: 0, lo: 0 };
    let worstRel = 0;
    for (let i = 0; i <= 300_000; i++) {
      const raw = Math.max(1, Math.round(1e-6 * 1e10 ** (i / 300_000) * 2 ** 24));
      const want = 1 / Math.sqrt(raw * ulp);
      const got = rsqrtHw(raw, LNSTAT, LNSTAT) * ulp;
      track(acc, got, want, ulp);
      if (want >= 1) worstRel = Math.max(worstRel, Math.abs(got - want) / want);
    }
    expect(acc.hi).toBeLessThanOrEqual(B);
    expect(acc.lo).toBeLessThanOrEqual(B);
    // Where the output grid allows it (1/√x ≥ 1, i.e. x ≤ 1) the relative error is far below 1e-6.
    expect(worstRel).toBeLessThan(1e-6);
  });

  it('wide inputs (mantissa truncated) stay within 2^-32', () => {
    const xT = parseFixedType('ap_fixed<53,21>'); // F = 32
    const out = parseFixedType('ap_ufixed<53,8>');
    const r = rng(5);
    const acc = { hi: 0, lo: 0 };
    for (let i = 0; i < 100_000; i++) {
      const raw = randInt(r, 2 ** 22, 2 ** 42); // x ∈ [2^-10, 2^10]
      track(acc, rsqrtHw(raw, xT, out) * 2 ** -out.F, 1 / Math.sqrt(raw * 2 ** -32), 0);
    }
    expect(Math.max(acc.hi, acc.lo)).toBeLessThanOrEqual(B);
  });

  it('powers of four are exact; odd exponents and odd F are handled; x ≤ 0 gives the maximum', () => {
    for (let k = -10; k <= 10; k++) expect(rsqrtHw(2 ** (24 + 2 * k), LNSTAT, LNSTAT)).toBe(2 ** (24 - k));
    const oddF = parseFixedType('ap_fixed<30,15>'); // F = 15
    for (const x of [0.5, 2, 8, 3, 1000]) {
      const raw = Math.round(x * 2 ** 15);
      const got = rsqrtHw(raw, oddF, LNSTAT) * 2 ** -24;
      const want = 1 / Math.sqrt(raw * 2 ** -15);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(want * B + 2 ** -24);
    }
    expect(rsqrtHw(0, LNSTAT, LNSTAT)).toBe(rawRange(LNSTAT).max);
    expect(rsqrtHw(-1, LNSTAT, LNSTAT)).toBe(rawRange(LNSTAT).max);
  });
});
