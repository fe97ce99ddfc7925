/**
 * Photos for --image: decoding with sharp and timm's eval preprocessing, against Pillow (the
 * library timm's transforms run on). test/fixtures/images/ holds test photos and Pillow 9.4's
 * output for each case (scripts/make-image-fixtures.py): the resized and centre-cropped 8-bit
 * pixels must be identical; Normalize is checked against its closed form on a flat image.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePhoto } from '../../src/model/image-decode.js';
import { loadImage } from '../../src/model/image.js';
import { modelFromObject } from '../../src/model/file.js';
import { IMAGENET_EVAL, normalize, resizeAndCrop, type Preprocess } from '../../src/model/preprocess.js';
import { projectRoot } from '../../src/model/shared.js';
import { userError } from '../user-error.js';

const dir = join(projectRoot(), 'test/fixtures/images');
const cases = (JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as {
  cases: { name: string; source: string; size: number; cropPct: number; interpolation: Preprocess['interpolation'] }[];
}).cases;

describe('photo decoding', () => {
  for (const src of ['landscape.png', 'portrait.png', 'landscape.jpg']) {
    it(`${src}: sharp decodes the pixels Pillow decodes`, () => {
      const img = decodePhoto(join(dir, src));
      const want = readFileSync(join(dir, `${src.replace('.', '-')}.decoded.u8`));
      expect(img.channels).toBe(3);
      expect(img.width * img.height * 3).toBe(want.length);
      expect(Buffer.from(img.data).equals(want)).toBe(true);
    });
  }

  it('an unreadable file is a one-line error', () => {
    expect(userError(() => decodePhoto(join(dir, 'cases.json.png'))).oneLine()).toMatch(/^image: cannot decode .*cases\.json\.png: /);
  });
});

describe.each(cases)('timm eval resize + centre crop: $name', (c) => {
  it('equals Pillow byte for byte', () => {
    const img = decodePhoto(join(dir, c.source));
    const got = resizeAndCrop(img, c.size, c.size, { ...IMAGENET_EVAL, cropPct: c.cropPct, interpolation: c.interpolation });
    expect([got.width, got.height]).toEqual([c.size, c.size]);
    expect(Buffer.from(got.data).equals(readFileSync(join(dir, `${c.name}.u8`)))).toBe(true);
  });
});

describe('Normalize and --image photo.png', () => {
  it('flat image: (v/255 − mean)/std per channel, in float32, planes [C][H][W]', () => {
    const img = { width: 2, height: 2, channels: 3, data: Uint8Array.from([10, 128, 255, 10, 128, 255, 10, 128, 255, 10, 128, 255]) };
    const out = normalize(img, IMAGENET_EVAL);
    const f = Math.fround;
    const want = [10, 128, 255].flatMap((v, c) => Array(4).fill(f(f(f(v / 255) - f(IMAGENET_EVAL.mean[c]!)) / f(IMAGENET_EVAL.std[c]!))));
    expect(Array.from(out)).toEqual(want);
    expect(out[0]).toBeCloseTo((10 / 255 - 0.485) / 0.229, 6);
  });

  it('loadImage of a photo = normalize(Pillow pixels) with the model file\'s preprocessing', () => {
    const model = modelFromObject({
      name: 'p', image: { height: 16, width: 16 }, patchSize: 8, dim: 8, depth: 1, heads: 2, mlpHidden: 8,
      preprocess: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], cropPct: 0.9, interpolation: 'bilinear' },
    });
    const got = loadImage(join(dir, 'portrait.png'), model);
    const pil = readFileSync(join(dir, 'portrait-png-16-0.9-bilinear.u8'));
    const p = model.preprocess!;
    expect(Array.from(got)).toEqual(Array.from(normalize({ width: 16, height: 16, channels: 3, data: pil }, p)));
    // flags override the model file
    const over = loadImage(join(dir, 'portrait.png'), model, { cropPct: 0.875, interpolation: 'bicubic', mean: [...IMAGENET_EVAL.mean], std: [...IMAGENET_EVAL.std] });
    const pil2 = readFileSync(join(dir, 'portrait-png-16-0.875-bicubic.u8'));
    expect(Array.from(over)).toEqual(Array.from(normalize({ width: 16, height: 16, channels: 3, data: pil2 }, IMAGENET_EVAL)));
  });
});
