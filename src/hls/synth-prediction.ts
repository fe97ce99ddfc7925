/**
 * vitforge's prediction of a generated project, as `vitforge generate` writes it into the project
 * (`vitforge-plan.json`): per hardware unit (one HLS function) its resources and, per labelled
 * loop, the II, depth, trip count and cycles the plan assumes. `vitforge compare-synth` puts it
 * beside a Vitis HLS csynth report. Extra fields are ignored (later versions may add some); the
 * listed ones are checked.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UserError } from '../errors.js';

export const PREDICTION_FORMAT = 'vitforge-plan-prediction/1';
/** File name of the prediction inside a generated project. */
export const PREDICTION_FILE = 'vitforge-plan.json';

export interface PredictedLoop {
  /** C label of the loop in the generated kernel (Vitis reports the loop under it). */
  label: string;
  /** Initiation interval; null = not pipelined. */
  ii: number | null;
  /** Pipeline depth (cycles of one iteration). */
  depth: number;
  tripMin: number;
  tripMax: number;
  /** Cycles of one entry of the loop (all iterations), at tripMax. */
  latencyCycles: number;
}

export interface PredictedUnit {
  /** Plan unit id, e.g. 'linear'. */
  unit: string;
  /** C++ function name, e.g. 'linear_unit'. */
  function: string;
  dsp: number;
  bram18k: number;
  uram: number;
  lut: number;
  ff: number;
  /** Cycles of one call, when the plan gives one. */
  latencyCycles?: number;
  loops: PredictedLoop[];
}

export interface SynthPrediction {
  format: 'vitforge-plan-prediction/1';
  design: string;
  /** Top function of the kernel. */
  top: string;
  part: string;
  clockMHz: number;
  /** Cycles of one run of the top function. */
  totalCycles: number;
  resources: { dsp: number; bram18k: number; uram: number; lut: number; ff: number };
  units: PredictedUnit[];
}

const RESOURCE_KEYS = ['dsp', 'bram18k', 'uram', 'lut', 'ff'] as const;

class Checker {
  constructor(private readonly file: string) {}

  fail(field: string, message: string, allowed?: string): never {
    throw new UserError(`${this.file}: ${field}`, message, allowed);
  }

  object(v: unknown, field: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(field, `must be an object, got ${describe(v)}`);
    return v as Record<string, unknown>;
  }

  string(o: Record<string, unknown>, key: string, field: string): string {
    const v = o[key];
    if (v === undefined) this.fail(field, 'is required (a non-empty string)');
    if (typeof v !== 'string' || v.trim() === '') this.fail(field, `must be a non-empty string, got ${describe(v)}`);
    return v;
  }

  number(o: Record<string, unknown>, key: string, field: string, opts: { positive?: boolean; optional?: boolean } = {}): number | undefined {
    const v = o[key];
    if (v === undefined && opts.optional) return undefined;
    const want = opts.positive ? 'a positive number' : 'a number ≥ 0';
    if (v === undefined) this.fail(field, `is required (${want})`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (opts.positive && v === 0)) this.fail(field, `must be ${want}, got ${describe(v)}`);
    return v;
  }

  array(o: Record<string, unknown>, key: string, field: string): unknown[] {
    const v = o[key];
    if (!Array.isArray(v)) this.fail(field, v === undefined ? 'is required (a list)' : `must be a list, got ${describe(v)}`);
    return v;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Check a parsed `vitforge-plan.json`; `file` names it in errors. */
export function validateSynthPrediction(raw: unknown, file: string): SynthPrediction {
  const c = new Checker(file);
  const o = c.object(raw, 'prediction');
  if (o.format !== PREDICTION_FORMAT) {
    c.fail('format', o.format === undefined ? 'is required' : `unknown format ${describe(o.format)}`, PREDICTION_FORMAT);
  }
  const res = c.object(o.resources, 'resources');
  const resources = Object.fromEntries(RESOURCE_KEYS.map((k) => [k, c.number(res, k, `resources.${k}`)!])) as SynthPrediction['resources'];
  const seenUnits = new Set<string>();
  const units = c.array(o, 'units', 'units').map((u, i): PredictedUnit => {
    const at = `units[${i}]`;
    const uo = c.object(u, at);
    const unit = c.string(uo, 'unit', `${at}.unit`);
    if (seenUnits.has(unit)) c.fail(`${at}.unit`, `'${unit}' appears twice`);
    seenUnits.add(unit);
    const fn = c.string(uo, 'function', `${at}.function`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(fn)) c.fail(`${at}.function`, `'${fn}' is not a C++ function name`);
    const seenLabels = new Set<string>();
    const loops = c.array(uo, 'loops', `${at}.loops`).map((l, j): PredictedLoop => {
      const lat = `${at}.loops[${j}]`;
      const lo = c.object(l, lat);
      const label = c.string(lo, 'label', `${lat}.label`);
      if (seenLabels.has(label)) c.fail(`${lat}.label`, `'${label}' appears twice in unit '${unit}'`);
      seenLabels.add(label);
      if (!('ii' in lo)) c.fail(`${lat}.ii`, 'is required (a positive number, or null when the loop is not pipelined)');
      const ii = lo.ii === null ? null : c.number(lo, 'ii', `${lat}.ii`, { positive: true })!;
      const tripMin = c.number(lo, 'tripMin', `${lat}.tripMin`)!;
      const tripMax = c.number(lo, 'tripMax', `${lat}.tripMax`)!;
      if (tripMin > tripMax) c.fail(`${lat}.tripMin`, `${tripMin} exceeds tripMax ${tripMax}`);
      return {
        label, ii,
        depth: c.number(lo, 'depth', `${lat}.depth`)!,
        tripMin, tripMax,
        latencyCycles: c.number(lo, 'latencyCycles', `${lat}.latencyCycles`)!,
      };
    });
    const out: PredictedUnit = {
      unit, function: fn,
      ...(Object.fromEntries(RESOURCE_KEYS.map((k) => [k, c.number(uo, k, `${at}.${k}`)!])) as Pick<PredictedUnit, (typeof RESOURCE_KEYS)[number]>),
      loops,
    };
    const latency = c.number(uo, 'latencyCycles', `${at}.latencyCycles`, { optional: true });
    if (latency !== undefined) out.latencyCycles = latency;
    return out;
  });
  return {
    format: PREDICTION_FORMAT,
    design: c.string(o, 'design', 'design'),
    top: c.string(o, 'top', 'top'),
    part: c.string(o, 'part', 'part'),
    clockMHz: c.number(o, 'clockMHz', 'clockMHz', { positive: true })!,
    totalCycles: c.number(o, 'totalCycles', 'totalCycles')!,
    resources,
    units,
  };
}

/** Read and check a prediction file. */
export function loadSynthPrediction(file: string): SynthPrediction {
  if (!existsSync(file)) {
    throw new UserError(file, `not found; expected the ${PREDICTION_FILE} that vitforge generate writes into the project (or give --prediction FILE)`);
  }
  if (statSync(file).isDirectory()) throw new UserError(file, `is a folder; expected a ${PREDICTION_FILE} file`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(file, `not valid JSON (${(e as Error).message}); expected a ${PREDICTION_FORMAT} prediction`);
  }
  return validateSynthPrediction(raw, file);
}
