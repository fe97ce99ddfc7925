/**
 * A closed-form stand-in for the performance model, so DSE mechanics are tested on numbers the
 * test can recompute by hand, independently of the (separately tested) timing model.
 */
import type { DesignPoint } from '../../src/design/types.js';
import type { PerformanceReport } from '../../src/sim/timing/report.js';

export const FAKE_PART_DSP = 2520;

export function fakeLatencyMs(d: DesignPoint): number {
  const lanes = d.linear.tileIn * d.linear.tileOut + d.attention.parallel * d.attention.dotTile;
  const mem = 4000 / d.axiBits;
  return (2e5 / lanes + mem * (d.buffers.weights === 'single' ? 2 : 1)) * (300 / d.clockMHz);
}

export function fakeDsp(d: DesignPoint): number {
  return 2 * d.linear.tileIn * d.linear.tileOut + 4 * d.attention.parallel * d.attention.dotTile;
}

export function fakePowerW(d: DesignPoint): number {
  return 1 + fakeDsp(d) / 400 + d.clockMHz / 100;
}

export function fakePerformance(d: DesignPoint): PerformanceReport {
  const latencyMs = fakeLatencyMs(d);
  const dsp = fakeDsp(d);
  const totalW = fakePowerW(d);
  const cycles = Math.round(latencyMs * d.clockMHz * 1e3);
  const fits = dsp <= FAKE_PART_DSP;
  const util = { dsp: dsp / FAKE_PART_DSP, bram36: 0.3, uram: 0, lut: 0.4, ff: 0.2 };
  return {
    design: d.name, part: d.part, clockMHz: d.clockMHz, cycles, latencyMs, gops: 2.5 / (latencyMs / 1e3), macs: 1.25e9,
    stages: [{ block: 0, stage: 'qkv', unit: 'linear', cycles, computeCycles: cycles, memoryCycles: 0, bound: 'compute', bytes: 1e6, achievedGBps: 1, macs: 1.25e9, dspUtil: 0.5 }],
    layers: [{ block: 0, cycles, ms: latencyMs }],
    resources: { dsp, bram36: 270, uram: 0, lut: 110_000, ff: 110_000, util, fits, violations: fits ? [] : [`dsp ${dsp} > ${FAKE_PART_DSP}`], units: [] },
    power: { staticW: 1, dynamicW: totalW - 1, totalW, breakdown: { logic: totalW - 1 } },
    energyMJ: totalW * latencyMs, gopsPerW: 2.5 / (latencyMs / 1e3) / totalW, memoryBoundFraction: 0, routingSource: 'uniform',
  };
}
