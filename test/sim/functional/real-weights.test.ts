/**
 * The Edge-MoE design point on the real M3ViT-tiny weights (../shared; skipped when absent), all
 * 12 blocks. Acceptance figures are Edge-MoE's own HLS C-simulation at the same types: relative
 * L2 from float64 of 2.3e-3 after block 0 and 9.5e-3 after block 11; vitforge must be no worse.
 * The same pipeline runs on seeded synthetic weights in test/cli/validate.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../../src/design/load.js';
import { fromDouble } from '../../../src/fixed/quantize.js';
import { loadImage } from '../../../src/model/image.js';
import { m3vitDirs } from '../../../src/model/shared.js';
import { loadWeights } from '../../../src/model/weights.js';
import { forwardFixed, quantizeWeights } from '../../../src/sim/functional/index.js';
import { MemoryTrace, validate } from '../../../src/sim/functional/validate.js';

const dirs = m3vitDirs();

describe.skipIf(!dirs)('real M3ViT-tiny weights, Edge-MoE design point', () => {
  it('12 blocks: no worse than Edge-MoE C-sim (2.3e-3 after block 0, 9.5e-3 after block 11)', () => {
    const design = loadDesign();
    const weights = loadWeights(design.model, { dirs: dirs! });
    const image = loadImage(`${dirs![0]}/image.float32.bin`, design.model);
    const rep = validate(design, weights, image);
    const rel = (n: string): number => rep.stages.find((s) => s.name === n)!.relL2;
    expect(rel('l0.post_ffn')).toBeLessThanOrEqual(2.3e-3);
    expect(rel('l11.post_ffn')).toBeLessThanOrEqual(9.5e-3);
    expect(rep.endToEnd.relL2).toBe(rel('l11.post_ffn'));
    expect(rep.routing.map((r) => r.block)).toEqual([1, 3, 5, 7, 9, 11]);
    expect(rep.syntheticNames).toEqual([]); // the stand-in experts come from a folder, not the RNG

    // Class token = pos_embed[0] converted to fm (closed form), and the trace is bit-identical
    // to a second run (determinism).
    const t = new MemoryTrace();
    const qw = quantizeWeights(design, weights);
    const res = forwardFixed(design, qw, image, { layers: 1, trace: t });
    const pos = weights.get('pos_embed').data;
    const fm = design.types.fm;
    const x0 = t.tensors.get('x_embed')!.data;
    for (let c = 0; c < 192; c++) expect(x0[c]).toBe(fromDouble(pos[c]!, fm) * 2 ** -fm.F);
    const again = forwardFixed(design, qw, image, { layers: 1 });
    expect(Array.from(again.outputRaw)).toEqual(Array.from(res.outputRaw));
  }, 60_000);
});
