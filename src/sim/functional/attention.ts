/**
 * Attention with reordering (Edge-MoE), docs/datapath.md ATTN(q, k, v). Per head, P =
 * attention.parallel query rows are processed together: the K rows stream past once (scores
 * Q_fm(Q_accum-tiled q·k · SCALE), single-pass softmax statistics per row), then the V rows
 * stream past once (probability formed at use, Q_accum(acc + a·v) per key in key order). The
 * bandwidth per query block is the same whatever P is; P never changes a value because query
 * rows are independent — the block loop is kept to mirror the hardware schedule.
 */
import { dotTiled } from '../../fixed/kernels.js';
import { quantize, wrap } from '../../fixed/quantize.js';
import { rawRange } from '../../fixed/type.js';
import type { FixedContext } from './context.js';
import { macQ, mulQ, Quantizer, TWO53 } from './exact.js';
import { maxAbsOf } from './linear.js';
import { FixedSoftmax, softmaxStats } from './softmax.js';

/** Scratch buffers of the attention unit, sized for one model (reused across blocks). */
export interface AttentionScratch {
  readonly scores: Float64Array; // P × N
  readonly acc: Float64Array; // P × dh
  readonly stats: Float64Array; // 2
  readonly probs: Float64Array; // P × N: probabilities of the query block
  readonly rowMode: Int8Array; // P: accumulation mode of each query row
  readonly mRow: Float64Array; // P: running max m of each query row of the block
  readonly rRow: Float64Array; // P: reciprocal R of each query row of the block
  readonly memoE: Float64Array; // P × N: EXP values of the statistics pass
  readonly memoM: Float64Array; // P × N: the running max each was taken against
  readonly rowMax: Float64Array; // N: max |q| of the current head, per token
  readonly kMax: Float64Array; // N: max |k| of the current head, per token
}

export function attentionScratch(ctx: FixedContext): AttentionScratch {
  const N = ctx.dims.tokens;
  const P = ctx.design.attention.parallel;
  return {
    scores: new Float64Array(P * N), acc: new Float64Array(P * ctx.dims.headDim), stats: new Float64Array(2),
    probs: new Float64Array(P * N), rowMode: new Int8Array(P), mRow: new Float64Array(P), rRow: new Float64Array(P),
    memoE: new Float64Array(P * N), memoM: new Float64Array(P * N), rowMax: new Float64Array(N), kMax: new Float64Array(N),
  };
}

/**
 * o = ATTN(q, k, v) for `qkv` = tokens × 3D fm raws (columns: q | k | v, head h owning features
 * h·dh … h·dh+dh−1 of each). Writes tokens × D fm raws to `out`.
 */
