/**
 * vitforge's prediction beside a Vitis HLS csynth report: per unit (HLS function) and per
 * labelled loop, predicted vs reported II, depth, trip count, latency and resources, with the
 * difference. Pure: no file access (`vitforge compare-synth` reads the files).
 *
 * Matching (docs/hls.md, "Reading a csynth report against the prediction"):
 * - a unit's function is the report function of the same name; else the ones Vitis derived from
 *   it by a suffix (`linear_unit_1`, template instances `f_4_1_s`); else one whose name Vivado
 *   HLS truncated to 20 characters. Several instances: resources are summed, latency and loops
 *   are those of the first. None: "not found (inlined?)".
 * - a unit's loops are those of its function and of the `<function>_Pipeline_*` functions that
 *   Vitis 2022+ outlines pipelined loops into. A plan loop matches a report loop of the same
 *   label (nested entries included; a `.N` suffix marks a repeated instance). A report loop named
 *   by joining several plan labels with `_` (`outer_inner`) is the flattened nest of those loops:
 *   its II and depth are the innermost's, its trip count the product, its latency the outermost's.
 * - report loops matched by no plan loop (`VITIS_LOOP_<line>_<n>`, `LoopN`) are listed as unmatched.
 */
import type { SynthFunction, SynthLoop, SynthReport, SynthResources } from './synth-report.js';
import type { PredictedLoop, PredictedUnit, SynthPrediction } from './synth-prediction.js';

export type Metric = 'latency' | 'ii' | 'depth' | 'trip' | 'dsp' | 'bram18k' | 'uram' | 'lut' | 'ff' | 'clock_ns';

export interface CompareRow {
  readonly kind: 'total' | 'unit' | 'loop';
  /** Plan unit id (null on total rows). */
  readonly unit: string | null;
  /** C++ function of the plan unit (null on total rows). */
  readonly planFunction: string | null;
  /** Report function the reported figure comes from (null when not found). */
  readonly function: string | null;
  /** Plan loop label; `a+b` for a flattened nest of plan loops a and b. */
  readonly loop: string | null;
  /** Report loop name (null when not found). */
  readonly reportLoop: string | null;
  readonly metric: Metric;
  readonly predicted: number | null;
  /** Lower end when the predicted figure is a range (trip count). */
  readonly predictedMin: number | null;
  readonly reported: number | null;
  /** Lower end when the reported figure is a range. */
  readonly reportedMin: number | null;
  /** (reported − predicted) / predicted × 100; null when either is unknown or predicted is 0 and reported is not. */
  readonly deltaPct: number | null;
  readonly note: string | null;
}

export interface UnmatchedLoop {
  readonly function: string;
  readonly name: string;
  readonly path: readonly string[];
  readonly ii: number | null;
  readonly tripMax: number | null;
  readonly latencyMax: number | null;
}

export interface CompareResult {
  readonly design: string;
  readonly top: string;
  readonly part: string;
  readonly clockMHz: number;
  readonly report: {
    readonly dir: string;
    readonly version: string | null;
    readonly part: string | null;
    readonly top: string;
    readonly targetClockNs: number | null;
    readonly clockUncertaintyNs: number | null;
    readonly estimatedClockNs: number | null;
  };
  readonly rows: readonly CompareRow[];
  /** Plan units with no report function: inlined by Vitis, or renamed. */
  readonly missingUnits: readonly { unit: string; function: string }[];
  /** Plan loops found in no report loop of their unit. */
  readonly missingLoops: readonly { unit: string; label: string }[];
  /** Report loops of the compared functions that no plan loop matched. */
  readonly unmatchedLoops: readonly UnmatchedLoop[];
  /** Report functions that are neither a plan unit, nor one of its outlined pipelines, nor the top. */
  readonly otherFunctions: readonly string[];
  readonly notes: readonly string[];
}

const RESOURCES: readonly (keyof SynthResources & Metric)[] = ['dsp', 'bram18k', 'uram', 'lut', 'ff'];

