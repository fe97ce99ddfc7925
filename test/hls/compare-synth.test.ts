/**
 * compare-synth: the pure comparison on real report fixtures against hand-written predictions
 * (fixtures/csynth/<name>/vitforge-plan.json), and the command in-process. Every expected delta
 * is worked out by hand in the comment beside it: delta = (reported − predicted) / predicted.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareCsv, compareSynth, deltaPct, fmtDelta, functionsFor, splitFlattened, type CompareRow,
} from '../../src/hls/compare-synth.js';
import { loadSynthPrediction, type SynthPrediction } from '../../src/hls/synth-prediction.js';
import { readSynthReport, type SynthFunction, type SynthReport } from '../../src/hls/synth-report.js';
import { runCli } from '../cli-capture.js';
import { tempDir } from './helpers.js';

const FIX = join(import.meta.dirname, 'fixtures', 'csynth');
const reportDir = (name: string): string => join(FIX, name, 'solution1', 'syn', 'report');
const planOf = (name: string): SynthPrediction => loadSynthPrediction(join(FIX, name, 'vitforge-plan.json'));

const row = (rows: readonly CompareRow[], kind: CompareRow['kind'], metric: CompareRow['metric'], loop: string | null = null, unit: string | null = null): CompareRow => {
  const r = rows.find((x) => x.kind === kind && x.metric === metric && x.loop === loop && (unit === null || x.unit === unit));
  if (!r) throw new Error(`no ${kind} row ${metric} ${loop ?? ''}`);
  return r;
};

describe('deltas and names', () => {
  it('delta % and its printing', () => {
    expect(deltaPct(100, 150)).toBe(50);
    expect(deltaPct(0, 0)).toBe(0);
    expect(deltaPct(0, 3)).toBeNull(); // no relative difference from zero
    expect(deltaPct(null, 3)).toBeNull();
    expect(fmtDelta(24.666)).toBe('+24.7%');
    expect(fmtDelta(-0.0206)).toBe('0.0%'); // no "-0.0%"
    expect(fmtDelta(null)).toBe('-');
  });

  it('splits flattened loop names into plan labels', () => {
    expect(splitFlattened('for_y_for_x', ['for_y', 'for_x'])).toEqual(['for_y', 'for_x']);
    expect(splitFlattened('rows_VITIS_LOOP_12_3', ['rows'])).toEqual(['rows', 'VITIS_LOOP_12_3']);
    expect(splitFlattened('for_y', ['for_y'])).toBeNull(); // one part: an exact match, not a nest
    expect(splitFlattened('for_y_for_z', ['for_y', 'for_x'])).toBeNull();
    expect(splitFlattened('VITIS_LOOP_1_1_VITIS_LOOP_2_2', ['a'])).toBeNull(); // no plan label in it
    expect(splitFlattened('a_b_c', ['a_b', 'c', 'a'])).toEqual(['a_b', 'c']);
  });

  it('finds a unit function exactly, by Vitis suffix, or truncated to 20 characters', () => {
    const f = (name: string): SynthFunction => ({
      name, file: 'x', latencyMin: 1, latencyMax: 1, intervalMin: 1, intervalMax: 1, estimatedClockNs: 1, pipelineType: null,
      resources: { bram18k: 0, dsp: 1, ff: 0, lut: 0, uram: 0 }, available: null, loops: [],
    });
    const report = { functions: ['linear_unit_1', 'linear_unit_2', 'linear_unit_Pipeline_acc', 'conv_4_1_s', 'interval_normalizati'].map(f) } as unknown as SynthReport;
    expect(functionsFor('linear_unit', report)).toMatchObject({ how: 'suffixed', functions: [{ name: 'linear_unit_1' }, { name: 'linear_unit_2' }] });
    expect(functionsFor('conv', report)).toMatchObject({ how: 'suffixed', functions: [{ name: 'conv_4_1_s' }] });
    expect(functionsFor('interval_normalization', report)).toMatchObject({ how: 'truncated', functions: [{ name: 'interval_normalizati' }] });
    expect(functionsFor('gelu_unit', report).how).toBe('none');
  });
});

describe('compareSynth on Vitis HLS 2020.2 (gaussian) against a hand-written prediction', () => {
  const c = compareSynth(planOf('vitis-2020.2-gaussian'), readSynthReport(reportDir('vitis-2020.2-gaussian')));

  it('totals: top function latency, resources, clock', () => {
    expect(row(c.rows, 'total', 'latency')).toMatchObject({ function: 'gaussian', predicted: 262000, reported: 262673 });
    expect(row(c.rows, 'total', 'latency').deltaPct).toBeCloseTo((673 / 262000) * 100, 10); // +0.26 %
    expect(row(c.rows, 'total', 'bram18k')).toMatchObject({ predicted: 2, reported: 3, deltaPct: 50 }); // 1/2
    expect(row(c.rows, 'total', 'lut').deltaPct).toBeCloseTo((370 / 1500) * 100, 10); // +24.67 %
    expect(row(c.rows, 'total', 'ff').deltaPct).toBeCloseTo(-2.4, 10); // −24/1000
    expect(row(c.rows, 'total', 'dsp')).toMatchObject({ predicted: 0, reported: 0, deltaPct: 0 });
    expect(row(c.rows, 'total', 'clock_ns')).toMatchObject({ predicted: 10, reported: 6.427 });
  });

  it('labelled loops match by name, flattened nests by their joined labels', () => {
    expect(row(c.rows, 'loop', 'trip', 'buf_x2')).toMatchObject({ reportLoop: 'buf_x2', predicted: 512, reported: 512, deltaPct: 0 });
    const win = row(c.rows, 'loop', 'latency', 'win_y+win_x');
    expect(win).toMatchObject({ reportLoop: 'win_y_win_x', predicted: 6, reported: 5 }); // outer win_y's 6 cycles
    expect(win.deltaPct).toBeCloseTo((-1 / 6) * 100, 10);
    expect(row(c.rows, 'loop', 'ii', 'win_y+win_x')).toMatchObject({ predicted: 1, reported: 1, note: 'flattened: win_y, win_x' }); // inner win_x's II
    expect(row(c.rows, 'loop', 'trip', 'for_y+for_x')).toMatchObject({ predicted: 262144, predictedMin: 262144, reported: 262144 }); // 512 × 512
    expect(row(c.rows, 'loop', 'depth', 'for_y+for_x').deltaPct).toBeCloseTo((1 / 3) * 100, 10); // 3 → 4
    expect(c.missingLoops).toEqual([{ unit: 'blur', label: 'taps' }]);
    expect(row(c.rows, 'loop', 'latency', 'taps')).toMatchObject({ reported: null, note: 'not in the report (unrolled, inlined or renamed?)' });
    expect(c.unmatchedLoops).toEqual([]);
  });

  it('a unit whose function is not in the report is "not found (inlined?)"', () => {
    expect(c.missingUnits).toEqual([{ unit: 'window', function: 'line_window' }]);
    expect(row(c.rows, 'unit', 'lut', null, 'window')).toMatchObject({ predicted: 120, reported: null, function: null, note: 'not found (inlined?)' });
  });

  it('CSV: one line per row', () => {
    const csv = compareCsv(c).trimEnd().split('\n');
    expect(csv[0]).toBe('kind,unit,plan_function,function,loop,report_loop,metric,predicted,predicted_min,reported,reported_min,delta_pct,note');
    expect(csv).toHaveLength(c.rows.length + 1);
    expect(csv).toContain('total,,,gaussian,,,bram18k,2,,3,,50,');
    expect(csv).toContain('loop,blur,gaussian,gaussian,win_y+win_x,win_y_win_x,ii,1,,1,,0,"flattened: win_y, win_x"');
  });
});

describe('compareSynth on Vitis HLS 2022.1 (IGCN): nested labels, outlined pipelines', () => {
  const report = readSynthReport(reportDir('vitis-2022.1-igcn'));
  const plan: SynthPrediction = {
    format: 'vitforge-plan-prediction/1', design: 'igcn', top: 'IGCN', part: 'zc706', clockMHz: 100, totalCycles: 200,
    resources: { dsp: 0, bram18k: 2, uram: 0, lut: 400, ff: 100 },
    units: [{
      unit: 'igcn', function: 'IGCN', dsp: 0, bram18k: 2, uram: 0, lut: 400, ff: 100,
      loops: [
        { label: 'IGCN_label0', ii: null, depth: 10, tripMin: 10, tripMax: 10, latencyCycles: 100 },
        { label: 't_label1', ii: 1, depth: 2, tripMin: 5, tripMax: 5, latencyCycles: 6 },
      ],
    }],
  };
  const c = compareSynth(plan, report);

  it('matches the inner labelled loop inside its parent entry', () => {
    expect(row(c.rows, 'loop', 'latency', 'IGCN_label0')).toMatchObject({ predicted: 100, reported: 120, deltaPct: 20 }); // 20/100
    // Not pipelined: the reported "depth" is the iteration latency, 12 vs 10.
    expect(row(c.rows, 'loop', 'depth', 'IGCN_label0')).toMatchObject({ predicted: 10, reported: 12, deltaPct: 20 });
    expect(row(c.rows, 'loop', 'ii', 't_label1')).toMatchObject({ predicted: 1, reported: null, note: 'not pipelined in the report' });
    expect(row(c.rows, 'loop', 'latency', 't_label1').deltaPct).toBeCloseTo((4 / 6) * 100, 10); // 6 → 10
    expect(row(c.rows, 'total', 'latency')).toMatchObject({ predicted: 200, reported: null, note: expect.stringMatching(/^undef in the report/) });
  });

  it('lists the outlined VITIS_LOOP pipelines as unmatched', () => {
    expect(c.unmatchedLoops.map((l) => `${l.function}/${l.name}`)).toEqual([
      'IGCN_Pipeline_VITIS_LOOP_12_1/VITIS_LOOP_12_1', 'IGCN_Pipeline_VITIS_LOOP_19_2/VITIS_LOOP_19_2',
    ]);
    expect(c.unmatchedLoops[1]).toMatchObject({ ii: 1, tripMax: 63, latencyMax: 63 });
    expect(c.otherFunctions).toEqual([]);
  });
});

describe('compareSynth: several instances of one unit function', () => {
  it('sums their resources and says so', () => {
    const r = readSynthReport(reportDir('vivado-2019.1-firfeatures'));
    const plan: SynthPrediction = {
      format: 'vitforge-plan-prediction/1', design: 'fir', top: 'feature_extractor_ip', part: 'pynq-z2', clockMHz: 100, totalCycles: 0,
      resources: { dsp: 20, bram18k: 6, uram: 0, lut: 9000, ff: 5000 },
      units: [
        { unit: 'norm', function: 'interval_normalization', dsp: 8, bram18k: 1, uram: 0, lut: 3000, ff: 2000, loops: [] },
        { unit: 'features', function: 'compute_features', dsp: 20, bram18k: 3, uram: 0, lut: 4000, ff: 2500, loops: [] },
      ],
    };
    const c = compareSynth(plan, r);
    expect(row(c.rows, 'unit', 'dsp', null, 'norm')).toMatchObject({ function: 'interval_normalizati', predicted: 8, reported: 7, deltaPct: -12.5 }); // −1/8
    expect(row(c.rows, 'unit', 'latency', null, 'norm').note).toBe('undef in the report');
    expect(row(c.rows, 'unit', 'dsp', null, 'features').deltaPct).toBeCloseTo(-5, 10); // 20 → 19
    expect(c.otherFunctions).toEqual(['peak_detection']);
    expect(c.unmatchedLoops.map((l) => l.path.join('/'))).toEqual(['Loop1', 'Loop1/Loop1.1', 'Loop1', 'Loop2', 'Loop3', 'Loop4', 'Loop5']);

    const twice = { ...r, functions: [...r.functions, { ...r.functions.find((f) => f.name === 'compute_features')!, name: 'compute_features_1' }] };
    const plan2 = { ...plan, units: [{ ...plan.units[1]!, function: 'compute_features_x' }] };
    expect(compareSynth(plan2, twice).missingUnits).toHaveLength(1);
    const renamed = { ...r, functions: r.functions.map((f) => (f.name === 'compute_features' ? { ...f, name: 'compute_features_2' } : f)) };
    const both = { ...renamed, functions: [...renamed.functions, { ...renamed.functions.find((f) => f.name === 'compute_features_2')!, name: 'compute_features_1' }] };
    const dsp = row(compareSynth({ ...plan, units: [plan.units[1]!] }, both).rows, 'unit', 'dsp');
    expect(dsp).toMatchObject({ function: 'compute_features_1+compute_features_2', predicted: 20, reported: 38 }); // 19 + 19
    expect(dsp.deltaPct).toBeCloseTo(90, 10);
    expect(dsp.note).toBe('2 instances (compute_features_1, compute_features_2): resources summed');
  });
});

/** The data rows of the printed table: scope carried down, then metric, predicted, reported, delta, note. */
function tableRows(out: string): { scope: string; metric: string; predicted: string; reported: string; delta: string; note: string }[] {
  const lines = out.split('\n');
  const head = lines.findIndex((l) => l.startsWith('unit / loop'));
  const width = lines[head + 1]!.indexOf('  ');
  const rows = [];
  let scope = '';
  for (const l of lines.slice(head + 2)) {
    if (l.trim() === '') break;
    const s = l.slice(0, width).trim();
    if (s) scope = s;
    const [metric = '', predicted = '', reported = '', delta = '', ...note] = l.slice(width).trim().split(/\s{2,}/);
    rows.push({ scope, metric, predicted, reported, delta, note: note.join('  ') });
  }
  return rows;
}

