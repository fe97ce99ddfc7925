/**
 * Resolving a DSE run: command-line options + optional space file → one RunConfig (saved as
 * dse.json; `--resume` reloads it, so a resumed run searches exactly the same space).
 *
 * Space file (YAML or JSON), every key optional:
 *   base: ../sims/edge-moe-zcu102.yaml   design whose values fix every parameter not searched
 *   others: default | fixed              unlisted parameters keep their default lists, or stay fixed
 *   params:                              value lists (replace the default list of that parameter)
 *     clockMHz: { from: 200, to: 400, step: 25 }
 *     linear.tileIn: [8, 16, 32]
 *     types.linearWeight: { widths: [8, 12, 16] }
 *   constraints: ["dsp <= 0.9 * part.dsp"]
 *   derived: { gops_per_dsp: "gops / dsp" }
 *   calibration: { layers: 2, seed: 1, weights: [DIR, ...] }
 */
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { designFromObject, designToObject, loadDesign } from '../design/load.js';
import type { DesignPoint } from '../design/types.js';
import { getPart } from '../parts/parts.js';
import { absoluteModelRef, readStructuredFile, resolveModel } from '../model/file.js';
import { modelDims } from '../model/ir.js';
import type { CalibrationOptions } from './accuracy.js';
import { compileExpressions, dryRun } from './constraints.js';
import { sampleScope, type EvalConfig } from './evaluate.js';
import { ACCURACY_METRICS, parseObjectives, type Objective } from './metrics.js';
import { buildSpace, linearWidths, type Space } from './space.js';
import { STRATEGIES, type StrategyName } from './strategies.js';

type Obj = Record<string, unknown>;

export interface DseOptions {
  /** Model preset or file (default: the base design's model). */
  readonly model?: string;
  readonly part?: string;
  /** Base design file (default: the built-in Edge-MoE point, or the space file's `base`). */
  readonly design?: string;
  readonly space?: string;
  readonly objectives?: string;
  readonly constraints?: readonly string[];
  /** `name=expression` definitions. */
  readonly derive?: readonly string[];
  readonly strategy?: string;
  readonly budget?: number;
  readonly seed?: number;
  readonly population?: number;
  readonly calibLayers?: number;
  /** Weight folders of the accuracy calibration (relative to the working directory). */
  readonly calibWeights?: readonly string[];
  /**
   * Upper bound on `error` added as a constraint when an accuracy metric is an objective:
   * undefined = DEFAULT_MAX_ERROR unless a constraint already names error/sqnr_db; null = none.
   */
  readonly maxError?: number | null;
  /**
   * Accept clocks above the attainable-clock model (src/hw/clock.ts) and search the part's whole
   * clock range; default: the model bounds both (docs/clock.md).
   */
  readonly optimisticClock?: boolean;
}

export interface RunConfig {
  readonly version: 1;
  readonly strategy: StrategyName;
  readonly budget: number;
  readonly seed: number;
  readonly population: number;
  readonly objectives: readonly Objective[];
  readonly eval: EvalConfig;
  /** The accuracy constraint dse added on its own (absent when none was added). */
  readonly accuracyConstraint?: string;
}

export const DEFAULT_OBJECTIVES = 'latency,energy,dsp';

/**
 * Default bound on the calibration error when `error` or `sqnr_db` is an objective. Without it the
 * error objective's extreme end (4-bit weights, 66 % error) is a "best-latency" design nobody can
 * use. 5 % leaves room: Edge-MoE's own types measure ≈ 2 % on the synthetic calibration and
 * 3.6e-3 on the real weights (docs/dse.md §4).
 */
export const DEFAULT_MAX_ERROR = 0.05;

/**
 * Weight folders of the accuracy calibration, as absolute paths (stored in dse.json, so a resumed
 * run measures on the same weights): `--calib-weights` (relative to the working directory) wins
 * over the space file's `calibration.weights` (relative to the space file).
 */
function calibrationWeights(cli: readonly string[] | undefined, fromFile: unknown, fileDir: string): string[] {
  if (cli && cli.length > 0) return cli.map((d) => resolve(d));
  if (fromFile === undefined) return [];
  const list = typeof fromFile === 'string' ? [fromFile] : fromFile;
  if (!Array.isArray(list) || !list.every((d) => typeof d === 'string')) {
    throw new UserError('space.calibration.weights', 'must be a folder or a list of folders');
  }
  return list.map((d) => resolve(fileDir, d));
}
export const DEFAULT_BUDGET = 2000;
/** Largest exhaustive grid accepted. */
const MAX_GRID = 1_000_000;

