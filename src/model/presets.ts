/**
 * Built-in model presets. Widths/depths/heads/MLP follow the standard ViT table (Dosovitskiy et
 * al. 2021, Table 1; ViT-Ti from Steiner et al. 2021) and DeiT (Touvron et al. 2021, Table 1).
 * `m3vit-tiny` is exactly the model of ../shared/m3vit/README.md (Edge-MoE's M3ViT-tiny); as
 * published it has no classifier head (its task heads are dense-prediction decoders outside the
 * ViT backbone), so it stays headless. ViT/DeiT presets carry timm's 1000-class head.
 */
import { UserError } from '../errors.js';
import type { FfnSpec, ModelSpec } from './ir.js';

interface VitShape { dim: number; depth: number; heads: number; mlp: number }

function denseVit(name: string, s: VitShape, image = 224): ModelSpec {
  const blocks: FfnSpec[] = Array.from({ length: s.depth }, () => ({ kind: 'mlp', hidden: s.mlp }) as const);
  return Object.freeze({
    name, channels: 3, imageHeight: image, imageWidth: image, patchSize: 16, classToken: 'parameter',
    dim: s.dim, depth: s.depth, heads: s.heads, lnEps: 1e-6, blocks: Object.freeze(blocks),
    // ImageNet-1k classifier as in timm/DeiT: final LayerNorm, class-token pooling, 1000 classes.
    head: Object.freeze({ pooling: 'token', finalNorm: 'pooled', classes: 1000 } as const),
  });
}

const TI: VitShape = { dim: 192, depth: 12, heads: 3, mlp: 768 };
const S: VitShape = { dim: 384, depth: 12, heads: 6, mlp: 1536 };
const B: VitShape = { dim: 768, depth: 12, heads: 12, mlp: 3072 };
const L: VitShape = { dim: 1024, depth: 24, heads: 16, mlp: 4096 };

function m3vitTiny(): ModelSpec {
  // Even blocks dense MLP (768), odd blocks MoE: 16 experts, top-2, expert hidden 384, 2 task gates.
  const blocks: FfnSpec[] = Array.from({ length: 12 }, (_, l) =>
    l % 2 === 0
      ? ({ kind: 'mlp', hidden: 768 } as const)
      : ({ kind: 'moe', experts: 16, topK: 2, hidden: 384, tasks: 2 } as const));
  return Object.freeze({
    name: 'm3vit-tiny', channels: 3, imageHeight: 128, imageWidth: 256, patchSize: 16,
    classToken: 'pos-embed', dim: 192, depth: 12, heads: 3, lnEps: 1e-6, blocks: Object.freeze(blocks),
  });
}

const PRESETS: Record<string, () => ModelSpec> = {
  'm3vit-tiny': m3vitTiny,
  'vit-ti16': () => denseVit('vit-ti16', TI),
  'vit-s16': () => denseVit('vit-s16', S),
  'vit-b16': () => denseVit('vit-b16', B),
  'vit-l16': () => denseVit('vit-l16', L),
  'deit-t': () => denseVit('deit-t', TI),
  'deit-s': () => denseVit('deit-s', S),
  'deit-b': () => denseVit('deit-b', B),
};

export const PRESET_NAMES: readonly string[] = Object.keys(PRESETS);

export function isPreset(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

const MADE = new Map<string, ModelSpec>();

/** A preset model; the same (frozen) object for the same name, so per-model caches hit across designs. */
export function presetModel(name: string, field = 'model'): ModelSpec {
  const make = PRESETS[name];
  if (!make) throw new UserError(field, `unknown model preset '${name}'`, PRESET_NAMES.join(', ') + ', or a .yaml/.json/.onnx model file');
  let m = MADE.get(name);
  if (!m) MADE.set(name, (m = deepFreeze(make())));
  return m;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    for (const v of Object.values(o as object)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
