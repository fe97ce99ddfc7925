/**
 * Lowering of a design point to its microarchitecture plan (types.ts), and the schedule of one
 * image on it. `lowerPlan` is pure and memoised per design object: the DSE lowers thousands of
 * design points per second.
 */
import type { DesignPoint } from '../design/types.js';
import { uniformQueueLengths } from './queues.js';
import { blockedSchedule, imageSchedule, type BlockedSchedule, type QueueLengths, type ScheduleContext } from './calls.js';
import { fmRegions, geometry, type FmRegions, type Geometry } from './geometry.js';
import type { BundleSpec, LoopSpec, Plan, UnitCall, UnitSpec } from './types.js';
import { buildUnits } from './units.js';
import { LATENCY } from './latency.js';

export type { Plan, UnitCall, UnitSpec, LoopSpec, BufferSpec, UnitId, BundleId, LoopTrips, MulSite } from './types.js';
export type { Geometry, FmRegions } from './geometry.js';
export type { BlockedSchedule, QueueLengths } from './calls.js';

export const BUNDLES: readonly BundleSpec[] = [
  { id: 'gmem_w', direction: 'read', holds: 'linear and patch-embedding weights (packed tiles)' },
  { id: 'gmem_p', direction: 'read', holds: 'biases, LayerNorm parameters, positional embedding' },
  { id: 'gmem_a', direction: 'read', holds: 'feature maps: first input stream (and the patches)' },
  { id: 'gmem_b', direction: 'read', holds: 'feature maps: second input stream' },
  { id: 'gmem_c', direction: 'write', holds: 'feature maps: output stream' },
];

export interface LoweredPlan extends Plan {
  readonly geometry: Geometry;
  readonly regions: FmRegions;
  readonly byId: ReadonlyMap<string, LoopSpec>;
  /** The calls of one image for the given queue lengths. */
  schedule(queues: QueueLengths): UnitCall[];
  /** The same, grouped by block (equal signatures: equal calls), for fast evaluation. */
  scheduleBlocks(queues: QueueLengths): BlockedSchedule;
}

export interface PlanOptions {
  /** The part has UltraRAM (deep buffers go there). */
  readonly uram: boolean;
}

const CACHE = new WeakMap<DesignPoint, Map<boolean, LoweredPlan>>();

function kernelUnit(counter: number, moe: boolean): UnitSpec {
  const loop = (index: number, name: string, bound: string, doc: string): LoopSpec => ({
    index, id: `kernel.${name}`, label: `kernel_${name}`, unit: 'kernel', bound, doc, ii: null, depth: LATENCY.loopOverhead,
    bodyLatency: 0, axi: [], muls: [], math: [], trees: [], tripMin: 0, tripMax: 0,
    ...(name === 'experts' ? { parent: 'kernel.blocks' } : {}),
  });
  return {
    id: 'kernel', function: 'vitforge_kernel', doc: 'top function: the schedule of units',
    loops: [loop(counter, 'blocks', 'DEPTH', 'one transformer block'), ...(moe ? [loop(counter + 1, 'experts', 'EXPERTS', 'one expert of an MoE block')] : [])],
    buffers: [],
  };
}

/** The structure of a plan, shared by every design that differs only in clock, part memory or name. */
type PlanCore = Omit<LoweredPlan, 'design' | 'clockMHz'>;

// Keyed by the model object (presets are shared objects) and the structural fields: DSE points
// that differ only in their clock reuse the units, loops and the memoised schedule.
const CORES = new WeakMap<object, Map<string, PlanCore>>();
const MAX_CORES_PER_MODEL = 256;

function structuralKey(d: DesignPoint, uram: boolean): string {
  return JSON.stringify([d.types, d.linear, d.attention, d.axiBits, d.buffers, d.gelu, uram]);
}

function lowerCore(design: DesignPoint, uram: boolean): PlanCore {
  const g = geometry(design);
  const units = buildUnits(design, g, uram);
  const n = units.reduce((a, u) => a + u.loops.length, 0);
  units.push(kernelUnit(n, g.experts > 0));
  const loops = units.flatMap((u) => u.loops);
  const byId = new Map(loops.map((l) => [l.id, l]));
  const ctx: ScheduleContext = { d: design, g, byId, calls: new Map(), blocks: new Map(), index: new Map() };
  return {
    axiBits: design.axiBits, units, loops, bundles: BUNDLES, constants: {}, geometry: g, regions: fmRegions(g), byId,
    schedule: (queues: QueueLengths): UnitCall[] => imageSchedule(ctx, queues),
    scheduleBlocks: (queues: QueueLengths): BlockedSchedule => blockedSchedule(ctx, queues),
  };
}

export function lowerPlan(design: DesignPoint, opts: PlanOptions): LoweredPlan {
  let per = CACHE.get(design);
  if (!per) CACHE.set(design, (per = new Map()));
  const hit = per.get(opts.uram);
  if (hit) return hit;
  let cores = CORES.get(design.model);
  if (!cores) CORES.set(design.model, (cores = new Map()));
  const key = structuralKey(design, opts.uram);
  let core = cores.get(key);
  if (!core) {
    if (cores.size >= MAX_CORES_PER_MODEL) cores.clear();
    cores.set(key, (core = lowerCore(design, opts.uram)));
  }
  const plan: LoweredPlan = { ...core, design: design.name, clockMHz: design.clockMHz };
  per.set(opts.uram, plan);
  return plan;
}

// Keyed by the loops array: plans of one structure share their loops.
const BOUNDED = new WeakSet<readonly LoopSpec[]>();

/**
 * Fill every loop's `tripMin..tripMax` (the LOOP_TRIPCOUNT bounds the templates print) over the
 * uniform routing and the most uneven one (all tokens on the first top-k experts), so that the
 * bounds do not depend on one image's routing. Only the generator and `vitforge plan` need them.
 */
export function withTripBounds(plan: LoweredPlan, design: DesignPoint): LoweredPlan {
  if (BOUNDED.has(plan.loops)) return plan;
  const g = plan.geometry;
  const T = g.dims.tokens;
  const skewed = Array.from({ length: g.experts }, (_, e) => (e < g.topK ? T : 0));
  const loops = plan.loops as LoopSpec[];
  for (const l of loops) {
    l.tripMin = Infinity;
    l.tripMax = 0;
  }
  for (const calls of [plan.schedule(uniformQueueLengths(design)), plan.schedule(() => skewed)]) {
    for (const call of calls) {
      for (const t of call.trips) {
        const l = loops[t.loop]!;
        const per = t.iterations / t.entries;
        l.tripMin = Math.min(l.tripMin, Math.floor(per));
        l.tripMax = Math.max(l.tripMax, Math.ceil(per));
      }
    }
  }
  for (const l of loops) if (l.tripMin === Infinity) l.tripMin = 0;
  // A queue can hold a single token: the expert loops' lower bound is 1 row.
  for (const id of ['linear.gather_rows', 'linear.scatter_rows']) if (plan.byId.has(id)) (plan.byId.get(id) as LoopSpec).tripMin = 1;
  BOUNDED.add(plan.loops);
  return plan;
}
