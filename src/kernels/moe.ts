/**
 * Mixture-of-experts feed-forward (M3ViT / Edge-MoE convention):
 *   g = G·u (no bias, no noise), p = softmax(g) over ALL experts,
 *   top-k experts by logit (ties: lower index wins), and
 *   ffn(u) = Σ_{r<k} p[e_r]·(B_e·GELU(A_e·u + a_e) + c_e)   (weights NOT renormalised; they
 *   scale the expert bias c_e too), summed in rank order.
 * Experts run only on the tokens routed to them, batched per expert as the hardware does.
 */
import { linear, type Vec } from './linear.js';
import { mlp } from './mlp.js';
import { softmaxInPlace } from './softmax.js';

/**
 * Indices of the k largest of values[offset .. offset+n), largest first, written to
 * out[outOffset .. outOffset+k). Ties go to the lower index: a later value displaces an earlier
 * one only if strictly larger. NaN never wins.
 */
export function topK(values: Vec, offset: number, n: number, k: number, out: Int32Array, outOffset = 0): void {
  if (k > n) throw new RangeError(`topK: k=${k} exceeds n=${n}`);
  for (let r = 0; r < k; r++) {
    let best = -1;
    for (let e = 0; e < n; e++) {
      let taken = false;
      for (let q = 0; q < r; q++) if (out[outOffset + q] === e) taken = true;
      if (taken) continue;
      if (best < 0 || values[offset + e]! > values[offset + best]!) best = e;
    }
    out[outOffset + r] = best;
  }
}

export interface GateResult {
  /** tokens×experts gate logits. */
  readonly logits: Float64Array;
  /** tokens×experts softmax probabilities. */
  readonly probs: Float64Array;
  /** tokens×k selected experts, rank order. */
  readonly top: Int32Array;
  /** tokens×k probabilities of the selected experts (not renormalised). */
  readonly weights: Float64Array;
}

/** Gate of one MoE layer: logits, softmax over all experts, top-k. `gate` is [experts][dim]. */
export function moeGate(u: Vec, tokens: number, dim: number, gate: Vec, experts: number, k: number): GateResult {
  const logits = linear(u, tokens, dim, gate, null, experts);
  const probs = logits.slice();
  const top = new Int32Array(tokens * k);
  const weights = new Float64Array(tokens * k);
  for (let t = 0; t < tokens; t++) {
    softmaxInPlace(probs, t * experts, experts);
    topK(logits, t * experts, experts, k, top, t * k);
    for (let r = 0; r < k; r++) weights[t * k + r] = probs[t * experts + top[t * k + r]!]!;
  }
  return { logits, probs, top, weights };
}

export interface ExpertWeights {
  /** [experts][hidden][dim] */ readonly w1: Vec;
  /** [experts][hidden] */ readonly b1: Vec;
  /** [experts][dim][hidden] */ readonly w2: Vec;
  /** [experts][dim] */ readonly b2: Vec;
}

/**
 * ffn[t] = Σ_r weights[t][r] · expert_{top[t][r]}(u[t]) for every token, experts applied to the
 * gathered tokens routed to them. Returns tokens×dim.
 */
export function moeExperts(
  u: Vec,
  tokens: number,
  dim: number,
  hidden: number,
  experts: number,
  k: number,
  top: Int32Array,
  weights: Float64Array,
  w: ExpertWeights,
  out: Float64Array = new Float64Array(tokens * dim),
): Float64Array {
  // y[t][r] = expert output for token t's rank-r expert, filled expert by expert.
  const y = new Float64Array(tokens * k * dim);
  const slots = new Int32Array(tokens * k);
  const gathered = new Float64Array(tokens * dim);
  const result = new Float64Array(tokens * dim);
  const hiddenBuf = new Float64Array(tokens * hidden);
  for (let e = 0; e < experts; e++) {
    let count = 0;
    for (let s = 0; s < tokens * k; s++) {
      if (top[s] !== e) continue;
      const t = (s / k) | 0;
      for (let d = 0; d < dim; d++) gathered[count * dim + d] = u[t * dim + d]!;
      slots[count++] = s;
    }
    if (count === 0) continue;
    const ew = {
      w1: w.w1.subarray(e * hidden * dim, (e + 1) * hidden * dim),
      b1: w.b1.subarray(e * hidden, (e + 1) * hidden),
      w2: w.w2.subarray(e * dim * hidden, (e + 1) * dim * hidden),
      b2: w.b2.subarray(e * dim, (e + 1) * dim),
    };
    mlp(gathered, count, dim, hidden, ew, result, hiddenBuf);
    for (let c = 0; c < count; c++) y.set(result.subarray(c * dim, (c + 1) * dim), slots[c]! * dim);
  }
  for (let t = 0; t < tokens; t++) {
    for (let d = 0; d < dim; d++) {
      let acc = 0;
      for (let r = 0; r < k; r++) acc += weights[t * k + r]! * y[(t * k + r) * dim + d]!;
      out[t * dim + d] = acc;
    }
  }
  return out;
}
