/**
 * erf, erfc and the exact GELU in float64. Node has no Math.erf, and the reference must be
 * accurate to ~1e-15, far beyond the usual 1e-7 textbook approximations, so we evaluate two
 * convergent expansions directly:
 *
 * - |x| < 1.5: erf(x) = (2/√π)·e^{−x²}·Σ_n (2x²)^n·x / (1·3·5·…·(2n+1)). All terms are positive,
 *   so there is no cancellation (unlike the plain alternating Taylor series).
 * - x ≥ 1.5: erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), the Laplace
 *   continued fraction (in its even contraction), evaluated bottom-up from a fixed depth;
 *   erf = 1 − erfc. Here e^{−x²} is evaluated from the exactly split square x² = hi + lo,
 *   because rounding x² alone would cost x²·2^-53 of relative accuracy (4e-15 at x = 6).
 *
 * Tested against a 400-bit BigInt evaluation in test/kernels/erf.test.ts: worst relative error
 * measured 5.9e-16 for erf (near x = 1.43); for erfc 3.8e-16 at x ≥ 1, 1.1e-15 below.
 */

/** 2/√π rounded to double. */
const TWO_OVER_SQRT_PI = 1.1283791670955126;
/** 1/√π rounded to double. */
const ONE_OVER_SQRT_PI = 0.5641895835477563;
const SERIES_LIMIT = 1.5;
/**
 * erfc switches to the continued fraction earlier than erf: 1 − erf(x) loses relative accuracy
 * as erfc shrinks (8.7e-15 near x = 1.45), while the fraction still converges at x = 1.
 */
const ERFC_FRACTION_LIMIT = 1;
/** erfc(6) ≈ 2.2e-17 < half an ulp of 1, so erf(x) rounds to 1 beyond it. */
const ERF_ONE = 6;
/** erfc(x) underflows to 0 in double beyond ~27.2. */
const ERFC_ZERO = 27.3;
/** Dekker's splitter for 53-bit doubles: 2^27 + 1. */
const SPLIT = 134217729;

/** e^{−x²} with the square computed exactly (hi + lo) before exponentiation. */
function expNegSquare(x: number): number {
  const hi = x * x;
  const t = SPLIT * x;
  const xh = t - (t - x);
  const xl = x - xh;
  const lo = xh * xh - hi + 2 * xh * xl + xl * xl;
  // e^{−hi−lo} = e^{−hi}·(1 − lo + …); |lo| ≤ ulp(hi)/2, so the first-order term is exact enough.
  const e = Math.exp(-hi);
  return e - e * lo;
}

/**
 * erf(a) for 0 ≤ a < SERIES_LIMIT by the positive-term series. The same rounded s = a² feeds
 * both the series and e^{−s}: their sensitivities to s largely cancel (the product depends on s
 * only through erf(√s)/√s), whereas mixing an exact e^{−a²} with a rounded series would cost
 * ~a²/2 ulps.
 */
function erfSeries(a: number): number {
  const s = a * a;
  const twoS = 2 * s;
  let term = a;
  let sum = a;
  for (let n = 1; n < 200; n++) {
    term *= twoS / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * (sum * Math.exp(-s));
}

/**
 * erfc(a) for a ≥ SERIES_LIMIT by the even contraction of the Laplace continued fraction,
 *   erfc(a) = a·e^{−a²}/√π / (a² + 1/2 − (1·2/4)/(a² + 5/2 − (3·4/4)/(a² + 9/2 − …))),
 * (two steps of the plain fraction per step, so half the divisions), evaluated backward from a
 * fixed depth: bottom-up evaluation damps rounding errors instead of accumulating them as
 * forward (Lentz) iteration does. The depth 120/a² + 5 exceeds, at every a ≥ 1, the depth at
 * which the truncated fraction agrees with a 20000-deep plain one to 1e-17 (97 at a = 1, 46 at
 * 1.5, 6 at 6).
 */
function erfcFraction(a: number): number {
  const s = a * a;
  const depth = Math.ceil(120 / s) + 5;
  let t = s + 2 * depth + 0.5;
  for (let n = depth; n >= 1; n--) t = s + (2 * n - 1.5) - (n * (2 * n - 1) * 0.5) / t;
  return (ONE_OVER_SQRT_PI * a * expNegSquare(a)) / t;
}

/** The error function, accurate to about 1e-16 relative. */
export function erf(x: number): number {
  if (Number.isNaN(x) || x === 0) return x; // keeps the sign of −0
  const a = Math.abs(x);
  let r: number;
  if (a < SERIES_LIMIT) r = erfSeries(a);
  else if (a >= ERF_ONE) r = 1;
  else r = 1 - erfcFraction(a);
  return x < 0 ? -r : r;
}

/**
 * The complementary error function 1 − erf(x). Measured relative error ≤ 4e-16 for x ≥ 1 and
 * x ≤ 0; for 0 < x < 1 it is 1 − erf(x), ≤ 1.2e-15 relative.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 1 + erf(-x);
  if (x < ERFC_FRACTION_LIMIT) return 1 - erfSeries(x);
  if (x >= ERFC_ZERO) return 0;
  return erfcFraction(x);
}

/**
 * GELU, exact (erf) form: z·Φ(z) = z·½·(1 + erf(z/√2)). For negative z it uses erfc so that the
 * tiny negative tail keeps its relative accuracy.
 */
export function geluExact(z: number): number {
  if (z === -Infinity) return 0; // z·Φ(z) → 0; the product form would give −∞·0 = NaN
  const s = z * Math.SQRT1_2;
  return z >= 0 ? 0.5 * z * (1 + erf(s)) : 0.5 * z * erfc(-s);
}

/** GELU over data[offset .. offset+n) in place. */
export function geluInPlace(data: Float64Array, offset = 0, n = data.length - offset): void {
  for (let i = offset, end = offset + n; i < end; i++) data[i] = geluExact(data[i]!);
}

/**
 * GELU, tanh approximation (PyTorch `approximate='tanh'`, Hendrycks & Gimpel 2016):
 * ½·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))). Used only for models that were trained with it.
 */
export function geluTanh(z: number): number {
  return 0.5 * z * (1 + Math.tanh(0.7978845608028654 * (z + 0.044715 * z * z * z)));
}

/** The GELU of a model (`ModelSpec.gelu`, default erf) over data[offset .. offset+n) in place. */
export function geluKindInPlace(kind: 'erf' | 'tanh' | undefined, data: Float64Array, offset = 0, n = data.length - offset): void {
  if (kind !== 'tanh') return geluInPlace(data, offset, n);
  for (let i = offset, end = offset + n; i < end; i++) data[i] = geluTanh(data[i]!);
}
