/**
 * GELU delta table: entries, the exact interpolation arithmetic (BigInt re-evaluation of the
 * spec), and the error against the exact erf GELU with the derived per-point bound
 *
 *   |x| < R:  |err| ≤ f(1−f)·s²/2·max|δ''| + (1−f)·e_n + f·e_{n+1} + ulp_fm
 *   |x| ≥ R:  err = δ(|x|) ≤ δ(R)
 *
 * (linear interpolation error on [ns, (n+1)s] with δ'' = φ(a)(a² − 2), e_n the table entry's
 * quantisation error, ulp_fm the output truncation).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { geluExact } from '../../../src/kernels/erf.js';
import { buildGeluTable, geluHw, type GeluTable } from '../../../src/fixed/math/index.js';
import { parseFixedType } from '../../../src/fixed/type.js';

const FM = parseFixedType('ap_fixed<32,10>');
const TABLE_T = parseFixedType('ap_ufixed<16,-2>');
const STEP = 1 / 32;

/** δ(a) = ReLU(a) − GELU(a), via the GELU reference (a different formula than the table builder's). */
const delta = (a: number): number => a - geluExact(a);
const phi = (a: number): number => Math.exp(-a * a / 2) / Math.sqrt(2 * Math.PI);
const d2 = (a: number): number => Math.abs(phi(a) * (a * a - 2));
/** max |δ''| on [lo, hi]: at the ends or at the critical points 0 and 2 of δ''. */
const maxD2 = (lo: number, hi: number): number =>
  Math.max(d2(lo), d2(hi), lo <= 2 && 2 <= hi ? d2(2) : 0, lo <= 0 && 0 <= hi ? d2(0) : 0);

/** Q_fm(max(x,0) − (T[n] + (T[n+1] − T[n])·f)) in BigInt for AP_TRN/AP_WRAP fm (no overflow here). */
function specBig(xRaw: number, F: number, t: GeluTable): number {
  const k = -Math.log2(t.step);
  const a = BigInt(Math.abs(xRaw));
  const xpos = BigInt(Math.max(xRaw, 0));
  const sh = BigInt(F - k); // > 0 in these tests
  const n = a >> sh;
  if (n >= BigInt(t.entries.length - 1)) return Number(xpos);
  const fr = a - (n << sh);
  const T0 = BigInt(t.entries[Number(n)]!);
  const T1 = BigInt(t.entries[Number(n) + 1]!);
  const FT = BigInt(t.type.F);
  // value·2^(FT + sh + F) = xpos·2^(FT + sh) − (T0·2^sh + (T1 − T0)·fr)·2^F
  const scaled = (xpos << (FT + sh)) - ((T0 << sh) + (T1 - T0) * fr) * (1n << BigInt(F));
  return Number(scaled >> (FT + sh)); // BigInt >> floors: AP_TRN
}

describe('buildGeluTable', () => {
  it('entries are Q_type(δ(n·step)) with AP_TRN, δ from the erf GELU', () => {
    const t = buildGeluTable(STEP, 4, TABLE_T);
    expect(t.entries.length).toBe(129);
    let checked = 0;
    for (let n = 0; n < t.entries.length; n++) {
      const scaled = delta(n * STEP) * 2 ** TABLE_T.F;
      if (Math.abs(scaled - Math.round(scaled)) < 1e-6 && n > 0) continue; // too close to call in double
      expect(t.entries[n]).toBe(Math.floor(scaled));
      checked++;
    }
    expect(checked).toBeGreaterThan(120);
    expect(t.entries[0]).toBe(0);
  });

  it('rejects a step that is not a power of two, a range off the step grid and signed entry types', () => {
    expect(() => buildGeluTable(0.3, 4, TABLE_T)).toThrow(UserError);
    expect(() => buildGeluTable(2, 4, TABLE_T)).toThrow(UserError);
    expect(() => buildGeluTable(STEP, 4.01, TABLE_T)).toThrow(UserError);
    expect(() => buildGeluTable(STEP, 0, TABLE_T)).toThrow(UserError);
    expect(() => buildGeluTable(STEP, 4, parseFixedType('ap_fixed<16,-1>'))).toThrow(UserError);
  });
});

