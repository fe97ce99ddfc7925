/**
 * Resource model: DSP/BRAM/URAM/LUT/FF of each hardware unit, counted from the plan
 * (docs/performance-model.md §4): multipliers = the products one iteration of each loop uses ×
 * DSP48E2 slices for their operand widths (each pipelined loop has its own operators); math
 * units from their operator inventories; BRAM/URAM from the buffers' banks, depths and copies;
 * adder trees, registers and glue in LUT/FF. Pure and fast: the DSE calls it for every point.
 */
import type { DesignPoint } from '../design/types.js';
import { mathUnitCost, type MathFn } from '../fixed/math/costs.js';
import { lowerPlan, type LoweredPlan } from '../plan/index.js';
import { geluOptions } from '../plan/latency.js';
import type { BufferSpec, LoopSpec } from '../plan/types.js';
import type { ResourceEstimate } from './estimates.js';
import { adderTreeCost, bram36For, dspPerMultiplier, uramFor } from './dsp.js';
import { dspPrimitiveOf, type DspPrimitive } from '../parts/fabric.js';
import type { Part } from '../parts/parts.js';

export interface UnitResources {
  unit: string;
  dsp: number;
  bram36: number;
  uram: number;
  lut: number;
  ff: number;
}

const MATH_COST = new Map<string, { dsp: number; bram36: number; lut: number; ff: number }>();

/** One pipelined math unit of the design's types (src/fixed/math/costs.ts), memoised by the types' spelling. */
const PER_DESIGN = new WeakMap<DesignPoint, Partial<Record<MathFn, { dsp: number; bram36: number; lut: number; ff: number }>>>();

export function mathCost(design: DesignPoint, fn: MathFn): { dsp: number; bram36: number; lut: number; ff: number } {
  let mine = PER_DESIGN.get(design);
  if (!mine) PER_DESIGN.set(design, (mine = {}));
  return (mine[fn] ??= sharedMathCost(design, fn));
}

function sharedMathCost(design: DesignPoint, fn: MathFn): { dsp: number; bram36: number; lut: number; ff: number } {
  const t = design.types;
  const key = `${fn}:${JSON.stringify(fn === 'gelu' ? [t.fm, t.geluTable, design.gelu] : fn === 'rsqrt' ? [t.lnStat] : [t.fm, t.softmax])}`;
  let c = MATH_COST.get(key);
  if (!c) {
    if (MATH_COST.size > 512) MATH_COST.clear();
    MATH_COST.set(key, (c = mathUnitCostOf(design, fn)));
  }
  return c;
}

function mathUnitCostOf(design: DesignPoint, fn: MathFn): { dsp: number; bram36: number; lut: number; ff: number } {
  const t = design.types;
  switch (fn) {
    case 'exp': return mathUnitCost('exp', t.fm, t.softmax);
    case 'recip': return mathUnitCost('recip', t.softmax, t.softmax);
    case 'rsqrt': return mathUnitCost('rsqrt', t.lnStat, t.lnStat);
    case 'gelu': return mathUnitCost('gelu', t.fm, t.fm, geluOptions(design));
  }
}

/** DSP slices of one loop's datapath (its multipliers and math units) on `primitive` (default DSP48E2). */
export function loopDsp(design: DesignPoint, l: LoopSpec, primitive?: DspPrimitive): number {
  let dsp = 0;
  for (const m of l.muls) dsp += m.count * dspPerMultiplier(m.wa, m.wb, primitive);
  for (const m of l.math) dsp += m.count * mathCost(design, m.fn).dsp;
  return dsp;
}

/**
 * Per m_axi bundle: the HLS adapter (address generation, burst counters, read/write data
 * FIFOs) plus the interconnect that width-converts it to the memory port. Scales with width.
 */
function axiBundle(bits: number): { lut: number; ff: number; bram36: number } {
  return { lut: 1_500 + 8 * bits, ff: 2_000 + 12 * bits, bram36: bits >= 256 ? 2 : 1 };
}

/** Kernel control: s_axilite registers, ap_ctrl and dataflow handshakes, loop FSMs. */
const CONTROL = { lut: 6_000, ff: 8_000 };

