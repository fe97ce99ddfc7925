import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { allParts, getPart, loadCustomPart, partIds } from '../../src/parts/parts.js';
import { designFromObject } from '../../src/design/load.js';
import { fieldOf } from '../user-error.js';

describe('parts database', () => {
  it('holds the boards of issue #4', () => {
    expect(partIds()).toEqual(expect.arrayContaining(['zcu102', 'zcu104', 'kv260', 'ultra96v2', 'u50', 'u250', 'u280']));
  });

  it('has the datasheet resources quoted in the issue (DS891 / Kria data sheet)', () => {
    expect(getPart('zcu102')).toMatchObject({ lut: 274_080, ff: 548_160, dsp: 2_520, bram36: 912, uram: 0 });
    expect(getPart('KV260')).toMatchObject({ lut: 117_120, ff: 234_240, dsp: 1_248, bram36: 144, uram: 64 });
  });

  it('is internally consistent', () => {
    for (const p of allParts()) {
      expect(p.clockMHz.min).toBeLessThan(p.clockMHz.max);
      expect(p.memory.practicalGBps).toBeLessThanOrEqual(p.memory.peakGBps);
      expect(p.memory.portEfficiency).toBeGreaterThan(0);
      expect(p.memory.portEfficiency).toBeLessThanOrEqual(1);
      expect(p.staticW).toBeGreaterThan(0);
    }
    // PS DDR4 of the ZCU102: 64 bit × 2133 MT/s = 17.06 GB/s.
    expect(getPart('zcu102').memory.peakGBps).toBeCloseTo(17.064, 3);
    // U280 HBM: 32 pseudo-channels × 14.375 GB/s = 460 GB/s (UG1393).
    expect(getPart('u280').memory.peakGBps).toBe(460);
  });

  it('unknown part → UserError naming the field and listing the ids', () => {
    expect(fieldOf(() => getPart('zcu999'))).toBe('part');
    expect(fieldOf(() => getPart('zcu999', 'space.part'))).toBe('space.part');
  });
});

describe('custom part files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitforge-parts-'));
  const base = {
    id: 'myboard', board: 'My board', device: 'xczu5ev-sfvc784-1-e',
    lut: 117_120, ff: 234_240, dsp: 1_248, bram36: 144, uram: 64, clockMHz: { min: 50, max: 300 },
    memory: { kind: 'DDR4', channels: 1, peakGBps: 19.2, practicalGBps: 15, ports: 6, portBits: 128, portMaxMHz: 333, portEfficiency: 1, latencyNs: 200, pJPerByte: 120, backgroundW: 0.4 },
    staticW: 0.6, hostW: 2,
  };
  const write = (name: string, obj: unknown): string => {
    const p = join(dir, name);
    writeFileSync(p, stringify(obj));
    return p;
  };

  it('loads a valid YAML part and resolves it through getPart and the design file', () => {
    const path = write('ok.yaml', base);
    expect(loadCustomPart(path)).toMatchObject({ id: 'myboard', dsp: 1_248 });
    expect(getPart(path).board).toBe('My board');
    const d = designFromObject({ part: 'ok.yaml' }, dir);
    expect(d.part).toBe(path);
    expect(getPart(d.part).id).toBe('myboard');
    // The part's clock range applies.
    expect(fieldOf(() => designFromObject({ part: 'ok.yaml', clockMHz: 320 }, dir))).toBe('clockMHz');
  });

  it('rejects bad fields with their path', () => {
    const bad = (name: string, over: Record<string, unknown>, mem: Record<string, unknown> = {}): string =>
      fieldOf(() => loadCustomPart(write(name, { ...base, ...over, memory: { ...base.memory, ...mem } })));
    expect(bad('b1.yaml', { dsp: -1 })).toMatch(/part\.dsp$/);
    expect(bad('b2.yaml', {}, { kind: 'GDDR6' })).toMatch(/part\.memory\.kind$/);
    expect(bad('b3.yaml', {}, { practicalGBps: 30 })).toMatch(/part\.memory\.practicalGBps$/);
    expect(bad('b4.yaml', {}, { portBits: 100 })).toMatch(/part\.memory\.portBits$/);
    expect(bad('b5.yaml', { color: 'red' })).toMatch(/part\.color$/);
    expect(bad('b6.yaml', { clockMHz: { min: 300, max: 200 } })).toMatch(/part\.clockMHz\.max$/);
    expect(fieldOf(() => loadCustomPart(join(dir, 'missing.yaml')))).toBe('part');
  });
});
