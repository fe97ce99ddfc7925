/**
 * The structure check of a generated project: the instrumented C-simulation's loop counts and
 * per-iteration operators (build/loops.json, vf_count.h) against the plan. For the same input
 * (MoE queue lengths from the routing the functional simulator computed, data/routing.json) every
 * labelled loop must run exactly the plan's iterations and entries; the multipliers found in the
 * C++ give the DSP count that the resource model must reproduce; and the latency obtained by
 * applying the plan's costs to the *counted* iterations is printed beside `simulate`'s.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import type { DesignPoint } from '../design/types.js';
import { dspPerMultiplier } from '../hw/dsp.js';
import { loopDsp, mathCost } from '../hw/resources.js';
import type { MathFn } from '../fixed/math/costs.js';
import type { LoweredPlan } from '../plan/index.js';
import { evaluatePerformance, scheduleImage } from '../sim/timing/index.js';
import { axiII } from '../sim/timing/plan-cost.js';
import type { RoutingStats } from '../sim/timing/report.js';

export interface CountedLoop {
  readonly index: number;
  readonly iterations: number;
  readonly entries: number;
  readonly muls: readonly { readonly wa: number; readonly wb: number; readonly count: number }[];
  readonly math: Readonly<Record<MathFn, number>>;
}

export interface LoopRow {
  readonly label: string;
  readonly unit: string;
  readonly ii: number | null;
  readonly depth: number;
  readonly predicted: { readonly iterations: number; readonly entries: number };
  readonly counted: { readonly iterations: number; readonly entries: number };
  /** DSP48E2 slices of the loop's datapath: from the plan, and from the multipliers the C++ ran. */
  readonly planDsp: number;
  readonly countedDsp: number;
}

export interface LoopCheck {
  readonly rows: readonly LoopRow[];
  /** Labels whose counted iterations or entries differ from the plan. */
  readonly mismatches: readonly string[];
  readonly predictedCycles: number;
  /** Plan costs applied to the counted iterations (first order: each extra iteration costs its II, each extra entry its fill). */
  readonly countedCycles: number;
  readonly planDsp: number;
  readonly countedDsp: number;
  /** Per unit: DSP from the plan and from the C++. */
  readonly units: readonly { readonly unit: string; readonly planDsp: number; readonly countedDsp: number }[];
}

export function parseLoopCounts(text: string, where: string): CountedLoop[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UserError(where, 'is not valid JSON (was the instrumented C-simulation interrupted?)');
  }
  const o = raw as { format?: unknown; loops?: unknown };
  if (o.format !== 'vitforge-loop-counts/1' || !Array.isArray(o.loops)) {
    throw new UserError(where, "is not a loop-count file (format 'vitforge-loop-counts/1')");
  }
  return o.loops as CountedLoop[];
}

/** Iterations and entries of every plan loop over one image, and the image's cycles. */
export function predictedCounts(design: DesignPoint, routing?: RoutingStats): { plan: LoweredPlan; counts: [number, number][]; cycles: number } {
  const { plan, calls } = scheduleImage(design, routing);
  const counts = plan.loops.map((): [number, number] => [0, 0]);
  for (const c of calls) {
    for (const t of c.trips) {
      counts[t.loop]![0] += t.iterations;
      counts[t.loop]![1] += t.entries;
    }
  }
  return { plan, counts, cycles: evaluatePerformance(design, routing).cycles };
}

export function checkLoopCounts(design: DesignPoint, counted: readonly CountedLoop[], routing?: RoutingStats): LoopCheck {
  const { plan, counts, cycles } = predictedCounts(design, routing);
  const { mem } = scheduleImage(design, routing);
  const byIndex = new Map(counted.map((c) => [c.index, c]));
  const rows: LoopRow[] = [];
  const mismatches: string[] = [];
  let extra = 0;
  const unitDsp = new Map<string, { planDsp: number; countedDsp: number }>();
  for (const l of plan.loops) {
    const c = byIndex.get(l.index);
    const [pi, pe] = counts[l.index]!;
    const ci = c?.iterations ?? 0;
    const ce = c?.entries ?? 0;
    if (ci !== pi || ce !== pe) mismatches.push(l.label);
    let countedDsp = 0;
    for (const m of c?.muls ?? []) countedDsp += m.count * dspPerMultiplier(m.wa, m.wb);
    for (const fn of ['exp', 'recip', 'rsqrt', 'gelu'] as const) countedDsp += (c?.math[fn] ?? 0) * mathCost(design, fn).dsp;
    const planDsp = loopDsp(design, l);
    const u = unitDsp.get(l.unit) ?? { planDsp: 0, countedDsp: 0 };
    unitDsp.set(l.unit, { planDsp: u.planDsp + planDsp, countedDsp: u.countedDsp + countedDsp });
    if (l.ii !== null) {
      const ii = Math.max(l.ii, axiII(l, mem, 1));
      extra += (ci - pi - (ce - pe)) * ii + (ce - pe) * (l.depth + (l.axi.length > 0 ? mem.latency : 0));
    } else {
      extra += (ci - pi) * (l.depth + l.bodyLatency);
    }
    rows.push({ label: l.label, unit: l.unit, ii: l.ii, depth: l.depth, predicted: { iterations: pi, entries: pe }, counted: { iterations: ci, entries: ce }, planDsp, countedDsp });
  }
  for (const c of counted) if (c.index >= plan.loops.length) mismatches.push(`#${c.index} (not in the plan)`);
  const units = [...unitDsp].map(([unit, v]) => ({ unit, ...v }));
  return {
    rows, mismatches, predictedCycles: cycles, countedCycles: cycles + extra,
    planDsp: units.reduce((a, u) => a + u.planDsp, 0), countedDsp: units.reduce((a, u) => a + u.countedDsp, 0), units,
  };
}

export function readLoopCounts(path: string): CountedLoop[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(path, 'missing: the instrumented C-simulation did not write it');
  }
  return parseLoopCounts(text, path);
}
