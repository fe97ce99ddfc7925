/**
 * Performance model entry: lower the design to its plan, schedule one image on it, cost every
 * call with the plan's loops (plan-cost.ts), and add resources, power and energy. Pure and fast
 * (no I/O): the DSE calls it thousands of times per second. docs/performance-model.md.
 */
import type { DesignPoint } from '../../design/types.js';
import { getPart } from '../../parts/parts.js';
import { estimateResources } from '../../hw/resources.js';
import { estimatePower } from '../../hw/power.js';
import type { ModelSpec } from '../../model/ir.js';
import { lowerPlan, type LoweredPlan, type UnitCall } from '../../plan/index.js';
import { lowerModel } from '../../model/ops.js';
import type { LayerResult, PerformanceReport, RoutingStats, StageResult } from './report.js';
import { resolveRouting } from './routing.js';
import { memoryModel, type MemoryModel } from './memory.js';
import { callCost } from './plan-cost.js';

export type { PerformanceReport, RoutingStats } from './report.js';

/** Operations per block (index 0 = patch embedding, then blocks 0..L−1): 2 per MAC + 1 per element-wise result. */
// Presets are shared objects (presetModel); model files give a new object per design.
const OPS_CACHE = new WeakMap<ModelSpec, Float64Array>();
function opsPerBlock(model: ModelSpec): Float64Array {
  let ops = OPS_CACHE.get(model);
  if (!ops) {
    ops = new Float64Array(model.depth + 1);
    for (const o of lowerModel(model)) if (o.block < model.depth) ops[o.block + 1]! += 2 * o.macs + o.elementOps;
    OPS_CACHE.set(model, ops);
  }
  return ops;
}

/** Operations per image (src/model/ops.ts counting rules, top-k experts per token). */
export function opsPerImage(model: ModelSpec): number {
  return opsPerBlock(model).reduce((a, x) => a + x, 0);
}

/** The plan of a design on its part. */
export function planOf(design: DesignPoint): LoweredPlan {
  return lowerPlan(design, { uram: getPart(design.part).uram > 0 });
}

export interface ScheduledImage {
  readonly plan: LoweredPlan;
  readonly mem: MemoryModel;
  readonly calls: readonly UnitCall[];
  readonly routingSource: string;
}

/** The calls of one image with the design's (or the given) routing. */
export function scheduleImage(design: DesignPoint, routing?: RoutingStats): ScheduledImage {
  const plan = planOf(design);
  const route = resolveRouting(design, routing);
  return { plan, mem: memoryModel(design, getPart(design.part), plan.bundles.length), calls: plan.schedule((l) => route.counts(l)), routingSource: route.source };
}

interface StageAcc { block: number; stage: string; unit: string; cycles: number; compute: number; memory: number; bytes: number; macs: number; mult: number; busy?: number }

/** Multipliers of a unit (for utilisation): the largest per-iteration product count of its loops. */
function unitMultipliers(plan: LoweredPlan): Map<string, number> {
  const m = new Map<string, number>();
  for (const u of plan.units) m.set(u.id, Math.max(0, ...u.loops.map((l) => l.muls.reduce((a, s) => a + s.count, 0))));
  return m;
}

export function evaluatePerformance(design: DesignPoint, routing?: RoutingStats): PerformanceReport {
  const part = getPart(design.part);
  const m = design.model;
  const hz = design.clockMHz * 1e6;
  const plan = planOf(design);
  const route = resolveRouting(design, routing);
  const mem = memoryModel(design, part, plan.bundles.length);
  const routingSource = route.source;
  const mult = unitMultipliers(plan);

  // Stages: consecutive calls of one block with the same stage name are one reported stage.
  // Blocks with equal signatures make equal calls: their stages are costed once.
  const sched = plan.scheduleBlocks((l) => route.counts(l));
  const busy: Record<string, number> = {};
  const stagesOf = (calls: readonly UnitCall[]): StageAcc[] => {
    const out: StageAcc[] = [];
    for (const call of calls) {
      const c = callCost(plan, mem, call);
      const last = out[out.length - 1];
      const s = last && last.stage === call.stage
        ? last
        : (out.push({ block: call.block, stage: call.stage, unit: call.unit, cycles: 0, compute: 0, memory: 0, bytes: 0, macs: 0, mult: mult.get(call.unit) ?? 0 }), out[out.length - 1]!);
      s.cycles += c.cycles;
      s.compute += c.computeCycles;
      s.memory += c.memoryCycles;
      s.bytes += c.bytes;
      s.macs += call.macs;
      s.busy = (s.busy ?? 0) + Math.min(c.cycles, c.computeCycles);
    }
    return out;
  };
  const stages: StageAcc[] = [];
  const bySignature = new Map<string, StageAcc[]>();
  const emit = (list: readonly StageAcc[], block: number): void => {
    for (const s of list) {
      stages.push({ ...s, block });
      busy[s.unit] = (busy[s.unit] ?? 0) + (s.busy ?? 0);
    }
  };
  emit(stagesOf(sched.prologue), -1);
  for (const b of sched.blocks) {
    let list = bySignature.get(b.signature);
    if (!list) bySignature.set(b.signature, (list = stagesOf(b.calls)));
    emit(list, b.block);
  }
  emit(stagesOf(sched.epilogue), -1);
  const stageResults: StageResult[] = stages.map((s) => {
    const seconds = s.cycles / hz;
    return {
      block: s.block, stage: s.stage, unit: s.unit, cycles: s.cycles, computeCycles: s.compute, memoryCycles: s.memory,
      bound: s.memory > s.compute ? 'memory' : 'compute', bytes: s.bytes, achievedGBps: seconds > 0 ? s.bytes / seconds / 1e9 : 0,
      macs: s.macs, dspUtil: s.cycles > 0 && s.mult > 0 ? s.macs / (s.cycles * s.mult) : 0,
    };
  });

  const blockOps = opsPerBlock(m);
  const perBlock = new Float64Array(m.depth + 1);
  let cycles = 0;
  let macs = 0;
  let bytes = 0;
  let memCycles = 0;
  for (const s of stageResults) {
    perBlock[s.block + 1]! += s.cycles;
    cycles += s.cycles;
    macs += s.macs;
    bytes += s.bytes;
    if (s.bound === 'memory') memCycles += s.cycles;
  }
  const layers: LayerResult[] = Array.from(perBlock, (cyc, i) => ({
    block: i - 1, cycles: cyc, ms: (cyc / hz) * 1e3, gops: cyc > 0 ? blockOps[i]! / (cyc / hz) / 1e9 : 0,
  }));
  const seconds = cycles / hz;
  const latencyMs = seconds * 1e3;
  const unitActivity: Record<string, number> = {};
  for (const [u, b] of Object.entries(busy)) unitActivity[u] = cycles > 0 ? b / cycles : 0;
  unitActivity['axi+control'] = 1;

  const resources = estimateResources(design, part);
  const power = estimatePower(design, part, { seconds, offchipBytes: bytes, unitActivity, resources });
  const gops = seconds > 0 ? opsPerImage(m) / seconds / 1e9 : 0;
  return {
    design: design.name, part: part.id, clockMHz: design.clockMHz, cycles, latencyMs, gops, macs, stages: stageResults, layers,
    resources, power, energyMJ: power.totalW * latencyMs, gopsPerW: power.totalW > 0 ? gops / power.totalW : 0,
    memoryBoundFraction: cycles > 0 ? memCycles / cycles : 0, routingSource,
  };
}
