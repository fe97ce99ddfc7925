/**
 * Power model scopes (chip / rails / board): hand-derived totals for a synthetic part, algebraic
 * properties over random activity, part-file validation of the board terms, and the Edge-MoE
 * calibration against the published 14.54 W (docs/calibration.md "Power").
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allParts, getPart, partFromObject, type Part } from '../../src/parts/parts.js';
import { defaultPowerScope, estimatePower, POWER_SCOPES, type Activity, type PowerScope } from '../../src/hw/power.js';
import { designFromObject, loadDesign } from '../../src/design/load.js';
import { evaluatePerformance } from '../../src/sim/timing/index.js';
import type { PowerEstimate, ResourceEstimate } from '../../src/sim/timing/report.js';
import { fieldOf } from '../user-error.js';

const PART_OBJ = {
  id: 'round', board: 'Round-number board', device: 'xczu9eg-ffvb1156-2-e',
  lut: 274_080, ff: 548_160, dsp: 2_520, bram36: 912, uram: 0, clockMHz: { min: 50, max: 400 },
  memory: {
    kind: 'DDR4', channels: 1, peakGBps: 17, practicalGBps: 13, ports: 6, portBits: 128, portMaxMHz: 333,
    portEfficiency: 1, latencyNs: 200, pJPerByte: 100, backgroundW: 0.5,
  },
  staticW: 1, hostW: 2, boardPower: { regulatorEfficiency: 0.8, peripheralsW: 3 },
};
const part: Part = partFromObject(PART_OBJ);

/** One computing unit (100 DSP, 10 BRAM36, 1,000 LUT, 2,000 FF) and an empty interface unit. */
const RES: ResourceEstimate = {
  dsp: 100, bram36: 10, uram: 0, lut: 1000, ff: 2000,
  util: { dsp: 0, bram36: 0, uram: 0, lut: 0, ff: 0 }, fits: true, violations: [],
  units: [
    { unit: 'linear', dsp: 100, bram36: 10, uram: 0, lut: 1000, ff: 2000 },
    { unit: 'axi+control', dsp: 0, bram36: 0, uram: 0, lut: 0, ff: 0 },
  ],
};
const design200 = designFromObject({ clockMHz: 200 });
const act = (busy: number, bytes = 2e8, seconds = 0.1): Activity => ({ seconds, offchipBytes: bytes, unitActivity: { linear: busy }, resources: RES });
const sum = (p: PowerEstimate): number => p.staticW + Object.values(p.breakdown).reduce((a, x) => a + x, 0);

describe('power scopes on a round-number part (hand-derived)', () => {
  // At 200 MHz with the unit busy all the time (µW/MHz × MHz):
  //   DSP 3.0 × 100 × 200 = 0.06 W, BRAM 15 × 10 × 200 = 0.03 W, logic 0.045 × 3000 × 200 = 0.027 W,
  //   clock (0.0029 × 2000 + 500) × 200 = 0.10116 W; + static 1 + host 2 → chip 3.21816 W.
  //   DRAM: 2e8 B in 0.1 s = 2 GB/s × 100 pJ/B = 0.2 W + 0.5 background → rails 3.91816 W.
  //   Board: 3.91816 / 0.8 + 3 = 7.8977 W.
  it('chip', () => {
    const p = estimatePower(design200, part, act(1), 'chip');
    expect(p.scope).toBe('chip');
    expect(p.totalW).toBeCloseTo(3.21816, 10);
    expect(p.breakdown.dsp).toBeCloseTo(0.06, 12);
    expect(p.breakdown.bram).toBeCloseTo(0.03, 12);
    expect(p.breakdown.logic).toBeCloseTo(0.027, 12);
    expect(p.breakdown.clock).toBeCloseTo(0.10116, 12);
    expect(p.breakdown.offchip).toBeUndefined();
  });

  it('rails adds the DRAM', () => {
    const p = estimatePower(design200, part, act(1), 'rails');
    expect(p.totalW).toBeCloseTo(3.91816, 10);
    expect(p.breakdown.offchip).toBeCloseTo(0.7, 12);
    expect(p.breakdown.peripherals).toBeUndefined();
  });

  it('board divides the rails by the regulator efficiency and adds the peripherals', () => {
    const p = estimatePower(design200, part, act(1), 'board');
    expect(p.totalW).toBeCloseTo(7.8977, 10);
    expect(p.breakdown.regulators).toBeCloseTo(3.91816 * 0.25, 10);
    expect(p.breakdown.peripherals).toBe(3);
    expect(p.scopes).toEqual({ chip: expect.closeTo(3.21816, 10), rails: expect.closeTo(3.91816, 10), board: expect.closeTo(7.8977, 10) });
  });

  it('an idle unit keeps 5 % of its activity', () => {
    // DSP 0.06 W × 0.05 = 0.003 W.
    expect(estimatePower(design200, part, act(0), 'chip').breakdown.dsp).toBeCloseTo(0.003, 12);
  });

  it('the default scope is board when the part has board data', () => {
    expect(defaultPowerScope(part)).toBe('board');
    expect(estimatePower(design200, part, act(1)).totalW).toBeCloseTo(7.8977, 10);
  });
});

