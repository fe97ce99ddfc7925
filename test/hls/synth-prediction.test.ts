/** The vitforge-plan.json loader: every field checked, one-line errors naming the file and field. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSynthPrediction, validateSynthPrediction, type SynthPrediction } from '../../src/hls/synth-prediction.js';
import { tempDir } from './helpers.js';
import { fieldOf, userError } from '../user-error.js';

const FIX = join(import.meta.dirname, 'fixtures', 'csynth');

const valid = (): SynthPrediction => ({
  format: 'vitforge-plan-prediction/1', design: 'd', top: 'vitforge_kernel', part: 'zcu102', clockMHz: 300, totalCycles: 1000,
  resources: { dsp: 10, bram18k: 4, uram: 0, lut: 1000, ff: 2000 },
  units: [{
    unit: 'linear', function: 'linear_unit', dsp: 10, bram18k: 4, uram: 0, lut: 900, ff: 1800, latencyCycles: 900,
    loops: [{ label: 'lin_acc', ii: 1, depth: 5, tripMin: 8, tripMax: 16, latencyCycles: 20 }, { label: 'lin_outer', ii: null, depth: 30, tripMin: 2, tripMax: 2, latencyCycles: 60 }],
  }],
});

describe('validateSynthPrediction', () => {
  it('accepts a complete prediction and ignores extra fields', () => {
    expect(validateSynthPrediction(valid(), 'p.json')).toEqual(valid());
    expect(validateSynthPrediction({ ...valid(), schedule: [1, 2] }, 'p.json')).toEqual(valid());
    const noLatency = valid();
    delete noLatency.units[0]!.latencyCycles;
    expect(validateSynthPrediction(noLatency, 'p.json').units[0]).not.toHaveProperty('latencyCycles');
  });

  it('names the file and the offending field', () => {
    const bad = (mutate: (p: any) => void): string => {
      const p = valid() as any;
      mutate(p);
      return fieldOf(() => validateSynthPrediction(p, 'p.json'));
    };
    expect(bad((p) => { p.format = 'vitforge/0'; })).toBe('p.json: format');
    expect(bad((p) => { delete p.top; })).toBe('p.json: top');
    expect(bad((p) => { p.clockMHz = 0; })).toBe('p.json: clockMHz');
    expect(bad((p) => { p.resources.lut = -1; })).toBe('p.json: resources.lut');
    expect(bad((p) => { p.units = {}; })).toBe('p.json: units');
    expect(bad((p) => { p.units[0].function = 'linear unit'; })).toBe('p.json: units[0].function');
    expect(bad((p) => { p.units[0].dsp = '10'; })).toBe('p.json: units[0].dsp');
    expect(bad((p) => { p.units.push({ ...p.units[0] }); })).toBe('p.json: units[1].unit');
    expect(bad((p) => { delete p.units[0].loops[0].ii; })).toBe('p.json: units[0].loops[0].ii');
    expect(bad((p) => { p.units[0].loops[0].ii = 0; })).toBe('p.json: units[0].loops[0].ii');
    expect(bad((p) => { p.units[0].loops[1].tripMin = 3; })).toBe('p.json: units[0].loops[1].tripMin');
    expect(bad((p) => { p.units[0].loops[1].label = 'lin_acc'; })).toBe('p.json: units[0].loops[1].label');
    expect(bad((p) => { p.units[0].loops[0].latencyCycles = Number.NaN; })).toBe('p.json: units[0].loops[0].latencyCycles');
    const e = userError(() => validateSynthPrediction({ ...valid(), format: 'x' }, 'p.json'));
    expect(e.oneLine()).toBe('p.json: format: unknown format "x" (allowed: vitforge-plan-prediction/1)');
  });
});

describe('loadSynthPrediction', () => {
  it('reads the hand-written fixtures', () => {
    const g = loadSynthPrediction(join(FIX, 'vitis-2020.2-gaussian', 'vitforge-plan.json'));
    expect(g.units.map((u) => u.function)).toEqual(['gaussian', 'line_window']);
    expect(loadSynthPrediction(join(FIX, 'vitis-2023.1-lenet', 'vitforge-plan.json')).top).toBe('top_A');
  });

  it('missing file, a folder, or not JSON', () => {
    const d = tempDir('pred');
    expect(userError(() => loadSynthPrediction(join(d, 'vitforge-plan.json'))).message).toMatch(/^not found; expected the vitforge-plan.json that vitforge generate writes/);
    expect(userError(() => loadSynthPrediction(d)).message).toMatch(/is a folder/);
    writeFileSync(join(d, 'bad.json'), '{"format": ');
    const e = userError(() => loadSynthPrediction(join(d, 'bad.json')));
    expect(e.field).toBe(join(d, 'bad.json'));
    expect(e.message).toMatch(/^not valid JSON/);
  });
});
