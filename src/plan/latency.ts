/**
 * Operator latencies in cycles at 200–400 MHz on UltraScale+, as Vitis HLS schedules these
 * widths (docs/performance-model.md §3 gives the reasoning). The math units' latencies come
 * from their operator counts (`mathUnitCost`, src/fixed/math/costs.ts), per design types.
 */
import type { DesignPoint, DesignTypes } from '../design/types.js';
import { mathUnitCost } from '../fixed/math/costs.js';

export const LATENCY = {
  /** DSP48E2 multiply of ≤ 32-bit operands (cascaded slices, pipeline registers). */
  mul: 3,
  add: 1,
  /** BRAM read with output register. */
  bramRead: 2,
  /**
   * Loop-carried latency of a running softmax sum (select, multiply-add on the 32-bit softmax
   * type). Edge-MoE's gate softmax loop closes timing at exactly II = 3.
   */
  softmaxRecurrence: 3,
  /** Control cycles of one iteration of a loop that is not pipelined (enter/exit states). */
  loopOverhead: 1,
  /** Cycles of a function call with INLINE off (start/done handshake). */
  call: 2,
} as const;

export interface MathLatency {
  readonly exp: number;
  readonly recip: number;
  readonly rsqrt: number;
  readonly gelu: number;
}

// Keyed by the types' spelling: every DSE point parses its own (equal) type objects.
const MATH_LAT = new Map<string, MathLatency>();

/** The GELU table's shape for `mathUnitCost`. */
export function geluOptions(d: DesignPoint): { tableEntries: number; tableType: DesignTypes['geluTable']; stepLog2Inv: number } {
  return { tableEntries: Math.round(d.gelu.range / d.gelu.step) + 1, tableType: d.types.geluTable, stepLog2Inv: Math.round(-Math.log2(d.gelu.step)) };
}

/** Latencies of the EXP (fm → softmax), RECIP (softmax), RSQRT (lnStat) and GELU (fm) units. */
export function mathLatency(d: DesignPoint): MathLatency {
  const t0 = d.types;
  const key = `${JSON.stringify([t0.fm, t0.softmax, t0.lnStat, t0.geluTable])}:${d.gelu.step}:${d.gelu.range}`;
  let l = MATH_LAT.get(key);
  if (!l) {
    const t = d.types;
    l = {
      exp: mathUnitCost('exp', t.fm, t.softmax).latency,
      recip: mathUnitCost('recip', t.softmax, t.softmax).latency,
      rsqrt: mathUnitCost('rsqrt', t.lnStat, t.lnStat).latency,
      gelu: mathUnitCost('gelu', t.fm, t.fm, geluOptions(d)).latency,
    };
    if (MATH_LAT.size > 256) MATH_LAT.clear();
    MATH_LAT.set(key, l);
  }
  return l;
}

export const log2c = (n: number): number => Math.ceil(Math.log2(Math.max(1, n)));

/** II a loop-carried update of `latency` cycles allows when it recurs every `distance` iterations. */
export function recurrenceII(latency: number, distance: number): number {
  return Math.max(1, Math.ceil(latency / Math.max(1, distance)));
}