describe('geluHw arithmetic', () => {
  const t = buildGeluTable(STEP, 4, TABLE_T);
  it('equals the BigInt evaluation of the spec on random inputs', () => {
    fc.assert(fc.property(fc.integer({ min: -5 * 2 ** 22, max: 5 * 2 ** 22 }), (raw) => {
      expect(geluHw(raw, FM, t)).toBe(specBig(raw, FM.F, t));
    }), { seed: 42, numRuns: 20_000 });
  });

  it('wide table and fm types (beyond the 53-bit double path) give the same exact result', () => {
    const fm = parseFixedType('ap_fixed<48,16>'); // F = 32: δ̃ carries 42 + 27 fraction bits
    const wide = buildGeluTable(STEP, 4, parseFixedType('ap_ufixed<40,-2>'));
    fc.assert(fc.property(fc.integer({ min: -5 * 2 ** 32, max: 5 * 2 ** 32 }), (raw) => {
      expect(geluHw(raw, fm, wide)).toBe(specBig(raw, fm.F, wide));
    }), { seed: 42, numRuns: 5_000 });
  });

  it('GELU(x) − GELU(−x) = x holds exactly (δ is looked up by |x|; AP_TRN commutes with integers)', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }), (raw) => {
      expect(geluHw(raw, FM, t) - geluHw(-raw, FM, t)).toBe(raw);
    }), { seed: 42, numRuns: 20_000 });
  });

  it('|x| ≥ range returns max(x, 0) exactly', () => {
    for (const raw of [4 * 2 ** 22, 4 * 2 ** 22 + 1, 100 * 2 ** 22, 2 ** 31 - 1]) expect(geluHw(raw, FM, t)).toBe(raw);
    for (const raw of [-4 * 2 ** 22, -(2 ** 31)]) expect(geluHw(raw, FM, t)).toBe(0);
    expect(geluHw(4 * 2 ** 22 - 1, FM, t)).toBeLessThan(4 * 2 ** 22 - 1); // just inside: δ̃ > 0
  });
});

describe('geluHw error vs the exact erf GELU (per-point derived bound)', () => {
  function sweep(t: GeluTable, fm: typeof FM, stride: number):
  { excess: number; inside: number; outside: number; maxBound: number } {
    const s = t.step;
    const R = t.range;
    const F = fm.F;
    const ulp = 2 ** -F;
    const e = Array.from(t.entries, (raw, n) => Math.abs(delta(n * s) - raw * 2 ** -t.type.F));
    let excess = -Infinity; // max(err − bound): must stay ≤ 0
    let inside = 0;
    let outside = 0;
    let maxBound = delta(R);
    const visit = (raw: number): void => {
      const x = raw * ulp;
      const err = Math.abs(geluHw(raw, fm, t) * ulp - geluExact(x));
      const a = Math.abs(x);
      if (a >= R) {
        outside = Math.max(outside, err);
        excess = Math.max(excess, err - delta(R) - 1e-15);
        return;
      }
      const n = Math.floor(a / s);
      const f = a / s - n;
      const bound = (f * (1 - f) * s * s / 2) * maxD2(n * s, (n + 1) * s) + (1 - f) * e[n]! + f * e[n + 1]! + ulp;
      inside = Math.max(inside, err);
      maxBound = Math.max(maxBound, bound);
      excess = Math.max(excess, err - bound);
    };
    const two = Math.round(2 * s * 2 ** F);
    for (let raw = -two; raw <= two; raw++) visit(raw); // every input of the first two intervals
    for (let raw = -Math.round((R + 1) * 2 ** F); raw <= (R + 1) * 2 ** F; raw += stride) visit(raw);
    return { excess, inside, outside, maxBound };
  }

  it('defaults (step 1/32, range 4, ap_ufixed<16,-2>, fm ap_fixed<32,10>): the bound holds', () => {
    const r = sweep(buildGeluTable(STEP, 4, TABLE_T), FM, 211);
    expect(r.excess).toBeLessThanOrEqual(0);
    // Inside the range the truncated (AP_TRN) entries add up to one table ulp (3.8e-6) to the
    // interpolation error 9.7e-5; beyond it the cut-off costs δ(4) = 1.27e-4. Both exceed 1e-4.
    expect(r.outside).toBeLessThanOrEqual(delta(4));
    expect(r.outside).toBeGreaterThan(1e-4);
  });

  it('step 1/32 with rounded entries (ap_ufixed<16,-2,AP_RND>) and range 4.25: ≤ 1e-4 everywhere', () => {
    const r = sweep(buildGeluTable(STEP, 4.25, parseFixedType('ap_ufixed<16,-2,AP_RND>')), FM, 211);
    expect(r.excess).toBeLessThanOrEqual(0);
    expect(r.maxBound).toBeLessThanOrEqual(1e-4); // the derived bound itself proves the target
    expect(Math.max(r.inside, r.outside)).toBeLessThanOrEqual(r.maxBound);
  });

  it('a coarse fm (F = 10) and a finer table step keep to the bound', () => {
    const fm = parseFixedType('ap_fixed<16,6>');
    const r = sweep(buildGeluTable(1 / 64, 6, parseFixedType('ap_ufixed<20,-1>')), fm, 1);
    expect(r.excess).toBeLessThanOrEqual(0);
  });
});
