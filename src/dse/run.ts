/**
 * Running a DSE: the strategy proposes batches, the backend evaluates them (in-process or on
 * worker threads), records are kept in point-id order, and the output directory is written into a
 * temporary sibling and renamed into place at the end — also after Ctrl-C, with every finished
 * point. `--resume DIR` replays the same strategy with the same seed, taking finished points from
 * DIR instead of evaluating them again, so a resumed run ends exactly like an uninterrupted one.
 * The temporary folder holds dse.json (the config) from the start and points.jsonl as points
 * finish, so a run killed outright (SIGKILL, a crash) resumes from what it left there.
 */
import { writeDseReport } from './report/dse-report.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { RunConfig } from './config.js';
import { metricColumns, type EvalConfig, type EvalDeps, type PointRecord } from './evaluate.js';
import { recordFromJson, recordToJson, writeOutputs, type PointJson } from './output.js';
import { createBackend, type Backend, type Job } from './pool.js';
import { Progress } from '../io/progress.js';
import { dominates } from './pareto.js';
import { countByLimit, type Limit } from './binding.js';
import { baseIndex, pointKey, type Space } from './space.js';
import { makeStrategy } from './strategies.js';

export interface ExecOptions {
  /** Worker threads (default: available cores); 1 evaluates in-process. */
  readonly jobs?: number;
  /** Aborting stops the run cleanly; finished points are kept. */
  readonly signal?: AbortSignal;
  /** Progress bar on stderr (default: only on a terminal outside CI). */
  readonly progress?: boolean;
  /** Replace the performance / accuracy models (tests); forces in-process evaluation. */
  readonly deps?: EvalDeps;
  /** Finished points of an earlier run of the same config, by point key. */
  readonly previous?: ReadonlyMap<string, PointRecord>;
  /** Write the HTML/Markdown report into DIR/report (default true). */
  readonly report?: boolean;
  /** Evaluate on this backend instead of the local pool (`--queue`: queue/coordinator.ts). */
  readonly backend?: (cfg: EvalConfig) => Promise<Backend>;
}

export interface DseSummary {
  readonly out: string;
  readonly status: 'complete' | 'interrupted';
  readonly evaluated: number;
  /** Points taken from the resumed run rather than evaluated. */
  readonly reused: number;
  readonly counts: Readonly<Record<string, number>>;
  /** Rejection reasons with their counts, most frequent first. */
  readonly reasons: readonly (readonly [string, number])[];
  /** Points rejected by each resource limit and by the attainable clock (binding.ts). */
  readonly byLimit?: Readonly<Record<Limit, number>>;
  readonly paretoIds: readonly number[];
  /**
   * Where the base design (the Edge-MoE point unless --design/--space say otherwise) ended up:
   * absent when the strategy never drew it; `dominatedBy` counts feasible points better in every
   * objective (0 = on the front).
   */
  readonly base?: { readonly id: number; readonly feasible: boolean; readonly dominatedBy: number };
  readonly best: Readonly<Record<string, { id: number; value: number }>>;
  readonly seconds: number;
  readonly pointsPerSecond: number;
  readonly backend: string;
  readonly jobs: number;
}

function baseStatus(records: readonly PointRecord[], space: Space): DseSummary['base'] {
  const key = pointKey(baseIndex(space));
  const base = records.find((r) => pointKey(r.idx) === key);
  if (!base) return undefined;
  const feasible = base.status === 'ok' && base.objectives !== null;
  const dominatedBy = feasible
    ? records.filter((r) => r.status === 'ok' && r.objectives && dominates(r.objectives, base.objectives!)).length
    : 0;
  return { id: base.id, feasible, dominatedBy };
}

/** Replace `out` by the finished `tmp` directory (rename: never a half-written `out`). */
function swapInto(tmp: string, out: string): void {
  if (existsSync(out)) {
    const old = `${out}.old-${process.pid}`;
    rmSync(old, { recursive: true, force: true });
    renameSync(out, old);
    renameSync(tmp, out);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(tmp, out);
  }
}

