/**
 * Model IR: a typed description of a ViT-family network. Everything downstream (reference
 * kernels, fixed-point datapath, timing model, HLS generator) reads shapes from here.
 */

/** Feed-forward sub-block of one transformer block. */
export type FfnSpec =
  | { readonly kind: 'mlp'; readonly hidden: number }
  | {
      readonly kind: 'moe';
      /** Experts in the layer. */
      readonly experts: number;
      /** Experts chosen per token. */
      readonly topK: number;
      /** Hidden width of one expert MLP. */
      readonly hidden: number;
      /** Number of tasks, i.e. gates per layer (multi-task MoE such as M3ViT). */
      readonly tasks: number;
    };

/**
 * Where the class token comes from:
 * - `parameter`: a learned class-token vector, plus pos_embed[0] (ViT, DeiT);
 * - `pos-embed`: pos_embed[0] alone is the class-token input (M3ViT dump, Edge-MoE);
 * - `none`: no class token (tokens = patches).
 */
export type ClassTokenKind = 'parameter' | 'pos-embed' | 'none';

export interface ModelSpec {
  readonly name: string;
  readonly channels: number;
  readonly imageHeight: number;
  readonly imageWidth: number;
  readonly patchSize: number;
  readonly classToken: ClassTokenKind;
  /** Embedding width D. */
  readonly dim: number;
  /** Number of transformer blocks. */
  readonly depth: number;
  readonly heads: number;
  /** LayerNorm epsilon. */
  readonly lnEps: number;
  /** One entry per block. */
  readonly blocks: readonly FfnSpec[];
}

/** Quantities derived from a spec, computed in one place. */
export interface ModelDims {
  readonly patchesY: number;
  readonly patchesX: number;
  readonly patches: number;
  readonly tokens: number;
  readonly headDim: number;
  /** Inputs of the patch-embedding linear map: channels × patch × patch. */
  readonly patchK: number;
}

export function modelDims(m: ModelSpec): ModelDims {
  const patchesY = m.imageHeight / m.patchSize;
  const patchesX = m.imageWidth / m.patchSize;
  const patches = patchesY * patchesX;
  return {
    patchesY,
    patchesX,
    patches,
    tokens: patches + (m.classToken === 'none' ? 0 : 1),
    headDim: m.dim / m.heads,
    patchK: m.channels * m.patchSize * m.patchSize,
  };
}

export function isMoe(b: FfnSpec): b is Extract<FfnSpec, { kind: 'moe' }> {
  return b.kind === 'moe';
}