describe('vitforge compare-synth', () => {
  it('prints the gaussian worked example (docs/hls.md) with the hand-computed deltas', async () => {
    const r = await runCli('compare-synth', join(FIX, 'vitis-2020.2-gaussian'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^prediction {2}gaussian-example: top gaussian, zcu104, 100 MHz$/m);
    expect(r.out).toMatch(/^report {6}\S*vitis-2020\.2-gaussian\/solution1\/syn\/report \(HLS 2020\.2, xczu7ev-ffvc1156-2-e, target 10 ns, uncertainty 2\.7 ns, 2 files\)$/m);
    const rows = tableRows(r.out);
    const get = (scope: string, metric: string) => rows.find((x) => x.scope === scope && x.metric === metric);
    expect(get('TOTAL gaussian', 'latency')).toMatchObject({ predicted: '262,000', reported: '262,673', delta: '+0.3%' }); // 673/262000 = 0.257 %
    expect(get('TOTAL gaussian', 'BRAM_18K')).toMatchObject({ predicted: '2', reported: '3', delta: '+50.0%' });
    expect(get('TOTAL gaussian', 'LUT')).toMatchObject({ predicted: '1,500', reported: '1,870', delta: '+24.7%' }); // 370/1500
    expect(get('TOTAL gaussian', 'FF')).toMatchObject({ predicted: '1,000', reported: '976', delta: '-2.4%' });
    expect(get('TOTAL gaussian', 'clock ns')).toMatchObject({ predicted: '10', reported: '6.427', delta: '-35.7%' }); // −3.573/10
    expect(get('blur (gaussian)', 'LUT')).toMatchObject({ delta: '+24.7%' });
    expect(get('blur/win_y+win_x = win_y_win_x', 'latency')).toMatchObject({ predicted: '6', reported: '5', delta: '-16.7%' }); // −1/6
    expect(get('blur/win_y+win_x = win_y_win_x', 'II')).toMatchObject({ predicted: '1', reported: '1', delta: '0.0%', note: 'flattened: win_y, win_x' });
    expect(get('blur/for_y+for_x = for_y_for_x', 'depth')).toMatchObject({ predicted: '3', reported: '4', delta: '+33.3%' });
    expect(get('blur/for_y+for_x = for_y_for_x', 'latency')).toMatchObject({ predicted: '262,200', reported: '262,146', delta: '0.0%' }); // −54/262200 = −0.02 %
    expect(get('blur/buf_x2', 'trip')).toMatchObject({ predicted: '512', reported: '512', delta: '0.0%' });
    expect(r.out).toMatch(/^ {2}blur\/taps +not in the report \(unrolled, inlined or renamed\?\)$/m);
    expect(r.out).toMatch(/^window \(line_window\) +not found in the report \(inlined\?\)$/m);
  });

  it('lists unlabelled VITIS_LOOP loops and writes --json and --csv (lenet, Vitis 2023.1)', async () => {
    const d = tempDir('cmp');
    const r = await runCli('compare-synth', join(FIX, 'vitis-2023.1-lenet'), '--json', join(d, 'c.json'), '--csv', join(d, 'c.csv'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rows = tableRows(r.out);
    const get = (scope: string, metric: string) => rows.find((x) => x.scope === scope && x.metric === metric);
    expect(get('TOTAL top_A', 'latency')).toMatchObject({ predicted: '20,000', reported: '18,852', delta: '-5.7%' }); // −1148/20000 = −5.74 %
    expect(get('TOTAL top_A', 'DSP')).toMatchObject({ predicted: '25', reported: '32', delta: '+28.0%' }); // 7/25
    expect(get('TOTAL top_A', 'LUT')).toMatchObject({ predicted: '2,000', reported: '2,564', delta: '+28.2%' }); // 564/2000
    expect(get('TOTAL top_A', 'FF')).toMatchObject({ predicted: '1,600', reported: '1,669', delta: '+4.3%' }); // 69/1600 = 4.31 %
    expect(get('conv1 (conv1_pragma)', 'latency')).toMatchObject({ predicted: '17,500', reported: '17,671', delta: '+1.0%' }); // 171/17500 = 0.98 %
    expect(get('conv1 (conv1_pragma)', 'LUT')).toMatchObject({ predicted: '1,800', reported: '2,111', delta: '+17.3%' }); // 311/1800 = 17.28 %
    expect(get('conv1 (conv1_pragma)', 'FF')).toMatchObject({ predicted: '1,500', reported: '1,586', delta: '+5.7%' }); // 86/1500 = 5.73 %
    expect(r.out).toMatch(/^pool \(pool1\) +not found in the report \(inlined\?\)$/m);
    expect(r.out).toContain([
      'report loops no plan label matched (3):',
      '  conv1_pragma/VITIS_LOOP_117_1: II -, trip 3, latency 17,670',
      '  conv1_pragma_Pipeline_VITIS_LOOP_118_2_VITIS_LOOP_119_3/VITIS_LOOP_118_2_VITIS_LOOP_119_3: II 15, trip 392, latency 5,885',
      '  top_A/VITIS_LOOP_140_1_VITIS_LOOP_141_2_VITIS_LOOP_142_3: II 2, trip 588, latency 1,178',
    ].join('\n'));
    const json = JSON.parse(readFileSync(join(d, 'c.json'), 'utf8'));
    expect(json).toMatchObject({ design: 'lenet-conv1', report: { version: '2023.1', top: 'top_A' }, missingUnits: [{ unit: 'pool', function: 'pool1' }] });
    const dsp = json.rows.find((x: CompareRow) => x.kind === 'total' && x.metric === 'dsp');
    expect(dsp).toMatchObject({ predicted: 25, reported: 32 });
    expect(dsp.deltaPct).toBeCloseTo(28, 10);
    const csv = readFileSync(join(d, 'c.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(json.rows.length + 1);
    expect(csv).toContain('unit,conv1,conv1_pragma,conv1_pragma,,,dsp,25,,32,,28,');
  });

  it('finds the report under proj_<design>/<solution> and honours --solution', async () => {
    const d = tempDir('proj');
    writeFileSync(join(d, 'vitforge-plan.json'), readFileSync(join(FIX, 'vitis-2023.1-lenet', 'vitforge-plan.json')));
    cpSync(reportDir('vitis-2023.1-lenet'), join(d, 'proj_lenet_conv1', 'solution1', 'syn', 'report'), { recursive: true });
    cpSync(reportDir('vitis-2022.1-igcn'), join(d, 'proj_lenet_conv1', 'solution2', 'syn', 'report'), { recursive: true });
    const a = await runCli('compare-synth', d);
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/proj_lenet_conv1\/solution1\/syn\/report \(HLS 2023\.1/);
    expect(a.out).toMatch(/picked 1 of 2 reports; others: proj_lenet_conv1\/solution2\/syn\/report \(choose with --solution\)/);
    const b = await runCli('compare-synth', d, '--solution', 'solution2');
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/\(HLS 2022\.1/);
    expect(b.out).toMatch(/note: the plan's top function is top_A, the report's IGCN/);
  });

  it('errors are one line and exit 1', async () => {
    const one = (r: { code: number; out: string; err: string }): string => {
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      return r.err.trimEnd();
    };
    const d = tempDir('cmperr');
    expect(one(await runCli('compare-synth', join(d, 'nope')))).toMatch(/^vitforge: error: .*nope: no such folder; expected a project written by vitforge generate$/);

    // a report but no prediction
    cpSync(reportDir('vitis-2023.1-lenet'), join(d, 'p1', 'proj', 'solution1', 'syn', 'report'), { recursive: true });
    expect(one(await runCli('compare-synth', join(d, 'p1')))).toMatch(/vitforge-plan\.json: not found; expected the vitforge-plan\.json that vitforge generate writes/);

    // a prediction but no report
    mkdirSync(join(d, 'p2'));
    writeFileSync(join(d, 'p2', 'vitforge-plan.json'), readFileSync(join(FIX, 'vitis-2023.1-lenet', 'vitforge-plan.json')));
    expect(one(await runCli('compare-synth', join(d, 'p2')))).toMatch(/p2: no Vitis HLS csynth report below it/);

    // a truncated report
    const rep = join(d, 'p2', 'proj', 'solution1', 'syn', 'report');
    mkdirSync(rep, { recursive: true });
    const xml = readFileSync(join(reportDir('vitis-2023.1-lenet'), 'csynth.xml'), 'utf8');
    writeFileSync(join(rep, 'csynth.xml'), xml.slice(0, xml.indexOf('</PerformanceEstimates>')));
    expect(one(await runCli('compare-synth', join(d, 'p2')))).toMatch(/csynth\.xml: malformed XML: unclosed <profile> <PerformanceEstimates> \(truncated file\?\)/);

    // a prediction with a bad field
    writeFileSync(join(d, 'bad.json'), JSON.stringify({ ...planOf('vitis-2023.1-lenet'), clockMHz: -3 }));
    expect(one(await runCli('compare-synth', join(FIX, 'vitis-2023.1-lenet'), '--prediction', join(d, 'bad.json')))).toMatch(/bad\.json: clockMHz: must be a positive number, got -3$/);

    expect(one(await runCli('compare-synth', join(FIX, 'vitis-2023.1-lenet'), '--solution', 'solution9'))).toMatch(/--solution: no solution 'solution9'.*\(allowed: solution1\)$/);
  });
});
