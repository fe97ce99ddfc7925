/**
 * ONNX import against onnxruntime (the oracle): for every fixture of test/fixtures/onnx (graphs
 * in the TorchScript and dynamo exporters' patterns, scripts/make-onnx-fixtures.ts), vitforge's
 * float64 reference on the imported model and weights must give onnxruntime's logits to
 * relative L2 ≤ 1e-5, and the imported IR must be the one the fixture was built from.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { buildVariant, FIXTURE_DIR, SIZE, VARIANTS } from '../../../scripts/make-onnx-fixtures.js';
import { classify, forwardReference } from '../../../src/kernels/forward.js';
import { syntheticImage } from '../../../src/model/image.js';
import { importOnnx } from '../../../src/model/onnx/index.js';
import { IMAGENET_EVAL, normalize } from '../../../src/model/preprocess.js';
import { projectRoot } from '../../../src/model/shared.js';
import { runCli } from '../../cli-capture.js';

const dir = join(projectRoot(), FIXTURE_DIR);
const tmp = mkdtempSync(join(tmpdir(), 'vitforge-onnx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, s = 0;
  for (let i = 0; i < b.length; i++) {
    d += (a[i]! - b[i]!) ** 2;
    s += b[i]! ** 2;
  }
  return Math.sqrt(d / s);
}

async function ortLogits(path: string, image: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path);
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', image, [1, 3, SIZE.image, SIZE.image]) });
  return out[session.outputNames[0]!]!.data as Float32Array;
}

describe('ONNX fixtures', () => {
  it('are exactly what scripts/make-onnx-fixtures.ts writes, and small', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort();
    expect(files).toEqual(VARIANTS.map((v) => `${v.name}.onnx`).sort());
    let total = 0;
    for (const v of VARIANTS) {
      const bytes = readFileSync(join(dir, `${v.name}.onnx`));
      total += bytes.length;
      expect(Buffer.from(buildVariant(v)).equals(bytes)).toBe(true);
    }
    expect(total).toBeLessThan(1 << 20);
  });
});

describe.each(VARIANTS)('ONNX import of $name', (v) => {
  const path = join(dir, `${v.name}.onnx`);

  it('recovers the IR the graph was built from', () => {
    const m = importOnnx(path).model;
    expect(m).toMatchObject({
      channels: 3, imageHeight: SIZE.image, imageWidth: SIZE.image, patchSize: SIZE.patch, dim: SIZE.dim,
      depth: SIZE.depth, heads: SIZE.heads, lnEps: SIZE.eps,
      classToken: v.classToken === 'none' ? 'none' : 'parameter',
      head: {
        classes: SIZE.classes,
        pooling: v.pooling === 'mean' ? 'mean' : 'token',
        // token pooling: norm-then-pool is recorded as the equivalent pool-then-norm
        finalNorm: v.pooling === 'mean' ? v.finalNorm : 'pooled',
      },
    });
    expect(m.gelu ?? 'erf').toBe(v.gelu === 'tanh' ? 'tanh' : 'erf');
    expect(m.blocks).toEqual(Array(SIZE.depth).fill({ kind: 'mlp', hidden: SIZE.mlp }));
  });

  it('float64 reference logits == onnxruntime logits (rel. L2 ≤ 1e-5)', async () => {
    const { model, weights } = importOnnx(path);
    for (const seed of [1, 2]) {
      const image = syntheticImage(model, seed).map((x) => 4 * x - 2); // ~N-ish range after mean/std normalisation
      const want = await ortLogits(path, image);
      const got = classify(model, weights, forwardReference(model, weights, image));
      expect(got.length).toBe(SIZE.classes);
      expect(relL2(got, want)).toBeLessThan(1e-5);
    }
  });
});

describe('vitforge run --model X.onnx --image X.f32 --dump Y.f32', () => {
  it('writes onnxruntime\'s logits as float32', async () => {
    const path = join(dir, 'dynamo18-token.onnx');
    const image = Float32Array.from({ length: 3 * SIZE.image * SIZE.image }, (_, i) => Math.sin(0.37 * i));
    const imgPath = join(tmp, 'x.f32');
    writeFileSync(imgPath, new Uint8Array(image.buffer));
    const dump = join(tmp, 'y.f32');
    const r = await runCli('run', '--model', path, '--image', imgPath, '--dump', dump);
    expect(r.code).toBe(0);
    expect(r.err).toBe(''); // trained weights from the file: no synthetic-weights note
    expect(r.out).toMatch(/weights {2}\d+ from .*dynamo18-token\.onnx/);
    expect(r.out).toMatch(/dump {5}.* \(float32 \[10\] logits\)/);
    const dumped = new Float32Array(Uint8Array.from(readFileSync(dump)).buffer);
    expect(dumped.length).toBe(SIZE.classes);
    expect(relL2(dumped, await ortLogits(path, image))).toBeLessThan(1e-5);
  });
});

describe('vitforge run --model X.onnx --image photo.jpg --dump Y.f32', () => {
  it('gives onnxruntime\'s logits on the Pillow-preprocessed image (ImageNet eval defaults)', async () => {
    const path = join(dir, 'ts17-deit-token.onnx');
    const photos = join(projectRoot(), 'test/fixtures/images');
    const dump = join(tmp, 'photo.f32');
    const r = await runCli('run', '--model', path, '--image', join(photos, 'landscape.jpg'), '--dump', dump);
    expect(r.code, r.err).toBe(0);
    const pil = readFileSync(join(photos, 'landscape-jpg-32-0.875-bicubic.u8'));
    const image = normalize({ width: 32, height: 32, channels: 3, data: pil }, IMAGENET_EVAL);
    const dumped = new Float32Array(Uint8Array.from(readFileSync(dump)).buffer);
    expect(relL2(dumped, await ortLogits(path, image))).toBeLessThan(1e-5);
  });
});