function largestDivisorAtMost(ns: readonly number[], at: number): number {
  for (let d = Math.max(1, at); d > 1; d--) if (ns.every((n) => n % d === 0)) return d;
  return 1;
}

/**
 * The base design for another model or part: tile sizes are lowered to the nearest common
 * divisor, attention parallelism to the token count and the clock into the part's range, so the
 * built-in Edge-MoE point can seed a search on any model the schema accepts.
 */
function adaptBase(baseObj: Obj, modelRef: string | undefined, partId: string | undefined, baseDir: string): DesignPoint {
  const o = structuredClone(baseObj);
  if (modelRef !== undefined) o.model = absoluteModelRef(modelRef, process.cwd());
  if (partId !== undefined) o.part = partId;
  const part = getPart(String(o.part), 'part');
  const ref = String(o.model);
  const model = resolveModel(absoluteModelRef(ref, baseDir), 'model');
  const w = linearWidths(model);
  const lin = o.linear as Obj, att = o.attention as Obj;
  lin.tileIn = largestDivisorAtMost(w.inputs, Number(lin.tileIn));
  lin.tileOut = largestDivisorAtMost(w.outputs, Number(lin.tileOut));
  const dims = modelDims(model);
  att.parallel = Math.min(Number(att.parallel), dims.tokens);
  att.dotTile = largestDivisorAtMost([dims.headDim], Number(att.dotTile));
  o.clockMHz = Math.min(Math.max(Number(o.clockMHz), part.clockMHz.min), part.clockMHz.max);
  if (modelRef !== undefined) {
    // A routing histogram belongs to the model it was written for.
    const moe = o.moe as Obj;
    if (moe && typeof moe.routing === 'object') moe.routing = 'uniform';
  }
  return designFromObject(o, baseDir);
}

function listOf(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new UserError(field, 'must be an expression or a list of expressions');
}

export function parseDerive(defs: readonly string[]): [string, string][] {
  return defs.map((d) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)(.+)$/.exec(d);
    if (!m) throw new UserError('--derive', `cannot parse '${d}'`, 'NAME=EXPRESSION, e.g. gops_per_dsp=gops/dsp');
    return [m[1]!, m[2]!.trim()];
  });
}

