/** dotTiled against a BigInt loop that follows docs/datapath.md literally. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dotTiled } from '../../src/fixed/kernels.js';
import { fixedType, OVERFLOW_MODES, QUANT_MODES, type FixedType } from '../../src/fixed/type.js';
import { fitFmt, refConvert } from './reference.js';
import { SEED, typeArb } from './arbitraries.js';

/** acc = 0; per tile: p = Σ x·w exactly; acc = Q_acc(acc + p) — all in BigInt. */
function refDot(x: number[], w: number[], tile: number, prodF: number, acc: FixedType): bigint {
  let a = 0n;
  const G = Math.max(prodF, acc.F);
  for (let k0 = 0; k0 < x.length; k0 += tile) {
    let p = 0n;
    for (let i = k0; i < Math.min(k0 + tile, x.length); i++) p += BigInt(x[i]!) * BigInt(w[i]!);
    const total = (a << BigInt(G - acc.F)) + (p << BigInt(G - prodF));
    a = refConvert(total, fitFmt(total, G, true), acc);
  }
  return a;
}

const rawArb = (bits: number): fc.Arbitrary<number> => fc.integer({ min: -(2 ** bits) + 1, max: 2 ** bits - 1 });
const valueArb = fc.oneof(rawArb(8), rawArb(16), rawArb(26), rawArb(32), fc.constantFrom(2 ** 32 - 1, -(2 ** 32) + 1, 0));

function check(x: number[], w: number[], tile: number, prodF: number, acc: FixedType, pad = 3): void {
  // place the vectors at an offset inside larger buffers to exercise xOff/wOff
  const xb = new Float64Array(x.length + 2 * pad).fill(12345);
  const wb = new Float64Array(w.length + pad).fill(-777);
  xb.set(x, pad);
  wb.set(w, 0);
  expect(dotTiled(xb, pad, wb, 0, x.length, tile, prodF, acc)).toBe(Number(refDot(x, w, tile, prodF, acc)));
}

describe('dotTiled', () => {
  test('matches the BigInt reference for random types, tiles and raws up to 32 bits', () => {
    const arb = fc.integer({ min: 1, max: 70 }).chain((K) => fc.record({
      x: fc.array(valueArb, { minLength: K, maxLength: K }),
      w: fc.array(valueArb, { minLength: K, maxLength: K }),
      tile: fc.oneof(fc.integer({ min: 1, max: K }), fc.constantFrom(8, 16, K)),
      prodF: fc.integer({ min: -10, max: 90 }),
      acc: typeArb(53),
    }));
    fc.assert(fc.property(arb, ({ x, w, tile, prodF, acc }) => check(x, w, tile, prodF, acc)), { seed: SEED, numRuns: 10_000 });
  });

  test.each(QUANT_MODES.flatMap((q) => OVERFLOW_MODES.map((o) => [q, o] as const)))(
    'linear-unit shape ap_fixed<32,10> × ap_fixed<16,2>, tile 16, acc modes %s/%s', (q, o) => {
      const acc = fixedType(32, 10, true, q, o, o === 'AP_WRAP' ? 0 : 0);
      const arb = fc.record({
        x: fc.array(fc.oneof(rawArb(31), rawArb(24)), { minLength: 48, maxLength: 48 }),
        w: fc.array(rawArb(15), { minLength: 48, maxLength: 48 }),
      });
      fc.assert(fc.property(arb, ({ x, w }) => check(x, w, 16, 22 + 14, acc)), { seed: SEED, numRuns: 300 });
    });

  test('attention shape: 32×32-bit raws, tile 8, saturating and wrapping accumulators', () => {
    const arb = fc.record({
      x: fc.array(rawArb(32), { minLength: 64, maxLength: 64 }),
      w: fc.array(fc.oneof(rawArb(32), rawArb(20)), { minLength: 64, maxLength: 64 }),
      acc: fc.constantFrom(fixedType(32, 10), fixedType(32, 10, true, 'AP_RND_CONV', 'AP_SAT'),
        fixedType(48, 24, true, 'AP_RND', 'AP_WRAP_SM'), fixedType(53, 30, false, 'AP_TRN_ZERO', 'AP_SAT_SYM')),
    });
    fc.assert(fc.property(arb, ({ x, w, acc }) => check(x, w, 8, 44, acc)), { seed: SEED, numRuns: 2_000 });
  });

  test('raws beyond 32 bits fall back to exact BigInt arithmetic', () => {
    const arb = fc.record({
      x: fc.array(rawArb(50), { minLength: 12, maxLength: 12 }),
      w: fc.array(rawArb(50), { minLength: 12, maxLength: 12 }),
      tile: fc.constantFrom(1, 4, 12),
      acc: typeArb(53),
    });
    fc.assert(fc.property(arb, ({ x, w, tile, acc }) => check(x, w, tile, 60, acc)), { seed: SEED, numRuns: 1_000 });
  });

  test('K = 0 returns 0 and never reads the buffers', () => {
    expect(dotTiled(new Float64Array(0), 0, new Float64Array(0), 0, 0, 16, 36, fixedType(32, 10))).toBe(0);
  });
});
