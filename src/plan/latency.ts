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

const MATH_LAT = new WeakMap<DesignTypes, MathLatency>();

/** The GELU table's shape for `mathUnitCost`. */
export function geluOptions(d: DesignPoint): { tableEntries: number; tableType: DesignTypes['geluTable']; stepLog2Inv: number } {
  return { tableEntries: Math.round(d.gelu.range / d.gelu.step) + 1, tableType: d.types.geluTable, stepLog2Inv: Math.round(-Math.log2(d.gelu.step)) };
}

/** Latencies of the EXP (fm → softmax), RECIP (softmax), RSQRT (lnStat) and GELU (fm) units. */
export function mathLatency(d: DesignPoint): MathLatency {
  let l = MATH_LAT.get(d.types);
  if (!l) {
    const t = d.types;
    l = {
      exp: mathUnitCost('exp', t.fm, t.softmax).latency,
      recip: mathUnitCost('recip', t.softmax, t.softmax).latency,
      rsqrt: mathUnitCost('rsqrt', t.lnStat, t.lnStat).latency,
      gelu: mathUnitCost('gelu', t.fm, t.fm, geluOptions(d)).latency,
    };
    MATH_LAT.set(d.types, l);
  }
  return l;
}

export const log2c = (n: number): number => Math.ceil(Math.log2(Math.max(1, n)));

/** II a loop-carried update of `latency` cycles allows when it recurs every `distance` iterations. */
export function recurrenceII(latency: number, distance: number): number {
  return Math.max(1, Math.ceil(latency / Math.max(1, distance)));
}
