/**
 * What vitforge predicts for a generated project, in the form `vitforge compare-synth` puts
 * beside a Vitis HLS csynth report (`vitforge-plan.json` in every project): per unit (C++
 * function) its resources and per labelled loop its II, depth, trip-count range and latency per
 * entry — all read from the same plan the kernel was rendered from.
 */
import type { DesignPoint } from '../design/types.js';
import { getPart } from '../parts/parts.js';
import { unitResources } from '../hw/resources.js';
import type { LoopSpec, LoweredPlan } from '../plan/index.js';
import { evaluatePerformance } from '../sim/timing/index.js';
import { TOP } from './context.js';
import type { PredictedUnit, SynthPrediction } from './synth-prediction.js';

function entryLatency(plan: LoweredPlan, l: LoopSpec): number {
  if (l.ii !== null) return l.tripMax > 0 ? (l.tripMax - 1) * l.ii + l.depth : 0;
  const inner = plan.loops.filter((c) => c.parent === l.id).reduce((a, c) => a + entryLatency(plan, c), 0);
  return l.tripMax * (l.depth + l.bodyLatency + inner);
}

export function predictionOf(design: DesignPoint, plan: LoweredPlan): SynthPrediction {
  const part = getPart(design.part);
  const perf = evaluatePerformance(design);
  const res = unitResources(design, part, plan);
  const units: PredictedUnit[] = plan.units.map((u) => {
    const r = res.find((x) => x.unit === u.id) ?? { dsp: 0, bram36: 0, uram: 0, lut: 0, ff: 0 };
    return {
      unit: u.id, function: u.function, dsp: Math.ceil(r.dsp), bram18k: Math.ceil(2 * r.bram36), uram: r.uram,
      lut: Math.round(r.lut), ff: Math.round(r.ff),
      loops: u.loops.map((l) => ({ label: l.label, ii: l.ii, depth: l.depth, tripMin: l.tripMin, tripMax: l.tripMax, latencyCycles: entryLatency(plan, l) })),
    };
  });
  const t = perf.resources;
  return {
    format: 'vitforge-plan-prediction/1', design: design.name, top: TOP, part: part.id, clockMHz: design.clockMHz,
    totalCycles: perf.cycles, resources: { dsp: t.dsp, bram18k: 2 * t.bram36, uram: t.uram, lut: t.lut, ff: t.ff }, units,
  };
}
