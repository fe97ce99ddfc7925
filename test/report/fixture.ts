/**
 * A hand-written performance report (numbers chosen so every chart quantity is easy to compute
 * by hand), independent of the timing model.
 */
import type { PerformanceReport, StageResult } from '../../src/sim/timing/report.js';

const stage = (block: number, name: string, unit: string, cycles: number, macs: number, bytes: number, bound: 'compute' | 'memory' = 'compute'): StageResult => ({
  block, stage: name, unit, cycles, computeCycles: bound === 'compute' ? cycles : cycles / 2, memoryCycles: bound === 'memory' ? cycles : cycles / 2,
  bound, bytes, achievedGBps: 0, macs, dspUtil: 0.5,
});

/** 100 MHz: 1 cycle = 0.01 µs; 100 000 cycles = 1 ms. */
export const STAGES: StageResult[] = [
  stage(-1, 'patch_embed', 'patch-embed', 50_000, 1e6, 1e5),
  stage(0, 'ln1', 'layernorm', 10_000, 0, 2e4, 'memory'),
  stage(0, 'qkv', 'linear', 40_000, 4e6, 2e5),
  stage(0, 'qk_softmax', 'attention', 30_000, 2e6, 4e5, 'memory'),
  stage(0, 'fc1', 'linear', 20_000, 3e6, 1e5),
  stage(1, 'ln1', 'layernorm', 10_000, 0, 2e4, 'memory'),
  stage(1, 'qkv', 'linear', 40_000, 4e6, 2e5),
  stage(1, 'gate', 'moe-router', 5_000, 1e5, 1e4),
  stage(1, 'experts', 'linear', 60_000, 6e6, 6e5, 'memory'),
];

const cycles = STAGES.reduce((a, s) => a + s.cycles, 0); // 265 000 cycles = 2.65 ms
const macs = STAGES.reduce((a, s) => a + s.macs, 0);

export const PERF: PerformanceReport = {
  design: 'fixture', part: 'zcu102', clockMHz: 100, cycles, latencyMs: cycles / 1e5, gops: (2 * macs) / (cycles / 1e8) / 1e9, macs,
  stages: STAGES,
  layers: [-1, 0, 1].map((b) => {
    const c = STAGES.filter((s) => s.block === b).reduce((a, s) => a + s.cycles, 0);
    return { block: b, cycles: c, ms: c / 1e5 };
  }),
  resources: {
    dsp: 1260, bram36: 456, uram: 0, lut: 137_040, ff: 600_000,
    util: { dsp: 0.5, bram36: 0.5, uram: 0, lut: 0.5, ff: 600_000 / 548_160 },
    fits: false, violations: ['ff 600000 > 548160'], units: [{ unit: 'linear', dsp: 1000, bram36: 300, uram: 0, lut: 100_000, ff: 400_000 }],
  },
  power: { staticW: 1, dynamicW: 3, totalW: 4, breakdown: { logic: 2, offchip: 1 } },
  energyMJ: 4 * (cycles / 1e5), gopsPerW: 0, memoryBoundFraction: 0.5, routingSource: 'uniform',
};
