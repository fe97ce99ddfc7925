/**
 * Bit-exactness of the functional simulator against a plain BigInt interpreter of
 * docs/datapath.md (helpers/spec-model.ts), on tiny models covering every model shape the design
 * schema accepts (dense-only, MoE, class token parameter / pos-embed / none) and on random valid
 * design points (types, rounding and overflow modes, tiles, parallelism), including wide types
 * that force the exact BigInt fallbacks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forwardReference } from '../../../src/kernels/forward.js';
import { forwardFixed, quantizeWeights } from '../../../src/sim/functional/index.js';
import { MemoryTrace } from '../../../src/sim/functional/validate.js';
import { scaledWeights, tinyDesign, tinyImage, type TinyModel } from './helpers/fixtures.js';
import { specForward } from './helpers/spec-model.js';

function expectBitExact(model: TinyModel, extra: Record<string, unknown>, seed: number, scale: number): void {
  const design = tinyDesign(model, extra);
  const weights = scaledWeights(design.model, seed, scale);
  const image = tinyImage(design.model, seed);
  const layers = design.model.depth;
  const got = forwardFixed(design, quantizeWeights(design, weights), image, { layers });
  const want = specForward(design, weights, image, layers);
  const wantRaw = want.out.map(Number);
  let firstBad = -1;
  for (let i = 0; i < wantRaw.length; i++) if (got.outputRaw[i] !== wantRaw[i]) { firstBad = i; break; }
  expect(firstBad, `first mismatch at ${firstBad}: got ${got.outputRaw[firstBad]}, want ${wantRaw[firstBad]}`).toBe(-1);
  // Routing counts from the simulator agree with the interpreter's top-k choices.
  for (const b of got.routing.blocks) {
    const tops = want.tops.get(b.block)!;
    const counts = new Array(b.counts.length).fill(0);
    for (const t of tops) for (const e of t) counts[e]++;
    expect(b.counts).toEqual(counts);
  }
}

describe('forwardFixed is bit-exact with the datapath spec', () => {
  it('Edge-MoE types, MoE model, class token from pos_embed', () => {
    expectBitExact({ classToken: 'pos-embed' }, {}, 1, 20);
  });
  it('class token parameter, and no class token', () => {
    expectBitExact({ classToken: 'parameter' }, {}, 2, 20);
    expectBitExact({ classToken: 'none', image: [8, 8] }, { attention: { parallel: 3, dotTile: 2 } }, 3, 20);
  });
  it('dense-only model, single head, odd parallelism', () => {
    expectBitExact({ moe: null, heads: 1, depth: 1 }, { attention: { parallel: 5, dotTile: 8 } }, 4, 25);
  });
  it('MoE in every block, top-1, with task 1', () => {
    expectBitExact({ moe: { experts: 3, topK: 1, hidden: 8, tasks: 2, layers: 'all' } }, { moe: { task: 1 } }, 5, 30);
  });
  it('every approximation switched to the exact function', () => {
    expectBitExact({}, { approx: { exp: 'exact', recip: 'exact', rsqrt: 'exact', gelu: 'exact' } }, 6, 20);
  });
  it('wide types: the dotTiled and BigInt fallbacks', () => {
    // Large weights push fm raws past the fast-path bound (dotTiled path) ...
    expectBitExact({}, {}, 7, 400);
    // ... and fm/accum wider than 32 bits force the BigInt paths everywhere.
    expectBitExact({}, {
      types: { fm: 'ap_fixed<48,14>', accum: 'ap_fixed<53,16>', softmax: 'ap_fixed<44,12>', linearWeight: 'ap_fixed<24,3>' },
    }, 8, 20);
  });

  it('random design points (types, modes, tiles, parallelism)', () => {
    const q = fc.constantFrom('AP_TRN', 'AP_RND', 'AP_RND_CONV', 'AP_TRN_ZERO', 'AP_RND_ZERO', 'AP_RND_INF', 'AP_RND_MIN_INF');
    const o = fc.constantFrom('AP_WRAP', 'AP_SAT', 'AP_SAT_SYM');
    const ty = (signed: boolean, w: [number, number], i: [number, number]) =>
      fc.tuple(fc.integer({ min: w[0], max: w[1] }), fc.integer({ min: i[0], max: i[1] }), q, o)
        .map(([W, I, qm, om]) => `${signed ? 'ap_fixed' : 'ap_ufixed'}<${W},${I},${qm},${om}>`);
    const arb = fc.record({
      types: fc.record({
        fm: ty(true, [18, 40], [6, 12]),
        linearWeight: ty(true, [8, 18], [1, 3]),
        attnBias: ty(true, [10, 18], [3, 7]),
        bias: ty(true, [10, 18], [3, 6]),
        norm: ty(true, [10, 18], [2, 5]),
        patchWeight: ty(true, [10, 16], [0, 2]),
        accum: ty(true, [20, 44], [8, 14]),
        softmax: ty(true, [18, 36], [6, 12]),
        lnStat: ty(true, [30, 52], [16, 24]),
        geluTable: fc.integer({ min: 10, max: 20 }).map((W) => `ap_ufixed<${W},-2>`),
      }),
      tileIn: fc.constantFrom(1, 2, 4),
      parallel: fc.integer({ min: 1, max: 6 }),
      dotTile: fc.constantFrom(1, 2, 4, 8),
      step: fc.constantFrom(1 / 8, 1 / 16, 1 / 32),
      classToken: fc.constantFrom('parameter' as const, 'pos-embed' as const, 'none' as const),
      seed: fc.integer({ min: 0, max: 1000 }),
      scale: fc.constantFrom(5, 20, 60),
    });
    fc.assert(fc.property(arb, (a) => {
      expectBitExact({ classToken: a.classToken }, {
        types: a.types, linear: { tileIn: a.tileIn, tileOut: 4 }, attention: { parallel: a.parallel, dotTile: a.dotTile },
        gelu: { step: a.step, range: 4 },
      }, a.seed, a.scale);
    }), { seed: 42, numRuns: 12 });
  });
});

describe('forwardFixed behaviour', () => {
  it('traces the same tensor names and shapes as the float reference', () => {
    const design = tinyDesign({});
    const weights = scaledWeights(design.model, 1, 20);
    const image = tinyImage(design.model, 1);
    const ft = new MemoryTrace();
    const rt = new MemoryTrace();
    forwardFixed(design, quantizeWeights(design, weights), image, { trace: ft });
    forwardReference(design.model, weights, image, { trace: rt });
    expect(ft.names).toEqual(rt.names);
    for (const n of ft.names) {
      const a = ft.tensors.get(n)!;
      const b = rt.tensors.get(n)!;
      expect([a.rows, a.cols], n).toEqual([b.rows, b.cols]);
    }
    expect([...ft.routes.keys()]).toEqual([...rt.routes.keys()]);
  });

  it('layers runs a prefix of the network, and is deterministic', () => {
    const design = tinyDesign({ depth: 3 });
    const weights = scaledWeights(design.model, 9, 20);
    const qw = quantizeWeights(design, weights);
    const image = tinyImage(design.model, 9);
    const full = forwardFixed(design, qw, image);
    const again = forwardFixed(design, qw, image);
    expect(Array.from(again.outputRaw)).toEqual(Array.from(full.outputRaw));
    const one = forwardFixed(design, qw, image, { layers: 1 });
    expect(one.routing.blocks).toEqual([]);
    expect(full.routing.blocks.map((b) => b.block)).toEqual([1]);
    const N = 1 + 6;
    expect(full.routing.blocks[0]!.counts.reduce((a, b) => a + b, 0)).toBe(N * 2);
    expect(() => forwardFixed(design, qw, image, { layers: 4 })).toThrow(expect.objectContaining({ field: 'layers' }));
  });
});
