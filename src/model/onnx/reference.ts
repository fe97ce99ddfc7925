/**
 * The functions the importer checks graph regions against, written out here (rather than taken
 * from src/kernels, which sits above src/model in the layering): multi-head attention on fused
 * [q | k | v] rows and the two GELU forms, in float64. They only need to be accurate to well below
 * the importer’s 1e-6 acceptance threshold; erf here is good to 1e-13 (absolute).
 */

/** erf: Taylor series below 3 (terms stay < 200, so cancellation costs < 3 digits), else 1 − erfc by continued fraction. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  let r: number;
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 80 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else if (a < 27) {
    // erfc(a) = e^{−a²}/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + …)))), evaluated bottom-up.
    let f = a;
    for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
    r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  } else r = 1;
  return x < 0 ? -r : r;
}

export function geluErf(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}

/** softmax(q·kᵀ/√dh)·v per head; qkv is tokens × 3D, head h owns features h·dh … of q, k and v. */
export function attentionRef(qkv: Float64Array, N: number, D: number, H: number): Float64Array {
  const dh = D / H;
  const out = new Float64Array(N * D);
  const s = new Float64Array(N);
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < N; i++) {
      let m = -Infinity;
      for (let j = 0; j < N; j++) {
        let d = 0;
        for (let c = 0; c < dh; c++) d += qkv[i * 3 * D + h * dh + c]! * qkv[j * 3 * D + D + h * dh + c]!;
        s[j] = d / Math.sqrt(dh);
        m = Math.max(m, s[j]!);
      }
      let z = 0;
      for (let j = 0; j < N; j++) z += (s[j] = Math.exp(s[j]! - m));
      for (let j = 0; j < N; j++) {
        const p = s[j]! / z;
        for (let c = 0; c < dh; c++) out[i * D + h * dh + c]! += p * qkv[j * 3 * D + 2 * D + h * dh + c]!;
      }
    }
  }
  return out;
}