export async function runDse(cfg: RunConfig, outDir: string, exec: ExecOptions = {}): Promise<DseSummary> {
  const out = resolve(outDir);
  const parent = dirname(out);
  if (!existsSync(parent)) throw new UserError('--out', `parent folder does not exist: ${parent}`);
  const tmp = join(parent, `.${basename(out)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  const space = cfg.eval.space;
  const columns = metricColumns(cfg.eval);
  const jsonl = join(tmp, 'points.jsonl');
  writeFileSync(jsonl, '');

  const t0 = process.hrtime.bigint();
  const jobs = Math.max(1, exec.jobs ?? availableParallelism());
  const progress = exec.progress === undefined ? Progress.auto(cfg.budget) : new Progress(cfg.budget, exec.progress);
  // The accuracy calibration (float64 reference + first fixed-point passes) takes seconds before
  // the first point is counted; say so instead of showing a frozen empty bar.
  if (cfg.eval.accuracy) {
    const cal = cfg.eval.accuracy;
    progress.phase(`dse: calibrating the accuracy objective (${cal.layers} block(s), ${cal.weights?.length ? 'weights from ' + cal.weights.join(', ') : 'synthetic weights'})…`);
  }
  let backend: Backend;
  try {
    backend = exec.backend ? await exec.backend(cfg.eval) : await createBackend(cfg.eval, jobs, exec.deps);
  } catch (e) {
    progress.finish();
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  writeFileSync(join(tmp, 'dse.json'), JSON.stringify({ config: cfg, backend: backend.resume, summary: null }, null, 1) + '\n');
  /** Points of the current batch already in points.jsonl (written as they finish). */
  const journaled = new Set<number>();
  const journal = (recs: readonly PointRecord[]): void => {
    appendFileSync(jsonl, recs.map((r) => JSON.stringify(recordToJson(r, space, columns)) + '\n').join(''));
    for (const r of recs) journaled.add(r.id);
  };
  const strategy = makeStrategy(cfg.strategy, space, cfg.seed, cfg.population);
  const records: PointRecord[] = [];
  let nextId = 0;
  let reused = 0;
  let interrupted = false;
  try {
    while (nextId < cfg.budget) {
      if (exec.signal?.aborted) { interrupted = true; break; }
      const batch = strategy.ask(cfg.budget - nextId);
      if (batch.length === 0) break;
      const asked: Job[] = batch.map((idx) => ({ id: nextId++, idx }));
      const got: PointRecord[] = [];
      const todo: Job[] = [];
      for (const j of asked) {
        const prev = exec.previous?.get(pointKey(j.idx));
        if (prev) got.push({ ...prev, id: j.id });
        else todo.push(j);
      }
      reused += got.length;
      progress.skip(got.length);
      journaled.clear();
      journal(got);
      const fresh = await backend.evaluate(todo, exec.signal, (n) => progress.add(n), journal);
      journal(fresh.filter((r) => !journaled.has(r.id)));
      got.push(...fresh);
      got.sort((a, b) => a.id - b.id);
      records.push(...got);
      if (got.length < asked.length) { interrupted = true; break; }
      strategy.tell(got);
    }
  } catch (e) {
    progress.finish();
    await backend.close();
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  progress.finish();
  await backend.close();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

  // points.jsonl was written in arrival order; the finished file is in id order like points.csv.
  writeFileSync(jsonl, records.map((r) => JSON.stringify(recordToJson(r, space, columns)) + '\n').join(''));
  const { pareto, best } = writeOutputs(tmp, records, space, columns, cfg.objectives);
  const counts: Record<string, number> = { ok: 0, invalid: 0, nofit: 0, constraint: 0 };
  const reasonCount = new Map<string, number>();
  for (const r of records) {
    counts[r.status] = (counts[r.status] ?? 0) + 1;
    for (const why of new Set(r.reasons)) reasonCount.set(why, (reasonCount.get(why) ?? 0) + 1);
  }
  const reasons = [...reasonCount].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const bestOut: Record<string, { id: number; value: number }> = {};
  for (const [label, r] of best) {
    const k = cfg.objectives.findIndex((o) => o.label === label);
    bestOut[label] = { id: r.id, value: r.metrics![columns.indexOf(cfg.objectives[k]!.name)]! };
  }
  const evaluated = records.length - reused;
  const summary: DseSummary = {
    out, status: interrupted ? 'interrupted' : 'complete', evaluated: records.length, reused, counts, reasons, byLimit: countByLimit(records),
    paretoIds: pareto.map((r) => r.id), base: baseStatus(records, space), best: bestOut, seconds,
    pointsPerSecond: seconds > 0 ? evaluated / seconds : 0, backend: backend.kind, jobs: backend.jobs,
  };
  writeFileSync(join(tmp, 'dse.json'), JSON.stringify({ config: cfg, backend: backend.resume, summary: { ...summary, out: undefined } }, null, 1) + '\n');
  if (exec.report !== false) {
    await writeDseReport(tmp, join(tmp, 'report'));
  }
  swapInto(tmp, out);
  return summary;
}

/** A finished or interrupted run to resume: its config, finished points, and where it ran. */
export interface LoadedRun {
  readonly cfg: RunConfig;
  /** Finished points by point key. */
  readonly previous: Map<string, PointRecord>;
  /** dse.json's `backend` (e.g. the queue and run id of a `--queue` run), if any. */
  readonly backend?: Readonly<Record<string, unknown>>;
  /** Temporary folders killed runs left next to DIR (their points are in `previous`): delete once resumed. */
  readonly leftovers: readonly string[];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `.NAME.tmp-PID` folders next to `out` whose process is gone and that hold a dse.json. */
function abandonedTemps(out: string): string[] {
  const parent = dirname(out);
  if (!existsSync(parent)) return [];
  const prefix = `.${basename(out)}.tmp-`;
  const found: string[] = [];
  for (const name of readdirSync(parent)) {
    const pidText = name.startsWith(prefix) ? name.slice(prefix.length) : '';
    if (!/^\d+$/.test(pidText) || !existsSync(join(parent, name, 'dse.json'))) continue;
    const pid = Number(pidText);
    if (pid === process.pid) continue; // a run of this very process, still going
    if (isAlive(pid)) {
      throw new UserError('--resume', `${out} is still being written by process ${pid} (if that is not vitforge, delete ${join(parent, name)})`);
    }
    found.push(join(parent, name));
  }
  return found;
}

/**
 * Config and finished points of an earlier run (for --resume): DIR itself, and the temporary
 * folders of runs of DIR that were killed before they could rename theirs into place (the newest
 * config wins; points are merged).
 */
export function loadRun(dir: string): LoadedRun {
  const out = resolve(dir);
  const leftovers = abandonedTemps(out);
  const sources = [...(existsSync(join(out, 'dse.json')) ? [out] : []), ...leftovers]
    .sort((a, b) => statSync(join(a, 'dse.json')).mtimeMs - statSync(join(b, 'dse.json')).mtimeMs);
  if (sources.length === 0) throw new UserError('--resume', `${dir} is not a DSE output folder (no dse.json)`);
  let cfg: RunConfig | undefined;
  let backend: Readonly<Record<string, unknown>> | undefined;
  const previous = new Map<string, PointRecord>();
  for (const src of sources) {
    const path = join(src, 'dse.json');
    let saved: { config: RunConfig; backend?: Record<string, unknown> };
    try {
      saved = JSON.parse(readFileSync(path, 'utf8')) as typeof saved;
    } catch (e) {
      throw new UserError('--resume', `cannot read ${path}: ${(e as Error).message}`);
    }
    if (!saved?.config || saved.config.version !== 1) throw new UserError('--resume', `${path} was written by an incompatible vitforge version`);
    cfg = saved.config;
    backend = saved.backend;
    const columns = metricColumns(cfg.eval);
    const jsonl = join(src, 'points.jsonl');
    if (!existsSync(jsonl)) continue;
    for (const line of readFileSync(jsonl, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let j: PointJson;
      try {
        j = JSON.parse(line) as PointJson;
      } catch {
        continue; // a line cut short by a crash: that point is evaluated again
      }
      const rec = recordFromJson(j, columns, cfg.objectives);
      previous.set(pointKey(rec.idx), rec);
    }
  }
  return { cfg: cfg!, previous, backend, leftovers };
}
