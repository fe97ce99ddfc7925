/**
 * Report of a DSE output folder: the run, why points were rejected, the Pareto front (table and
 * latency–energy scatter with the published anchors), the best design per objective, and the
 * full design report of the best-latency design.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { designFromObject } from '../design/load.js';
import { UserError } from '../errors.js';
import { getPart } from '../hw/parts.js';
import { evaluatePerformance } from '../sim/timing/index.js';
import type { RunConfig } from '../dse/config.js';
import type { DseSummary } from '../dse/run.js';
import type { PointJson } from '../dse/output.js';
import { paretoFront } from '../dse/pareto.js';
import { pointObject } from '../dse/space.js';
import type { Block, Report } from './document.js';
import { fmt } from './charts/frame.js';
import { LITERATURE_ANCHORS, paretoChart, type ScatterPoint } from './charts/pareto.js';
import { designBlocks } from './design-report.js';

/** Most points drawn in the scatter (front points always; the rest thinned evenly by id). */
const MAX_SCATTER = 3000;

export interface DseRun {
  readonly cfg: RunConfig;
  readonly summary: Omit<DseSummary, 'out'>;
  readonly points: PointJson[];
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
  return { cfg: parsed.config, summary: parsed.summary, points };
}

function metric(p: PointJson, name: string): number {
  return p.metrics?.[name] ?? NaN;
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

  blocks.push({ kind: 'heading', text: 'Pareto front' });
  if (fit.length === 0) {
    blocks.push({ kind: 'text', text: 'No evaluated point is feasible (see the rejections above): the chart shows only the published designs.' });
  }
  const objs = fit.map((p) => [metric(p, 'latency_ms'), metric(p, 'energy_mj')]);
  const front2d = new Set(paretoFront(objs).map((i) => fit[i]!.id));
  const stride = Math.max(1, Math.ceil(fit.length / MAX_SCATTER));
  const shown = fit.filter((p, i) => front2d.has(p.id) || i % stride === 0);
  const scatter: ScatterPoint[] = shown.map((p) => ({ latencyMs: metric(p, 'latency_ms'), energyMJ: metric(p, 'energy_mj'), dsp: metric(p, 'dsp'), front: front2d.has(p.id) }));
  blocks.push({ kind: 'chart', chart: {
    id: 'pareto', title: 'Latency vs energy', svg: paretoChart(scatter),
    caption: `Feasible designs (${shown.length} of ${fit.length} drawn${stride > 1 ? `, every ${stride}th plus the front` : ''}); colour = DSPs; ringed and joined: the latency–energy Pareto front. ` +
      `Stars and dashed lines: published designs (${LITERATURE_ANCHORS.map((a) => `${a.label} ${a.latencyMs} ms, ${a.note}`).join('; ')}).`,
  } });

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
  const lead = summary.best.latency ?? Object.values(summary.best)[0];
  const leadPoint = lead ? points.find((p) => p.id === lead.id) : undefined;
  if (leadPoint) {
    const obj = pointObject(space, leadPoint.idx);
    obj.name = `dse-point-${leadPoint.id}`;
    const design = designFromObject(obj);
    blocks.push(...designBlocks(design, evaluatePerformance(design), part, 2));
  }
  return { title: `vitforge design-space exploration — ${String(space.base.model)} on ${part.board}`, blocks };
}
