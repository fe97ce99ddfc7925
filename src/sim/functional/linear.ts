/**
 * The unified linear unit LIN(x, W, b, act) of docs/datapath.md: one tiled matrix-vector engine
 * for qkv, projection, MLP, experts, the MoE gate and the patch embedding. Per output o and row r:
 *
 *   acc = 0;  for each input tile of TI elements: acc = Q_accum(acc + Σ_tile x·W[o])   (exact Σ)
 *   y   = Q_fm(acc + b[o]);  if GELU: y = GELU(y)
 *
 * Speed: this is ~90% of the MACs of a forward pass. The common case (AP_TRN accumulator with
 * AP_WRAP or AP_SAT, products at least as fine as the accumulator, and a per-call bound proving
 * every tile sum < 2^53) runs as a plain double loop: each tile sum is exact, and because acc is
 * an integer on the accumulator grid, Q_accum(acc·2^s + p) = acc + ⌊p·2^-s⌋ under AP_TRN (s =
 * prodF − accF ≥ 0), followed by the overflow check. Every other case calls `dotTiled`, which is
 * exact for any raws (16-bit splits, then BigInt). Loop order is output-major so one
 * weight row stays in L1 while the (small) token block streams past it.
 */
import { dotTiled } from '../../fixed/kernels.js';
import { quantize, wrap } from '../../fixed/quantize.js';
import { rawRange, type FixedType } from '../../fixed/type.js';
import type { FixedContext } from './context.js';
import { addQ, Quantizer, TWO53 } from './exact.js';

/** One linear layer's weights in raw form (a slice of a QTensor for experts). */
export interface LinearLayer {
  /** Raw weights, row-major [N][K] starting at wOff. */
  readonly w: Float64Array;
  readonly wOff: number;
  readonly wF: number;
  /** max |w| over the slice (or a bound on it). */
  readonly wMaxAbs: number;
  readonly N: number;
  readonly K: number;
  /** Raw bias [N] at bOff, or null (gate). */
  readonly b: Float64Array | null;
  readonly bOff: number;
  readonly bF: number;
}

export function maxAbsOf(a: Float64Array, n = a.length, off = 0): number {
  let m = 0;
  for (let i = off; i < off + n; i++) {
    const v = a[i]!;
    const av = v < 0 ? -v : v;
    if (av > m) m = av;
  }
  return m;
}

/** Accumulation strategy of a tiled dot, decided once per call from types and value bounds. */
export interface TiledDotPlan {
  /** true: the inline AP_TRN loop; false: dotTiled (exact for any raws, slower). */
  readonly fast: boolean;
  readonly down: number;
  readonly aMin: number;
  readonly aMax: number;
  readonly sat: boolean;
}

/**
 * Choose the accumulation strategy for tiles of `tile` products of raws bounded by xMax, wMax.
 * The fast loop needs: AP_TRN accumulator with plain AP_WRAP or AP_SAT, prodF ≥ accF, tile sums
 * < 2^53 and acc + ⌊p·2^-s⌋ < 2^53.
 */
export function planTiledDot(accT: FixedType, prodF: number, tile: number, xMax: number, wMax: number): TiledDotPlan {
  const { min, max } = rawRange(accT);
  const s = prodF - accT.F;
  const pMax = tile * xMax * wMax;
  const modeOk = accT.q === 'AP_TRN' && ((accT.o === 'AP_WRAP' && accT.n === 0) || accT.o === 'AP_SAT');
  const fast = modeOk && s >= 0 && pMax < TWO53 && Math.max(-min, max) + pMax * 2 ** -s < TWO53;
  return { fast, down: 2 ** -s, aMin: min, aMax: max, sat: accT.o === 'AP_SAT' };
}

/**
 * Fast accumulation (plan.fast) of acc[r][o] for all rows and outputs into out (rows × N), in
 * 2 rows × 2 outputs register blocks so each loaded x and w feeds two products. Every tile sum
 * is exact by the plan's bound, so the order inside a tile is free.
 */
