/**
 * Linear layer and residual add, float64 accumulation over row-major typed arrays.
 *
 * Weights follow the PyTorch `nn.Linear` convention `[out][in]`, so the dot product of an input
 * row with a weight row walks two contiguous arrays. Outputs are computed in 2×2 tiles (two input
 * rows × two output rows) to halve memory loads per multiply-add; every accumulator still sums
 * its products in increasing input index, so the result equals the naive loop
 * `y = (Σ_i x[i]·W[o][i]) + b[o]` bit for bit.
 */

/** Float arrays the kernels read: weights arrive as float32, activations are float64. */
export type Vec = Float32Array | Float64Array;

/**
 * y[r][o] = (Σ_{i<inDim} x[r][i]·w[o][i]) + bias[o] for r < rows, o < outDim.
 * `x` is rows×inDim, `w` outDim×inDim, `bias` outDim (or null), result rows×outDim.
 */
export function linear(
  x: Vec,
  rows: number,
  inDim: number,
  w: Vec,
  bias: Vec | null,
  outDim: number,
  out: Float64Array = new Float64Array(rows * outDim),
): Float64Array {
  if (x.length < rows * inDim || w.length < outDim * inDim || out.length < rows * outDim || (bias && bias.length < outDim)) {
    throw new RangeError(`linear: array too short for ${rows}x${inDim} · [${outDim}][${inDim}]`);
  }
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const x0 = r * inDim;
    const x1 = x0 + inDim;
    const y0 = r * outDim;
    const y1 = y0 + outDim;
    let o = 0;
    for (; o + 1 < outDim; o += 2) {
      const w0 = o * inDim;
      const w1 = w0 + inDim;
      let a00 = 0, a01 = 0, a10 = 0, a11 = 0;
      for (let i = 0; i < inDim; i++) {
        const xa = x[x0 + i]!;
        const xb = x[x1 + i]!;
        const wa = w[w0 + i]!;
        const wb = w[w1 + i]!;
        a00 += xa * wa;
        a01 += xa * wb;
        a10 += xb * wa;
        a11 += xb * wb;
      }
      const b0 = bias ? bias[o]! : 0;
      const b1 = bias ? bias[o + 1]! : 0;
      out[y0 + o] = a00 + b0;
      out[y0 + o + 1] = a01 + b1;
      out[y1 + o] = a10 + b0;
      out[y1 + o + 1] = a11 + b1;
    }
    if (o < outDim) {
      out[y0 + o] = dot(x, x0, w, o * inDim, inDim) + (bias ? bias[o]! : 0);
      out[y1 + o] = dot(x, x1, w, o * inDim, inDim) + (bias ? bias[o]! : 0);
    }
  }
  if (r < rows) {
    const x0 = r * inDim;
    for (let o = 0; o < outDim; o++) out[r * outDim + o] = dot(x, x0, w, o * inDim, inDim) + (bias ? bias[o]! : 0);
  }
  return out;
}

/** Σ_{i<n} a[ia+i]·b[ib+i], summed in increasing i. */
export function dot(a: Vec, ia: number, b: Vec, ib: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[ia + i]! * b[ib + i]!;
  return s;
}

/** x[i] += y[i] for i < n (residual connection). */
export function addInPlace(x: Float64Array, y: Vec, n = x.length): Float64Array {
  for (let i = 0; i < n; i++) x[i]! += y[i]!;
  return x;
}
