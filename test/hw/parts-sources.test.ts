/**
 * Database figures of the parts added for issue 13 against the documents they come from, one line
 * per figure with its source, and the DSP arithmetic per primitive against hand-worked tilings.
 */
import { describe, expect, it } from 'vitest';
import { dspPerMultiplier } from '../../src/hw/dsp.js';
import { fabricOf } from '../../src/parts/fabric.js';
import { getPart, partFromObject, type Part } from '../../src/parts/parts.js';
import { fieldOf } from '../user-error.js';

type Row = readonly [part: string, get: (p: Part) => unknown, value: unknown, source: string];

const TABLE: readonly Row[] = [
  ['pynqz2', (p) => p.device, 'xc7z020clg400-1', 'Digilent PYNQ-Z1 reference manual: ZYNQ XC7Z020-1CLG400C (same SoC on TUL PYNQ-Z2)'],
  ['pynqz2', (p) => p.dsp, 220, 'PYNQ-Z1 reference manual: 220 DSP slices; DS190 Z-7020'],
  ['pynqz2', (p) => p.bram36, 140, 'PYNQ-Z1 reference manual: 630 KB block RAM = 140 × 36 Kb; DS190 Z-7020'],
  ['pynqz2', (p) => p.lut, 53_200, 'PYNQ-Z1 reference manual: 13,300 slices × four 6-input LUTs'],
  ['pynqz2', (p) => p.ff, 106_400, 'PYNQ-Z1 reference manual: 13,300 slices × 8 flip-flops'],
  ['pynqz2', (p) => p.memory.peakGBps, 2.1, 'PYNQ-Z1 reference manual: DDR3 16-bit at 1050 MT/s → 2 B × 1.05 G/s'],
  ['pynqz2', (p) => [p.memory.ports, p.memory.portBits], [4, 64], 'PYNQ-Z1 manual / UG585: four high-performance AXI3 slave ports, 64 bit'],
  ['pynqz2', (p) => p.memory.kind, 'DDR3', 'PYNQ-Z1 reference manual: DDR3'],
  ['pynqz2', (p) => fabricOf(p).dsp, 'DSP48E1', 'DS190: 7-series fabric (Artix-7 class in the Z-7020)'],
  ['u55c', (p) => p.memory.peakGBps, 460, 'UG1393 HBM Configuration and Use: 32 × 14.375 GB/s'],
  ['u55c', (p) => p.memory.channels, 32, 'UG1393: 32 pseudo-channels of 512 MB on the U55C (16 GB)'],
  ['u55c', (p) => p.memory.kind, 'HBM2', 'UG1393: two HBM2 stacks'],
  ['vck190', (p) => p.dsp, 1_968, 'UG1702 platforminfo xilinx_vck190_base: 1968 DSP engines'],
  ['vck190', (p) => p.memory.peakGBps, 25.6, 'UG1366: DDR4 UDIMM, 64-bit at 3200 MT/s → 8 B × 3.2 G/s'],
  ['vck190', (p) => fabricOf(p).dsp, 'DSP58', 'AMD conversion methodology "DSP Slice Architecture": Versal uses DSP58'],
  ['u280', (p) => p.memory.peakGBps, 460, 'UG1393: 460 GB/s for the HBM subsystem'],
];

describe('new parts: figures against their sources', () => {
  it.each(TABLE.map((r, i) => [i, ...r] as const))('row %i: %s — %s', (_i, id, get, value) => {
    expect(get(getPart(id))).toEqual(value);
  });

  it('the VCK190 entry states that the AI Engines are not modelled', () => {
    expect(getPart('vck190').board).toMatch(/PL only/);
  });
});

describe('DSP slices per multiplier by primitive (hand-worked tilings)', () => {
  // Signed operands; a piece below the top one is unsigned and uses port − 1 bits.
  it('DSP48E2 (27 × 18, UG579)', () => {
    expect(dspPerMultiplier(27, 18)).toBe(1);
    expect(dspPerMultiplier(32, 16)).toBe(2); // 32 → 27 + 26 (2 pieces) × 16 ≤ 18 (1)
    expect(dspPerMultiplier(32, 32)).toBe(4); // 32 on 18: 18 + 17 → 2 pieces; 32 on 27: 2 pieces
    expect(dspPerMultiplier(8, 8)).toBe(0.5); // WP487 packing
  });

  it('DSP48E1 (25 × 18, UG479): 26-bit operands need a second slice, small products do not pack', () => {
    expect(dspPerMultiplier(25, 18, 'DSP48E1')).toBe(1);
    expect(dspPerMultiplier(26, 18, 'DSP48E1')).toBe(2); // 26 > 25 on A, 26 > 18 on B → 2 either way
    expect(dspPerMultiplier(27, 18, 'DSP48E2')).toBe(1); // the same product fits a DSP48E2
    expect(dspPerMultiplier(8, 8, 'DSP48E1')).toBe(1); // 25-bit A cannot hold 8 + 18 bits
    expect(dspPerMultiplier(32, 16, 'DSP48E1')).toBe(2); // 32 → 25 + 24
  });

  it('DSP58 (27 × 24, AM004): the 24-bit B port takes 24 × 24 and 27 × 24 in one slice', () => {
    expect(dspPerMultiplier(24, 24, 'DSP58')).toBe(1);
    expect(dspPerMultiplier(24, 24, 'DSP48E2')).toBe(2); // 24 on the 18-bit port → 18 + 17
    expect(dspPerMultiplier(27, 24, 'DSP58')).toBe(1);
    expect(dspPerMultiplier(32, 32, 'DSP58')).toBe(4); // 32 on 27 → 27 + 26 (2) × 32 on 24 → 24 + 23 (2)
    expect(dspPerMultiplier(8, 8, 'DSP58')).toBe(0.5); // superset of DSP48E2: the WP487 packing still applies
  });
});

describe('custom part fabric', () => {
  const base = {
    id: 'x', board: 'X', device: 'xc7z020clg400-1', lut: 53_200, ff: 106_400, dsp: 220, bram36: 140, uram: 0,
    clockMHz: { min: 25, max: 200 },
    memory: { kind: 'DDR3', channels: 1, peakGBps: 2.1, practicalGBps: 1.5, ports: 4, portBits: 64, portMaxMHz: 150, portEfficiency: 1, latencyNs: 250, pJPerByte: 160, backgroundW: 0.3 },
    staticW: 0.15, hostW: 1.5,
  };
  it('is inferred from the device when absent, validated when given', () => {
    expect(fabricOf(partFromObject(base))).toMatchObject({ family: 'zynq7000', speedGrade: '-1', dsp: 'DSP48E1' });
    const given = partFromObject({ ...base, fabric: { family: 'zynqmp', speedGrade: '-2', slrs: 1 } });
    expect(fabricOf(given)).toEqual({ family: 'zynqmp', speedGrade: '-2', dsp: 'DSP48E2', slrs: 1 });
    expect(fieldOf(() => partFromObject({ ...base, fabric: { family: 'stratix', speedGrade: '-2' } }))).toBe('part.fabric.family');
    expect(fieldOf(() => partFromObject({ ...base, fabric: { family: 'zynqmp', speedGrade: '-9' } }))).toBe('part.fabric.speedGrade');
  });
});