describe('power scope properties', () => {
  it('staticW + Σ breakdown = totalW, and chip ≤ rails ≤ board, for any activity and board constants', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1e9, noNaN: true }), fc.double({ min: 1e-4, max: 1, noNaN: true }),
      fc.double({ min: 0.3, max: 1, noNaN: true }), fc.double({ min: 0, max: 30, noNaN: true }),
      (busy, bytes, seconds, eta, periph) => {
        const p2 = partFromObject({ ...PART_OBJ, boardPower: { regulatorEfficiency: eta, peripheralsW: periph } });
        const a = act(busy, bytes, seconds);
        const est = POWER_SCOPES.map((s) => estimatePower(design200, p2, a, s));
        for (const e of est) {
          if (Math.abs(sum(e) - e.totalW) > 1e-9 * e.totalW) return false;
          if (Math.abs(e.totalW - e.staticW - e.dynamicW) > 1e-9 * e.totalW) return false;
        }
        const [chip, rails, board] = est.map((e) => e.totalW) as [number, number, number];
        // Every estimate reports the same totals for all scopes; the board step is exactly rails/η + peripherals.
        return chip <= rails && rails <= board + 1e-12 && est.every((e) => e.scopes!.board === board)
          && Math.abs(board - (rails / eta + periph)) <= 1e-9 * board;
      }), { seed: 42, numRuns: 200 });
  });

  it('more traffic or more activity never lowers any scope', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 0.9, noNaN: true }), fc.double({ min: 0, max: 1e8, noNaN: true }), (busy, bytes) =>
      POWER_SCOPES.every((s: PowerScope) =>
        estimatePower(design200, part, act(busy + 0.1, bytes), s).totalW >= estimatePower(design200, part, act(busy, bytes), s).totalW
        && estimatePower(design200, part, act(busy, bytes * 2 + 1), s).totalW >= estimatePower(design200, part, act(busy, bytes), s).totalW)),
    { seed: 42, numRuns: 100 });
  });
});

describe('scope selection and part validation', () => {
  it('parts without board data default to rails and refuse board', () => {
    const u50 = getPart('u50');
    expect(u50.boardPower).toBeUndefined();
    expect(defaultPowerScope(u50)).toBe('rails');
    const d = designFromObject({});
    expect(fieldOf(() => estimatePower(d, u50, act(0.5), 'board'))).toBe('power.scope');
    expect(fieldOf(() => estimatePower(d, u50, act(0.5), 'wall' as PowerScope, 'space.powerScope'))).toBe('space.powerScope');
    expect(estimatePower(d, u50, act(0.5)).scopes!.board).toBeUndefined();
  });

  it('the ZynqMP boards with a board measurement default to board, with physical board constants', () => {
    for (const id of ['zcu102', 'zcu104', 'kv260']) expect(defaultPowerScope(getPart(id))).toBe('board');
    for (const p of allParts()) {
      if (!p.boardPower) continue;
      expect(p.boardPower.regulatorEfficiency).toBeGreaterThan(0.5);
      expect(p.boardPower.regulatorEfficiency).toBeLessThanOrEqual(1);
      expect(p.boardPower.peripheralsW).toBeGreaterThanOrEqual(0);
    }
  });

  it('custom part files validate boardPower field by field', () => {
    const bad = (bp: unknown): string => fieldOf(() => partFromObject({ ...PART_OBJ, boardPower: bp }));
    expect(bad({ regulatorEfficiency: 1.5, peripheralsW: 3 })).toBe('part.boardPower.regulatorEfficiency');
    expect(bad({ regulatorEfficiency: 0.8, peripheralsW: -1 })).toBe('part.boardPower.peripheralsW');
    expect(bad({ regulatorEfficiency: 0.8 })).toBe('part.boardPower.peripheralsW');
    expect(bad({ regulatorEfficiency: 0.8, peripheralsW: 3, fan: 1 })).toBe('part.boardPower.fan');
    expect(bad(12)).toBe('part.boardPower');
    const { boardPower: _omit, ...noBoard } = PART_OBJ;
    expect(partFromObject(noBoard).boardPower).toBeUndefined();
  });
});

describe('Edge-MoE on ZCU102 (published 14.54 W, ICCAD 2023)', () => {
  const r = evaluatePerformance(loadDesign());
  const published = 14.54;

  it('board scope is the default and lands within ±15 % of the published figure', () => {
    expect(r.power.scope).toBe('board');
    expect(Math.abs(r.power.totalW / published - 1)).toBeLessThan(0.15);
    expect(r.energyMJ).toBeCloseTo(r.power.totalW * r.latencyMs, 9);
  });

  it('the package alone (chip) and FPGA + DRAM rails explain less than half of it', () => {
    const s = r.power.scopes!;
    expect(s.rails).toBeLessThan(published / 2);
    expect(s.chip).toBeLessThan(s.rails);
    // The board terms that close the gap are the measured peripherals and the conversion loss.
    expect(r.power.breakdown.peripherals).toBe(getPart('zcu102').boardPower!.peripheralsW);
  });
});