function positiveInt(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new UserError(field, `must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

export async function resolveRunConfig(opts: DseOptions): Promise<RunConfig> {
  let file: Obj = {};
  let fileDir = process.cwd();
  if (opts.space !== undefined) {
    const raw = readStructuredFile(opts.space, '--space');
    if (raw === null || raw === undefined) file = {};
    else if (typeof raw !== 'object' || Array.isArray(raw)) throw new UserError('space', 'must be a mapping');
    else file = raw as Obj;
    fileDir = dirname(resolve(opts.space));
    const allowed = ['base', 'others', 'params', 'constraints', 'derived', 'calibration'];
    for (const k of Object.keys(file)) if (!allowed.includes(k)) throw new UserError(`space.${k}`, 'unknown field', allowed.join(', '));
  }

  let baseDesign: DesignPoint;
  if (opts.design !== undefined || file.base !== undefined) {
    const path = opts.design ?? resolve(fileDir, String(file.base));
    const dir = dirname(resolve(path));
    const loaded = designToObject(loadDesign(path));
    // Points are rebuilt far from the design file (workers, best-*.yaml in the output folder):
    // a model file named relative to the design file becomes an absolute path.
    const ref = String(loaded.model);
    loaded.model = absoluteModelRef(ref, dir);
    baseDesign = opts.model !== undefined || opts.part !== undefined
      ? adaptBase(loaded, opts.model, opts.part, dir)
      : designFromObject(loaded, dir);
  } else {
    baseDesign = adaptBase(designToObject(loadDesign()), opts.model, opts.part, process.cwd());
  }
  const part = getPart(baseDesign.part);

  const derived = [...parseDerive(opts.derive ?? [])];
  if (file.derived !== undefined) {
    if (file.derived === null || typeof file.derived !== 'object' || Array.isArray(file.derived)) {
      throw new UserError('space.derived', 'must be a mapping NAME: EXPRESSION');
    }
    for (const [k, v] of Object.entries(file.derived as Obj)) derived.push([k, String(v)]);
  }
  const constraints = [...listOf(file.constraints, 'space.constraints'), ...(opts.constraints ?? [])];
  const objectives = parseObjectives(opts.objectives ?? DEFAULT_OBJECTIVES, derived.map(([n]) => n));
  if (opts.maxError !== undefined && opts.maxError !== null && !(opts.maxError > 0)) {
    throw new UserError('--max-error', `must be a positive number or 'none', got ${opts.maxError}`);
  }

  // Whether the accuracy is measured decides whether the default space varies the data types.
  const baseObj = designToObject(baseDesign);
  let set = await compileExpressions(constraints, derived, sampleScope(baseObj, part));
  let accuracyConstraint: string | undefined;
  const accuracyObjective = objectives.some((o) => ACCURACY_METRICS.includes(o.name));
  const userBound = ACCURACY_METRICS.some((n) => set.symbols.has(n));
  if (accuracyObjective && opts.maxError !== null && (opts.maxError !== undefined || !userBound)) {
    accuracyConstraint = `error <= ${opts.maxError ?? DEFAULT_MAX_ERROR}`;
    constraints.push(accuracyConstraint);
    set = await compileExpressions(constraints, derived, sampleScope(baseObj, part));
  }
  dryRun(set, sampleScope(baseObj, part));
  const withTypes = objectives.some((o) => ACCURACY_METRICS.includes(o.name)) || ACCURACY_METRICS.some((n) => set.symbols.has(n));

  const others = file.others ?? 'default';
  if (others !== 'default' && others !== 'fixed') throw new UserError('space.others', `invalid value ${JSON.stringify(others)}`, 'default, fixed');
  if (file.params !== undefined && (file.params === null || typeof file.params !== 'object' || Array.isArray(file.params))) {
    throw new UserError('space.params', 'must be a mapping PARAMETER: VALUES');
  }
  const optimisticClock = opts.optimisticClock === true;
  const space: Space = buildSpace(baseDesign, part, { params: file.params as Obj | undefined, others, withTypes, optimisticClock });
  if (space.size < 1) throw new UserError('space', 'the space is empty');

  let accuracy: CalibrationOptions | null = null;
  if (withTypes) {
    const cal = (file.calibration ?? {}) as Obj;
    for (const k of Object.keys(cal)) {
      if (!['layers', 'seed', 'weights'].includes(k)) throw new UserError(`space.calibration.${k}`, 'unknown field', 'layers, seed, weights');
    }
    accuracy = {
      layers: positiveInt(opts.calibLayers ?? cal.layers ?? 2, 'calibration.layers'),
      seed: Number.isInteger(cal.seed) ? (cal.seed as number) : 1,
      weights: calibrationWeights(opts.calibWeights, cal.weights, fileDir),
    };
  }

  const strategy = (opts.strategy ?? 'nsga2') as StrategyName;
  if (!STRATEGIES.includes(strategy)) throw new UserError('--strategy', `unknown strategy '${opts.strategy}'`, STRATEGIES.join(', '));
  let budget: number;
  if (strategy === 'grid') {
    if (space.size > MAX_GRID) {
      throw new UserError('--strategy', `the grid has ${space.size.toExponential(2)} points (at most ${MAX_GRID})`, 'random or nsga2, or narrow the space');
    }
    budget = opts.budget ?? space.size;
    if (budget < space.size) {
      throw new UserError('--budget', `an exhaustive grid of this space has ${space.size} points, more than the budget ${budget}`,
        `--budget ${space.size}, or --strategy random|nsga2`);
    }
  } else {
    budget = opts.budget ?? DEFAULT_BUDGET;
  }
  positiveInt(budget, '--budget');
  const population = positiveInt(opts.population ?? 100, '--population');
  if (population < 4) throw new UserError('--population', 'must be at least 4');
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed)) throw new UserError('--seed', `must be an integer, got ${seed}`);

  return {
    version: 1, strategy, budget, seed, population, objectives,
    eval: { space, objectives, constraints, derived, accuracy, ...(optimisticClock ? { optimisticClock } : {}) },
    ...(accuracyConstraint ? { accuracyConstraint } : {}),
  };
}
