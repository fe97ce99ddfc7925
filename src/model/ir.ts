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

/**
 * The classifier head after the last block (timm's `norm`/`fc_norm`, `global_pool`, `head`):
 *   final LayerNorm (tensors `norm_weight`, `norm_bias`, ε = lnEps), pooling, then the linear
 *   `head_weight` [classes][D], `head_bias` [classes] → logits (1 × classes).
 * - `pooling: 'token'`: row 0 (the class token); `'mean'`: the mean over the patch tokens
 *   (timm `global_pool='avg'`: the class token, if any, is left out of the mean).
 * - `finalNorm: 'pooled'`: LayerNorm of the pooled vector (timm `fc_norm`; for token pooling the
 *   same function as normalising every token first, since LayerNorm is per token, and 1/N the
 *   work); `'tokens'`: LayerNorm of every token, then pooling (timm `norm` with mean pooling).
 * Absent: the model ends with the residual stream (M3ViT-tiny as published has no head).
 */
export interface HeadSpec {
  readonly pooling: 'token' | 'mean';
  readonly finalNorm: 'pooled' | 'tokens';
  readonly classes: number;
}

/** GELU of the MLPs: exact erf form (nn.GELU()) or the tanh approximation (approximate='tanh'). */
export type GeluKind = 'erf' | 'tanh';

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
  /** Classifier head; absent = no final norm, no head (output = residual stream). */
  readonly head?: HeadSpec;
  /** GELU form of the float64 reference; absent = 'erf'. */
  readonly gelu?: GeluKind;
  /** Evaluation preprocessing of photos (--image x.png/.jpg); absent = ImageNet/DeiT defaults. */
  readonly preprocess?: {
    readonly mean: readonly number[];
    readonly std: readonly number[];
    readonly cropPct: number;
    readonly interpolation: 'bicubic' | 'bilinear';
  };
  /**
   * A file this model was imported from that also holds its trained weights (an ONNX file);
   * used by every command when no --weights is given.
   */
  readonly weightsFrom?: string;
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
