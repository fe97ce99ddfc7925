/**
 * Where every parameter tensor lives in the kernel's AXI memories, in words. Each memory holds
 * one element type packed LANES to a word (the plan's geometry); every tensor starts on a word
 * boundary. Weight matrices are stored as the linear unit reads them: tile by tile (output tile
 * major, then input tile), TILE_IN × TILE_OUT weights per tile, zero-padded at the edges. Per
 * block the offsets are emitted as a constant table; the testbench packs the memories from the
 * same list, so kernel and testbench cannot disagree on the layout.
 */
import { UserError } from '../errors.js';
import type { DesignPoint, TensorClass } from '../design/types.js';
import { modelDims, type FfnSpec } from '../model/ir.js';
import type { Geometry } from '../plan/index.js';

/** The parameter memories (patches and the feature-map scratch are separate, see context.ts). */
export const PARAM_PORTS = ['patch_w', 'lin_w', 'attn_b', 'ffn_b', 'norm_p', 'pos'] as const;
export type ParamPort = (typeof PARAM_PORTS)[number];

/** The tensor class each memory holds. */
export const PORT_CLASS: Readonly<Record<ParamPort, TensorClass>> = {
  patch_w: 'patchWeight', lin_w: 'linearWeight', attn_b: 'attnBias', ffn_b: 'bias', norm_p: 'norm', pos: 'fm',
};

/** How a tensor is packed: weight tiles of [N][K] matrices, word-aligned vectors, or fm rows. */
export type SlotKind = 'tiles' | 'vector' | 'rows';

export interface TensorSlot {
  /** Tensor name in the weight set / file name without `.float32.bin`. */
  readonly tensor: string;
  readonly port: ParamPort;
  readonly kind: SlotKind;
  /** Word offset of the first matrix / vector / row. */
  readonly offset: number;
  /** Matrices or vectors stored one after another (experts), each `stride` words. */
  readonly count: number;
  /** tiles: N (outputs) and K (inputs); vector: length in `cols`, rows = 1; rows: rows × cols. */
  readonly rows: number;
  readonly cols: number;
  readonly stride: number;
  /** Values in the tensor file. */
  readonly values: number;
}

/** Word offsets of one block's tensors; `gate_w` is -1 for dense blocks. */
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
  /** Words per memory. */
  readonly sizes: Readonly<Record<ParamPort, number>>;
  /** Word offset of the patch-embedding bias in `ffn_b`, of the class token in `pos` (-1: none). */
  readonly patchBiasOffset: number;
  readonly clsOffset: number;
  /** Words of one expert's first / second weight matrix and bias vector (strides). */
  readonly expertWords: { readonly w1: number; readonly w2: number; readonly b1: number; readonly b2: number };
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

export function paramLayout(design: DesignPoint, g: Geometry): ParamLayout {
  const m = design.model;
  const dims = modelDims(m);
  const D = m.dim;
  const sizes: Record<ParamPort, number> = { patch_w: 0, lin_w: 0, attn_b: 0, ffn_b: 0, norm_p: 0, pos: 0 };
  const slots: TensorSlot[] = [];
  const lanes = (port: ParamPort): number => g.lanes[PORT_CLASS[port]];
  const tileWords = (port: ParamPort): number => Math.ceil((g.TI * g.TO) / lanes(port));
  const matrixWords = (port: ParamPort, N: number, K: number): number => Math.ceil(K / g.TI) * Math.ceil(N / g.TO) * tileWords(port);
  const put = (tensor: string, port: ParamPort, kind: SlotKind, rows: number, cols: number, count = 1): number => {
    const stride = kind === 'tiles' ? matrixWords(port, rows, cols) : rows * Math.ceil(cols / lanes(port));
    const offset = sizes[port];
    slots.push({ tensor, port, kind, offset, count, rows, cols, stride, values: count * rows * cols });
    sizes[port] += count * stride;
    return offset;
  };

  put('patch_embed_weight', 'patch_w', 'tiles', D, dims.patchK);
  const patchBiasOffset = put('patch_embed_bias', 'ffn_b', 'vector', 1, D);
  put('pos_embed', 'pos', 'rows', dims.tokens, D);
  const clsOffset = m.classToken === 'parameter' ? put('cls_token', 'pos', 'rows', 1, D) : -1;
  const moe = uniformFfn(m.blocks, 'moe');
  const H = moe?.hidden ?? 0;
  const expertWords = {
    w1: matrixWords('lin_w', H, D), w2: matrixWords('lin_w', D, H),
    b1: Math.ceil(H / lanes('ffn_b')), b2: Math.ceil(D / lanes('ffn_b')),
  };

  const blocks = m.blocks.map((ffn, l): BlockOffsets => {
    const p = `l${l}_`;
    const norm1_g = put(`${p}norm1_weight`, 'norm_p', 'vector', 1, D);
    const norm1_b = put(`${p}norm1_bias`, 'norm_p', 'vector', 1, D);
    const norm2_g = put(`${p}norm2_weight`, 'norm_p', 'vector', 1, D);
    const norm2_b = put(`${p}norm2_bias`, 'norm_p', 'vector', 1, D);
    const qkv_w = put(`${p}qkv_weight`, 'lin_w', 'tiles', 3 * D, D);
    const qkv_b = put(`${p}qkv_bias`, 'attn_b', 'vector', 1, 3 * D);
    const proj_w = put(`${p}attn_proj_weight`, 'lin_w', 'tiles', D, D);
    const proj_b = put(`${p}attn_proj_bias`, 'attn_b', 'vector', 1, D);
    if (ffn.kind === 'mlp') {
      const Hd = ffn.hidden;
      const ffn1_w = put(`${p}fc1_weight`, 'lin_w', 'tiles', Hd, D);
      const ffn1_b = put(`${p}fc1_bias`, 'ffn_b', 'vector', 1, Hd);
      const ffn2_w = put(`${p}fc2_weight`, 'lin_w', 'tiles', D, Hd);
      const ffn2_b = put(`${p}fc2_bias`, 'ffn_b', 'vector', 1, D);
      return { index: l, moe: false, qkv_w, proj_w, ffn1_w, ffn2_w, gate_w: -1, qkv_b, proj_b, ffn1_b, ffn2_b, norm1_g, norm1_b, norm2_g, norm2_b };
    }
    const E = ffn.experts;
    // Only the design's task gate is stored: the task is fixed at generation (design.moe.task).
    const gate_w = put(`${p}w_gate_T_task${design.moe.task}`, 'lin_w', 'tiles', E, D);
    const ffn1_w = put(`${p}htoh4_weight`, 'lin_w', 'tiles', ffn.hidden, D, E);
    const ffn1_b = put(`${p}htoh4_bias`, 'ffn_b', 'vector', 1, ffn.hidden, E);
    const ffn2_w = put(`${p}h4toh_weight`, 'lin_w', 'tiles', D, ffn.hidden, E);
    const ffn2_b = put(`${p}h4toh_bias`, 'ffn_b', 'vector', 1, D, E);
    return { index: l, moe: true, qkv_w, proj_w, ffn1_w, ffn2_w, gate_w, qkv_b, proj_b, ffn1_b, ffn2_b, norm1_g, norm1_b, norm2_g, norm2_b };
  });
  // Empty memories still get one word (an m_axi port needs a non-zero depth).
  for (const p of PARAM_PORTS) sizes[p] = Math.max(1, sizes[p]);
  return { slots, blocks, sizes, patchBiasOffset, clsOffset, expertWords };
}
