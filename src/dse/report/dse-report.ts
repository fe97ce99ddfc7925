/**
 * Report of a DSE output folder: the run, why points were rejected, the Pareto front (table and
 * latency–energy scatter with the published anchors), the best design per objective, and the
 * full design report of the best-latency design.
 */
import { writeReport, type WriteOptions } from '../../report/index.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { designFromObject } from '../../design/load.js';
import { UserError } from '../../errors.js';
import { getPart } from '../../parts/parts.js';
import { evaluatePerformance } from '../../sim/timing/index.js';
import type { RunConfig } from '../config.js';
import type { DseSummary } from '../run.js';
import type { PointJson } from '../output.js';
import { pointObject } from '../space.js';
import type { Block, Report } from '../../report/document.js';
import { fmt } from '../../report/charts/frame.js';
import { front2d, paretoChart, type AxisSpec, type ScatterPoint } from '../../report/charts/pareto.js';
import { designBlocks } from '../../report/design-report.js';
import { anchorsFor } from '../../report/references.js';
import { METRICS } from '../metrics.js';
import type { Objective } from '../metrics.js';
import { resolveModel } from '../../model/file.js';
import { bindingBlocks } from './dse-binding.js';
import type { Verified } from '../verify.js';
import { simulateImage } from '../../sim/timing/event/index.js';

/** Most points drawn in the scatter (front points always; the rest thinned evenly by id). */
const MAX_SCATTER = 3000;

export interface DseRun {
  readonly cfg: RunConfig;
  readonly summary: Omit<DseSummary, 'out'>;
  readonly points: PointJson[];
  /** `dse --verify-top K`: the best designs re-run in the event engine (verify.json), when present. */
  readonly verify?: { readonly k: number; readonly verified: readonly Verified[] };
}

export function readDseRun(dir: string): DseRun {
  const meta = join(dir, 'dse.json');
  const jsonl = join(dir, 'points.jsonl');
  if (!existsSync(meta) || !existsSync(jsonl)) throw new UserError('--dse', `${dir} is not a DSE output folder (needs dse.json and points.jsonl)`);
  let parsed: { config: RunConfig; summary: Omit<DseSummary, 'out'> };
  try {
    parsed = JSON.parse(readFileSync(meta, 'utf8'));
  } catch (e) {
    throw new UserError('--dse', `cannot read ${meta}: ${(e as Error).message}`);
  }
  const points: PointJson[] = [];
  for (const line of readFileSync(jsonl, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      points.push(JSON.parse(line) as PointJson);
    } catch {
      // A line cut short by a crash: the point is simply not shown (vitforge dse --resume redoes it).
    }
  }
  const vpath = join(dir, 'verify.json');
  const verify = existsSync(vpath) ? (JSON.parse(readFileSync(vpath, 'utf8')) as DseRun['verify']) : undefined;
  return { cfg: parsed.config, summary: parsed.summary, points, ...(verify ? { verify } : {}) };
}

function metric(p: PointJson, name: string): number {
  return p.metrics?.[name] ?? NaN;
}

/** Axis titles of the metrics a DSE chart may use (others: the metric name). */
const AXIS_LABELS: Record<string, string> = {
  latency_ms: 'latency per image', energy_mj: 'energy per image', power_w: 'power', gops: 'throughput',
  gops_per_w: 'efficiency', dsp: 'DSP slices', bram36: 'BRAM36', lut: 'LUTs', ff: 'FFs', error: 'fixed-point error', sqnr_db: 'SQNR',
};

function axisOf(name: string, maximise?: boolean): AxisSpec {
  const m = METRICS.find((x) => x.name === name);
  return { name, label: AXIS_LABELS[name] ?? name, unit: m?.unit ?? 'derived', maximise: maximise ?? (m ? !m.minimise : false) };
}

/**
 * The two objectives to plot: of every pair, the one whose two-quantity Pareto front holds the
 * most designs, i.e. the pair that trades off most. Latency vs board energy often collapses to a
 * single point (board power is nearly constant, so energy ∝ latency), which says nothing; ties go
 * to the earlier objectives. With fewer than two objectives latency, DSPs and energy fill in.
 * Colour: the next objective not on an axis (else DSPs or latency).
 */
