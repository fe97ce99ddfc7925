/**
 * Hot loops of the bit-accurate simulator, allocation-free and exact.
 *
 * dotTiled is the unified linear unit's and the attention engine's inner product: an exact
 * (full-precision) sum per input tile, accumulated into the `acc` type with Q_acc after each tile
 * (docs/datapath.md). Raws arrive as integer-valued doubles; the plain double loop is used whenever
 * the tile's Σ|x·w| stays below 2^53 (then every product and partial sum is an exact integer),
 * otherwise the tile is recomputed with w split into 16-bit halves, and only values beyond even
 * that go to BigInt. docs/fixed-point.md, "Fast path".
 */
import { overflowByMode, rawMax, rawMin, wrap } from './overflow.js';
import { quantCode, roundIncrementCmp } from './rounding.js';
import { pow2, TWO53 } from './pow2.js';
import { quantizeSum } from './quantize.js';
import { quantizeBig } from './bigfixed.js';
import type { FixedType } from './type.js';

const INV16 = 1 / 65536;

/**
 * acc = 0; for each tile of `tile` elements: p = Σ x[xOff+i]·w[wOff+i] exactly; acc = Q_acc(acc + p).
 * All values are raw integers; prodF = xF + wF is the fractional bit count of p. Returns acc's raw.
 * A last partial tile (K not a multiple of tile) is summed the same way. Exact for any raws with
 * |x|, |w| < 2^32, and for larger raws through the BigInt fallback.
 */
export function dotTiled(
  x: Float64Array, xOff: number, w: Float64Array, wOff: number, K: number,
  tile: number, prodF: number, acc: FixedType,
): number {
  const d = prodF - acc.F;
  const inv = pow2(-d); // p·inv is the tile sum on acc's grid (exact: a power-of-two scaling)
  const min = rawMin(acc);
  const max = rawMax(acc);
  const qc = quantCode(acc.q);
  // 1: plain wrap, 2: saturate, 0: anything else (AP_SAT_SYM also rewrites in-range values)
  const ov = acc.o === 'AP_WRAP' && acc.n === 0 ? 1 : acc.o === 'AP_SAT' ? 2 : 0;
  const step = tile > 0 ? tile : K;
  const xEnd = xOff + K;
  let a = 0;
  for (let i = xOff, j = wOff; i < xEnd; ) {
    const iEnd = i + step < xEnd ? i + step : xEnd;
    const i0 = i;
    const j0 = j;
    // Two independent chains: every partial sum is an exact integer while Σ|x·w| < 2^53, so
    // the order of the additions does not matter (unlike a float dot product).
    let p0 = 0;
    let p1 = 0;
    let m0 = 0;
    let m1 = 0;
    for (; i + 1 < iEnd; i += 2, j += 2) {
      const q0 = x[i]! * w[j]!;
      const q1 = x[i + 1]! * w[j + 1]!;
      p0 += q0;
      p1 += q1;
      m0 += Math.abs(q0);
      m1 += Math.abs(q1);
    }
    if (i < iEnd) {
      const q0 = x[i]! * w[j]!;
      p0 += q0;
      m0 += Math.abs(q0);
      i++;
      j++;
    }
    if (m0 + m1 >= TWO53) {
      a = splitTile(x, i0, w, j0, iEnd - i0, a, prodF, acc);
      continue;
    }
    // a is an integer on acc's grid, so Q(a + y) = a + ⌊y⌋ (+1 per the rounding rule on y's
    // fraction): the slow floor/round work does not wait for the previous tile's a.
    const y = (p0 + p1) * inv;
    const fy = Math.floor(y);
    let r = a + fy;
    if (!(r < TWO53 && r > -TWO53)) {
      a = quantizeSum(a, y, acc); // exact for any size; only for huge accumulators
      continue;
    }
    const fl = r;
    if (qc !== 0 && fy !== y) {
      const mid = fy + 0.5; // the fraction of a + y is that of y; sign and parity are fl's
      r += roundIncrementCmp(qc, y > mid ? 1 : y < mid ? -1 : 0, fl);
    }
    if (r >= min && r <= max && ov !== 0) a = r;
    else if (ov === 1) a = wrap(r, acc);
    else if (ov === 2) a = r > max ? max : min;
    else a = overflowByMode(r, acc, r < 0, fl);
  }
  return a;
}

/** One tile whose products are too large for a plain double sum; returns Q_acc(a + Σ x·w). */
function splitTile(
  x: Float64Array, xo: number, w: Float64Array, wo: number, n: number,
  a: number, prodF: number, acc: FixedType,
): number {
  // x·w = x·wh·2^16 + x·wl with wl in [0, 2^16): each partial product < 2^48 for 32-bit raws.
  let sh = 0;
  let sl = 0;
  let ah = 0;
  let al = 0;
  for (let i = 0; i < n; i++) {
    const xv = x[xo + i]!;
    const wv = w[wo + i]!;
    const wh = Math.floor(wv * INV16);
    const wl = wv - wh * 65536;
    const ph = xv * wh;
    const pl = xv * wl;
    sh += ph;
    sl += pl;
    ah += Math.abs(ph);
    al += Math.abs(pl);
  }
  const d = prodF - acc.F;
  if (ah < TWO53 && al < TWO53 && Math.abs(d) < 900) {
    // On acc's grid the value is a + sh·2^(16−d) + sl·2^(−d): fold the integer a into one part
    // if that sum is exact (TwoSum error zero), then resolve the exact pair.
    const hs = sh * pow2(16 - d);
    const ls = sl * pow2(-d);
    const s1 = a + hs;
    if (twoSumErr(a, hs, s1) === 0) return quantizeSum(s1, ls, acc);
    const s2 = a + ls;
    if (twoSumErr(a, ls, s2) === 0) return quantizeSum(hs, s2, acc);
  }
  let sum = 0n;
  for (let i = 0; i < n; i++) sum += BigInt(x[xo + i]!) * BigInt(w[wo + i]!);
  const G = Math.max(prodF, acc.F);
  const total = (BigInt(a) << BigInt(G - acc.F)) + (sum << BigInt(G - prodF));
  return Number(quantizeBig(total, G, acc));
}

function twoSumErr(a: number, b: number, s: number): number {
  const bv = s - a;
  return (a - (s - bv)) + (b - bv);
}
