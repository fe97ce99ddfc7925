/**
 * Seeded synthetic tensor values. Each tensor gets its own generator, seeded from (seed, tensor
 * name), so a tensor's values do not depend on which other tensors exist or are loaded from
 * files: `--fill-missing --seed 3` fills a gap with exactly the values a fully synthetic run with
 * seed 3 would use for that tensor.
 *
 * Scales follow the usual ViT initialisation (timm): truncated normal with std 0.02 for linear,
 * patch, gate, positional and class-token parameters; LayerNorm γ = 1, β = 0. Biases get a small
 * truncated normal (std 0.01) rather than zero so that bias paths are exercised. Truncation is at
 * ±2σ (redrawn). Trained weights are larger (M3ViT-tiny: linear std ≈ 0.05, biases std ≈ 0.6),
 * so synthetic activations are smaller than real ones.
 */
import { Rng } from '../rng.js';

/** How a tensor is initialised, decided from its name. */
export type SyntheticKind = 'weight' | 'bias' | 'ln-gamma' | 'ln-beta' | 'embed';

export function syntheticKind(name: string): SyntheticKind {
  if (/_norm\d_weight$/.test(name)) return 'ln-gamma';
  if (/_norm\d_bias$/.test(name)) return 'ln-beta';
  if (name === 'pos_embed' || name === 'cls_token') return 'embed';
  if (name.endsWith('_bias')) return 'bias';
  return 'weight';
}

export const SYNTHETIC_STD: Readonly<Record<SyntheticKind, number>> = {
  weight: 0.02,
  embed: 0.02,
  bias: 0.01,
  'ln-gamma': 0,
  'ln-beta': 0,
};

/** The synthetic values of tensor `name` (length `size`) for `seed`. */
export function syntheticTensorData(name: string, size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  const kind = syntheticKind(name);
  if (kind === 'ln-gamma') return out.fill(1);
  if (kind === 'ln-beta') return out;
  const std = SYNTHETIC_STD[kind];
  const rng = new Rng(seed, name);
  for (let i = 0; i < size; i++) out[i] = rng.truncNormal(std);
  return out;
}