export function chooseAxes(fit: readonly PointJson[], objectives: readonly Objective[]): { x: AxisSpec; y: AxisSpec; color: AxisSpec; why: string } {
  const names = objectives.map((o) => o.name);
  const dir = new Map(objectives.map((o) => [o.name, !o.minimise]));
  for (const extra of ['latency_ms', 'dsp', 'energy_mj']) if (names.length < 2 && !names.includes(extra)) names.push(extra);
  let best: [number, number, number] = [0, 1, -1];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const ok = fit.filter((p) => Number.isFinite(metric(p, names[i]!)) && Number.isFinite(metric(p, names[j]!)));
      const n = front2d(ok.map((p) => metric(p, names[i]!)), ok.map((p) => metric(p, names[j]!)), dir.get(names[i]!), dir.get(names[j]!)).length;
      if (n > best[2]) best = [i, j, n];
    }
  }
  const [i, j, n] = best;
  const colorName = names.find((_m, k) => k !== i && k !== j) ?? (names[i] !== 'dsp' && names[j] !== 'dsp' ? 'dsp' : 'latency_ms');
  return {
    x: axisOf(names[i]!, dir.get(names[i]!)), y: axisOf(names[j]!, dir.get(names[j]!)), color: axisOf(colorName, dir.get(colorName)),
    why: `${Math.max(0, n)} designs on the ${names[i]}–${names[j]} front`,
  };
}

