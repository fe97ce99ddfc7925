/**
 * Multi-head self-attention core (no projections): from the fused qkv rows
 * `[q (D) | k (D) | v (D)]` per token, head h owning features h·dh … h·dh+dh−1 of each,
 *   s_h[i][j] = scale · Σ_c q[i][h·dh+c]·k[j][h·dh+c],  a_h = softmax_j(s_h),
 *   o[i][h·dh+c] = Σ_j a_h[i][j]·v[j][h·dh+c],
 * with scale = 1/√dh, all tokens attending to all tokens (no mask).
 */
import { softmaxInPlace } from './softmax.js';

export function attention(
  qkv: Float64Array,
  tokens: number,
  dim: number,
  heads: number,
  out: Float64Array = new Float64Array(tokens * dim),
  /** Optional per-head probabilities, heads×tokens×tokens (for tracing / tests). */
  probsOut?: Float64Array,
): Float64Array {
  const dh = dim / heads;
  const stride = 3 * dim;
  const scale = 1 / Math.sqrt(dh);
  const row = new Float64Array(tokens);
  for (let h = 0; h < heads; h++) {
    const qOff = h * dh;
    const kOff = dim + h * dh;
    const vOff = 2 * dim + h * dh;
    for (let i = 0; i < tokens; i++) {
      const qi = i * stride + qOff;
      for (let j = 0; j < tokens; j++) {
        const kj = j * stride + kOff;
        let s = 0;
        for (let c = 0; c < dh; c++) s += qkv[qi + c]! * qkv[kj + c]!;
        row[j] = scale * s;
      }
      softmaxInPlace(row, 0, tokens);
      if (probsOut) probsOut.set(row, (h * tokens + i) * tokens);
      const oi = i * dim + h * dh;
      for (let c = 0; c < dh; c++) out[oi + c] = 0;
      for (let j = 0; j < tokens; j++) {
        const a = row[j]!;
        const vj = j * stride + vOff;
        for (let c = 0; c < dh; c++) out[oi + c]! += a * qkv[vj + c]!;
      }
    }
  }
  return out;
}
