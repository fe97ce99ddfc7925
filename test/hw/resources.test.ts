import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adderTreeCost, bram36For, dspPerMultiplier, uramFor } from '../../src/hw/dsp.js';
import { getPart } from '../../src/parts/parts.js';
import { estimateResources } from '../../src/hw/resources.js';
import { estimatePower } from '../../src/hw/power.js';
import { designFromObject } from '../../src/design/load.js';

describe('DSP48E2 slices per multiplier (27 × 18 signed)', () => {
  it('known cases', () => {
    expect(dspPerMultiplier(27, 18)).toBe(1);
    expect(dspPerMultiplier(18, 27)).toBe(1); // operands swap ports
    expect(dspPerMultiplier(32, 16)).toBe(2); // 32 = 26 unsigned low bits + 6 signed high bits on the A port
    expect(dspPerMultiplier(32, 32)).toBe(4);
    expect(dspPerMultiplier(28, 18)).toBe(2);
    expect(dspPerMultiplier(8, 8)).toBe(0.5); // two INT8 products packed in one slice
    expect(dspPerMultiplier(9, 17)).toBe(1);
  });

  it('never decreases when an operand widens and is symmetric', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 2, max: 64 }), (a, b) =>
      dspPerMultiplier(a, b) === dspPerMultiplier(b, a) && dspPerMultiplier(a + 1, b) >= dspPerMultiplier(a, b)),
    { seed: 42, numRuns: 300 });
  });

  it('a product always has enough multiplier bits: slices × 26 × 17 ≥ the unsigned partial-product area', () => {
    fc.assert(fc.property(fc.integer({ min: 9, max: 64 }), fc.integer({ min: 9, max: 64 }), (a, b) =>
      dspPerMultiplier(a, b) * 26 * 17 >= (a - 1) * (b - 1)), { seed: 42, numRuns: 300 });
  });
});

describe('block RAM mapping', () => {
  it('known cases (UG573 aspect ratios, BRAM18 = 0.5)', () => {
    expect(bram36For(36, 1024)).toBe(1); // exactly one 36 Kb block
    expect(bram36For(72, 512)).toBe(1);
    expect(bram36For(18, 1024)).toBe(0.5); // one BRAM18
    // A 4,096-bit word (16 × 16 weights of 16 bit) × 576 deep: 114 BRAM18 side by side, twice deep.
    expect(bram36For(4096, 576)).toBe(114);
    expect(bram36For(32, 16)).toBe(0); // 512 bits: LUTRAM
    expect(uramFor(72, 4096)).toBe(1);
    expect(uramFor(4096, 4097)).toBe(57 * 2);
  });

  it('capacity is a lower bound', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 70000 }), (w, d) =>
      w * d < 1024 || bram36For(w, d) * 36 * 1024 >= w * d), { seed: 42, numRuns: 300 });
  });

  it('adder tree: n − 1 adders, one bit wider per level', () => {
    // 4 inputs of 32 bits: 2 adders of 32 bits, then 1 of 33.
    expect(adderTreeCost(4, 32)).toEqual({ lut: 97, ff: 97 });
    expect(adderTreeCost(1, 32)).toEqual({ lut: 0, ff: 0 });
  });
});

describe('resource estimate of a design', () => {
  const part = getPart('zcu102');

  it('linear unit DSPs: tileIn × tileOut multipliers of fm (32) × weight (16) bits = 2 slices each', () => {
    const r = estimateResources(designFromObject({}), part);
    const lin = r.units.find((u) => u.unit === 'linear')!;
    // 256 multipliers × 2 slices + 16 GELU units (each 1 slice, src/fixed/math/costs.ts) + the MoE
    // scatter-add: 8 lanes of p × y, 32 × 32 bits = 2 × 2 slices each.
    expect(lin.dsp).toBe(256 * 2 + 16 * 1 + 8 * 4);
    // Ping-pong weight buffers: 2 × 16 banks of 256-bit words (one 16×16 tile per address), 576
    // tiles deep (768 × 192 / 256): a 256-bit × 576 bank takes 8 BRAM36 at 512 × 36 → 2 × 128.
    expect(lin.bram36).toBeGreaterThanOrEqual(256);
  });

  it('utilisation and fit flags follow the part', () => {
    const small = estimateResources(designFromObject({ part: 'ultra96v2', clockMHz: 200 }), getPart('ultra96v2'));
    expect(small.fits).toBe(false);
    expect(small.violations.some((v) => v.startsWith('dsp '))).toBe(true);
    expect(small.util.dsp).toBeCloseTo(small.dsp / 360, 12);
    const big = estimateResources(designFromObject({}), part);
    expect(big.fits).toBe(true);
    expect(big.dsp).toBe(big.units.reduce((a, u) => a + u.dsp, 0));
  });

  it('more parallelism costs more DSPs', () => {
    const a = estimateResources(designFromObject({ linear: { tileIn: 16, tileOut: 16 } }), part);
    const b = estimateResources(designFromObject({ linear: { tileIn: 32, tileOut: 16 } }), part);
    // 256 more fm × weight products in the linear unit (2 slices) and 256 more pixel × patch-weight
    // products in the patch embedding (9 × 16 bits: 1 slice).
    expect(b.dsp - a.dsp).toBe(256 * 2 + 256 * 1);
  });
});

describe('power', () => {
  const d = designFromObject({});
  const part = getPart('zcu102');
  const act = (x: number) => ({ seconds: 0.03, offchipBytes: 1e8, unitActivity: { linear: x, attention: x, layernorm: x, 'patch-embed': x, 'moe-router': x } });

  it('static + host + DRAM + PL dynamic; off-chip energy at the part\'s pJ/byte', () => {
    const p = estimatePower(d, part, act(0.5));
    expect(p.totalW).toBeCloseTo(p.staticW + p.dynamicW, 12);
    expect(p.staticW).toBe(part.staticW);
    // 1e8 B in 30 ms = 3.33 GB/s × 120 pJ/B = 0.4 W, plus the DRAM background.
    expect(p.breakdown.offchip).toBeCloseTo((1e8 / 0.03) * 120e-12 + part.memory.backgroundW, 9);
    expect(p.breakdown.host).toBe(part.hostW);
  });

  it('grows with activity and with the clock', () => {
    expect(estimatePower(d, part, act(0.9)).totalW).toBeGreaterThan(estimatePower(d, part, act(0.2)).totalW);
    const slow = designFromObject({ clockMHz: 200 });
    expect(estimatePower(slow, part, act(0.5)).breakdown.clock).toBeLessThan(estimatePower(d, part, act(0.5)).breakdown.clock);
  });
});