export function attentionUnit(ctx: FixedContext, qkv: Float64Array, out: Float64Array, sc: AttentionScratch,
  softmax: FixedSoftmax): void {
  const N = ctx.dims.tokens;
  const D = ctx.model.dim;
  const dh = ctx.dims.headDim;
  const H = ctx.model.heads;
  const P = ctx.design.attention.parallel;
  const B = ctx.design.attention.dotTile;
  const fmT = ctx.T.fm;
  const accT = ctx.T.accum;
  const fmF = fmT.F;
  const accF = accT.F;
  const prodF = 2 * fmF;
  const stride = 3 * D;
  const { scores, acc, stats, probs, rowMode, memoE, memoM, mRow, rRow, rowMax, kMax } = sc;
  const { min: aMin, max: aMax } = rawRange(accT);
  // Fast paths (same argument as the linear unit: AP_TRN, acc + ⌊p·2^-s⌋, everything < 2^53),
  // decided per (query, key) pair for the scores and per query row for ·V, from the actual
  // magnitudes; otherwise dotTiled / macQ, which are exact for any raws.
  const s = prodF - accF;
  const down = 2 ** -s;
  const accAbsMax = Math.max(-aMin, aMax);
  const scale = ctx.scale;
  const qScore = new Quantizer(accF + fmF, fmT);
  const dotModeOk = accT.q === 'AP_TRN' && ((accT.o === 'AP_WRAP' && accT.n === 0) || accT.o === 'AP_SAT');
  const sat = accT.o === 'AP_SAT';

  for (let h = 0; h < H; h++) {
    const qc = h * dh;
    const kc = D + h * dh;
    const vc = 2 * D + h * dh;
    for (let t = 0; t < N; t++) {
      rowMax[t] = maxAbsOf(qkv, dh, t * stride + qc);
      kMax[t] = maxAbsOf(qkv, dh, t * stride + kc);
    }
    let vMax = 0;
    for (let t = 0; t < N; t++) vMax = Math.max(vMax, maxAbsOf(qkv, dh, t * stride + vc));

    for (let i0 = 0; i0 < N; i0 += P) {
      const nb = Math.min(P, N - i0);
      // Pass 1: stream K rows; scores of the nb query rows against key j.
      for (let j = 0; j < N; j++) {
        for (let ii = 0; ii < nb; ii++) {
          const i = i0 + ii;
          const qo = i * stride + qc;
          const ko = j * stride + kc;
          const pMax = B * rowMax[i]! * kMax[j]!;
          let sRaw: number;
          if (dotModeOk && s >= 0 && pMax < TWO53 && accAbsMax + pMax * down < TWO53) {
            sRaw = 0;
            for (let c0 = 0; c0 < dh; c0 += B) {
              let p = 0;
              for (let c = c0; c < c0 + B; c++) p += qkv[qo + c]! * qkv[ko + c]!;
              sRaw += Math.floor(p * down);
              if (sRaw > aMax || sRaw < aMin) sRaw = sat ? (sRaw > aMax ? aMax : aMin) : wrap(sRaw, accT);
            }
          } else {
            sRaw = dotTiled(qkv, qo, qkv, ko, dh, B, prodF, accT);
          }
          const sc = sRaw * scale;
          scores[ii * N + j] = Math.abs(sc) < TWO53 ? qScore.q(sc) : mulQ(sRaw, accF, scale, fmF, fmT);
        }
      }
      // Softmax statistics of each row (the hardware updates them as the K rows stream by;
      // visiting the stored scores in the same key order gives the same values).
      for (let ii = 0; ii < nb; ii++) {
        softmaxStats(scores, ii * N, 1, N, softmax, stats, memoE, memoM, ii * N);
        mRow[ii] = stats[0]!;
        rRow[ii] = stats[1]!;
      }
      // Pass 2: stream V rows. Probabilities of the block, formed at use (EXP memoised from the statistics pass when the
      // running maximum was already final), and per row the mode of the ·V accumulation:
      // 2 = no overflow possible (|acc| ≤ Σ_j|a_j|·max|v|·2^-s + N), 1 = exact with range checks,
      // 0 = general exact path.
      for (let ii = 0; ii < nb; ii++) {
        const mi = mRow[ii]!;
        const ri = rRow[ii]!;
        let sumAbs = 0;
        let maxA = 0;
        for (let j = 0, k = ii * N; j < N; j++, k++) {
          const e = memoM[k] === mi ? memoE[k]! : softmax.expDiff(scores[k]!, mi);
          const a = softmax.prob(e, ri);
          probs[k] = a;
          const aa = a < 0 ? -a : a;
          sumAbs += aa;
          if (aa > maxA) maxA = aa;
        }
        const exact = dotModeOk && s >= 0 && maxA * vMax < TWO53 && accAbsMax + maxA * vMax * down < TWO53;
        rowMode[ii] = !exact ? 0 : sumAbs * vMax * down + N < aMax ? 2 : 1;
      }
      acc.fill(0, 0, nb * dh);
      for (let j = 0; j < N; j++) {
        const vo = j * stride + vc;
        for (let ii = 0; ii < nb; ii++) {
          const a = probs[ii * N + j]!;
          const ao = ii * dh;
          const mode = rowMode[ii];
          if (mode === 2) {
            for (let c = 0; c < dh; c++) acc[ao + c] += Math.floor(a * qkv[vo + c]! * down);
          } else if (mode === 1) {
            for (let c = 0; c < dh; c++) {
              let v = acc[ao + c]! + Math.floor(a * qkv[vo + c]! * down);
              if (v > aMax || v < aMin) v = sat ? (v > aMax ? aMax : aMin) : wrap(v, accT);
              acc[ao + c] = v;
            }
          } else {
            for (let c = 0; c < dh; c++) acc[ao + c] = macQ(acc[ao + c]!, accF, a, fmF, qkv[vo + c]!, fmF, accT);
          }
        }
      }
      for (let ii = 0; ii < nb; ii++) {
        const oo = (i0 + ii) * D + qc;
        for (let c = 0; c < dh; c++) out[oo + c] = quantize(acc[ii * dh + c]!, accF, fmT);
      }
    }
  }
}
