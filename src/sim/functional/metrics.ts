/**
 * Error metrics between a reference tensor (float64 forward) and a test tensor (fixed point, as
 * doubles), and MoE routing agreement. Definitions (e = test − ref, n elements):
 *   SQNR = 10·log10(Σref² / Σe²) dB (Infinity when e = 0), MSE = Σe²/n,
 *   relative L2 = ‖e‖₂ / ‖ref‖₂, max abs = max|e|.
 */
export interface ErrorMetrics {
  readonly sqnrDb: number;
  readonly mse: number;
  readonly relL2: number;
  readonly maxAbs: number;
}

/**
 * Metrics over all elements, or (with `rows`) only over the rows r of a rows×cols matrix with
 * rows[r] true.
 */
export function errorMetrics(ref: ArrayLike<number>, test: ArrayLike<number>, rows?: { readonly keep: ArrayLike<boolean>; readonly cols: number }): ErrorMetrics {
  if (ref.length !== test.length) throw new RangeError(`errorMetrics: ${ref.length} vs ${test.length} values`);
  let sr = 0;
  let se = 0;
  let mx = 0;
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    if (rows && !rows.keep[Math.floor(i / rows.cols)]) continue;
    n++;
    const r = ref[i]!;
    const e = test[i]! - r;
    sr += r * r;
    se += e * e;
    const a = Math.abs(e);
    if (a > mx || Number.isNaN(a)) mx = a;
  }
  return {
    sqnrDb: se === 0 ? Infinity : 10 * Math.log10(sr / se),
    mse: n === 0 ? 0 : se / n,
    relL2: sr === 0 ? (se === 0 ? 0 : Infinity) : Math.sqrt(se / sr),
    maxAbs: mx,
  };
}

/** Per token: does its set of k experts equal the reference's? (tokens × k index arrays) */
export function routingMatches(refTop: ArrayLike<number>, testTop: ArrayLike<number>, k: number): boolean[] {
  const tokens = refTop.length / k;
  const out: boolean[] = [];
  for (let t = 0; t < tokens; t++) {
    let all = true;
    for (let r = 0; r < k && all; r++) {
      const e = refTop[t * k + r]!;
      let found = false;
      for (let q = 0; q < k; q++) if (testTop[t * k + q] === e) found = true;
      all = found;
    }
    out.push(all);
  }
  return out;
}

/**
 * Fraction of tokens whose SET of k selected experts is the same in both routings (rank order
 * ignored); `top*` are tokens × k expert indices.
 */
export function routingAgreement(refTop: ArrayLike<number>, testTop: ArrayLike<number>, k: number): number {
  if (refTop.length !== testTop.length || refTop.length % k !== 0) {
    throw new RangeError(`routingAgreement: ${refTop.length} vs ${testTop.length} entries for k=${k}`);
  }
  const m = routingMatches(refTop, testTop, k);
  return m.length === 0 ? 1 : m.filter((x) => x).length / m.length;
}
