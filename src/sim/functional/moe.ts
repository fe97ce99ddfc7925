/**
 * MoE router and experts, docs/datapath.md MOE(u): gate logits from the linear unit (no bias),
 * single-pass softmax over the experts (same unit and types as attention), top-k by insertion
 * (ties keep the lower index), per-expert token queues — each expert's weights are loaded once
 * and applied to all its queued tokens (patch reordering) — and the weighted accumulation
 * out[t] = Q_fm(out[t] + Q_fm(p·y)) in expert-index order.
 */
import type { FixedContext } from './context.js';
import { mulQ, Quantizer, TWO53 } from './exact.js';
import { linearUnit, type LinearLayer } from './linear.js';
import { softmaxStats, type FixedSoftmax } from './softmax.js';
import type { QuantizedWeights } from './weights.js';

export interface MoeRouting {
  /** tokens × E gate logits (fm raws). */
  readonly logits: Float64Array;
  /** tokens × k expert indices, rank order. */
  readonly top: Int32Array;
  /** tokens × k probabilities (fm raws) of the selected experts. */
  readonly probs: Float64Array;
  /** Tokens routed to each expert. */
  readonly counts: number[];
}

/**
 * Top-k of g[off..off+E) by insertion: experts visited in increasing index, kept sorted by logit
 * (descending); an expert enters a full list only if its logit is strictly larger than the last
 * entry's, and it is placed after every entry with a logit ≥ its own, so ties keep the lower index.
 */
export function topKInsert(g: Float64Array, off: number, E: number, k: number, top: Int32Array, topOff: number): void {
  let cnt = 0;
  for (let e = 0; e < E; e++) {
    const v = g[off + e]!;
    let pos: number;
    if (cnt < k) pos = cnt++;
    else if (v > g[off + top[topOff + k - 1]!]!) pos = k - 1;
    else continue;
    while (pos > 0 && g[off + top[topOff + pos - 1]!]! < v) {
      top[topOff + pos] = top[topOff + pos - 1]!;
      pos--;
    }
    top[topOff + pos] = e;
  }
}

/** out = MOE(u) for all tokens of block `block` (u, out: tokens × D fm raws). */
export function moeUnit(ctx: FixedContext, qw: QuantizedWeights, block: number, u: Float64Array, out: Float64Array,
  softmax: FixedSoftmax): MoeRouting {
  const spec = ctx.model.blocks[block]!;
  if (spec.kind !== 'moe') throw new Error(`block ${block} is not an MoE block`);
  const { experts: E, topK: k, hidden: Hd } = spec;
  const N = ctx.dims.tokens;
  const D = ctx.model.dim;
  const fmT = ctx.T.fm;
  const fmF = fmT.F;
  const pre = `l${block}_`;

  // Gate logits and router.
  const gate = qw.get(`${pre}w_gate_T_task${ctx.design.moe.task}`);
  const gateLayer: LinearLayer = {
    w: gate.raw, wOff: 0, wF: gate.type.F, wMaxAbs: gate.maxAbs, N: E, K: D, b: null, bOff: 0, bF: 0,
  };
  const logits = new Float64Array(N * E);
  linearUnit(ctx, gateLayer, u, fmF, N, false, logits);
  const top = new Int32Array(N * k);
  const probs = new Float64Array(N * k);
  const stats = new Float64Array(2);
  const counts = new Array<number>(E).fill(0);
  for (let t = 0; t < N; t++) {
    softmaxStats(logits, t * E, 1, E, softmax, stats);
    topKInsert(logits, t * E, E, k, top, t * k);
    for (let r = 0; r < k; r++) {
      const e = top[t * k + r]!;
      probs[t * k + r] = softmax.prob(softmax.expDiff(logits[t * E + e]!, stats[0]!), stats[1]!);
      counts[e]!++;
    }
  }

  // Per-expert queues: tokens in ascending order, with the rank at which they chose the expert.
  const qTok = new Int32Array(N * k);
  const qRank = new Int32Array(N * k);
  const qStart = new Int32Array(E + 1);
  for (let e = 0; e < E; e++) qStart[e + 1] = qStart[e]! + counts[e]!;
  const fillPos = qStart.slice(0, E);
  for (let t = 0; t < N; t++) {
    for (let r = 0; r < k; r++) {
      const e = top[t * k + r]!;
      const p = fillPos[e]!++;
      qTok[p] = t;
      qRank[p] = r;
    }
  }

  const A = qw.get(`${pre}htoh4_weight`);
  const a = qw.get(`${pre}htoh4_bias`);
  const Bw = qw.get(`${pre}h4toh_weight`);
  const c = qw.get(`${pre}h4toh_bias`);
  const maxQ = Math.max(0, ...counts);
  const xin = new Float64Array(maxQ * D);
  const hid = new Float64Array(maxQ * Hd);
  const y = new Float64Array(maxQ * D);
  out.fill(0, 0, N * D);
  const qProd = new Quantizer(2 * fmF, fmT);
  const qSum = new Quantizer(fmF, fmT);
  for (let e = 0; e < E; e++) {
    const n = counts[e]!;
    if (n === 0) continue;
    const q0 = qStart[e]!;
    for (let qi = 0; qi < n; qi++) {
      const src = qTok[q0 + qi]! * D;
      for (let d = 0; d < D; d++) xin[qi * D + d] = u[src + d]!;
    }
    const l1: LinearLayer = {
      w: A.raw, wOff: e * Hd * D, wF: A.type.F, wMaxAbs: A.maxAbs, N: Hd, K: D, b: a.raw, bOff: e * Hd, bF: a.type.F,
    };
    const l2: LinearLayer = {
      w: Bw.raw, wOff: e * D * Hd, wF: Bw.type.F, wMaxAbs: Bw.maxAbs, N: D, K: Hd, b: c.raw, bOff: e * D, bF: c.type.F,
    };
    linearUnit(ctx, l1, xin, fmF, n, true, hid);
    linearUnit(ctx, l2, hid, fmF, n, false, y);
    for (let qi = 0; qi < n; qi++) {
      const t = qTok[q0 + qi]!;
      const p = probs[t * k + qRank[q0 + qi]!]!;
      const o = t * D;
      for (let d = 0; d < D; d++) {
        const py = p * y[qi * D + d]!;
        const w = Math.abs(py) < TWO53 ? qProd.q(py) : mulQ(p, fmF, y[qi * D + d]!, fmF, fmT);
        out[o + d] = qSum.q(out[o + d]! + w); // two fm raws: exact sum, Q_fm only overflows
      }
    }
  }
  return { logits, top, probs, counts };
}
