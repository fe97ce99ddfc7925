/**
 * The classifier head in the bit-accurate simulator (final LN, pooling, head on the linear unit),
 * on the imported ONNX fixtures: close to the float64 reference (whose logits equal
 * onnxruntime's, test/model/onnx/oracle.test.ts), same top-1 class; and the mean pooling against
 * its closed form where 1/patches is exact (16 patches: the sum of raws shifted by 4, truncated).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_DIR, VARIANTS } from '../../../scripts/make-onnx-fixtures.js';
import { designFromObject } from '../../../src/design/load.js';
import { syntheticImage } from '../../../src/model/image.js';
import { importOnnx } from '../../../src/model/onnx/index.js';
import { projectRoot } from '../../../src/model/shared.js';
import { buildContext } from '../../../src/sim/functional/context.js';
import { poolFixed } from '../../../src/sim/functional/forward.js';
import { validate } from '../../../src/sim/functional/validate.js';

const path = (name: string): string => join(projectRoot(), FIXTURE_DIR, `${name}.onnx`);

describe.each(VARIANTS)('bit-accurate head on $name', (v) => {
  it('logits within 1% rel. L2 of the float64 reference, same top-1 class, traced as norm/pooled/logits', () => {
    // Normalised images are signed: the Edge-MoE pixel type ap_ufixed<8,0> would clip them.
    const design = designFromObject({ name: 't', model: path(v.name), types: { pixel: 'ap_fixed<16,3>' } });
    const { weights } = importOnnx(path(v.name));
    const image = syntheticImage(design.model, 5).map((x) => 4 * x - 2);
    const r = validate(design, weights, image);
    expect(r.logits).toBeDefined();
    // Edge-MoE types (fm ap_fixed<32,10>, 8-bit weights): ~1e-3 measured on these graphs
    expect(r.logits!.relL2).toBeLessThan(1e-2);
    expect(r.logits!.top1).toBe(true);
    const names = r.stages.filter((s) => s.block === 2).map((s) => s.name);
    expect(names).toEqual(design.model.head!.finalNorm === 'tokens' ? ['norm', 'pooled', 'logits'] : ['pooled', 'norm', 'logits']);
  });
});

describe('mean pooling', () => {
  it('16 patches, no class token: ⌊Σ raws / 16⌋ (AP_TRN fm, 1/16 exact in the constant type)', () => {
    const design = designFromObject({ name: 't', model: path('dynamo18-nocls-mean') });
    const ctx = buildContext(design);
    const { tokens, patches } = ctx.dims;
    expect([tokens, patches]).toEqual([16, 16]);
    const D = design.model.dim;
    const x = Float64Array.from({ length: tokens * D }, (_, i) => ((i * 7919) % 20001) - 10000);
    const got = poolFixed(ctx, x, 'mean');
    for (let d = 0; d < D; d++) {
      let s = 0;
      for (let t = 0; t < tokens; t++) s += x[t * D + d]!;
      expect(got[d]).toBe(Math.floor(s / 16));
    }
  });

  it('with a class token the class row is left out', () => {
    const design = designFromObject({ name: 't', model: path('dynamo20-cls-mean') });
    const ctx = buildContext(design);
    const D = design.model.dim;
    const x = new Float64Array(ctx.dims.tokens * D);
    x.fill(1 << 20, 0, D); // class token: would move the mean if it were counted
    expect([...poolFixed(ctx, x, 'mean')]).toEqual(new Array(D).fill(0));
    expect([...poolFixed(ctx, x, 'token')]).toEqual(new Array(D).fill(1 << 20));
  });
});
