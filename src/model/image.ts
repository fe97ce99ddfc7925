/**
 * Input images: raw float32 little-endian, layout [C][H][W] (channel planes, rows top to bottom),
 * values used as they are (no mean/std normalisation), as in the shared M3ViT dump.
 */
import { readFileSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { UserError } from '../errors.js';
import type { ModelSpec } from './ir.js';
import { Rng } from '../rng.js';

export function imageSize(model: ModelSpec): number {
  return model.channels * model.imageHeight * model.imageWidth;
}

export function loadImage(path: string, model: ModelSpec): Float32Array {
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
