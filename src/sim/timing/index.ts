/**
 * Performance model entry: cycles per stage, latency, GOPS, resources, power and energy of one
 * design point for one image. Pure and fast (no I/O): the DSE calls it thousands of times per
 * second. Formulas: docs/performance-model.md.
 */
import type { DesignPoint } from '../../design/types.js';
import { getPart } from '../../hw/parts.js';
import { estimateResources } from '../../hw/resources.js';
import { estimatePower } from '../../hw/power.js';
import type { ModelSpec } from '../../model/ir.js';
import { lowerModel } from '../../model/ops.js';
import type { LayerResult, PerformanceReport, RoutingStats, StageResult } from './report.js';
import { resolveRouting } from './routing.js';
import { scheduleBlock, type ScheduleItem, type ScheduledStage } from './schedule.js';
import {
  avStage, gateStage, layerNormStage, linearStage, patchEmbedStage, qkStage, residualStage, stageContext, zeroOutputCycles,
  type StageContext,
} from './stages.js';

export type { PerformanceReport, RoutingStats } from './report.js';

/** Operations per block (index 0 = patch embedding, then blocks 0..L−1): 2 per MAC + 1 per element-wise result. */
const OPS_CACHE = new WeakMap<ModelSpec, Float64Array>();
function opsPerBlock(model: ModelSpec): Float64Array {
  let ops = OPS_CACHE.get(model);
  if (!ops) {
    ops = new Float64Array(model.depth + 1);
    for (const o of lowerModel(model)) ops[o.block + 1]! += 2 * o.macs + o.elementOps;
    OPS_CACHE.set(model, ops);
  }
  return ops;
}

/** Operations per image (src/model/ops.ts counting rules, top-k experts per token). */
export function opsPerImage(model: ModelSpec): number {
  return opsPerBlock(model).reduce((a, x) => a + x, 0);
}

/** The items one transformer block runs, in order (docs/performance-model.md §3). */
function blockItems(c: StageContext, l: number, counts: readonly number[]): ScheduleItem[] {
  const m = c.d.model;
  const b = m.blocks[l]!;
  const D = m.dim;
  const T = c.dims.tokens;
  const attnBias = c.d.types.attnBias.W;
  const bias = c.d.types.bias.W;
  const item = (cost: ScheduleItem['cost'], extra: Partial<ScheduleItem> = {}): ScheduleItem => ({ cost, report: cost.stage, ...extra });
  const items: ScheduleItem[] = [
    item(layerNormStage(c, l, 'ln1', 2)),
    item(linearStage(c, l, 'qkv', 'linear', T, D, 3 * D, { biasBits: attnBias })),
    item(qkStage(c, l)),
    item(avStage(c, l)),
    item(linearStage(c, l, 'proj', 'linear', T, D, D, { biasBits: attnBias })),
    item(residualStage(c, l, 'residual1')),
    item(layerNormStage(c, l, 'ln2', 2)),
  ];
  if (b.kind === 'mlp') {
    items.push(item(linearStage(c, l, 'fc1', 'linear', T, D, b.hidden, { biasBits: bias, gelu: true })));
    items.push(item(linearStage(c, l, 'fc2', 'linear', T, b.hidden, D, { biasBits: bias })));
  } else {
    items.push(item(gateStage(c, l, b.experts, b.topK), { routing: true }));
    const zero = zeroOutputCycles(c);
    items.push({
      report: 'experts',
      cost: { block: l, stage: 'experts', unit: 'linear', cycles: zero.cycles, computeCycles: 0, memoryCycles: zero.cycles, bytes: zero.bytes, macs: 0, multipliers: c.d.linear.tileIn * c.d.linear.tileOut },
    });
    // Experts in index order, only those with a non-empty queue; weights loaded once each.
    for (let e = 0; e < b.experts; e++) {
      const n = counts[e] ?? 0;
      if (n === 0) continue;
      items.push({ report: 'experts', afterRouting: true, cost: linearStage(c, l, 'experts', 'linear', n, D, b.hidden, { biasBits: bias, gelu: true }) });
      items.push({ report: 'experts', afterRouting: true, cost: linearStage(c, l, 'experts', 'linear', n, b.hidden, D, { biasBits: bias, accumulate: true }) });
    }
  }
  items.push(item(residualStage(c, l, 'residual2')));
  return items;
}

