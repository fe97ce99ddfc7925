/**
 * Vitis HLS / Vivado HLS C-synthesis reports (`<solution>/syn/report/csynth.xml` and one
 * `<function>_csynth.xml` per synthesised function), parsed into typed data for
 * `vitforge compare-synth`.
 *
 * One reader covers the report formats of Vivado HLS 2018–2020 and Vitis HLS 2020.2–2024:
 * - DSP count under `DSP48E` (Vivado HLS), `DSP` (Vitis HLS) or `DSP48`; `BRAM_18K`, `FF`, `LUT`,
 *   `URAM` (absent on devices without UltraRAM, read as 0); the `AVAIL_*`/`UTIL_*` siblings of
 *   Vitis 2022+ are not resources.
 * - Loops are the child elements of `SummaryOfLoopLatency`, nested loops inside their parent. A
 *   loop is named by its `<Name>` child (Vitis 2022+ `ModuleInformation`) or its tag (`Loop3.1`,
 *   `for_y_for_x`, `VITIS_LOOP_35_2`). Values are numbers, `undef`/`-` (unknown: null), ranges
 *   `<range><min/><max/></range>` or `a ~ b`.
 * - `csynth.xml` of Vitis 2022+ also holds a `ModuleInformation` section with every function; the
 *   per-function files win where both describe a function.
 * Numbers are in clock cycles (latency, interval, II) and ns (clock periods).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { UserError } from '../errors.js';

/** A reported quantity that may be data-dependent: min = max when fixed. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface SynthResources {
  readonly bram18k: number;
  readonly dsp: number;
  readonly ff: number;
  readonly lut: number;
  readonly uram: number;
}

export interface SynthLoop {
  /** As reported: the C label, `outer_inner` for a flattened nest, `VITIS_LOOP_<line>_<n>` or `LoopN.M` when unlabelled. */
  readonly name: string;
  /** Names from the function's outermost loop down to this one (the last element is `name`). */
  readonly path: readonly string[];
  readonly tripCount: Range | null;
  /** Achieved initiation interval; null when the loop is not pipelined. */
  readonly ii: number | null;
  readonly depth: number | null;
  readonly iterationLatency: Range | null;
  /** Cycles of one entry of the loop (all its iterations); null when unknown (`undef`). */
  readonly latencyMin: number | null;
  readonly latencyMax: number | null;
  readonly pipelined: boolean;
}

export interface SynthFunction {
  /** Function (RTL module) name as Vitis reports it, e.g. `linear_unit`, `linear_unit_1`, `top_Pipeline_load`. */
  readonly name: string;
  /** Report file it was read from (a `ModuleInformation` entry names `csynth.xml`). */
  readonly file: string;
  readonly latencyMin: number | null;
  readonly latencyMax: number | null;
  readonly intervalMin: number | null;
  readonly intervalMax: number | null;
  readonly estimatedClockNs: number | null;
  /** `PipelineType` of the function: none/no, yes, dataflow, … (null when not reported). */
  readonly pipelineType: string | null;
  /** Resources of the function including everything it instantiates. */
  readonly resources: SynthResources;
  /** Resources of the device as the report lists them (null when not reported). */
  readonly available: SynthResources | null;
  /** Every loop of the function, outer before inner, in report order. */
  readonly loops: readonly SynthLoop[];
}

export interface SynthReport {
  /** Folder the report files were read from. */
  readonly dir: string;
  /** Report files read, relative to `dir`, sorted. */
  readonly files: readonly string[];
  /** Tool version (`ReportVersion`), e.g. `2023.1`. */
  readonly version: string | null;
  readonly part: string | null;
  /** Top function. */
  readonly top: string;
  readonly targetClockNs: number | null;
  readonly clockUncertaintyNs: number | null;
  /** Estimated clock period of the top function. */
  readonly estimatedClockNs: number | null;
  /** The top function first, then the others by name. */
  readonly functions: readonly SynthFunction[];
}

