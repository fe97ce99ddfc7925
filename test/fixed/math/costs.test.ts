/**
 * Cost model of the math units: DSP and BRAM counts derived by hand from the operator widths in
 * types.ts (see the comments), and structural properties of the estimates.
 */
import { describe, expect, it } from 'vitest';
import { mathUnitCost, mulDsp } from '../../../src/fixed/math/index.js';
import { parseFixedType } from '../../../src/fixed/type.js';

const P = parseFixedType;
const FM = P('ap_fixed<32,10>');
const DIFF = P('ap_fixed<33,11>'); // exact difference of two fm values
const LNSTAT = P('ap_fixed<48,24>');

describe('mulDsp (DSP48E2: 26×17 unsigned bits per slice)', () => {
  it('counts slices of common multiplier shapes', () => {
    expect(mulDsp(17, 26)).toBe(1);
    expect(mulDsp(26, 17)).toBe(1);
    expect(mulDsp(16, 16)).toBe(1);
    expect(mulDsp(18, 18)).toBe(2); // 18 > 17 on both sides
    expect(mulDsp(32, 32)).toBe(4);
    expect(mulDsp(34, 26)).toBe(2); // 26 on the wide port, 34 = 2×17
    expect(mulDsp(4, 40)).toBe(0); // shift-adds in LUTs
  });
  it('is symmetric and non-decreasing in each operand width', () => {
    for (let a = 1; a <= 64; a++) {
      for (let b = 1; b <= 64; b++) {
        expect(mulDsp(a, b)).toBe(mulDsp(b, a));
        if (a < 64) expect(mulDsp(a + 1, b)).toBeGreaterThanOrEqual(mulDsp(a, b));
      }
    }
  });
});

describe('mathUnitCost for the default datapath types', () => {
  it('exp (fm difference → softmax): 6 DSP, two 256-entry tables in one BRAM36', () => {
    // d·log2e 28×26 → 2, c·ln2 15×18 → 1, TB·Lc 24×16 → 1, TA·S 33×24 → 2;
    // TA 256×33 and TB 256×24 bits: one BRAM18 each.
    const c = mathUnitCost('exp', DIFF, FM);
    expect(c.dsp).toBe(6);
    expect(c.bram36).toBe(1);
  });
  it('recip (softmax → softmax): 5 DSP, one BRAM18', () => {
    // D·u 17×25 → 1, m·y0 34×26 → 2, y0·h 26×25 → 2; table 257×26 bits.
    const c = mathUnitCost('recip', FM, FM);
    expect(c.dsp).toBe(5);
    expect(c.bram36).toBe(0.5);
  });
  it('rsqrt (lnStat → lnStat): 9 DSP, one BRAM18', () => {
    // D·u 17×26 → 1, m·y0 35×26 → 3, w·y0 36×26 → 3, y0·h 26×26 → 2; table 385×26 bits.
    const c = mathUnitCost('rsqrt', LNSTAT, LNSTAT);
    expect(c.dsp).toBe(9);
    expect(c.bram36).toBe(0.5);
  });
  it('gelu (default table 129 × 16 bits, step 1/32): 1 DSP, LUT ROM', () => {
    // (T[n+1] − T[n])·f: 17 × 17 → 1; 129·16 = 2064 bits ≤ 4 Kbit → LUTs (2 ports × 16 bits × 3).
    const c = mathUnitCost('gelu', FM, FM);
    expect(c.dsp).toBe(1);
    expect(c.bram36).toBe(0);
    expect(c.lut).toBeGreaterThanOrEqual(96);
  });
});

describe('mathUnitCost structure', () => {
  const fns = ['exp', 'recip', 'rsqrt', 'gelu'] as const;
  it('every field is a non-negative count; II is 1; latency covers at least one stage per step', () => {
    for (const fn of fns) {
      const c = mathUnitCost(fn, fn === 'rsqrt' ? LNSTAT : FM, fn === 'rsqrt' ? LNSTAT : FM);
      for (const v of [c.dsp, c.lut, c.ff, c.latency]) expect(Number.isInteger(v) && v >= 0).toBe(true);
      expect(Number.isInteger(c.bram36 * 2)).toBe(true);
      expect(c.ii).toBe(1);
      expect(c.latency).toBeGreaterThanOrEqual(5);
      expect(c.ff).toBeGreaterThan(0);
    }
  });
  it('a larger GELU table moves from LUTs to BRAM, a finer step adds multiplier bits', () => {
    const small = mathUnitCost('gelu', FM, FM, { tableEntries: 129 });
    const big = mathUnitCost('gelu', FM, FM, { tableEntries: 4097, tableType: P('ap_ufixed<18,-2>') });
    expect(big.bram36).toBeGreaterThan(small.bram36);
    expect(mathUnitCost('gelu', FM, FM, { stepLog2Inv: 12 }).dsp).toBeLessThanOrEqual(small.dsp);
    expect(mathUnitCost('gelu', P('ap_fixed<48,10>'), P('ap_fixed<48,10>')).dsp).toBeGreaterThan(small.dsp);
  });
  it('wider inputs cost more normalisation logic for recip/rsqrt', () => {
    for (const fn of ['recip', 'rsqrt'] as const) {
      const a = mathUnitCost(fn, P('ap_fixed<24,10>'), FM);
      const b = mathUnitCost(fn, P('ap_fixed<64,24>'), FM);
      expect(b.lut).toBeGreaterThan(a.lut);
      expect(b.ff).toBeGreaterThan(a.ff);
      expect(b.dsp).toBe(a.dsp); // the Newton datapath does not depend on the input width
    }
  });
});
