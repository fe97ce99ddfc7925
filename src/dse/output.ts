/**
 * DSE output files: points.jsonl / points.csv (every evaluated point), pareto.csv, and one
 * best-<objective>.yaml design file per objective. Numbers are written in their shortest
 * round-trip form, so the files are byte-identical for identical results.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { designFromObject, designToYaml } from '../design/load.js';
import type { PointRecord, PointStatus } from './evaluate.js';
import type { Objective } from './metrics.js';
import { paretoFront } from './pareto.js';
import { pointObject, pointParams, type ParamValue, type Space } from './space.js';

/** One line of points.jsonl. */
export interface PointJson {
  readonly id: number;
  readonly status: PointStatus;
  readonly fit: boolean;
  readonly reasons: readonly string[];
  readonly detail: string;
  readonly params: Record<string, ParamValue>;
  /** Metric and derived values by name; null where not computed. */
  readonly metrics: Record<string, number | null> | null;
  /** null encodes an infinite violation (invalid design). */
  readonly violation: number | null;
  readonly idx: readonly number[];
}

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function recordToJson(r: PointRecord, space: Space, columns: readonly string[]): PointJson {
  let metrics: Record<string, number | null> | null = null;
  if (r.metrics) {
    metrics = {};
    columns.forEach((c, i) => { metrics![c] = num(r.metrics![i]!); });
  }
  return {
    id: r.id, status: r.status, fit: r.status === 'ok', reasons: r.reasons, detail: r.detail,
    params: pointParams(space, r.idx), metrics, violation: num(r.violation), idx: r.idx,
  };
}

/** Inverse of recordToJson (for --resume); objectives are recomputed from the metrics. */
export function recordFromJson(j: PointJson, columns: readonly string[], objectives: readonly Objective[]): PointRecord {
  const metrics = j.metrics ? columns.map((c) => j.metrics![c] ?? NaN) : null;
  const objs = metrics ? objectives.map((o) => metrics[columns.indexOf(o.name)]! * (o.minimise ? 1 : -1)) : null;
  return {
    id: j.id, idx: j.idx, status: j.status, reasons: j.reasons, detail: j.detail, metrics, objectives: objs,
    violation: j.violation === null ? Infinity : j.violation,
  };
}

function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(records: readonly PointRecord[], space: Space, columns: readonly string[]): string {
  const header = ['id', 'status', 'fit', 'reason', ...space.dims.map((d) => d.name), ...columns];
  const lines = [header.join(',')];
  for (const r of records) {
    const cells: (string | number | null)[] = [r.id, r.status, r.status === 'ok' ? 1 : 0, r.detail];
    for (let i = 0; i < space.dims.length; i++) cells.push(space.dims[i]!.values[r.idx[i]!]!);
    for (let i = 0; i < columns.length; i++) cells.push(r.metrics ? r.metrics[i]! : null);
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

/** Feasible records on the Pareto front of the objectives, sorted by the first objective then id. */
export function paretoRecords(records: readonly PointRecord[]): PointRecord[] {
  const fit = records.filter((r) => r.status === 'ok');
  const front = paretoFront(fit.map((r) => r.objectives!)).map((i) => fit[i]!);
  return front.sort((a, b) => a.objectives![0]! - b.objectives![0]! || a.id - b.id);
}

/** Best feasible record per objective (ties: lowest id). */
export function bestPerObjective(records: readonly PointRecord[], objectives: readonly Objective[]): Map<string, PointRecord> {
  const best = new Map<string, PointRecord>();
  objectives.forEach((o, k) => {
    for (const r of records) {
      if (r.status !== 'ok') continue;
      const cur = best.get(o.label);
      if (!cur || r.objectives![k]! < cur.objectives![k]!) best.set(o.label, r);
    }
  });
  return best;
}

/** A design file (loadable by simulate/generate) for one point, with its predicted figures as comments. */
export function bestDesignYaml(r: PointRecord, space: Space, label: string, columns: readonly string[]): string {
  const obj = pointObject(space, r.idx);
  obj.name = `dse-best-${label.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  const design = designFromObject(obj);
  const pick = ['latency_ms', 'energy_mj', 'power_w', 'gops', 'dsp', 'bram36', 'lut', 'ff', 'error', 'sqnr_db'];
  const figures = pick
    .map((n) => [n, r.metrics![columns.indexOf(n)]] as const)
    .filter(([, v]) => v !== undefined && Number.isFinite(v))
    .map(([n, v]) => `${n}=${+v!.toPrecision(6)}`);
  return `# Best '${label}' design of a vitforge DSE run (point ${r.id}).\n# Predicted: ${figures.join(', ')}\n${designToYaml(design)}`;
}

export function writeOutputs(
  dir: string, records: readonly PointRecord[], space: Space, columns: readonly string[], objectives: readonly Objective[],
): { pareto: PointRecord[]; best: Map<string, PointRecord> } {
  writeFileSync(join(dir, 'points.csv'), toCsv(records, space, columns));
  const pareto = paretoRecords(records);
  writeFileSync(join(dir, 'pareto.csv'), toCsv(pareto, space, columns));
  const best = bestPerObjective(records, objectives);
  for (const [label, r] of best) writeFileSync(join(dir, `best-${label}.yaml`), bestDesignYaml(r, space, label, columns));
  return { pareto, best };
}
