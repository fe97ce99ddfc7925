/**
 * LayerNorm over the last dimension, biased variance, two passes (mean, then centred squares)
 * so that a large common offset does not cancel the variance away:
 *   LN(v)[d] = (v[d] − μ) / sqrt(σ² + eps) · γ[d] + β[d].
 */
import type { Vec } from './linear.js';

export function layerNorm(
  x: Vec,
  rows: number,
  dim: number,
  gamma: Vec,
  beta: Vec,
  eps: number,
  out: Float64Array = new Float64Array(rows * dim),
): Float64Array {
  for (let r = 0; r < rows; r++) {
    const base = r * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[base + d]!;
    const mean = s / dim;
    let s2 = 0;
    for (let d = 0; d < dim; d++) {
      const c = x[base + d]! - mean;
      s2 += c * c;
    }
    const inv = 1 / Math.sqrt(s2 / dim + eps);
    for (let d = 0; d < dim; d++) out[base + d] = (x[base + d]! - mean) * inv * gamma[d]! + beta[d]!;
  }
  return out;
}
