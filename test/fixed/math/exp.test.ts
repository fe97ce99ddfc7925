/**
 * EXP accuracy against Math.exp (≤ 1 ulp of double, independent of the unit), with the error bound
 * derived in docs/math.md:
 *
 *   |y − e^d| ≤ B = 24·2^-32 ≈ 5.6e-9   (y: the unit's value before the output conversion)
 *
 * from log2(e) rounding (≤ ln2/e·2^-26 = 16.3·2^-32), truncating t (ln2·2^-31 = 1.4·2^-32), truncating
 * d (2^-32, only for inputs with > 32 fraction bits), tables/linear term/truncations of 2^f
 * (≤ 7.75·2^-32 on E ∈ [1, 2), halved by n ≤ −1) and the final shift (2^-32). The output
 * conversion then adds its own rounding: [−1, 0] ulp for AP_TRN, ±½ ulp for AP_RND.
 */
import { describe, expect, it } from 'vitest';
import { expHw, mathTables } from '../../../src/fixed/math/index.js';
import * as T from '../../../src/fixed/math/types.js';
import { parseFixedType } from '../../../src/fixed/type.js';
import { randInt, rng } from './rng.js';

const B = 24 * 2 ** -32;
const WIDE = parseFixedType('ap_fixed<40,4>'); // F = 36 ≥ 32: the conversion is exact, result = y
const SOFTMAX = parseFixedType('ap_fixed<32,10>');
const F_FM = 22; // d = difference of two ap_fixed<32,10> values

/** Inputs: every d in [-1/4, 0] on the fm grid, then a stride through [-23, -1/4]. */
function* sweep(): Generator<number> {
  for (let raw = 0; raw >= -(2 ** (F_FM - 2)); raw--) yield raw;
  for (let raw = -(2 ** (F_FM - 2)); raw >= -23 * 2 ** F_FM; raw -= 1009) yield raw;
}

describe('expHw accuracy (derived bound B = 24·2^-32)', () => {
  it('before output rounding: |y − e^d| ≤ B on a dense sweep of fm differences', () => {
    let worst = 0;
    let prev = Infinity;
    let monotone = true;
    for (const raw of sweep()) {
      const y = expHw(raw, F_FM, WIDE) * 2 ** -WIDE.F;
      worst = Math.max(worst, Math.abs(y - Math.exp(raw * 2 ** -F_FM)));
      if (y > prev) monotone = false; // raw decreases along the sweep, so y must not increase
      prev = y;
    }
    expect(worst).toBeLessThanOrEqual(B);
    expect(worst).toBeGreaterThan(0); // the sweep exercises the approximation, not only exact points
    expect(monotone).toBe(true);
  });

  it('inputs with more than 32 fraction bits (d truncated first) stay within B', () => {
    const r = rng(7);
    const dT = parseFixedType('ap_fixed<52,12>'); // F = 40
    let worst = 0;
    for (let i = 0; i < 50_000; i++) {
      const raw = randInt(r, -23 * 2 ** 40, 0);
      const y = expHw(raw, dT.F, WIDE) * 2 ** -WIDE.F;
      worst = Math.max(worst, Math.abs(y - Math.exp(raw * 2 ** -40)));
    }
    expect(worst).toBeLessThanOrEqual(B);
  });

  it('softmax output ap_fixed<32,10> (AP_TRN): e^d − B − ulp < result ≤ e^d + B', () => {
    const ulp = 2 ** -SOFTMAX.F;
    let above = 0; // largest got − e
    let below = 0; // largest e − got
    for (const raw of sweep()) {
      const e = Math.exp(raw * 2 ** -F_FM);
      const got = expHw(raw, F_FM, SOFTMAX) * ulp;
      above = Math.max(above, got - e);
      below = Math.max(below, e - got);
    }
    expect(above).toBeLessThanOrEqual(B);
    expect(below).toBeLessThan(B + ulp);
  });

  it('AP_RND output: within ½ ulp + B', () => {
    const out = parseFixedType('ap_fixed<24,2,AP_RND>');
    const ulp = 2 ** -out.F;
    const r = rng(11);
    let worst = 0;
    for (let i = 0; i < 50_000; i++) {
      const raw = randInt(r, -23 * 2 ** F_FM, 0);
      const got = expHw(raw, F_FM, out) * ulp;
      worst = Math.max(worst, Math.abs(got - Math.exp(raw * 2 ** -F_FM)));
    }
    expect(worst).toBeLessThanOrEqual(ulp / 2 + B);
  });
});

describe('expHw special inputs', () => {
  it('d = 0 gives exactly 1; d > 0 is clamped to 0 and gives 1', () => {
    expect(expHw(0, 22, SOFTMAX)).toBe(2 ** 22);
    expect(expHw(1, 22, SOFTMAX)).toBe(2 ** 22);
    expect(expHw(2 ** 40, 22, SOFTMAX)).toBe(2 ** 22);
  });
  it('d < −22 gives 0, also for inputs far out of range', () => {
    expect(expHw(-22 * 2 ** 22 - 1, 22, WIDE)).toBe(0);
    expect(expHw(-(2 ** 53), 22, SOFTMAX)).toBe(0);
    expect(expHw(-22 * 2 ** 22, 22, WIDE)).toBeGreaterThan(0); // −22 itself is still computed
  });
  it('d = −k·ln2 hits 2^-k to within B (the shift path)', () => {
    for (let k = 1; k <= 31; k++) {
      const raw = Math.round(-k * Math.LN2 * 2 ** 40);
      const y = expHw(raw, 40, WIDE) * 2 ** -WIDE.F;
      expect(Math.abs(y - Math.exp(raw * 2 ** -40))).toBeLessThanOrEqual(B);
    }
  });
  it('output types narrower than the unit saturate or wrap by their own modes', () => {
    const sat = parseFixedType('ap_ufixed<8,0,AP_RND,AP_SAT>'); // 1.0 is out of range: saturates to 255/256
    expect(expHw(0, 22, sat)).toBe(255);
    const wrap = parseFixedType('ap_ufixed<8,0>'); // 1.0 wraps to 0 (raw 256 mod 256)
    expect(expHw(0, 22, wrap)).toBe(0);
  });
});

describe('EXP intermediates stay inside their named types', () => {
  it('E = TA·(1 + S) < 2 for every table pair at the largest low part c (BigInt)', () => {
    const tb = mathTables();
    const cMax = BigInt(2 ** T.EXP_C_BITS - 1);
    const lc = (cMax * BigInt(tb.ln2)) >> BigInt(T.EXP_C_T.F + T.EXP_LN2_T.F - T.EXP_LC_T.F);
    let maxE = 0n;
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) {
        const TB = BigInt(tb.expB[b]!);
        const S = TB + lc + ((TB * lc) >> 32n);
        if (S >= 1n << BigInt(T.EXP_S_T.W)) throw new Error(`S overflows at b = ${b}`);
        const TA = BigInt(tb.expA[a]!);
        const E = TA + ((TA * S) >> 32n);
        if (E > maxE) maxE = E;
      }
    }
    expect(maxE < 1n << BigInt(T.EXP_E_T.W)).toBe(true);
  });
});
