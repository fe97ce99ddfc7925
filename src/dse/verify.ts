/**
 * `dse --verify-top K`: the K best feasible designs of a finished run (Pareto front in the
 * order of the first objective, then the other feasible points by it) re-run in the event engine
 * (src/sim/timing/event). Both latencies and their disagreement go into points.csv (three extra
 * columns, empty for unverified points) and verify.json, which the DSE report shows. Runs after
 * the search on the finished output folder, so the search itself is unchanged and resumable.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { designFromObject } from '../design/load.js';
import { evaluatePerformance } from '../sim/timing/index.js';
import { simulateImage } from '../sim/timing/event/index.js';
import { compareEngines } from '../sim/timing/event/compare.js';
import { metricColumns, type PointRecord } from './evaluate.js';
import { paretoRecords, toCsv } from './output.js';
import { loadRun } from './run.js';
import { pointObject } from './space.js';

export interface Verified {
  readonly id: number;
  readonly analyticMs: number;
  readonly eventMs: number;
  /** event / analytic − 1. */
  readonly disagreement: number;
  readonly worstStage: string;
  readonly worstStageDiff: number;
  readonly warnings: readonly string[];
}

export const VERIFY_COLUMNS = ['event_latency_ms', 'analytic_latency_ms', 'engine_disagreement'] as const;

/** The K best feasible records: Pareto front first (by the first objective), then the rest by it. */
export function topRecords(records: readonly PointRecord[], k: number): PointRecord[] {
  const front = paretoRecords(records);
  const onFront = new Set(front.map((r) => r.id));
  const rest = records.filter((r) => r.status === 'ok' && !onFront.has(r.id))
    .sort((a, b) => a.objectives![0]! - b.objectives![0]! || a.id - b.id);
  return [...front, ...rest].slice(0, k);
}

export function verifyTop(dir: string, k: number): Verified[] {
  const { cfg, previous } = loadRun(dir);
  const records = [...previous.values()].sort((a, b) => a.id - b.id);
  const space = cfg.eval.space;
  const out: Verified[] = topRecords(records, k).map((r) => {
    const obj = pointObject(space, r.idx);
    obj.name = `dse-point-${r.id}`;
    const design = designFromObject(obj);
    const a = evaluatePerformance(design);
    const e = simulateImage(design);
    const c = compareEngines(a, e);
    return { id: r.id, analyticMs: a.latencyMs, eventMs: e.latencyMs, disagreement: c.diff, worstStage: c.worst.stage, worstStageDiff: c.worst.diff, warnings: e.warnings };
  });
  const byId = new Map(out.map((v) => [v.id, v]));
  // points.csv as the run wrote it, with the three columns appended (same row order: records by id).
  const lines = toCsv(records, space, metricColumns(cfg.eval)).trimEnd().split('\n');
  const csv = lines.map((line, i) => {
    if (i === 0) return `${line},${VERIFY_COLUMNS.join(',')}`;
    const v = byId.get(records[i - 1]!.id);
    return v ? `${line},${v.eventMs},${v.analyticMs},${v.disagreement}` : `${line},,,`;
  });
  writeFileSync(join(dir, 'points.csv'), csv.join('\n') + '\n');
  writeFileSync(join(dir, 'verify.json'), JSON.stringify({ k, verified: out }, null, 1) + '\n');
  return out;
}