export function deltaPct(predicted: number | null, reported: number | null): number | null {
  if (predicted === null || reported === null) return null;
  if (predicted === 0) return reported === 0 ? 0 : null;
  return ((reported - predicted) / predicted) * 100;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Report functions standing for the C++ function `fn`, best match first. */
export function functionsFor(fn: string, report: SynthReport): { functions: SynthFunction[]; how: 'exact' | 'suffixed' | 'truncated' | 'none' } {
  const exact = report.functions.filter((f) => f.name === fn);
  if (exact.length) return { functions: exact, how: 'exact' };
  const re = new RegExp(`^${escapeRe(fn)}(_\\d+|_s)+$`);
  const suffixed = report.functions.filter((f) => re.test(f.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (suffixed.length) return { functions: suffixed, how: 'suffixed' };
  const truncated = report.functions.filter((f) => f.name.length === 20 && fn.length > 20 && fn.startsWith(f.name));
  if (truncated.length) return { functions: truncated, how: 'truncated' };
  return { functions: [], how: 'none' };
}

/** The function's loops and those of the pipelines Vitis outlined from it (`<fn>_Pipeline_<loop>`). */
function loopScope(fn: SynthFunction, report: SynthReport): { fn: SynthFunction; loop: SynthLoop }[] {
  const outlined = report.functions.filter((f) => f.name.startsWith(`${fn.name}_Pipeline_`));
  return [fn, ...outlined].flatMap((f) => f.loops.map((loop) => ({ fn: f, loop })));
}

const baseName = (name: string): string => name.replace(/\.\d+$/, '');
const UNLABELLED = /^VITIS_LOOP_\d+_\d+/;

/**
 * Split a flattened report loop name into plan labels (and unlabelled `VITIS_LOOP_l_n` parts):
 * `for_y_for_x` → ['for_y', 'for_x']. Null unless it splits into at least two parts, one a label.
 */
export function splitFlattened(name: string, labels: readonly string[]): string[] | null {
  const sorted = [...labels].sort((a, b) => b.length - a.length);
  const go = (i: number): string[] | null => {
    if (i === name.length) return [];
    const options: string[] = [];
    for (const l of sorted) if (name.startsWith(l, i)) options.push(l);
    const v = UNLABELLED.exec(name.slice(i));
    if (v) options.push(v[0]);
    for (const part of options) {
      const end = i + part.length;
      if (end === name.length) return [part];
      if (name[end] !== '_') continue;
      const rest = go(end + 1);
      if (rest) return [part, ...rest];
    }
    return null;
  };
  const parts = go(0);
  return parts && parts.length >= 2 && parts.some((p) => labels.includes(p)) ? parts : null;
}

interface Builder {
  rows: CompareRow[];
}

function push(b: Builder, r: Omit<CompareRow, 'deltaPct' | 'predictedMin' | 'reportedMin' | 'note'> & Partial<Pick<CompareRow, 'predictedMin' | 'reportedMin' | 'note'>>): void {
  b.rows.push({
    predictedMin: null, reportedMin: null, note: null, ...r,
    deltaPct: deltaPct(r.predicted, r.reported),
  });
}

/** The plan figures of one report loop: a single plan loop, or a flattened nest (outer first). */
function loopFigures(loops: readonly PredictedLoop[]): { ii: number | null; depth: number; tripMin: number; tripMax: number; latency: number } {
  const inner = loops[loops.length - 1]!;
  return {
    ii: inner.ii,
    depth: inner.depth,
    tripMin: loops.reduce((p, l) => p * l.tripMin, 1),
    tripMax: loops.reduce((p, l) => p * l.tripMax, 1),
    latency: loops[0]!.latencyCycles,
  };
}

function loopRows(b: Builder, unit: string, planFunction: string, plan: readonly PredictedLoop[], fn: string, r: SynthLoop, note: string | null): void {
  const p = loopFigures(plan);
  const loop = plan.map((l) => l.label).join('+');
  const base = { kind: 'loop' as const, unit, planFunction, function: fn, loop, reportLoop: r.name };
  let iiNote = note;
  if (p.ii === null && r.ii !== null) iiNote = 'pipelined in the report, not in the plan';
  else if (p.ii !== null && r.ii === null) iiNote = 'not pipelined in the report';
  else if (p.ii === null && r.ii === null) iiNote = 'not pipelined (both)';
  push(b, { ...base, metric: 'ii', predicted: p.ii, reported: r.ii, note: iiNote });
  // A loop that is not pipelined reports its iteration latency where a pipelined one reports its depth.
  const depth = r.depth ?? r.iterationLatency?.max ?? null;
  push(b, { ...base, metric: 'depth', predicted: p.depth, reported: depth, reportedMin: r.depth === null ? (r.iterationLatency?.min ?? null) : null });
  push(b, {
    ...base, metric: 'trip', predicted: p.tripMax, predictedMin: p.tripMin, reported: r.tripCount?.max ?? null, reportedMin: r.tripCount?.min ?? null,
    note: r.tripCount === null ? 'undef in the report (no LOOP_TRIPCOUNT?)' : null,
  });
  push(b, {
    ...base, metric: 'latency', predicted: p.latency, reported: r.latencyMax, reportedMin: r.latencyMin,
    note: r.latencyMax === null ? 'undef in the report' : null,
  });
}

/** What the unit comparisons collect besides rows. */
interface Found {
  readonly missingUnits: { unit: string; function: string }[];
  readonly missingLoops: { unit: string; label: string }[];
  readonly unmatched: UnmatchedLoop[];
  /** Report functions accounted for (units, their outlined pipelines, the top). */
  readonly used: Set<string>;
}

function compareUnit(b: Builder, u: PredictedUnit, report: SynthReport, out: Found): void {
  const { functions, how } = functionsFor(u.function, report);
  const first = functions[0];
  const unitBase = { kind: 'unit' as const, unit: u.unit, planFunction: u.function, loop: null, reportLoop: null };
  if (!first) {
    out.missingUnits.push({ unit: u.unit, function: u.function });
    const note = 'not found (inlined?)';
    push(b, { ...unitBase, function: null, metric: 'latency', predicted: u.latencyCycles ?? null, reported: null, note });
    for (const k of RESOURCES) push(b, { ...unitBase, function: null, metric: k, predicted: u[k], reported: null, note });
    for (const l of u.loops) out.missingLoops.push({ unit: u.unit, label: l.label });
    return;
  }
  for (const f of functions) out.used.add(f.name);
  const names = functions.map((f) => f.name);
  const instNote = functions.length > 1 ? `${functions.length} instances (${names.join(', ')}): resources summed` : null;
  const howNote = how === 'truncated' ? `name truncated to ${first.name}` : null;
  push(b, {
    ...unitBase, function: first.name, metric: 'latency', predicted: u.latencyCycles ?? null, reported: first.latencyMax, reportedMin: first.latencyMin,
    note: first.latencyMax === null ? 'undef in the report' : howNote,
  });
  for (const k of RESOURCES) {
    push(b, { ...unitBase, function: names.join('+'), metric: k, predicted: u[k], reported: functions.reduce((s, f) => s + f.resources[k], 0), note: instNote });
  }

  const scope = loopScope(first, report);
  for (const s of scope) out.used.add(s.fn.name);
  const matched = new Set<number>();
  const found = new Set<string>();
  const labels = u.loops.map((l) => l.label);
  // 1. same label, nested entries included; repeated instances ('.N') noted
  for (const pl of u.loops) {
    const hits = scope.map((s, i) => ({ ...s, i })).filter((s) => !matched.has(s.i) && baseName(s.loop.name) === pl.label);
    const hit = hits[0];
    if (!hit) continue;
    for (const h of hits) matched.add(h.i);
    found.add(pl.label);
    loopRows(b, u.unit, u.function, [pl], hit.fn.name, hit.loop, hits.length > 1 ? `${hits.length} instances in the report; first shown` : null);
  }
  // 2. flattened nests named outer_inner
  scope.forEach((s, i) => {
    if (matched.has(i)) return;
    const parts = splitFlattened(baseName(s.loop.name), labels);
    if (!parts) return;
    const plan = parts.map((p) => u.loops.find((l) => l.label === p));
    if (plan.some((p) => p === undefined) || plan.some((p) => found.has(p!.label))) return;
    matched.add(i);
    for (const p of plan) found.add(p!.label);
    loopRows(b, u.unit, u.function, plan as PredictedLoop[], s.fn.name, s.loop, `flattened: ${parts.join(', ')}`);
  });
  for (const l of u.loops) if (!found.has(l.label)) out.missingLoops.push({ unit: u.unit, label: l.label });
  for (const l of u.loops) {
    if (found.has(l.label)) continue;
    const p = loopFigures([l]);
    const base = { kind: 'loop' as const, unit: u.unit, planFunction: u.function, function: null, loop: l.label, reportLoop: null, reported: null };
    const note = 'not in the report (unrolled, inlined or renamed?)';
    push(b, { ...base, metric: 'ii', predicted: p.ii, note });
    push(b, { ...base, metric: 'depth', predicted: p.depth, note });
    push(b, { ...base, metric: 'trip', predicted: p.tripMax, predictedMin: p.tripMin, note });
    push(b, { ...base, metric: 'latency', predicted: p.latency, note });
  }
  scope.forEach((s, i) => {
    if (!matched.has(i)) out.unmatched.push(unmatchedOf(s.fn, s.loop));
  });
}

function unmatchedOf(fn: SynthFunction, l: SynthLoop): UnmatchedLoop {
  return { function: fn.name, name: l.name, path: l.path, ii: l.ii, tripMax: l.tripCount?.max ?? null, latencyMax: l.latencyMax };
}

/** The estimated period against the budget Vitis schedules for (target − uncertainty). */
function clockNote(r: SynthReport): string {
  if (r.estimatedClockNs === null) return 'no estimate in the report';
  if (r.targetClockNs === null || r.clockUncertaintyNs === null) return 'HLS estimate';
  const budget = r.targetClockNs - r.clockUncertaintyNs;
  return r.estimatedClockNs > budget
    ? `HLS estimate exceeds target - uncertainty = ${fmtNum(budget)} ns`
    : `HLS estimate, within target - uncertainty = ${fmtNum(budget)} ns`;
}

/** Rows of the comparison, in order: total, then each unit followed by its loops. */
export function compareSynth(prediction: SynthPrediction, report: SynthReport): CompareResult {
  const b: Builder = { rows: [] };
  const notes: string[] = [];
  const out: Found = { missingUnits: [], missingLoops: [], unmatched: [], used: new Set<string>() };

  const top = report.functions.find((f) => f.name === report.top);
  if (prediction.top !== report.top) notes.push(`the plan's top function is ${prediction.top}, the report's ${report.top}: totals compare against ${report.top}`);
  const periodNs = 1000 / prediction.clockMHz;
  if (report.targetClockNs !== null && Math.abs(report.targetClockNs - periodNs) > 0.01 * periodNs) {
    notes.push(`the report's target clock is ${report.targetClockNs} ns, the plan's ${fmtNum(periodNs)} ns (${prediction.clockMHz} MHz): cycle counts are not comparable one to one`);
  }
  const totalBase = { kind: 'total' as const, unit: null, planFunction: null, function: report.top, loop: null, reportLoop: null };
  push(b, {
    ...totalBase, metric: 'latency', predicted: prediction.totalCycles, reported: top?.latencyMax ?? null, reportedMin: top?.latencyMin ?? null,
    note: top && top.latencyMax === null ? 'undef in the report (data-dependent loop without LOOP_TRIPCOUNT?)' : null,
  });
  for (const k of RESOURCES) push(b, { ...totalBase, metric: k, predicted: prediction.resources[k], reported: top?.resources[k] ?? null });
  push(b, {
    ...totalBase, metric: 'clock_ns', predicted: periodNs, reported: report.estimatedClockNs,
    note: clockNote(report),
  });
  out.used.add(report.top);

  for (const u of prediction.units) compareUnit(b, u, report, out);

  // The top's own loops are compared when a unit is the top; otherwise list them as unmatched.
  if (top && !prediction.units.some((u) => functionsFor(u.function, report).functions.some((f) => f.name === top.name))) {
    for (const s of loopScope(top, report)) {
      out.used.add(s.fn.name);
      out.unmatched.push(unmatchedOf(s.fn, s.loop));
    }
  }
  const otherFunctions = report.functions.map((f) => f.name).filter((n) => !out.used.has(n));
  return {
    design: prediction.design,
    top: prediction.top,
    part: prediction.part,
    clockMHz: prediction.clockMHz,
    report: {
      dir: report.dir, version: report.version, part: report.part, top: report.top,
      targetClockNs: report.targetClockNs, clockUncertaintyNs: report.clockUncertaintyNs, estimatedClockNs: report.estimatedClockNs,
    },
    rows: b.rows,
    missingUnits: out.missingUnits,
    missingLoops: out.missingLoops,
    unmatchedLoops: out.unmatched,
    otherFunctions,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// Output

const METRIC_LABEL: Record<Metric, string> = {
  latency: 'latency', ii: 'II', depth: 'depth', trip: 'trip', dsp: 'DSP', bram18k: 'BRAM_18K', uram: 'URAM', lut: 'LUT', ff: 'FF', clock_ns: 'clock ns',
};

function fmtNum(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toFixed(3).replace(/\.?0+$/, '');
}

function fmtValue(v: number | null, min: number | null): string {
  if (v === null) return 'n/a';
  return min !== null && min !== v ? `${fmtNum(min)}~${fmtNum(v)}` : fmtNum(v);
}

export function fmtDelta(d: number | null): string {
  if (d === null) return '-';
  const r = Math.round(d * 10) / 10;
  return `${r > 0 ? '+' : ''}${(r === 0 ? 0 : r).toFixed(1)}%`;
}

function scopeOf(r: CompareRow): string {
  if (r.kind === 'total') return `TOTAL ${r.function}`;
  if (r.kind === 'unit') return `${r.unit} (${r.function ?? r.planFunction})`;
  const shown = r.reportLoop !== null && r.reportLoop !== r.loop ? `${r.loop} = ${r.reportLoop}` : r.loop;
  return `  ${r.unit}/${shown}`;
}

function table(head: string[], rows: string[][], right: boolean[]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (right[i] ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd();
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

/** The plain-text table `vitforge compare-synth` prints. */
export function formatCompare(c: CompareResult): string {
  const lines: string[] = [];
  const rows: string[][] = [];
  let lastScope = '';
  for (const r of c.rows) {
    // A unit that is not in the report gets one line instead of six.
    if (r.kind === 'unit' && r.function === null) {
      if (r.metric === 'latency') rows.push([scopeOf(r), '', '', '', '', 'not found in the report (inlined?)']);
      continue;
    }
    if (r.kind === 'loop' && r.reportLoop === null) {
      if (r.metric === 'ii') rows.push([scopeOf(r), '', '', '', '', r.note ?? '']);
      continue;
    }
    const scope = scopeOf(r);
    rows.push([scope === lastScope ? '' : scope, METRIC_LABEL[r.metric], fmtValue(r.predicted, r.predictedMin), fmtValue(r.reported, r.reportedMin), fmtDelta(r.deltaPct), r.note ?? '']);
    lastScope = scope;
  }
  lines.push(table(['unit / loop', 'metric', 'predicted', 'reported', 'delta', 'note'], rows, [false, false, true, true, true, false]));
  if (c.unmatchedLoops.length) {
    lines.push('', `report loops no plan label matched (${c.unmatchedLoops.length}):`);
    for (const l of c.unmatchedLoops) {
      lines.push(`  ${l.function}/${l.path.join('/')}: II ${l.ii ?? '-'}, trip ${l.tripMax === null ? 'n/a' : fmtNum(l.tripMax)}, latency ${l.latencyMax === null ? 'n/a' : fmtNum(l.latencyMax)}`);
    }
  }
  if (c.otherFunctions.length) lines.push('', `report functions no plan unit matched: ${c.otherFunctions.join(', ')}`);
  for (const n of c.notes) lines.push(`note: ${n}`);
  return lines.join('\n') + '\n';
}

const CSV_HEAD = ['kind', 'unit', 'plan_function', 'function', 'loop', 'report_loop', 'metric', 'predicted', 'predicted_min', 'reported', 'reported_min', 'delta_pct', 'note'];

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line per row (`--csv`). */
export function compareCsv(c: CompareResult): string {
  const lines = [CSV_HEAD.join(',')];
  for (const r of c.rows) {
    lines.push([r.kind, r.unit, r.planFunction, r.function, r.loop, r.reportLoop, r.metric, r.predicted, r.predictedMin, r.reported, r.reportedMin,
      r.deltaPct === null ? null : Math.round(r.deltaPct * 1000) / 1000, r.note].map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}