function addBuffer(u: UnitResources, b: BufferSpec): void {
  const words = b.shape.reduce((a, x) => a * x, 1);
  const depth = Math.ceil(words / b.banks);
  const n = b.banks * b.copies;
  switch (b.storage) {
    case 'bram': u.bram36 += n * bram36For(b.elemBits, depth); break;
    case 'uram': u.uram += n * uramFor(b.elemBits, depth); break;
    // LUTRAM: one LUT6 holds 64 bits of one bank (plus a write port's worth of control).
    case 'lutram': u.lut += n * Math.ceil((b.elemBits * depth) / 64); break;
    case 'registers': u.ff += n * b.elemBits * depth; break;
  }
}

export function unitResources(design: DesignPoint, part: Part, plan?: LoweredPlan): UnitResources[] {
  const p = plan ?? lowerPlan(design, { uram: part.uram > 0 });
  const primitive = dspPrimitiveOf(part);
  const units: UnitResources[] = [];
  for (const spec of p.units) {
    if (spec.id === 'kernel') continue;
    const u: UnitResources = { unit: spec.id, dsp: 0, bram36: 0, uram: 0, lut: 0, ff: 0 };
    for (const l of spec.loops) {
      u.dsp += loopDsp(design, l, primitive);
      for (const m of l.math) {
        const c = mathCost(design, m.fn);
        u.lut += m.count * c.lut;
        u.ff += m.count * c.ff;
        u.bram36 += m.count * c.bram36;
      }
      for (const t of l.trees) {
        const tree = adderTreeCost(t.inputs, t.width);
        u.lut += t.count * (tree.lut + t.width);
        u.ff += t.count * (tree.ff + t.width);
      }
    }
    for (const b of spec.buffers) addBuffer(u, b);
    units.push(u);
  }
  const io: UnitResources = { unit: 'axi+control', dsp: 0, bram36: 0, uram: 0, lut: 0, ff: 0 };
  const bundle = axiBundle(design.axiBits);
  io.lut += p.bundles.length * bundle.lut + CONTROL.lut;
  io.ff += p.bundles.length * bundle.ff + CONTROL.ff;
  io.bram36 += p.bundles.length * bundle.bram36;
  // Glue not itemised above (operand muxes, quantisation, bounds, stream FIFOs): 15 % of each
  // datapath unit's LUT/FF, and one LUT + FF per 4 DSP-mapped multiplier output bits.
  for (const u of units) {
    u.lut = Math.round(u.lut * 1.15 + u.dsp * 12);
    u.ff = Math.round(u.ff * 1.15 + u.dsp * 12);
  }
  units.push(io);
  return units;
}

export function estimateResources(design: DesignPoint, part: Part): ResourceEstimate {
  const units = unitResources(design, part);
  const sum = (k: 'dsp' | 'bram36' | 'uram' | 'lut' | 'ff'): number => units.reduce((a, u) => a + u[k], 0);
  const dsp = Math.ceil(sum('dsp'));
  const bram36 = Math.ceil(sum('bram36'));
  const uram = Math.ceil(sum('uram'));
  const lut = Math.round(sum('lut'));
  const ff = Math.round(sum('ff'));
  const frac = (v: number, cap: number): number => (cap > 0 ? v / cap : v > 0 ? Infinity : 0);
  const util = { dsp: frac(dsp, part.dsp), bram36: frac(bram36, part.bram36), uram: frac(uram, part.uram), lut: frac(lut, part.lut), ff: frac(ff, part.ff) };
  const violations: string[] = [];
  const check = (name: string, v: number, cap: number): void => {
    if (v > cap) violations.push(`${name} ${v} > ${cap}`);
  };
  check('dsp', dsp, part.dsp);
  check('bram36', bram36, part.bram36);
  check('uram', uram, part.uram);
  check('lut', lut, part.lut);
  check('ff', ff, part.ff);
  return {
    dsp, bram36, uram, lut, ff, util, fits: violations.length === 0, violations,
    units: units.map((u) => ({ unit: u.unit, dsp: Math.ceil(u.dsp), bram36: Math.ceil(u.bram36), uram: u.uram, lut: Math.round(u.lut), ff: Math.round(u.ff) })),
  };
}
