/**
 * Evaluation of one DSE point: index vector → design object → validated design point → timing,
 * resource and power model (→ accuracy when needed) → derived quantities → constraints. Pure and
 * deterministic: the same point gives the same record in any worker, in any order.
 */
import { designFromObject } from '../design/load.js';
import type { DesignPoint } from '../design/types.js';
import { isUserError, UserError } from '../errors.js';
import { attainableClock } from '../hw/clock.js';
import { getPart, type Part } from '../parts/parts.js';
import type { PerformanceReport } from '../sim/timing/report.js';
import { AccuracyOracle, type CalibrationOptions } from './accuracy.js';
import {
  checkConstraints, compileExpressions, designScope, dryRun, evaluateDerived, type ExpressionSet, type Scope,
} from './constraints.js';
import { ACCURACY_METRICS, METRICS, type AccuracyResult, type Objective } from './metrics.js';
import { pointObject, pointParams, type Space } from './space.js';

type Obj = Record<string, unknown>;

/** Everything a worker needs to rebuild the evaluator (structured-clone safe). */
export interface EvalConfig {
  readonly space: Space;
  readonly objectives: readonly Objective[];
  readonly constraints: readonly string[];
  readonly derived: readonly (readonly [string, string])[];
  /** Calibration of the accuracy metrics; null when nothing needs them. */
  readonly accuracy: CalibrationOptions | null;
  /**
   * Accept clocks above the attainable-clock model (src/hw/clock.ts); absent/false: a point whose
   * clockMHz exceeds the model's estimate for its utilisation is infeasible (`clock above attainable`).
   */
  readonly optimisticClock?: boolean;
}

/** Reason counted for points whose clock is above the attainable-clock model. */
export const CLOCK_REASON = 'clock above attainable';

export type PointStatus = 'ok' | 'invalid' | 'nofit' | 'constraint';

export interface PointRecord {
  readonly id: number;
  readonly idx: readonly number[];
  readonly status: PointStatus;
  /** Short reasons for counting (e.g. `invalid linear.tileIn`, `does not fit: dsp`, `constraint: ...`). */
  readonly reasons: readonly string[];
  /** Full explanation for points.csv (empty when status is ok). */
  readonly detail: string;
  /** Values of `metricColumns(config)` (NaN where not computed), or null for an invalid design. */
  readonly metrics: readonly number[] | null;
  /** Objective values oriented for minimisation (maximised ones negated), or null. */
  readonly objectives: readonly number[] | null;
  /** 0 when feasible; how far from feasible otherwise (Infinity for an invalid design). */
  readonly violation: number;
}

export interface EvalDeps {
  readonly performance?: (d: DesignPoint) => PerformanceReport;
  readonly accuracy?: (designObj: Obj) => AccuracyResult;
}

export type Evaluator = (idx: ArrayLike<number>, id: number) => PointRecord;

/** Columns of `PointRecord.metrics`. */
export function metricColumns(cfg: Pick<EvalConfig, 'derived'>): string[] {
  return [...METRICS.map((m) => m.name), ...cfg.derived.map(([n]) => n)];
}

/** The names expressions can use, with placeholder values, for a design object. */
export function sampleScope(designObj: Obj, part: Part): Scope {
  const design = designFromObject(designObj);
  const s = designScope(designObj);
  s.part = part;
  s.model = design.model;
  for (const m of METRICS) s[m.name] = 1;
  return s;
}

/** Compile (and dry-run) the config's expressions; UserError on any mistake. */
export async function compileConfigExpressions(cfg: EvalConfig): Promise<ExpressionSet> {
  const part = getPart(String(cfg.space.base.part));
  const sample = sampleScope(cfg.space.base as Obj, part);
  const set = await compileExpressions(cfg.constraints, cfg.derived, sample);
  dryRun(set, sample);
  return set;
}

/** Whether the objectives or expressions read the accuracy metrics. */
export function needsAccuracy(objectives: readonly Objective[], set: ExpressionSet): boolean {
  return objectives.some((o) => ACCURACY_METRICS.includes(o.name)) || ACCURACY_METRICS.some((n) => set.symbols.has(n));
}

