/**
 * The quantities a DSE point reports: every column of points.csv after the parameters, every
 * name constraints and objectives may use. Defined once here so CSV, constraints, objectives
 * and reports agree on names, units and directions.
 */
import { UserError } from '../errors.js';
import type { PerformanceReport } from '../sim/timing/report.js';

/** Fixed-point error of one datatype configuration (functional simulator vs float64). */
export interface AccuracyResult {
  /** ‖fixed − float‖₂ / ‖float‖₂ over the calibration output. */
  readonly relL2: number;
  /** 10·log10(Σ float² / Σ (fixed − float)²), dB. */
  readonly sqnrDb: number;
}

export interface MetricDef {
  /** Column / expression name. */
  readonly name: string;
  readonly unit: string;
  /** Whether smaller is better when used as an objective. */
  readonly minimise: boolean;
  /** Short objective alias accepted by --objectives (besides `name`). */
  readonly alias?: string;
  /** Needs the functional simulator. */
  readonly accuracy?: boolean;
  readonly get: (p: PerformanceReport, a: AccuracyResult | undefined) => number;
}

export const METRICS: readonly MetricDef[] = [
  { name: 'latency_ms', unit: 'ms', minimise: true, alias: 'latency', get: (p) => p.latencyMs },
  { name: 'cycles', unit: 'cycles', minimise: true, get: (p) => p.cycles },
  { name: 'gops', unit: 'GOP/s', minimise: false, alias: 'throughput', get: (p) => p.gops },
  { name: 'energy_mj', unit: 'mJ/image', minimise: true, alias: 'energy', get: (p) => p.energyMJ },
  { name: 'power_w', unit: 'W', minimise: true, alias: 'power', get: (p) => p.power.totalW },
  { name: 'gops_per_w', unit: 'GOP/s/W', minimise: false, alias: 'efficiency', get: (p) => p.gopsPerW },
  { name: 'dsp', unit: 'DSP48', minimise: true, get: (p) => p.resources.dsp },
  { name: 'bram36', unit: 'BRAM36', minimise: true, alias: 'bram', get: (p) => p.resources.bram36 },
  { name: 'uram', unit: 'URAM', minimise: true, get: (p) => p.resources.uram },
  { name: 'lut', unit: 'LUT', minimise: true, get: (p) => p.resources.lut },
  { name: 'ff', unit: 'FF', minimise: true, get: (p) => p.resources.ff },
  { name: 'util_dsp', unit: 'fraction', minimise: true, get: (p) => p.resources.util.dsp },
  { name: 'util_bram36', unit: 'fraction', minimise: true, get: (p) => p.resources.util.bram36 },
  { name: 'util_uram', unit: 'fraction', minimise: true, get: (p) => p.resources.util.uram },
  { name: 'util_lut', unit: 'fraction', minimise: true, get: (p) => p.resources.util.lut },
  { name: 'util_ff', unit: 'fraction', minimise: true, get: (p) => p.resources.util.ff },
  { name: 'memory_bound', unit: 'fraction', minimise: true, get: (p) => p.memoryBoundFraction },
  { name: 'error', unit: 'rel. L2', minimise: true, accuracy: true, get: (_p, a) => a?.relL2 ?? NaN },
  { name: 'sqnr_db', unit: 'dB', minimise: false, alias: 'sqnr', accuracy: true, get: (_p, a) => a?.sqnrDb ?? NaN },
];

export const ACCURACY_METRICS = METRICS.filter((m) => m.accuracy).map((m) => m.name);

export interface Objective {
  /** Metric or derived-quantity name. */
  readonly name: string;
  readonly minimise: boolean;
  /** As written on the command line (for file names such as best-latency.yaml). */
  readonly label: string;
}

/**
 * Parse `--objectives latency,energy,dsp,error`. A name is a metric, its alias, or a derived
 * quantity; `max:NAME` / `min:NAME` set the direction (derived quantities default to min).
 */
export function parseObjectives(text: string, derivedNames: readonly string[]): Objective[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new UserError('--objectives', 'needs at least one objective');
  const allowed = [...METRICS.map((m) => m.alias ?? m.name), ...derivedNames].join(', ');
  const out: Objective[] = [];
  for (const item of items) {
    const m = /^(?:(min|max):)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(item);
    if (!m) throw new UserError('--objectives', `cannot parse '${item}'`, allowed);
    const dir = m[1];
    const id = m[2]!;
    const metric = METRICS.find((x) => x.name === id || x.alias === id);
    let name: string;
    let minimise: boolean;
    if (metric) {
      name = metric.name;
      minimise = dir ? dir === 'min' : metric.minimise;
    } else if (derivedNames.includes(id)) {
      name = id;
      minimise = dir !== 'max';
    } else {
      throw new UserError('--objectives', `unknown objective '${id}'`, allowed);
    }
    if (out.some((o) => o.name === name)) throw new UserError('--objectives', `'${id}' is listed twice`);
    out.push({ name, minimise, label: id });
  }
  return out;
}
