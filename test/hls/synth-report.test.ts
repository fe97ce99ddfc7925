/**
 * The csynth XML reader on trimmed copies of real Vivado/Vitis HLS reports (fixtures/csynth,
 * sources in fixtures/csynth/SOURCES.md). Every expected number was read by eye in the XML.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findReportDirs, parseCsynthXml, pickReportDir, readSynthReport, type SynthFunction, type SynthReport } from '../../src/hls/synth-report.js';
import { tempDir } from './helpers.js';
import { userError } from '../user-error.js';

const FIX = join(import.meta.dirname, 'fixtures', 'csynth');
const reportOf = (name: string): SynthReport => readSynthReport(join(FIX, name, 'solution1', 'syn', 'report'));
const fn = (r: SynthReport, name: string): SynthFunction => {
  const f = r.functions.find((x) => x.name === name);
  if (!f) throw new Error(`no function ${name} in ${r.functions.map((x) => x.name).join(', ')}`);
  return f;
};
const loop = (f: SynthFunction, name: string) => {
  const l = f.loops.find((x) => x.name === name);
  if (!l) throw new Error(`no loop ${name} in ${f.name}`);
  return l;
};

describe('Vivado HLS 2018.2 (MNIST_HLS): DSP48E, LoopN.M nesting, pipelined inner loops', () => {
  const r = reportOf('vivado-2018.2-mnist');

  it('reads the design summary', () => {
    expect(r).toMatchObject({ version: '2018.2', part: 'xcvu13p-flga2577-2-e', top: 'c_mnist', targetClockNs: 10, clockUncertaintyNs: 1.25, estimatedClockNs: 8.419 });
    expect(r.files).toEqual(['csynth.xml']);
    const top = fn(r, 'c_mnist');
    expect(top).toMatchObject({ latencyMin: null, latencyMax: null, intervalMin: null, intervalMax: null, pipelineType: 'none' });
    expect(top.resources).toEqual({ bram18k: 3391, dsp: 80, ff: 14744, lut: 21133, uram: 0 });
    expect(top.available).toEqual({ bram18k: 5376, dsp: 12288, ff: 3456000, lut: 1728000, uram: 1280 });
  });

  it('reads nested, pipelined and undef loops', () => {
    const top = fn(r, 'c_mnist');
    expect(top.loops.map((l) => l.path.join('/'))).toEqual([
      'Loop1', 'Loop2', 'Loop3', 'Loop3/Loop3.1', 'Loop4', 'Loop5', 'Loop6', 'Loop7', 'Loop7/Loop7.1', 'Loop8', 'Loop9', 'Loop10',
      'Loop11', 'Loop11/Loop11.1', 'Loop12',
    ]);
    expect(loop(top, 'Loop1')).toMatchObject({ tripCount: null, latencyMin: null, latencyMax: null, ii: 1, depth: 2, pipelined: true });
    expect(loop(top, 'Loop3')).toEqual({
      name: 'Loop3', path: ['Loop3'], tripCount: { min: 784, max: 784 }, ii: null, depth: null,
      iterationLatency: { min: 3931, max: 3931 }, latencyMin: 3081904, latencyMax: 3081904, pipelined: false,
    });
    expect(loop(top, 'Loop3.1')).toMatchObject({ path: ['Loop3', 'Loop3.1'], tripCount: { min: 784, max: 784 }, latencyMax: 3922, ii: 5, depth: 8, pipelined: true });
    expect(loop(top, 'Loop9')).toMatchObject({ tripCount: { min: 1, max: 25 }, latencyMin: 2, latencyMax: 26, ii: 1, depth: 2 });
    expect(loop(top, 'Loop11.1')).toMatchObject({ tripCount: { min: 392, max: 392 }, latencyMax: 1962, ii: 5, depth: 8 });
  });
});

describe('Vivado HLS 2019.1 (FIRIn2Features): one file per function, dataflow top', () => {
  const r = reportOf('vivado-2019.1-firfeatures');

  it('reads every function file, the top first', () => {
    expect(r.files).toEqual(['compute_features_csynth.xml', 'csynth.xml', 'interval_normalizati_csynth.xml', 'peak_detection_csynth.xml']);
    expect(r.functions.map((f) => f.name)).toEqual(['feature_extractor_ip', 'compute_features', 'interval_normalizati', 'peak_detection']);
    expect(r).toMatchObject({ version: '2019.1', top: 'feature_extractor_ip', part: 'xc7z020-clg400-2', targetClockNs: 10, clockUncertaintyNs: 1.25, estimatedClockNs: 8.588 });
    expect(fn(r, 'feature_extractor_ip')).toMatchObject({ pipelineType: 'dataflow', latencyMax: null, loops: [] });
    expect(fn(r, 'feature_extractor_ip').resources).toEqual({ bram18k: 6, dsp: 26, ff: 4752, lut: 8833, uram: 0 });
    expect(fn(r, 'compute_features').resources).toEqual({ bram18k: 3, dsp: 19, ff: 2693, lut: 4633, uram: 0 });
    expect(fn(r, 'interval_normalizati').resources).toEqual({ bram18k: 1, dsp: 7, ff: 1784, lut: 3478, uram: 0 });
    expect(fn(r, 'peak_detection').resources).toEqual({ bram18k: 2, dsp: 0, ff: 265, lut: 655, uram: 0 });
    expect(fn(r, 'peak_detection').estimatedClockNs).toBe(6.969);
  });

  it('reads iteration-latency and trip-count ranges', () => {
    const cf = fn(r, 'compute_features');
    expect(loop(cf, 'Loop2')).toMatchObject({ tripCount: { min: 199, max: 199 }, latencyMax: 1393, iterationLatency: { min: 7, max: 7 }, ii: null, pipelined: false });
    expect(loop(cf, 'Loop5')).toMatchObject({ tripCount: null, latencyMax: null, iterationLatency: { min: 18, max: 18 } });
    const pd = fn(r, 'peak_detection');
    expect(loop(pd, 'Loop1')).toMatchObject({ tripCount: null, iterationLatency: { min: 6, max: 446 } });
    expect(loop(pd, 'Loop1.1')).toMatchObject({ path: ['Loop1', 'Loop1.1'], tripCount: { min: 1, max: 110 }, latencyMin: 4, latencyMax: 443, iterationLatency: { min: 4, max: 4 } });
    expect(loop(fn(r, 'interval_normalizati'), 'Loop1.1')).toMatchObject({ tripCount: { min: 200, max: 200 }, latencyMax: 7200, iterationLatency: { min: 36, max: 36 } });
  });
});

describe('Vitis HLS 2020.2 (Vitis_HLS_Gaussian): DSP tag, labelled and flattened loops', () => {
  const r = reportOf('vitis-2020.2-gaussian');

  it('reads the function and its loops', () => {
    expect(r).toMatchObject({ version: '2020.2', top: 'gaussian', part: 'xczu7ev-ffvc1156-2-e', targetClockNs: 10, clockUncertaintyNs: 2.7, estimatedClockNs: 6.427 });
    const g = fn(r, 'gaussian');
    expect(g.file.endsWith('gaussian_csynth.xml')).toBe(true); // the per-function file wins over csynth.xml
    expect(g).toMatchObject({ latencyMin: 262673, latencyMax: 262673, intervalMin: 262674, intervalMax: 262674 });
    expect(g.resources).toEqual({ bram18k: 3, dsp: 0, ff: 976, lut: 1870, uram: 0 });
    expect(g.available).toEqual({ bram18k: 624, dsp: 1728, ff: 460800, lut: 230400, uram: 96 });
    expect(g.loops.map((l) => l.name)).toEqual(['buf_x1', 'buf_x2', 'win_y_win_x', 'for_y_for_x']);
    expect(loop(g, 'buf_x2')).toMatchObject({ tripCount: { min: 512, max: 512 }, latencyMax: 512, ii: 1, depth: 1, pipelined: true });
    expect(loop(g, 'win_y_win_x')).toMatchObject({ tripCount: { min: 4, max: 4 }, latencyMax: 5, ii: 1, depth: 2 });
    expect(loop(g, 'for_y_for_x')).toMatchObject({ tripCount: { min: 262144, max: 262144 }, latencyMax: 262146, ii: 1, depth: 4 });
  });

  it('csynth.xml alone gives the same function', () => {
    const text = readFileSync(join(FIX, 'vitis-2020.2-gaussian', 'solution1', 'syn', 'report', 'csynth.xml'), 'utf8');
    const f = parseCsynthXml(text, 'csynth.xml');
    const { file: _a, ...fromSummary } = f.functions[0]!;
    const { file: _b, ...fromFile } = fn(r, 'gaussian');
    expect(fromSummary).toEqual(fromFile);
  });
});

describe('Vitis HLS 2022.1 (IGCN): ModuleInformation, outlined pipelines, a ~ b ranges', () => {
  const r = reportOf('vitis-2022.1-igcn');

  it('takes every module of csynth.xml, the per-function file where there is one', () => {
    expect(r.functions.map((f) => f.name)).toEqual(['IGCN', 'IGCN_Pipeline_VITIS_LOOP_12_1', 'IGCN_Pipeline_VITIS_LOOP_19_2']);
    expect(r).toMatchObject({ version: '2022.1', top: 'IGCN', part: 'xc7z045-ffv900-3', estimatedClockNs: 6.751 });
    expect(fn(r, 'IGCN_Pipeline_VITIS_LOOP_12_1').file.endsWith('csynth.xml')).toBe(true);
    expect(fn(r, 'IGCN_Pipeline_VITIS_LOOP_19_2').file.endsWith('IGCN_Pipeline_VITIS_LOOP_19_2_csynth.xml')).toBe(true);
  });

  it('reads nested labelled loops and the outlined pipelined loops', () => {
    const top = fn(r, 'IGCN');
    expect(top.resources).toEqual({ bram18k: 2, dsp: 0, ff: 96, lut: 320, uram: 0 });
    expect(top.latencyMax).toBeNull();
    expect(top.loops.map((l) => l.path.join('/'))).toEqual(['IGCN_label0', 'IGCN_label0/t_label1']);
    expect(loop(top, 'IGCN_label0')).toMatchObject({ tripCount: { min: 10, max: 10 }, latencyMax: 120, iterationLatency: { min: 12, max: 12 }, pipelined: false, ii: null });
    expect(loop(top, 't_label1')).toMatchObject({ tripCount: { min: 5, max: 5 }, latencyMax: 10, iterationLatency: { min: 2, max: 2 } });
    const p12 = fn(r, 'IGCN_Pipeline_VITIS_LOOP_12_1');
    expect(p12.resources).toEqual({ bram18k: 0, dsp: 0, ff: 8, lut: 59, uram: 0 }); // AVAIL_/UTIL_ siblings ignored
    expect(p12.available).toBeNull();
    expect(p12.estimatedClockNs).toBe(4.334);
    expect(loop(p12, 'VITIS_LOOP_12_1')).toMatchObject({ tripCount: null, latencyMax: null, ii: 1, depth: 1, pipelined: true });
    const p19 = fn(r, 'IGCN_Pipeline_VITIS_LOOP_19_2');
    expect(p19).toMatchObject({ latencyMin: 2, latencyMax: 65, intervalMin: 2, intervalMax: 65 });
    expect(loop(p19, 'VITIS_LOOP_19_2')).toMatchObject({ tripCount: { min: 0, max: 63 }, latencyMin: 0, latencyMax: 63, ii: 1, depth: 2 });
  });

  it('the ModuleInformation entry and the per-function file agree (a ~ b text vs <range>)', () => {
    const text = readFileSync(join(FIX, 'vitis-2022.1-igcn', 'solution1', 'syn', 'report', 'csynth.xml'), 'utf8');
    const m = parseCsynthXml(text, 'csynth.xml').functions.find((f) => f.name === 'IGCN_Pipeline_VITIS_LOOP_19_2')!;
    expect(m).toMatchObject({ latencyMin: 2, latencyMax: 65, intervalMin: 2, intervalMax: 65, estimatedClockNs: 3.063 });
    expect(m.loops).toEqual(fn(r, 'IGCN_Pipeline_VITIS_LOOP_19_2').loops);
    expect(m.resources).toEqual(fn(r, 'IGCN_Pipeline_VITIS_LOOP_19_2').resources);
  });
});

describe('Vitis HLS 2023.1 (fpga-lenet5-accelerator): hierarchy with an outlined flattened pipeline', () => {
  const r = reportOf('vitis-2023.1-lenet');

  it('reads the three functions', () => {
    expect(r.functions.map((f) => f.name)).toEqual(['top_A', 'conv1_pragma', 'conv1_pragma_Pipeline_VITIS_LOOP_118_2_VITIS_LOOP_119_3']);
    expect(r).toMatchObject({ version: '2023.1', top: 'top_A', part: 'xc7z010-clg400-1', targetClockNs: 10, clockUncertaintyNs: 2.7, estimatedClockNs: 7.06 });
    const top = fn(r, 'top_A');
    expect(top).toMatchObject({ latencyMin: 18852, latencyMax: 18852, intervalMin: 18853, intervalMax: 18853 });
    expect(top.resources).toEqual({ bram18k: 2, dsp: 32, ff: 1669, lut: 2564, uram: 0 });
    expect(loop(top, 'VITIS_LOOP_140_1_VITIS_LOOP_141_2_VITIS_LOOP_142_3')).toMatchObject({ tripCount: { min: 588, max: 588 }, latencyMax: 1178, ii: 2, depth: 5 });
    const conv = fn(r, 'conv1_pragma');
    expect(conv).toMatchObject({ latencyMax: 17671, estimatedClockNs: 6.765 });
    expect(conv.resources).toEqual({ bram18k: 0, dsp: 32, ff: 1586, lut: 2111, uram: 0 });
    expect(loop(conv, 'VITIS_LOOP_117_1')).toMatchObject({ tripCount: { min: 3, max: 3 }, latencyMax: 17670, iterationLatency: { min: 5890, max: 5890 }, ii: null });
    const pipe = fn(r, 'conv1_pragma_Pipeline_VITIS_LOOP_118_2_VITIS_LOOP_119_3');
    expect(pipe).toMatchObject({ latencyMax: 5887 });
    expect(pipe.resources).toEqual({ bram18k: 0, dsp: 32, ff: 1178, lut: 1998, uram: 0 });
    expect(loop(pipe, 'VITIS_LOOP_118_2_VITIS_LOOP_119_3')).toMatchObject({ tripCount: { min: 392, max: 392 }, latencyMax: 5885, ii: 15, depth: 21 });
  });
});

describe('bad input is a UserError naming the file', () => {
  const good = readFileSync(join(FIX, 'vitis-2023.1-lenet', 'solution1', 'syn', 'report', 'top_A_csynth.xml'), 'utf8');

  it('truncated, malformed, empty or foreign XML', () => {
    const cut = userError(() => parseCsynthXml(good.slice(0, good.indexOf('</AreaEstimates>')), 'r/top_A_csynth.xml'));
    expect(cut.field).toBe('r/top_A_csynth.xml');
    expect(cut.message).toMatch(/^malformed XML: unclosed <profile> <AreaEstimates> \(truncated file\?\); expected a Vitis HLS csynth XML report$/);
    expect(userError(() => parseCsynthXml('<profile><a>1</b></profile>', 'x.xml')).message).toMatch(/^malformed XML: .*line 1/);
    expect(userError(() => parseCsynthXml('  \n', 'x.xml')).message).toMatch(/^empty file/);
    expect(userError(() => parseCsynthXml('<html><body/></html>', 'x.xml')).message).toMatch(/root element is <html>, expected <profile>/);
    expect(userError(() => parseCsynthXml('<profile><ReportVersion/></profile>', 'x.xml')).message).toMatch(/no <UserAssignments><TopModelName>/);
  });

  it('missing resource counts and values that are not numbers', () => {
    const noLut = good.replace(/<LUT>2564<\/LUT>\n/, '');
    expect(userError(() => parseCsynthXml(noLut, 'f.xml')).message).toMatch(/function top_A: <Resources> has no LUT count/);
    const noDsp = good.replace(/<DSP>32<\/DSP>\n/, '');
    expect(userError(() => parseCsynthXml(noDsp, 'f.xml')).message).toMatch(/no DSP count; expected <DSP> or <DSP48E> or <DSP48>/);
    const bad = good.replace('<PipelineII>2</PipelineII>', '<PipelineII>two</PipelineII>');
    expect(userError(() => parseCsynthXml(bad, 'f.xml')).message)
      .toBe("function top_A loop VITIS_LOOP_140_1_VITIS_LOOP_141_2_VITIS_LOOP_142_3: PipelineII is 'two', expected a number, a range 'a ~ b' or undef");
    const noUram = good.replace(/<URAM>0<\/URAM>\n/g, '');
    expect(parseCsynthXml(noUram, 'f.xml').functions[0]!.resources.uram).toBe(0); // devices without UltraRAM
  });

  it('a folder without reports, or a broken file among them', () => {
    const d = tempDir('csynth');
    expect(userError(() => readSynthReport(d)).message).toMatch(/no csynth.xml or \*_csynth.xml here/);
    writeFileSync(join(d, 'csynth.xml'), good.slice(0, 200));
    const e = userError(() => readSynthReport(d));
    expect(e.field).toBe(join(d, 'csynth.xml'));
    expect(e.message).toMatch(/^malformed XML: unclosed/);
  });
});

describe('finding the report of a project', () => {
  it('lists */syn/report folders and picks proj_<design>/solution1 first', () => {
    const d = tempDir('find');
    const xml = readFileSync(join(FIX, 'vitis-2023.1-lenet', 'solution1', 'syn', 'report', 'top_A_csynth.xml'), 'utf8');
    for (const rel of ['aaa/solution1', 'proj_x/solution2', 'proj_x/solution1', 'src/solution1']) {
      mkdirSync(join(d, rel, 'syn', 'report'), { recursive: true });
      writeFileSync(join(d, rel, 'syn', 'report', 'csynth.xml'), xml);
    }
    mkdirSync(join(d, 'empty', 'syn', 'report'), { recursive: true });
    expect(findReportDirs(d).map((c) => c.rel)).toEqual(['aaa/solution1/syn/report', 'proj_x/solution1/syn/report', 'proj_x/solution2/syn/report']);
    expect(pickReportDir(d, { preferProject: 'proj_x' }).chosen.rel).toBe('proj_x/solution1/syn/report');
    expect(pickReportDir(d).chosen.rel).toBe('aaa/solution1/syn/report');
    expect(pickReportDir(d, { solution: 'solution2' }).chosen.rel).toBe('proj_x/solution2/syn/report');
    const e = userError(() => pickReportDir(d, { solution: 'nope' }));
    expect(e.field).toBe('--solution');
    expect(e.allowed).toBe('solution1, solution2');
    // The report folder itself, or a solution folder, works too.
    expect(findReportDirs(join(d, 'aaa', 'solution1', 'syn', 'report')).map((c) => c.rel)).toEqual(['.']);
    expect(findReportDirs(join(d, 'aaa', 'solution1')).map((c) => c.solution)).toEqual(['solution1']);
    expect(userError(() => pickReportDir(join(d, 'empty'))).message).toMatch(/no Vitis HLS csynth report below it/);
  });
});
