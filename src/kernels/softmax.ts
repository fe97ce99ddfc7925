/**
 * Softmax of data[offset .. offset+n) in place. The maximum is subtracted first (exact in
 * float64 and mathematically neutral) so that exp never overflows.
 */
export function softmaxInPlace(data: Float64Array, offset: number, n: number): void {
  let max = -Infinity;
  for (let j = offset, end = offset + n; j < end; j++) if (data[j]! > max) max = data[j]!;
  let sum = 0;
  for (let j = offset, end = offset + n; j < end; j++) {
    const e = Math.exp(data[j]! - max);
    data[j] = e;
    sum += e;
  }
  for (let j = offset, end = offset + n; j < end; j++) data[j] = data[j]! / sum;
}

/** Row-wise softmax of a rows×cols matrix in place. */
export function softmaxRows(data: Float64Array, rows: number, cols: number): Float64Array {
  for (let r = 0; r < rows; r++) softmaxInPlace(data, r * cols, cols);
  return data;
}
