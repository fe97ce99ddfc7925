/** fast-check generators for fixed-point tests: types with edge shapes, raws biased to edges and ties. */
import fc from 'fast-check';
import { fixedType, OVERFLOW_MODES, QUANT_MODES, type FixedType, type OverflowMode, type QuantMode } from '../../src/fixed/type.js';

export const SEED = 42;

/** A target type with W in [1, maxW], I from well below 0 to well above W, any modes. */
export function typeArb(maxW: number, q?: QuantMode, o?: OverflowMode): fc.Arbitrary<FixedType> {
  return fc.record({
    W: fc.oneof(fc.integer({ min: 1, max: maxW }), fc.constantFrom(1, 2, maxW)),
    dI: fc.oneof(fc.integer({ min: -12, max: 12 }), fc.integer({ min: -70, max: 70 })),
    signed: fc.boolean(),
    q: q ? fc.constant(q) : fc.constantFrom(...QUANT_MODES),
    o: o ? fc.constant(o) : fc.constantFrom(...OVERFLOW_MODES),
    nPick: fc.nat(),
  }).map(({ W, dI, signed, q: qq, o: oo, nPick }) => {
    const s = oo === 'AP_WRAP_SM' ? true : signed;
    const n = oo === 'AP_WRAP' || oo === 'AP_WRAP_SM' ? [0, 0, 1, 2, W, nPick % (W + 1)][nPick % 6]! : 0;
    return fixedType(W, Math.round(W / 2) + dI, s, qq, oo, Math.min(n, W));
  });
}

/** A bigint uniformly in [lo, hi]. */
export function bigIn(lo: bigint, hi: bigint): fc.Arbitrary<bigint> {
  return fc.bigInt({ min: lo, max: hi });
}

/**
 * A raw source (integer, |raw| ≤ 2^maxBits) and its fractional bit count fromF, drawn relative to
 * the target t so that ties, exact values and range boundaries are frequent.
 */
export function sourceArb(t: FixedType, maxBits: number): fc.Arbitrary<{ raw: bigint; fromF: number }> {
  const lim = 1n << BigInt(maxBits);
  const shiftArb = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -6, max: 24 }) },
    { weight: 1, arbitrary: fc.integer({ min: -80, max: 120 }) },
  );
  return shiftArb.chain((sh) => {
    const fromF = t.F + sh;
    const clamp = (v: bigint): bigint => (v > lim ? lim : v < -lim ? -lim : v);
    const unit = sh > 0 ? 1n << BigInt(sh) : 1n;
    const min = t.signed ? -(1n << BigInt(t.W - 1)) : 0n;
    const max = t.signed ? (1n << BigInt(t.W - 1)) - 1n : (1n << BigInt(t.W)) - 1n;
    const onGrid = (k: bigint): bigint => (sh >= 0 ? k * unit : k >> BigInt(-sh));
    const edges = [min - 1n, min, min + 1n, max - 1n, max, max + 1n, 0n, -1n, 1n];
    const rawArb = fc.oneof(
      fc.bigInt({ min: -lim, max: lim }),
      fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }),
      // exact ties and near-ties of the target grid, around edges and anywhere
      fc.tuple(fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: -(1n << 30n), max: 1n << 30n })),
        fc.constantFrom(0n, 1n, -1n), fc.boolean())
        .map(([k, eps, tie]) => onGrid(k) + (sh > 0 && tie ? unit / 2n : 0n) + eps),
    );
    return rawArb.map((raw) => ({ raw: clamp(raw), fromF }));
  });
}
