/**
 * Feed-forward networks: the dense MLP W2·GELU(W1·u + b1) + b2 and one expert of a MoE layer
 * (the same shape with the expert's own matrices).
 */
import { geluKindInPlace } from './erf.js';
import { linear, type Vec } from './linear.js';

export interface MlpWeights {
  readonly w1: Vec; // [hidden][dim]
  readonly b1: Vec; // [hidden]
  readonly w2: Vec; // [dim][hidden]
  readonly b2: Vec; // [dim]
}

/**
 * y = W2·GELU(W1·u + b1) + b2 for each of `rows` rows of u (rows×dim). `hiddenOut`, when given
 * (rows×hidden), receives the GELU outputs.
 */
export function mlp(
  u: Vec,
  rows: number,
  dim: number,
  hidden: number,
  w: MlpWeights,
  out: Float64Array = new Float64Array(rows * dim),
  hiddenOut: Float64Array = new Float64Array(rows * hidden),
  gelu: 'erf' | 'tanh' = 'erf',
): Float64Array {
  linear(u, rows, dim, w.w1, w.b1, hidden, hiddenOut);
  geluKindInPlace(gelu, hiddenOut, 0, rows * hidden);
  return linear(hiddenOut, rows, hidden, w.w2, w.b2, dim, out);
}