function accumulateFast(plan: TiledDotPlan, accT: FixedType, x: Float64Array, rows: number, w: Float64Array,
  wOff: number, N: number, K: number, tile: number, out: Float64Array): void {
  const { down, aMin, aMax, sat } = plan;
  const fix = (v: number): number => (sat ? (v > aMax ? aMax : aMin) : wrap(v, accT));
  let o = 0;
  for (; o + 1 < N; o += 2) {
    const w0 = wOff + o * K;
    const w1 = w0 + K;
    let r = 0;
    for (; r + 1 < rows; r += 2) {
      const x0 = r * K;
      const x1 = x0 + K;
      let a00 = 0, a01 = 0, a10 = 0, a11 = 0;
      for (let k0 = 0; k0 < K; k0 += tile) {
        let p00 = 0, p01 = 0, p10 = 0, p11 = 0;
        for (let i = k0, end = k0 + tile; i < end; i++) {
          const xa = x[x0 + i]!;
          const xb = x[x1 + i]!;
          const wa = w[w0 + i]!;
          const wb = w[w1 + i]!;
          p00 += xa * wa;
          p01 += xa * wb;
          p10 += xb * wa;
          p11 += xb * wb;
        }
        a00 += Math.floor(p00 * down);
        a01 += Math.floor(p01 * down);
        a10 += Math.floor(p10 * down);
        a11 += Math.floor(p11 * down);
        if (a00 > aMax || a00 < aMin) a00 = fix(a00);
        if (a01 > aMax || a01 < aMin) a01 = fix(a01);
        if (a10 > aMax || a10 < aMin) a10 = fix(a10);
        if (a11 > aMax || a11 < aMin) a11 = fix(a11);
      }
      out[r * N + o] = a00;
      out[r * N + o + 1] = a01;
      out[(r + 1) * N + o] = a10;
      out[(r + 1) * N + o + 1] = a11;
    }
    if (r < rows) {
      out[r * N + o] = dotFast(plan, accT, x, r * K, w, w0, K, tile);
      out[r * N + o + 1] = dotFast(plan, accT, x, r * K, w, w1, K, tile);
    }
  }
  if (o < N) for (let r = 0; r < rows; r++) out[r * N + o] = dotFast(plan, accT, x, r * K, w, wOff + o * K, K, tile);
}

/** One output of the fast accumulation (block remainders). */
function dotFast(plan: TiledDotPlan, accT: FixedType, x: Float64Array, xo: number, w: Float64Array, wo: number,
  K: number, tile: number): number {
  const { down, aMin, aMax, sat } = plan;
  let acc = 0;
  for (let k0 = 0; k0 < K; k0 += tile) {
    let p = 0;
    for (let i = k0, end = k0 + tile; i < end; i++) p += x[xo + i]! * w[wo + i]!;
    acc += Math.floor(p * down);
    if (acc > aMax || acc < aMin) acc = sat ? (acc > aMax ? aMax : aMin) : wrap(acc, accT);
  }
  return acc;
}

/**
 * y[r][o] = LIN(x[r], W, b, act) for `rows` input rows of width K (row-major, raws of F = xF).
 * `out` (rows × N) receives fm raws; it first holds the accumulators, then the outputs. No
 * per-element or per-row allocation.
 */
export function linearUnit(ctx: FixedContext, L: LinearLayer, x: Float64Array, xF: number, rows: number,
  gelu: boolean, out: Float64Array): void {
  const { K, N, w, wOff, b, bOff, bF } = L;
  const tile = ctx.design.linear.tileIn;
  const accT = ctx.T.accum;
  const fmT = ctx.T.fm;
  const accF = accT.F;
  const prodF = xF + L.wF;
  const plan = planTiledDot(accT, prodF, tile, maxAbsOf(x, rows * K), L.wMaxAbs);
  if (plan.fast) {
    accumulateFast(plan, accT, x, rows, w, wOff, N, K, tile, out);
  } else {
    for (let o = 0; o < N; o++) {
      for (let r = 0; r < rows; r++) out[r * N + o] = dotTiled(x, r * K, w, wOff + o * K, K, tile, prodF, accT);
    }
  }
  // y = Q_fm(acc + b): on the common grid c the sum is exact in a double when the type bounds allow.
  const c = b && bF > accF ? bF : accF;
  const sa = 2 ** (c - accF);
  const sb = 2 ** (c - bF);
  const bMax = b ? maxAbsOf(b, N, bOff) : 0;
  const aBound = Math.max(-plan.aMin, plan.aMax);
  const exactSum = aBound * sa + bMax * sb < TWO53;
  const toFm = new Quantizer(c, fmT);
  const math = ctx.math;
  for (let r = 0; r < rows; r++) {
    for (let o = 0, i = r * N; o < N; o++, i++) {
      let y: number;
      if (exactSum) y = toFm.q(out[i]! * sa + (b ? b[bOff + o]! * sb : 0));
      else y = b ? addQ(out[i]!, accF, b[bOff + o]!, bF, fmT) : quantize(out[i]!, accF, fmT);
      if (gelu) y = math.gelu(y);
      out[i] = y;
    }
  }
}