/** What one report file holds. */
export interface CsynthFile {
  readonly file: string;
  readonly version: string | null;
  readonly part: string | null;
  /** `TopModelName`: the function this file reports (the design's top in `csynth.xml`). */
  readonly top: string;
  readonly targetClockNs: number | null;
  readonly clockUncertaintyNs: number | null;
  /** The file's own function first, then the `ModuleInformation` entries (Vitis 2022+ `csynth.xml`). */
  readonly functions: readonly SynthFunction[];
}

// ---------------------------------------------------------------------------------------------
// XML tree

interface XNode {
  readonly tag: string;
  readonly children: readonly XNode[];
  /** Concatenated text content directly inside the element. */
  readonly text: string;
}

const parser = new XMLParser({
  preserveOrder: true, // document order of loops and modules, duplicate tags kept apart
  ignoreAttributes: true,
  parseTagValue: false, // numbers are read here, with undef/ranges handled
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type Ordered = Record<string, unknown>[];

function toNodes(items: Ordered): XNode[] {
  const out: XNode[] = [];
  for (const item of items) {
    for (const [tag, value] of Object.entries(item)) {
      if (tag === '#text' || tag === ':@') continue;
      const kids = Array.isArray(value) ? (value as Ordered) : [];
      const text = kids.map((k) => ('#text' in k ? String(k['#text']) : '')).join('').trim();
      out.push({ tag, children: toNodes(kids), text });
    }
  }
  return out;
}

function child(n: XNode | undefined, tag: string): XNode | undefined {
  return n?.children.find((c) => c.tag === tag);
}

function path(n: XNode | undefined, ...tags: string[]): XNode | undefined {
  let cur = n;
  for (const t of tags) cur = child(cur, t);
  return cur;
}

function parseXml(text: string, file: string): XNode {
  if (text.trim() === '') throw new UserError(file, 'empty file; expected a Vitis HLS csynth XML report');
  const v = XMLValidator.validate(text);
  if (v !== true) {
    const open = /^Invalid '\[(.*)\]' found\.$/s.exec(v.err.msg);
    const why = open
      ? `unclosed ${open[1]!.split(',').map((s) => `<${s.trim().replace(/^"|"$/g, '')}>`).join(' ')} (truncated file?)`
      : `${v.err.msg} (line ${v.err.line}${v.err.col !== undefined ? `, column ${v.err.col}` : ''})`;
    throw new UserError(file, `malformed XML: ${why}; expected a Vitis HLS csynth XML report`);
  }
  const roots = toNodes(parser.parse(text) as Ordered);
  const root = roots[0];
  if (!root || root.tag !== 'profile') {
    throw new UserError(file, `root element is <${root?.tag ?? '?'}>, expected <profile> (a Vitis HLS csynth XML report)`);
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// Values

const UNKNOWN = new Set(['', 'undef', '-', 'n/a', 'na', 'none']);

interface Where { readonly file: string; readonly at: string }

function badValue(w: Where, what: string, raw: string): UserError {
  return new UserError(w.file, `${w.at}: ${what} is '${raw}', expected a number, a range 'a ~ b' or undef`);
}

function numberOf(raw: string, w: Where, what: string): number | null {
  const s = raw.trim().replace(/^~/, ''); // UTIL '~0' means "about 0"
  if (UNKNOWN.has(s.toLowerCase())) return null;
  const x = Number(s);
  if (!Number.isFinite(x)) throw badValue(w, what, raw);
  return x;
}

/** A `<range><min/><max/></range>` element, an `a ~ b` text, a plain number, or unknown (null). */
function rangeOf(n: XNode | undefined, w: Where, what: string): Range | null {
  if (!n) return null;
  const r = child(n, 'range');
  let min: number | null;
  let max: number | null;
  if (r) {
    min = numberOf(child(r, 'min')?.text ?? '', w, `${what} min`);
    max = numberOf(child(r, 'max')?.text ?? '', w, `${what} max`);
  } else if (n.text.includes('~')) {
    const [a, b, ...rest] = n.text.split('~');
    if (rest.length) throw badValue(w, what, n.text);
    min = numberOf(a!, w, what);
    max = numberOf(b!, w, what);
  } else {
    min = max = numberOf(n.text, w, what);
  }
  if (min === null && max === null) return null;
  return { min: (min ?? max)!, max: (max ?? min)! };
}

function scalarOf(n: XNode | undefined, w: Where, what: string): number | null {
  return rangeOf(n, w, what)?.max ?? null;
}

// ---------------------------------------------------------------------------------------------
// Loops, functions

/** A child element is a nested loop when it carries loop figures of its own. */
const LOOP_FIGURES = ['TripCount', 'Latency', 'LatencyBest', 'LatencyWorst', 'IterationLatency', 'PipelineII'];

function isLoop(n: XNode): boolean {
  return n.children.some((c) => LOOP_FIGURES.includes(c.tag));
}

function loopsOf(summary: XNode | undefined, w: Where, parents: string[] = []): SynthLoop[] {
  const out: SynthLoop[] = [];
  for (const n of summary?.children ?? []) {
    if (!isLoop(n)) continue;
    const name = child(n, 'Name')?.text || n.tag;
    const at: Where = { file: w.file, at: `${w.at} loop ${[...parents, name].join('/')}` };
    const type = child(n, 'PipelineType')?.text.toLowerCase();
    const ii = scalarOf(child(n, 'PipelineII'), at, 'PipelineII');
    const pipelined = type !== undefined && type !== '' ? !['no', 'none'].includes(type) && ii !== null : ii !== null;
    let latency = rangeOf(child(n, 'Latency'), at, 'Latency');
    if (!latency) {
      const best = scalarOf(child(n, 'LatencyBest'), at, 'LatencyBest');
      const worst = scalarOf(child(n, 'LatencyWorst'), at, 'LatencyWorst');
      if (best !== null || worst !== null) latency = { min: (best ?? worst)!, max: (worst ?? best)! };
    }
    out.push({
      name,
      path: [...parents, name],
      tripCount: rangeOf(child(n, 'TripCount'), at, 'TripCount'),
      ii: pipelined ? ii : null,
      depth: scalarOf(child(n, 'PipelineDepth'), at, 'PipelineDepth'),
      iterationLatency: rangeOf(child(n, 'IterationLatency'), at, 'IterationLatency'),
      latencyMin: latency?.min ?? null,
      latencyMax: latency?.max ?? null,
      pipelined,
    });
    out.push(...loopsOf(n, w, [...parents, name]));
  }
  return out;
}

const DSP_TAGS = ['DSP', 'DSP48E', 'DSP48'];

function resourcesOf(res: XNode | undefined, w: Where, required: boolean): SynthResources | null {
  if (!res) {
    if (required) throw new UserError(w.file, `${w.at}: no <AreaEstimates><Resources>; expected a Vitis HLS csynth XML report`);
    return null;
  }
  const get = (tags: string[], label: string, fallback?: number): number => {
    const n = res.children.find((c) => tags.includes(c.tag));
    const x = n ? numberOf(n.text, w, label) : null;
    if (x !== null) return x;
    if (fallback !== undefined) return fallback;
    throw new UserError(w.file, `${w.at}: <Resources> has no ${label} count; expected ${tags.map((t) => `<${t}>`).join(' or ')}`);
  };
  return {
    bram18k: get(['BRAM_18K'], 'BRAM_18K'),
    dsp: get(DSP_TAGS, 'DSP'),
    ff: get(['FF'], 'FF'),
    lut: get(['LUT'], 'LUT'),
    uram: get(['URAM'], 'URAM', 0), // devices without UltraRAM: the tag is absent
  };
}

/** A function from a `<profile>` (per-function file) or a `ModuleInformation/<Module>`. */
function functionOf(n: XNode, name: string, file: string): SynthFunction {
  const w: Where = { file, at: `function ${name}` };
  const perf = child(n, 'PerformanceEstimates');
  const overall = child(perf, 'SummaryOfOverallLatency');
  const best = scalarOf(child(overall, 'Best-caseLatency'), w, 'Best-caseLatency');
  const worst = scalarOf(child(overall, 'Worst-caseLatency'), w, 'Worst-caseLatency');
  let intervalMin = scalarOf(child(overall, 'Interval-min'), w, 'Interval-min');
  let intervalMax = scalarOf(child(overall, 'Interval-max'), w, 'Interval-max');
  if (intervalMin === null && intervalMax === null) {
    const pii = rangeOf(child(overall, 'PipelineInitiationInterval'), w, 'PipelineInitiationInterval');
    intervalMin = pii?.min ?? null;
    intervalMax = pii?.max ?? null;
  }
  const area = child(n, 'AreaEstimates');
  return {
    name,
    file,
    latencyMin: best,
    latencyMax: worst,
    intervalMin,
    intervalMax,
    estimatedClockNs: scalarOf(path(perf, 'SummaryOfTimingAnalysis', 'EstimatedClockPeriod'), w, 'EstimatedClockPeriod'),
    pipelineType: (child(perf, 'PipelineType') ?? child(overall, 'PipelineType'))?.text || null,
    resources: resourcesOf(child(area, 'Resources'), w, true)!,
    available: resourcesOf(child(area, 'AvailableResources'), { file, at: `function ${name} AvailableResources` }, false),
    loops: loopsOf(child(perf, 'SummaryOfLoopLatency'), w),
  };
}

/** Parse one csynth XML report (`file` names it in errors). */
export function parseCsynthXml(text: string, file: string): CsynthFile {
  const root = parseXml(text, file);
  const ua = child(root, 'UserAssignments');
  const top = child(ua, 'TopModelName')?.text;
  if (!top) throw new UserError(file, 'no <UserAssignments><TopModelName>; expected a Vitis HLS csynth XML report');
  if (!child(root, 'AreaEstimates') && !child(root, 'PerformanceEstimates')) {
    throw new UserError(file, 'no <PerformanceEstimates> or <AreaEstimates>; expected a Vitis HLS csynth XML report (truncated file?)');
  }
  const w: Where = { file, at: 'UserAssignments' };
  const functions: SynthFunction[] = [functionOf(root, top, file)];
  for (const m of child(root, 'ModuleInformation')?.children ?? []) {
    if (m.tag !== 'Module') continue;
    const name = child(m, 'Name')?.text;
    if (!name) throw new UserError(file, 'a <ModuleInformation><Module> has no <Name>');
    if (!functions.some((f) => f.name === name)) functions.push(functionOf(m, name, file));
  }
  return {
    file,
    version: path(root, 'ReportVersion', 'Version')?.text || null,
    part: child(ua, 'Part')?.text || null,
    top,
    targetClockNs: scalarOf(child(ua, 'TargetClockPeriod'), w, 'TargetClockPeriod'),
    clockUncertaintyNs: scalarOf(child(ua, 'ClockUncertainty'), w, 'ClockUncertainty'),
    functions,
  };
}

/** Report files of a `syn/report` folder: `csynth.xml` and `*_csynth.xml`. */
export function reportFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir).filter((f) => f === 'csynth.xml' || f.endsWith('_csynth.xml')).sort();
}

/**
 * Read a `<solution>/syn/report` folder. `csynth.xml` gives the top function and the design-wide
 * figures; every `<function>_csynth.xml` adds (or, for the same function, replaces) one function.
 */
export function readSynthReport(dir: string): SynthReport {
  const files = reportFiles(dir);
  if (files.length === 0) {
    throw new UserError(dir, 'no csynth.xml or *_csynth.xml here; expected the syn/report folder of a Vitis HLS solution (run csynth_design first)');
  }
  const parsed = files.map((f) => parseCsynthXml(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
  const summary = parsed[files.indexOf('csynth.xml')];
  const byName = new Map<string, SynthFunction>();
  if (summary) for (const fn of summary.functions) byName.set(fn.name, fn);
  for (const p of parsed) if (p !== summary) byName.set(p.top, p.functions[0]!);
  let top = summary?.top;
  if (top === undefined) {
    if (byName.size !== 1) {
      throw new UserError(dir, `no csynth.xml (the design summary naming the top function) among ${files.length} function reports`);
    }
    top = [...byName.keys()][0]!;
  }
  const head = summary ?? parsed[0]!;
  const functions = [...byName.values()].sort((a, b) => (a.name === top ? -1 : b.name === top ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    dir,
    files,
    version: head.version,
    part: head.part,
    top,
    targetClockNs: head.targetClockNs,
    clockUncertaintyNs: head.clockUncertaintyNs,
    estimatedClockNs: byName.get(top)?.estimatedClockNs ?? null,
    functions,
  };
}

// ---------------------------------------------------------------------------------------------
// Finding the report of a project

export interface ReportCandidate {
  /** The `syn/report` folder. */
  readonly dir: string;
  /** Its path relative to the folder searched ('.' when that folder is the report folder). */
  readonly rel: string;
  /** Name of the solution folder (parent of `syn`), e.g. `solution1`. */
  readonly solution: string;
  /** Name of the folder holding the solution, e.g. `proj_edge_moe`. */
  readonly project: string;
}

const SKIP_DIRS = new Set(['node_modules', 'src', 'include', 'tb', 'data', 'csim']);

/** Every `…/syn/report` folder with csynth XML files at most `maxDepth` levels below `root`, sorted by path. */
export function findReportDirs(root: string, maxDepth = 5): ReportCandidate[] {
  const out: ReportCandidate[] = [];
  const visit = (rel: string, depth: number): void => {
    const abs = rel === '.' ? root : join(root, rel);
    const parts = resolve(abs).split(/[\\/]+/).filter(Boolean);
    if (parts.length >= 2 && parts[parts.length - 1] === 'report' && parts[parts.length - 2] === 'syn' && reportFiles(abs).length) {
      out.push({ dir: abs, rel, solution: parts[parts.length - 3] ?? '', project: parts[parts.length - 4] ?? '' });
    }
    if (depth >= maxDepth) return;
    let names: string[];
    try {
      names = readdirSync(abs, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      return;
    }
    for (const n of names.sort()) {
      if (n.startsWith('.') || (depth === 0 && SKIP_DIRS.has(n))) continue;
      visit(rel === '.' ? n : join(rel, n), depth + 1);
    }
  };
  visit('.', 0);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/**
 * The report `compare-synth` reads below `root`: only solutions named `solution` when given;
 * then the one under `preferProject` (the `proj_<design>` folder run_hls.tcl creates), then
 * `solution1`, then the first by path. Returns every candidate too, so the caller can say which.
 */
export function pickReportDir(root: string, opts: { solution?: string; preferProject?: string } = {}): { chosen: ReportCandidate; candidates: ReportCandidate[] } {
  const all = findReportDirs(root);
  if (all.length === 0) {
    throw new UserError(root, 'no Vitis HLS csynth report below it (looked for */syn/report/csynth.xml up to 5 levels down); run vitis_hls -f run_hls.tcl there first');
  }
  const candidates = opts.solution === undefined ? all : all.filter((c) => c.solution === opts.solution);
  if (candidates.length === 0) {
    throw new UserError('--solution', `no solution '${opts.solution}' with a csynth report below ${root}`, [...new Set(all.map((c) => c.solution))].join(', '));
  }
  const rank = (c: ReportCandidate): number => (c.project === opts.preferProject ? 0 : 2) + (c.solution === 'solution1' ? 0 : 1);
  const chosen = [...candidates].sort((a, b) => rank(a) - rank(b) || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))[0]!;
  return { chosen, candidates };
}