export async function createEvaluator(cfg: EvalConfig, deps: EvalDeps = {}): Promise<Evaluator> {
  const set = await compileConfigExpressions(cfg);
  const part = getPart(String(cfg.space.base.part));
  const performance = deps.performance ?? (await import('../sim/timing/index.js')).evaluatePerformance;
  let accuracy = deps.accuracy;
  if (!accuracy && cfg.accuracy) {
    const oracle = await AccuracyOracle.create(cfg.space.base as Obj, cfg.accuracy);
    accuracy = (o) => oracle.measure(o);
  }
  const columns = metricColumns(cfg);
  const objIndex = cfg.objectives.map((o) => columns.indexOf(o.name));
  const objSign = cfg.objectives.map((o) => (o.minimise ? 1 : -1));
  const hasExpr = set.constraints.length > 0 || set.derived.length > 0;

  const invalid = (id: number, idx: number[], e: UserError): PointRecord =>
    ({ id, idx, status: 'invalid', reasons: [`invalid ${e.field}`], detail: e.oneLine(), metrics: null, objectives: null, violation: Infinity });

  return (idxLike, id) => {
    const idx = Array.from(idxLike);
    const obj = pointObject(cfg.space, idx);
    let design: DesignPoint;
    try {
      design = designFromObject(obj);
    } catch (e) {
      if (!isUserError(e)) throw e;
      return invalid(id, idx, e);
    }
    let perf: PerformanceReport;
    try {
      perf = performance(design);
    } catch (e) {
      // The model may reject a combination the schema alone accepts (e.g. a buffer that cannot exist).
      if (!isUserError(e)) throw e;
      return invalid(id, idx, e);
    }
    const r = perf.resources;
    const fits = r.fits;
    const clock = fits && !cfg.optimisticClock ? attainableClock(part, r.util) : undefined;
    const clockOk = !clock || design.clockMHz <= clock.mhz;
    let acc: AccuracyResult | undefined;
    if (fits && clockOk && accuracy) {
      try {
        acc = accuracy(obj);
      } catch (e) {
        // The functional simulator rejects types it cannot simulate bit-exactly.
        if (!isUserError(e)) throw e;
        return invalid(id, idx, e);
      }
    }
    const metrics = new Array<number>(columns.length);
    METRICS.forEach((m, i) => { metrics[i] = m.get(perf, acc); });

    let outcome: { failed: string[]; violation: number } = { failed: [], violation: 0 };
    if (hasExpr) {
      const scope = designScope(obj);
      scope.part = part;
      scope.model = design.model;
      METRICS.forEach((m, i) => { scope[m.name] = metrics[i]; });
      try {
        evaluateDerived(set, scope);
        if (set.constraints.length > 0) outcome = checkConstraints(set, scope);
      } catch (e) {
        // The dry run on the base design passed, so this is a value-dependent failure (e.g. a
        // comparison with a complex number): stop the run naming the point rather than guess.
        throw new UserError('constraints', `cannot evaluate the expressions at point ${id} (${JSON.stringify(pointParams(cfg.space, idx))}): ${(e as Error).message}`);
      }
      set.derived.forEach((d, j) => { metrics[METRICS.length + j] = scope[d.name] as number; });
    }
    const objectives = objIndex.map((k, i) => metrics[k]! * objSign[i]!);

    const reasons: string[] = [];
    const details: string[] = [];
    let violation = 0;
    if (!fits) {
      for (const v of r.violations) reasons.push(`does not fit: ${v.split(/\s/)[0]}`);
      details.push(`does not fit ${design.part}: ${r.violations.join('; ')}`);
      const u = r.util;
      violation += [u.dsp, u.bram36, u.uram, u.lut, u.ff].reduce((s, x) => s + Math.max(0, x - 1), 0) || 1e-9;
    }
    if (!clockOk) {
      reasons.push(CLOCK_REASON);
      details.push(`${design.clockMHz} MHz is above the attainable clock of ${design.part} at this utilisation, ${clock!.mhz} MHz (${clock!.lowMHz}–${clock!.highMHz}; ${clock!.reasons.join('; ')})`);
      violation += design.clockMHz / clock!.mhz - 1;
    }
    for (const f of outcome.failed) reasons.push(`constraint: ${f}`);
    if (outcome.failed.length > 0) details.push(`violates ${outcome.failed.join(' and ')}`);
    violation += outcome.violation;
    if (fits && clockOk && objectives.some((v) => !Number.isFinite(v))) {
      const bad = cfg.objectives.filter((_, i) => !Number.isFinite(objectives[i]!)).map((o) => o.name);
      reasons.push(`objective not finite: ${bad.join(', ')}`);
      details.push(`objective ${bad.join(', ')} is not a finite number`);
      violation = Infinity;
    }
    const status: PointStatus = !fits || !clockOk ? 'nofit' : reasons.length > 0 ? (violation === Infinity ? 'invalid' : 'constraint') : 'ok';
    return { id, idx, status, reasons, detail: details.join('; '), metrics, objectives, violation };
  };
}
