/**
 * Where every parameter tensor lives in the kernel's AXI memories. The kernel has one m_axi port per
 * tensor class (so each port carries one element type), and each port holds its tensors back to
 * back in a fixed order; per block the offsets are emitted as a constant table. The testbench fills
 * the ports from the same list, so kernel and testbench cannot disagree on the layout.
 */
import { UserError } from '../errors.js';
import type { DesignPoint } from '../design/types.js';
import { modelDims, type FfnSpec } from '../model/ir.js';

/** The parameter ports (image and output are separate, see context.ts). */
export const PARAM_PORTS = ['patch_w', 'lin_w', 'attn_b', 'ffn_b', 'norm_p', 'pos'] as const;
export type ParamPort = (typeof PARAM_PORTS)[number];

export interface TensorSlot {
  /** Tensor name in the weight set / file name without `.float32.bin`. */
  readonly tensor: string;
  readonly port: ParamPort;
  readonly offset: number;
  readonly size: number;
}

/** Offsets of one block's tensors; `gate_w` is -1 for dense blocks. */
export interface BlockOffsets {
  readonly index: number;
  readonly moe: boolean;
  readonly qkv_w: number;
  readonly proj_w: number;
  readonly ffn1_w: number;
  readonly ffn2_w: number;
  readonly gate_w: number;
  readonly qkv_b: number;
  readonly proj_b: number;
  readonly ffn1_b: number;
  readonly ffn2_b: number;
  readonly norm1_g: number;
  readonly norm1_b: number;
  readonly norm2_g: number;
  readonly norm2_b: number;
}

export interface ParamLayout {
  readonly slots: readonly TensorSlot[];
  readonly blocks: readonly BlockOffsets[];
  /** Elements per port. */
  readonly sizes: Readonly<Record<ParamPort, number>>;
  /** Offset of the patch-embedding bias in `ffn_b`, of the class token in `pos` (-1: none). */
  readonly patchBiasOffset: number;
  readonly clsOffset: number;
}

/** The hidden width shared by every block of `kind` (the kernel sizes one buffer per kind). */
export function uniformFfn<K extends FfnSpec['kind']>(blocks: readonly FfnSpec[], kind: K): Extract<FfnSpec, { kind: K }> | undefined {
  const of = blocks.filter((b): b is Extract<FfnSpec, { kind: K }> => b.kind === kind);
  const first = of[0];
  if (first && of.some((b) => JSON.stringify(b) !== JSON.stringify(first))) {
    throw new UserError('model', `the HLS generator needs every ${kind} block to have the same shape`);
  }
  return first;
}

export function paramLayout(design: DesignPoint): ParamLayout {
  const m = design.model;
  const dims = modelDims(m);
  const D = m.dim;
  const sizes: Record<ParamPort, number> = { patch_w: 0, lin_w: 0, attn_b: 0, ffn_b: 0, norm_p: 0, pos: 0 };
  const slots: TensorSlot[] = [];
  const put = (tensor: string, port: ParamPort, size: number): number => {
    const offset = sizes[port];
    slots.push({ tensor, port, offset, size });
    sizes[port] += size;
    return offset;
  };

  put('patch_embed_weight', 'patch_w', D * dims.patchK);
  const patchBiasOffset = put('patch_embed_bias', 'ffn_b', D);
  put('pos_embed', 'pos', dims.tokens * D);
  const clsOffset = m.classToken === 'parameter' ? put('cls_token', 'pos', D) : -1;

  const blocks = m.blocks.map((ffn, l): BlockOffsets => {
    const p = `l${l}_`;
    const norm1_g = put(`${p}norm1_weight`, 'norm_p', D);
    const norm1_b = put(`${p}norm1_bias`, 'norm_p', D);
    const norm2_g = put(`${p}norm2_weight`, 'norm_p', D);
    const norm2_b = put(`${p}norm2_bias`, 'norm_p', D);
    const qkv_w = put(`${p}qkv_weight`, 'lin_w', 3 * D * D);
    const qkv_b = put(`${p}qkv_bias`, 'attn_b', 3 * D);
    const proj_w = put(`${p}attn_proj_weight`, 'lin_w', D * D);
    const proj_b = put(`${p}attn_proj_bias`, 'attn_b', D);
    if (ffn.kind === 'mlp') {
      const H = ffn.hidden;
      const ffn1_w = put(`${p}fc1_weight`, 'lin_w', H * D);
      const ffn1_b = put(`${p}fc1_bias`, 'ffn_b', H);
      const ffn2_w = put(`${p}fc2_weight`, 'lin_w', D * H);
      const ffn2_b = put(`${p}fc2_bias`, 'ffn_b', D);
      return { index: l, moe: false, qkv_w, proj_w, ffn1_w, ffn2_w, gate_w: -1, qkv_b, proj_b, ffn1_b, ffn2_b, norm1_g, norm1_b, norm2_g, norm2_b };
    }
    const E = ffn.experts;
    const H = ffn.hidden;
    // Only the design's task gate is stored: the task is fixed at generation (design.moe.task).
    const gate_w = put(`${p}w_gate_T_task${design.moe.task}`, 'lin_w', E * D);
    const ffn1_w = put(`${p}htoh4_weight`, 'lin_w', E * H * D);
    const ffn1_b = put(`${p}htoh4_bias`, 'ffn_b', E * H);
    const ffn2_w = put(`${p}h4toh_weight`, 'lin_w', E * D * H);
    const ffn2_b = put(`${p}h4toh_bias`, 'ffn_b', E * D);
    return { index: l, moe: true, qkv_w, proj_w, ffn1_w, ffn2_w, gate_w, qkv_b, proj_b, ffn1_b, ffn2_b, norm1_g, norm1_b, norm2_g, norm2_b };
  });
  return { slots, blocks, sizes, patchBiasOffset, clsOffset };
}
