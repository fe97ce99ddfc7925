/**
 * Resource and latency estimates of one fully pipelined (II = 1) instance of each math unit, for
 * the resource model. They are counted from the algorithm's operators (the named types of
 * types.ts), not measured after synthesis:
 *  - a multiplier is tiled onto DSP48E2 slices, each taking 26×17 unsigned magnitude bits (the
 *    27×18 signed port), best orientation; operands of ≤ 4 bits are LUT shift-adds;
 *  - a read-only table larger than 4 Kbit goes to BRAM18 halves in the best aspect ratio (both
 *    ports of one BRAM serve the two reads of an interpolating table), smaller ones to LUT ROM
 *    (one LUT6 per 64 entries per bit per read port);
 *  - adders, subtractors and comparators cost one LUT per bit; a barrel shifter one LUT per bit
 *    per 4:1 mux level; a leading-one detector one LUT per input bit;
 *  - every named intermediate is registered once (FF), DSP-internal pipeline registers are not
 *    counted; latency is the sum of the stages on the critical path (DSP multiply 3 cycles, +1
 *    when several slices are cascaded; BRAM read 2; adder, shifter, conversion 1 each).
 * docs/math.md lists the numbers for the default types.
 */
import type { FixedType } from '../type.js';
import * as T from './types.js';

export interface MathUnitCost {
  readonly dsp: number;
  readonly bram36: number;
  readonly lut: number;
  readonly ff: number;
  /** Cycles from input to output. */
  readonly latency: number;
  /** Initiation interval, cycles. */
  readonly ii: number;
}

export type MathFn = 'exp' | 'recip' | 'rsqrt' | 'gelu';

export interface MathCostOptions {
  /** GELU: number of table entries (range/step + 1); default 129 (range 4, step 1/32). */
  readonly tableEntries?: number;
  /** GELU: the table entry type; default ap_ufixed<16,-2>. */
  readonly tableType?: FixedType;
  /** GELU: k with step = 2^-k; default 5. */
  readonly stepLog2Inv?: number;
}

/** DSP48E2 slices of a wa × wb multiply (unsigned magnitude bits), best orientation. */
export function mulDsp(wa: number, wb: number): number {
  if (Math.min(wa, wb) <= 4) return 0;
  return Math.min(Math.ceil(wa / 26) * Math.ceil(wb / 17), Math.ceil(wb / 26) * Math.ceil(wa / 17));
}

/** The operator inventory of one unit. */
interface Shape {
  readonly muls: readonly (readonly [number, number])[];
  readonly roms: readonly { readonly entries: number; readonly width: number; readonly ports: 1 | 2 }[];
  /** Bit widths of adders, subtractors and comparators. */
  readonly adders: readonly number[];
  /** [output width, number of shift positions] of each barrel shifter. */
  readonly shifters: readonly (readonly [number, number])[];
  /** Input width of the leading-one detector (0: none). */
  readonly lod: number;
  /** Bits of the registered intermediates. */
  readonly regBits: number;
  readonly latency: number;
}

const ROM_LUT_LIMIT = 4096;
/** BRAM18 aspect ratios, [depth, width]. */
const BRAM18_SHAPES: readonly (readonly [number, number])[] = [
  [512, 36], [1024, 18], [2048, 9], [4096, 4], [8192, 2], [16384, 1],
];

function romCost(entries: number, width: number, ports: number): { bram36: number; lut: number } {
  if (entries * width <= ROM_LUT_LIMIT) return { bram36: 0, lut: ports * width * Math.ceil(entries / 64) };
  let bram18 = Infinity;
  for (const [depth, w] of BRAM18_SHAPES) bram18 = Math.min(bram18, Math.ceil(entries / depth) * Math.ceil(width / w));
  return { bram36: bram18 / 2, lut: 0 };
}

/** Multiply latency: 3 registered DSP stages, +1 when slices are cascaded; 1 for LUT shift-adds. */
function mulLatency(wa: number, wb: number): number {
  const d = mulDsp(wa, wb);
  return d === 0 ? 1 : d === 1 ? 3 : 4;
}

function estimate(s: Shape): MathUnitCost {
  let dsp = 0;
  let lut = s.lod;
  let bram36 = 0;
  for (const [a, b] of s.muls) {
    const d = mulDsp(a, b);
    dsp += d;
    lut += d === 0 ? Math.ceil((a * b) / 2) : (d - 1) * (a + b); // shift-adds, or the adders joining slices
  }
  for (const r of s.roms) {
    const c = romCost(r.entries, r.width, r.ports);
    bram36 += c.bram36;
    lut += c.lut;
  }
  for (const w of s.adders) lut += w;
  for (const [w, n] of s.shifters) lut += w * Math.ceil(Math.log2(Math.max(n, 2)) / 2);
  return { dsp, bram36, lut, ff: s.regBits, latency: s.latency, ii: 1 };
}

const W = (t: FixedType): number => t.W;