export function buildDseReport(run: DseRun): Report {
  const { cfg, summary, points } = run;
  const space = cfg.eval.space;
  const part = getPart(String(space.base.part));
  const fit = points.filter((p) => p.fit);
  const blocks: Block[] = [];
  const objectives = cfg.objectives.map((o) => `${o.minimise ? 'min' : 'max'} ${o.name}`).join(', ');
  blocks.push({ kind: 'heading', text: 'Run' });
  blocks.push({ kind: 'text', text: `Model \`${String(space.base.model)}\` on ${part.board}; strategy ${cfg.strategy}, seed ${cfg.seed}, budget ${cfg.budget}; objectives: ${objectives}. ` +
    `Space: ${space.dims.length} searched parameters, ${fmt(space.size)} points. All figures are predictions of the vitforge models.` });
  blocks.push({ kind: 'table', table: {
    head: ['quantity', 'value'], numeric: [false, true],
    rows: [
      ['status', summary.status], ['points evaluated', summary.evaluated], ['feasible (fit and meet constraints)', summary.counts.ok ?? 0],
      ['invalid designs', summary.counts.invalid ?? 0], ['do not fit the part', summary.counts.nofit ?? 0],
      ['violate constraints', summary.counts.constraint ?? 0], ['Pareto-optimal', summary.paretoIds.length],
      ['constraints', cfg.eval.constraints.length ? cfg.eval.constraints.join(' and ') : 'none'],
    ],
  } });
  blocks.push({ kind: 'table', table: {
    head: ['parameter', 'values searched'], rows: space.dims.map((d) => [d.name, d.values.join(', ')]),
  } });
  if (summary.reasons.length > 0) {
    blocks.push({ kind: 'heading', text: 'Rejections', level: 3 });
    blocks.push({ kind: 'table', table: { head: ['reason', 'points'], numeric: [false, true], rows: summary.reasons.slice(0, 30).map(([r, n]) => [r, n]) } });
  }

  blocks.push(...bindingBlocks(run, part));

  blocks.push({ kind: 'heading', text: 'Pareto front' });
  if (fit.length === 0) {
    blocks.push({ kind: 'text', text: 'No evaluated point is feasible (see the rejections above): the chart shows only the published designs.' });
  }
  const model = resolveModel(String(space.base.model));
  const anchors = anchorsFor(model, part.id);
  const axes = chooseAxes(fit, cfg.objectives);
  const charts: [AxisSpec, AxisSpec, AxisSpec, string][] = [[axes.x, axes.y, axes.color, 'pareto']];
  // The accuracy objective gets its own chart when the pair chosen above leaves it out: a best
  // design's error must be visible, not only a column in a table.
  const acc = cfg.objectives.find((o) => o.name === 'error' || o.name === 'sqnr_db');
  if (acc && axes.x.name !== acc.name && axes.y.name !== acc.name) {
    charts.push([axes.x, axisOf(acc.name, !acc.minimise), axes.y, 'pareto-error']);
  }
  for (const [ax, ay, ac, id] of charts) {
    const usable = fit.filter((p) => [ax, ay, ac].every((a) => Number.isFinite(metric(p, a.name))));
    const onFront = new Set(front2d(usable.map((p) => metric(p, ax.name)), usable.map((p) => metric(p, ay.name)), ax.maximise, ay.maximise).map((i) => usable[i]!.id));
    const stride = Math.max(1, Math.ceil(usable.length / MAX_SCATTER));
    const shown = usable.filter((p, i) => onFront.has(p.id) || i % stride === 0);
    const scatter: ScatterPoint[] = shown.map((p) => ({ x: metric(p, ax.name), y: metric(p, ay.name), c: metric(p, ac.name), front: onFront.has(p.id) }));
    const title = `${ax.label} vs ${ay.label}`;
    blocks.push({ kind: 'chart', chart: {
      id, title, svg: paretoChart(scatter, { id, title: `Design space: ${title}`, x: ax, y: ay, color: ac, anchors }),
      caption: `Feasible designs (${shown.length} of ${usable.length} drawn${stride > 1 ? `, every ${stride}th plus the front` : ''}). ` +
        `Large outlined points joined by the red line: the ${onFront.size} designs no other design beats in both ${ax.name} and ${ay.name}, coloured by ${ac.name}; grey: dominated. ` +
        (id === 'pareto' ? `Axes: the pair of objectives with the largest two-quantity front (${axes.why}). ` : '') +
        (anchors.length && ax.name === 'latency_ms'
          ? `Dashed lines${ay.name === 'energy_mj' ? ' and stars' : ''}: published designs on the same model and part (${anchors.map((a) => `${a.label} ${a.latencyMs} ms, ${a.note}`).join('; ')}).`
          : ''),
    } });
  }

  // Where the base design (the Edge-MoE point unless --design says otherwise) ended up.
  const base = summary.base && summary.base.feasible ? points.find((p) => p.id === summary.base!.id) : undefined;
  if (base) {
    const n = summary.base!.dominatedBy;
    blocks.push({ kind: 'text', text: `Base design (point ${base.id}): ${fmt(metric(base, 'latency_ms'))} ms, ${fmt(metric(base, 'energy_mj'))} mJ, ${fmt(metric(base, 'dsp'))} DSP — ` +
      (n === 0 ? 'on the Pareto front (no evaluated point dominates it).' : `dominated by ${n} evaluated points in every objective.`) });
  }

  const paretoPts = points.filter((p) => summary.paretoIds.includes(p.id))
    .sort((a, b) => metric(a, cfg.objectives[0]!.name) - metric(b, cfg.objectives[0]!.name) || a.id - b.id);
  const cols = ['latency_ms', 'energy_mj', 'dsp', 'bram36', 'lut', ...cfg.objectives.map((o) => o.name)].filter((c, i, a) => a.indexOf(c) === i);
  blocks.push({ kind: 'text', text: `Non-dominated feasible points over all objectives (${paretoPts.length}; first 40 by ${cfg.objectives[0]!.name}); every point is in pareto.csv.` });
  blocks.push({ kind: 'table', table: {
    head: ['id', ...space.dims.map((d) => d.name), ...cols], numeric: [true, ...space.dims.map(() => false), ...cols.map(() => true)],
    rows: paretoPts.slice(0, 40).map((p) => [p.id, ...space.dims.map((d) => String(p.params[d.name])), ...cols.map((c) => fmt(metric(p, c)))]),
  } });

  blocks.push({ kind: 'heading', text: 'Best design per objective' });
  blocks.push({ kind: 'table', table: {
    head: ['objective', 'point', 'value', 'design file'], numeric: [false, true, true, false],
    rows: Object.entries(summary.best).map(([label, b]) => [label, b.id, fmt(b.value), `best-${label}.yaml`]),
  } });
  if (run.verify) {
    const v = run.verify;
    blocks.push({ kind: 'heading', text: `Event-engine check of the ${v.k} best designs` });
    blocks.push({ kind: 'text', text: 'Each design re-run in the discrete-event engine (docs/performance-model.md, "Two engines"); disagreement = event / analytic − 1 (also in points.csv).' });
    blocks.push({ kind: 'table', table: {
      head: ['point', 'analytic ms', 'event ms', 'disagreement', 'largest stage difference', 'warnings'], numeric: [true, true, true, true, false, false],
      rows: v.verified.map((x) => [x.id, fmt(x.analyticMs), fmt(x.eventMs), `${(100 * x.disagreement).toFixed(2)}%`,
        `${x.worstStage} ${(100 * x.worstStageDiff).toFixed(1)}%`, x.warnings.length ? x.warnings.join('; ') : '—']),
    } });
  }
  const lead = summary.best.latency ?? Object.values(summary.best)[0];
  const leadPoint = lead ? points.find((p) => p.id === lead.id) : undefined;
  if (leadPoint) {
    const obj = pointObject(space, leadPoint.idx);
    obj.name = `dse-point-${leadPoint.id}`;
    const design = designFromObject(obj);
    blocks.push(...designBlocks(design, evaluatePerformance(design), part, 2, simulateImage(design)));
  }
  return { title: `vitforge design-space exploration — ${String(space.base.model)} on ${part.board}`, blocks };
}

/** Write the report of the DSE run in `dseDir` into `outDir` (replaced atomically). */
export async function writeDseReport(dseDir: string, outDir: string, opts: WriteOptions = {}): Promise<string[]> {
  return writeReport(buildDseReport(readDseRun(dseDir)), outDir, opts);
}