function toStage(block: number, s: ScheduledStage, hz: number): StageResult {
  const seconds = s.cycles / hz;
  return {
    block, stage: s.report, unit: s.unit, cycles: s.cycles, computeCycles: s.computeCycles, memoryCycles: s.memoryCycles,
    bound: s.memoryCycles > s.computeCycles ? 'memory' : 'compute', bytes: s.bytes,
    achievedGBps: seconds > 0 ? s.bytes / seconds / 1e9 : 0, macs: s.macs,
    dspUtil: s.cycles > 0 && s.multipliers > 0 ? s.macs / (s.cycles * s.multipliers) : 0,
  };
}

export function evaluatePerformance(design: DesignPoint, routing?: RoutingStats): PerformanceReport {
  const part = getPart(design.part);
  const m = design.model;
  const hz = design.clockMHz * 1e6;
  const c = stageContext(design, part);
  const route = resolveRouting(design, routing);
  const pingpong = design.buffers.weights === 'pingpong';

  const pe = patchEmbedStage(c);
  const stages: StageResult[] = [toStage(-1, {
    report: pe.stage, unit: pe.unit, cycles: pe.cycles, computeCycles: pe.computeCycles, memoryCycles: pe.memoryCycles,
    exposedLoad: 0, bytes: pe.bytes, macs: pe.macs, multipliers: pe.multipliers,
  }, hz)];
  const blockOps = opsPerBlock(m);
  const layer = (block: number, cyc: number): LayerResult => ({
    block, cycles: cyc, ms: (cyc / hz) * 1e3, gops: cyc > 0 ? blockOps[block + 1]! / (cyc / hz) / 1e9 : 0,
  });
  const layers: LayerResult[] = [layer(-1, pe.cycles)];
  // Blocks with the same FFN shape and routing schedule identically: schedule each kind once.
  const memo = new Map<string, ScheduledStage[]>();
  for (let l = 0; l < m.depth; l++) {
    const b = m.blocks[l]!;
    const counts = route.counts(l);
    const key = `${b.kind}:${b.hidden}:${b.kind === 'moe' ? `${b.experts}:${b.topK}:${counts.join(',')}` : ''}`;
    let scheduled = memo.get(key);
    if (!scheduled) memo.set(key, (scheduled = scheduleBlock(blockItems(c, l, counts), pingpong)));
    let cyc = 0;
    for (const s of scheduled) {
      stages.push(toStage(l, s, hz));
      cyc += s.cycles;
    }
    layers.push(layer(l, cyc));
  }

  let cycles = 0;
  let macs = 0;
  let bytes = 0;
  let memCycles = 0;
  const busy: Record<string, number> = {};
  for (const s of stages) {
    cycles += s.cycles;
    macs += s.macs;
    bytes += s.bytes;
    if (s.bound === 'memory') memCycles += s.cycles;
    // Unit activity: the cycles its compute loop runs (moe-router work runs on the linear unit too).
    busy[s.unit] = (busy[s.unit] ?? 0) + Math.min(s.cycles, s.computeCycles);
  }
  const seconds = cycles / hz;
  const latencyMs = seconds * 1e3;
  const unitActivity: Record<string, number> = {};
  for (const [u, b] of Object.entries(busy)) unitActivity[u] = cycles > 0 ? b / cycles : 0;
  unitActivity.linear = (unitActivity.linear ?? 0) + (unitActivity['moe-router'] ?? 0);
  unitActivity['axi+control'] = 1;

  const resources = estimateResources(design, part);
  const power = estimatePower(design, part, { seconds, offchipBytes: bytes, unitActivity, resources });
  const gops = seconds > 0 ? opsPerImage(m) / seconds / 1e9 : 0;
  return {
    design: design.name, part: part.id, clockMHz: design.clockMHz, cycles, latencyMs, gops, macs, stages, layers,
    resources, power, energyMJ: power.totalW * latencyMs, gopsPerW: power.totalW > 0 ? gops / power.totalW : 0,
    memoryBoundFraction: cycles > 0 ? memCycles / cycles : 0, routingSource: route.source,
  };
}