function expShape(inT: FixedType, outT: FixedType): Shape {
  // dd keeps at most 32 of the input's fraction bits; HLS trims the constant-zero rest.
  const dBits = Math.min(Math.max(inT.F, 0), T.EXP_D_T.F) + T.EXP_D_T.I;
  const mT: [number, number] = [dBits, W(T.EXP_LOG2E_T)];
  const mLc: [number, number] = [T.EXP_C_BITS, W(T.EXP_LN2_T)];
  const mS: [number, number] = [W(T.EXP_TB_T), W(T.EXP_LC_T)];
  const mE: [number, number] = [W(T.EXP_TA_T), W(T.EXP_S_T)];
  return {
    muls: [mT, mLc, mS, mE],
    roms: [
      { entries: 2 ** T.EXP_A_BITS, width: W(T.EXP_TA_T), ports: 1 },
      { entries: 2 ** T.EXP_B_BITS, width: W(T.EXP_TB_T), ports: 1 },
    ],
    adders: [inT.W, inT.W, W(T.EXP_S_T), W(T.EXP_S_T), W(T.EXP_E_T), outT.W],
    shifters: [[W(T.EXP_E_T), 33]],
    lod: 0,
    regBits: inT.W + W(T.EXP_D_T) + W(T.EXP_T_T) + W(T.EXP_LC_T) + W(T.EXP_TA_T) + W(T.EXP_TB_T) + W(T.EXP_S_T)
      + 2 * W(T.EXP_E_T) + outT.W,
    // convert, d·LOG2E, table read ∥ c·LN2, TB·Lc, add S, TA·S, add E, shift, convert out
    latency: 1 + mulLatency(...mT) + Math.max(2, mulLatency(...mLc)) + mulLatency(...mS) + 1
      + mulLatency(...mE) + 1 + 1 + 1,
  };
}

/** RECIP and RSQRT: normalise, interpolated seed, one Newton step, denormalise. */
function newtonShape(inT: FixedType, outT: FixedType, fn: 'recip' | 'rsqrt'): Shape {
  const r = fn === 'recip';
  const mT = r ? T.RECIP_M_T : T.RSQRT_M_T;
  const tableT = r ? T.RECIP_TABLE_T : T.RSQRT_TABLE_T;
  const dT = r ? T.RECIP_D_T : T.RSQRT_D_T;
  const y0T = r ? T.RECIP_Y0_T : T.RSQRT_Y0_T;
  const hT = r ? T.RECIP_H_T : T.RSQRT_H_T;
  const yT = r ? T.RECIP_Y_T : T.RSQRT_Y_T;
  const entries = r ? 2 ** T.RECIP_INDEX_BITS + 1 : 3 * 2 ** T.RSQRT_INDEX_BITS + 1;
  const uBits = mT.F - (r ? T.RECIP_INDEX_BITS : T.RSQRT_INDEX_BITS);
  const muls: [number, number][] = [[W(dT), uBits], [W(mT), W(y0T)]];
  if (!r) muls.push([W(T.RSQRT_W_T), W(y0T)]); // rsqrt: w = m·y0, then w·y0
  muls.push([W(y0T), W(hT)]);
  const outW = W(yT) + inT.W; // the shifted result before the conversion to OUT
  return {
    muls,
    roms: [{ entries, width: W(tableT), ports: 2 }],
    adders: [inT.W, W(dT), W(y0T), W(hT), W(yT), outT.W],
    shifters: [[W(mT), inT.W], [outW, inT.W]],
    lod: inT.W,
    regBits: inT.W + W(mT) + 2 * W(tableT) + W(dT) + W(y0T) + (r ? 0 : W(T.RSQRT_W_T)) + W(hT) + W(yT)
      + outW + outT.W,
    // leading one, normalise, table read, D; each multiply + its add; denormalise, convert out
    latency: 1 + 1 + 2 + 1 + muls.reduce((s, [a, b]) => s + mulLatency(a, b) + 1, 0) + 1 + 1,
  };
}

function geluShape(inT: FixedType, outT: FixedType, o: MathCostOptions): Shape {
  const entries = o.tableEntries ?? 129;
  const tW = o.tableType?.W ?? 16;
  const fBits = Math.max(inT.F - (o.stepLog2Inv ?? 5), 0);
  const muls: [number, number][] = fBits > 0 ? [[tW + 1, fBits]] : [];
  return {
    muls,
    roms: [{ entries, width: tW, ports: 2 }],
    adders: [inT.W, inT.W, tW + 1, tW + fBits, outT.W, outT.W],
    shifters: [], // the step is a constant: n and f are bit slices (wiring)
    lod: 0,
    regBits: 2 * inT.W + 2 * tW + (tW + 1) + (tW + fBits + 1) + outT.W,
    // |x|, table read, T[n+1] − T[n], multiply, subtract, convert out
    latency: 1 + 2 + 1 + (fBits > 0 ? mulLatency(tW + 1, fBits) : 0) + 1 + 1,
  };
}

/** Estimated cost of one pipelined unit computing `fn` from inT to outT. */
export function mathUnitCost(fn: MathFn, inT: FixedType, outT: FixedType,
  opts: MathCostOptions = {}): MathUnitCost {
  switch (fn) {
    case 'exp': return estimate(expShape(inT, outT));
    case 'recip': return estimate(newtonShape(inT, outT, 'recip'));
    case 'rsqrt': return estimate(newtonShape(inT, outT, 'rsqrt'));
    case 'gelu': return estimate(geluShape(inT, outT, opts));
  }
}
