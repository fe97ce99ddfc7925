/**
 * The inputs of one forward pass, resolved the same way by every command (run, validate,
 * simulate, generate): weight folders overlaid in order (or a fully synthetic model), and the image
 * from --image, else the `image.float32.bin` of the first weight folder that has one, else a
 * seeded synthetic image.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelSpec } from './ir.js';
import { loadImage, syntheticImage } from './image.js';
import type { Preprocess } from './preprocess.js';
import { loadWeights, syntheticWeights, type WeightSet } from './weights.js';
import { importOnnx } from './onnx/index.js';

/** Name of the image file the M3ViT dump keeps next to its weights. */
export const IMAGE_FILE = 'image.float32.bin';

export interface InputOptions {
  readonly weights?: readonly string[];
  readonly fillMissing?: boolean;
  readonly image?: string;
  readonly seed?: number;
  /** Preprocessing overrides for photos (--mean, --std, --crop-pct, --interpolation). */
  readonly preprocess?: Partial<Preprocess>;
}

export interface ModelInputs {
  readonly weights: WeightSet;
  readonly image: Float32Array;
  /** Image file used, if any. */
  readonly imagePath: string | undefined;
  /** Absolute image path, or `synthetic (seed N)`. */
  readonly imageLabel: string;
  /** No weight folder was given: every tensor is synthetic. */
  readonly allSynthetic: boolean;
  readonly seed: number;
}

export function resolveInputs(model: ModelSpec, o: InputOptions): ModelInputs {
  const seed = o.seed ?? 0;
  const dirs = o.weights ?? [];
  // A model imported from ONNX brings its trained weights; --weights replaces them.
  const weights = dirs.length
    ? loadWeights(model, { dirs, fillMissing: o.fillMissing, seed })
    : model.weightsFrom ? importOnnx(model.weightsFrom).weights : syntheticWeights(model, seed);
  const imagePath = o.image ?? dirs.map((d) => join(d, IMAGE_FILE)).find((p) => existsSync(p));
  const image = imagePath ? loadImage(imagePath, model, o.preprocess) : syntheticImage(model, seed);
  const imageLabel = imagePath ? resolve(imagePath) : `synthetic (seed ${seed})`;
  return { weights, image, imagePath, imageLabel, allSynthetic: dirs.length === 0 && !model.weightsFrom, seed };
}

/** The note every command prints (stderr) when results do not come from real weights only. */
export function syntheticNote(inputs: ModelInputs): string | undefined {
  const w = inputs.weights;
  if (inputs.allSynthetic) return `no --weights given: all ${w.tensors.size} tensors are synthetic (seed ${inputs.seed})`;
  if (w.syntheticNames.length) return `${w.syntheticNames.length} tensor(s) are synthetic, not real weights: ${w.syntheticNames.join(', ')}`;
  return undefined;
}
