/**
 * Input images: raw float32 little-endian, layout [C][H][W] (channel planes, rows top to bottom),
 * values used as they are (no mean/std normalisation), as in the shared M3ViT dump; or a photo
 * (PNG/JPEG/…), decoded and put through the eval preprocessing of preprocess.ts.
 */
import { readFileSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { UserError } from '../errors.js';
import type { ModelSpec } from './ir.js';
import { Rng } from '../rng.js';
import { decodePhoto, PHOTO_RE } from './image-decode.js';
import { IMAGENET_EVAL, normalize, resizeAndCrop, type Preprocess } from './preprocess.js';

export function imageSize(model: ModelSpec): number {
  return model.channels * model.imageHeight * model.imageWidth;
}

/** The preprocessing of `model` (its own, else ImageNet defaults) with `over` applied. */
export function preprocessOf(model: ModelSpec, over: Partial<Preprocess> = {}): Preprocess {
  const p = { ...IMAGENET_EVAL, ...model.preprocess, ...Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)) } as Preprocess;
  if (p.mean.length !== model.channels || p.std.length !== model.channels) {
    throw new UserError('image', `mean/std need ${model.channels} values (one per channel)`);
  }
  if (!(p.cropPct > 0 && p.cropPct <= 1)) throw new UserError('crop-pct', `must be in (0, 1], got ${p.cropPct}`);
  if (p.std.some((s) => !(s > 0))) throw new UserError('std', 'values must be positive');
  return p;
}

export function loadImage(path: string, model: ModelSpec, over: Partial<Preprocess> = {}): Float32Array {
  if (PHOTO_RE.test(path)) {
    if (model.channels !== 3) throw new UserError('image', `photos are RGB; ${model.name} has ${model.channels} channels (use a raw float32 image)`);
    const p = preprocessOf(model, over);
    return normalize(resizeAndCrop(decodePhoto(path), model.imageHeight, model.imageWidth, p), p);
  }
  let bytes: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UserError('image', `not a file: ${path}`);
    bytes = st.size;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError('image', `file not found: ${path}`);
  }
  const n = imageSize(model);
  if (bytes !== 4 * n) {
    throw new UserError(
      path,
      `wrong size: expected ${4 * n} bytes (float32 [${model.channels}][${model.imageHeight}][${model.imageWidth}] for ${model.name}), found ${bytes}`,
    );
  }
  const buf = readFileSync(path);
  const out = new Float32Array(n);
  if (endianness() === 'LE') {
    new Uint8Array(out.buffer).set(buf);
  } else {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i]!)) throw new UserError(path, `value ${i} is not finite (${out[i]})`);
  }
  return out;
}

/**
 * A seeded synthetic image: every value is k/256 with k uniform in 0..255, so it is exactly
 * representable in ap_ufixed<8,0> like the real M3ViT image.
 */
export function syntheticImage(model: ModelSpec, seed: number): Float32Array {
  const n = imageSize(model);
  const out = new Float32Array(n);
  const rng = new Rng(seed, 'image');
  for (let i = 0; i < n; i++) out[i] = rng.int(256) / 256;
  return out;
}
