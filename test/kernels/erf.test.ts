/**
 * erf / erfc / GELU against an independent 400-bit BigInt evaluation: the plain alternating
 * Taylor series erf(x) = 2/√π Σ (−1)^n x^(2n+1) / (n!(2n+1)) (a different expansion from the one
 * the implementation uses), with π from Machin's formula and square roots by integer Newton.
 * Errors are measured exactly: the double result is converted to BigInt without rounding.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { erf, erfc, geluExact, geluInPlace } from '../../src/kernels/erf.js';

const PREC = 400n;
const ONE = 1n << PREC;

function atanInv(n: bigint): bigint {
  // atan(1/n) = Σ (−1)^k / ((2k+1)·n^(2k+1))
  let power = ONE / n;
  let sum = 0n;
  const n2 = n * n;
  for (let k = 0n; power !== 0n; k++) {
    const term = power / (2n * k + 1n);
    sum += k % 2n === 0n ? term : -term;
    power /= n2;
  }
  return sum;
}

function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  let x = 1n << BigInt(Math.ceil(v.toString(2).length / 2));
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

const PI = 16n * atanInv(5n) - 4n * atanInv(239n);
const SQRT_PI = isqrt(PI * ONE); // √π · 2^PREC
const SQRT2 = isqrt(2n * ONE * ONE);

/** A finite double as an exact fixed-point BigInt (value·2^PREC); |x| ≥ 2^-300 keeps it exact. */
function toFixed(x: number): bigint {
  if (x === 0) return 0n;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = exp === 0 ? frac : frac | (1n << 52n);
  const e = (exp === 0 ? 1 : exp) - 1075; // x = mant · 2^e
  const shift = BigInt(e) + PREC;
  if (shift < 0n) throw new Error(`toFixed: ${x} not exact at ${PREC} bits`);
  return sign * (mant << shift);
}

/** erf of a fixed-point argument, fixed-point result. */
function erfFixed(X: bigint): bigint {
  const X2 = (X * X) >> PREC;
  let term = X; // x^(2n+1)/n!
  let sum = 0n;
  for (let n = 0n; term !== 0n; n++) {
    sum += n % 2n === 0n ? term / (2n * n + 1n) : -term / (2n * n + 1n);
    term = (term * X2) >> PREC;
    term /= n + 1n;
  }
  return (2n * sum * ONE) / SQRT_PI;
}

const absBig = (v: bigint): bigint => (v < 0n ? -v : v);
/** |got − ref| as a double, ref and got in fixed point. */
const absErr = (got: number, ref: bigint): number => Number(absBig(toFixed(got) - ref)) / 2 ** Number(PREC);
const relErr = (got: number, ref: bigint): number => (ref === 0n ? (got === 0 ? 0 : Infinity) : Number((absBig(toFixed(got) - ref) << 200n) / absBig(ref)) / 2 ** 200);

function grid(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

const POINTS = [
  ...grid(-7, 7, 0.0173),
  0.5, 1, 2, 1.4999999999999998, 1.5, 1.5000000000000002, 2.5, 3, 5.999999999999999, 6, 1e-20, -1e-20, 1e-8, 3.3e-5,
];

describe('erf', () => {
  it('is within 1e-15 relative of a 400-bit evaluation on a grid over [-7, 7]', () => {
    let worst = 0;
    for (const x of POINTS) {
      const r = relErr(erf(x), erfFixed(toFixed(x)));
      worst = Math.max(worst, r);
      expect(r, `erf(${x})`).toBeLessThanOrEqual(1e-15);
    }
    expect(worst).toBeGreaterThan(0); // the measurement itself is live
  });

  it('is within 1e-15 relative on random doubles', () => {
    fc.assert(
      fc.property(fc.double({ min: -9, max: 9, noNaN: true }), (x) => {
        if (Math.abs(x) < 1e-30) return; // below the BigInt reference's exact range
        expect(relErr(erf(x), erfFixed(toFixed(x)))).toBeLessThanOrEqual(1e-15);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('is odd, bounded by 1 and monotone', () => {
    let prev = -1;
    const bad: number[] = [];
    for (const x of grid(-7, 7, 0.001)) {
      const y = erf(x);
      if (!(erf(-x) === -y && Math.abs(y) <= 1 && y >= prev)) bad.push(x);
      prev = y;
    }
    expect(bad).toEqual([]);
  });

  it('handles special values', () => {
    expect(erf(0)).toBe(0);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
  });
});

describe('erfc', () => {
  it('is within 1e-15 relative for x ≤ 0 and x ≥ 1, 2e-15 relative in between', () => {
    for (const x of [...POINTS, 0.9999999999999999, 1, 8, 10, 12.5, 15]) {
      const ref = ONE - erfFixed(toFixed(x));
      const bound = x <= 0 || x >= 1 ? 1e-15 : 2e-15;
      expect(relErr(erfc(x), ref), `erfc(${x})`).toBeLessThanOrEqual(bound);
    }
  });

  it('handles special values', () => {
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(30)).toBe(0);
    expect(erfc(NaN)).toBeNaN();
  });
});

describe('geluExact', () => {
  /** GELU(z) = z/2·(1 + erf(z/√2)) at 400 bits. */
  const geluRef = (z: number): bigint => {
    const Z = toFixed(z);
    const s = (Z * ONE) / SQRT2;
    return (Z * (ONE + erfFixed(s))) >> (PREC + 1n);
  };

  it('is within 1e-15·max(1,|GELU|) of the 400-bit value', () => {
    for (const z of [...grid(-10, 10, 0.0311), 0.7071067811865476, -3.5, 1e-9, -1e-9]) {
      const ref = geluRef(z);
      const refAbs = Math.abs(Number(ref) / 2 ** Number(PREC));
      expect(absErr(geluExact(z), ref), `gelu(${z})`).toBeLessThanOrEqual(1e-15 * Math.max(1, refAbs));
    }
  });

  it('keeps relative accuracy in the negative tail (uses erfc there)', () => {
    for (const z of [-4, -5, -6, -8, -10]) {
      expect(relErr(geluExact(z), geluRef(z)), `gelu(${z})`).toBeLessThanOrEqual(1e-14);
    }
  });

  it('differs from the tanh approximation (guards against using the wrong flavour)', () => {
    const tanhGelu = (z: number): number => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
    let maxDiff = 0;
    for (const z of grid(-6, 6, 0.01)) maxDiff = Math.max(maxDiff, Math.abs(geluExact(z) - tanhGelu(z)));
    // Known gap between the two forms: a few 1e-4 (the shared M3ViT README quotes 4.7e-4).
    expect(maxDiff).toBeGreaterThan(1e-4);
    expect(maxDiff).toBeLessThan(1e-3);
  });

  it('geluInPlace applies it to a slice only', () => {
    const a = Float64Array.from([1, -1, 2, -2]);
    geluInPlace(a, 1, 2);
    expect([...a]).toEqual([1, geluExact(-1), geluExact(2), -2]);
  });

  it('limits', () => {
    expect(geluExact(0)).toBe(0);
    expect(geluExact(50)).toBe(50);
    expect(geluExact(-50)).toBe(-0);
    expect(geluExact(Infinity)).toBe(Infinity);
    expect(geluExact(-Infinity)).toBe(0);
  });
});
