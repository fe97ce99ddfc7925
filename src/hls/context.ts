/**
 * Design point → template context: everything the Handlebars templates print is computed here, so
 * the templates stay plain C++ with named slots. The pragma factors are the design parameters the
 * timing model reads (linear.tileIn/tileOut, attention.parallel/dotTile, axiBits, buffers.weights,
 * clockMHz); the typedefs are the design's types; the exact intermediates are sized by the Vitis
 * result-type rules (cpp-types.ts).
 */
import { UserError } from '../errors.js';
import type { DesignPoint, TensorClass } from '../design/types.js';
import { getPart } from '../hw/parts.js';
import { modelDims } from '../model/ir.js';
import {
  addShape, checkWidth, cppDouble, cppShape, cppType, exactDotShape, mulShape, type ApShape,
} from './cpp-types.js';
import { paramLayout, uniformFfn, type BlockOffsets, type ParamLayout, type ParamPort } from './layout.js';

/** Name of the top function and of the generated files. */
export const TOP = 'vitforge_kernel';
export const TB = 'vitforge_tb';

/** C++ typedef name and description of each tensor class, in header order. */
const CLASS_TYPEDEFS: readonly { cls: TensorClass; name: string; comment: string }[] = [
  { cls: 'fm', name: 'fm_t', comment: 'feature maps (activations, scores, probabilities)' },
  { cls: 'linearWeight', name: 'lw_t', comment: 'qkv, projection, MLP, gate and expert weights' },
  { cls: 'attnBias', name: 'attn_bias_t', comment: 'qkv and projection biases' },
  { cls: 'bias', name: 'bias_t', comment: 'MLP, expert and patch-embedding biases' },
  { cls: 'norm', name: 'norm_t', comment: 'LayerNorm gamma and beta' },
  { cls: 'patchWeight', name: 'patch_w_t', comment: 'patch-embedding weights' },
  { cls: 'pixel', name: 'pixel_t', comment: 'input image' },
  { cls: 'accum', name: 'accum_t', comment: 'accumulators of the linear unit and attention' },
  { cls: 'softmax', name: 'softmax_t', comment: 'softmax sums, exp outputs, reciprocals' },
  { cls: 'lnStat', name: 'lnstat_t', comment: 'LayerNorm statistics and 1/sigma' },
  { cls: 'geluTable', name: 'gelu_table_t', comment: 'GELU delta-table entries' },
];

/** Port name, C++ element type, AXI bundle and what it holds, in top-function argument order. */
const PORTS: readonly { name: ParamPort | 'image' | 'out'; cls: TensorClass; type: string; bundle: string; sizeName: string; comment: string }[] = [
  { name: 'image', cls: 'pixel', type: 'pixel_t', bundle: 'gmem_in', sizeName: 'IMAGE_SIZE', comment: 'input image [IMAGE_C][IMAGE_H][IMAGE_W]' },
  { name: 'patch_w', cls: 'patchWeight', type: 'patch_w_t', bundle: 'gmem_w', sizeName: 'PATCH_W_SIZE', comment: 'patch_embed_weight [DIM][PATCH_K]' },
  { name: 'lin_w', cls: 'linearWeight', type: 'lw_t', bundle: 'gmem_w', sizeName: 'LIN_W_SIZE', comment: 'every linear, gate and expert weight matrix' },
  { name: 'attn_b', cls: 'attnBias', type: 'attn_bias_t', bundle: 'gmem_p', sizeName: 'ATTN_B_SIZE', comment: 'qkv and projection biases' },
  { name: 'ffn_b', cls: 'bias', type: 'bias_t', bundle: 'gmem_p', sizeName: 'FFN_B_SIZE', comment: 'patch-embedding, MLP and expert biases' },
  { name: 'norm_p', cls: 'norm', type: 'norm_t', bundle: 'gmem_p', sizeName: 'NORM_P_SIZE', comment: 'LayerNorm gamma and beta' },
  { name: 'pos', cls: 'fm', type: 'fm_t', bundle: 'gmem_p', sizeName: 'POS_SIZE', comment: 'pos_embed [TOKENS][DIM] (+ cls_token)' },
  { name: 'out', cls: 'fm', type: 'fm_t', bundle: 'gmem_out', sizeName: 'OUT_SIZE', comment: 'output residual stream [TOKENS][DIM]' },
];

interface Named { name: string; value?: number | string; cpp?: string; comment: string; pad?: string }

/** Pad `key` so that the comments of a list line up. */
function aligned<T extends Named>(rows: T[], key: (r: T) => string): T[] {
  const width = Math.max(...rows.map((r) => key(r).length));
  return rows.map((r) => ({ ...r, pad: ' '.repeat(width - key(r).length) }));
}

function shapeOf(cls: TensorClass, design: DesignPoint): ApShape {
  const t = design.types[cls];
  return { W: t.W, I: t.I, signed: t.signed };
}

/**
 * Width check of every full-precision expression the kernel evaluates (names as in the C++).
 * Our C-simulation headers, like Xilinx's, support operator results up to 128 bits.
 */
function checkIntermediates(design: DesignPoint, sums: Record<string, ApShape>): void {
  const s = (c: TensorClass): ApShape => shapeOf(c, design);
  const invD: ApShape = { W: 32, I: 0, signed: false };
  const diff = addShape(s('fm'), s('fm'), true);
  const lnCentered = addShape(s('fm'), s('lnStat'), true);
  const checks: [string, ApShape][] = [
    ['partial + x * w (linear unit)', addShape(sums.lin_sum_t!, mulShape(s('fm'), s('linearWeight')))],
    ['partial + pixel * w (patch embedding)', addShape(sums.patch_sum_t!, mulShape(s('pixel'), s('patchWeight')))],
    ['partial + q * k (attention)', addShape(sums.score_sum_t!, mulShape(s('fm'), s('fm')))],
    ['acc + partial (linear unit)', addShape(s('accum'), sums.lin_sum_t!)],
    ['acc + partial (patch embedding)', addShape(s('accum'), sums.patch_sum_t!)],
    ['dot + partial (attention)', addShape(s('accum'), sums.score_sum_t!)],
    ['acc + bias', addShape(s('accum'), s('attnBias'))],
    ['acc + bias', addShape(s('accum'), s('bias'))],
    ['x * x (LayerNorm)', mulShape(s('fm'), s('fm'))],
    ['sum + x (LayerNorm)', addShape(s('lnStat'), s('fm'))],
    ['sum * LN_INV_DIM', mulShape(s('lnStat'), invD)],
    ['mean_sq - mean * mean', addShape(s('lnStat'), mulShape(s('lnStat'), s('lnStat')), true)],
    ['(x - mean) * inv_std', mulShape(lnCentered, s('lnStat'))],
    ['n * gamma + beta', addShape(mulShape(s('fm'), s('norm')), s('norm'))],
    ['dot * ATTN_SCALE', mulShape(s('accum'), s('fm'))],
    ['run_sum * exp', mulShape(s('softmax'), s('softmax'))],
    ['acc + prob * v', addShape(s('accum'), mulShape(s('fm'), s('fm')))],
    ['s - run_max', diff],
    ['p * expert_out + y', addShape(s('fm'), mulShape(s('fm'), s('fm')))],
  ];
  for (const [name, shape] of checks) checkWidth(name, shape);
}

export interface HlsContext {
  readonly [key: string]: unknown;
}

export interface ContextOptions {
  /** Include path of the C-simulation headers written into the Makefile. */
  readonly csimInclude: string;
  readonly csimHeaders: boolean;
  /** One line on where the testbench's weights come from (README). */
  readonly weightsNote: string;
  readonly version: string;
}

/** Reject what only the simulator can do (the exact-function ablation switches). */
export function checkGeneratable(design: DesignPoint): void {
  const exact = (['exp', 'recip', 'rsqrt', 'gelu'] as const).filter((k) => design.approx[k] === 'exact');
  if (exact.length > 0) {
    throw new UserError(`approx.${exact[0]}`,
      "'exact' evaluates a float64 function and exists only for simulation ablations; hardware needs the vitforge math unit",
      exact[0] === 'gelu' ? 'table' : 'hw');
  }
}

function log2Exact(x: number, field: string): number {
  const k = Math.log2(x);
  if (!Number.isInteger(k)) throw new UserError(field, `${x} is not a power of two`);
  return k;
}

/** The whole template context of one design point. */
export function buildHlsContext(design: DesignPoint, opts: ContextOptions): { context: HlsContext; layout: ParamLayout } {
  checkGeneratable(design);
  const m = design.model;
  const dims = modelDims(m);
  const dense = uniformFfn(m.blocks, 'mlp');
  const moe = uniformFfn(m.blocks, 'moe');
  const layout = paramLayout(design);
  const part = getPart(design.part);
  const T = design.types;
  const { tileIn, tileOut } = design.linear;
  const { parallel, dotTile } = design.attention;

  const sums: Record<string, ApShape> = {
    lin_sum_t: exactDotShape(shapeOf('fm', design), shapeOf('linearWeight', design), tileIn),
    patch_sum_t: exactDotShape(shapeOf('pixel', design), shapeOf('patchWeight', design), tileIn),
    score_sum_t: exactDotShape(shapeOf('fm', design), shapeOf('fm', design), dotTile),
  };
  for (const [name, s] of Object.entries(sums)) checkWidth(name, s);
  checkIntermediates(design, sums);

  const classTypes = aligned(CLASS_TYPEDEFS.map((c) => ({ ...c, cpp: cppType(T[c.cls]) })), (r) => `${r.cpp} ${r.name}`);
  const exactTypes = aligned([
    { name: 'lin_sum_t', cpp: cppShape(sums.lin_sum_t!), comment: `sum of TILE_IN products fm_t * lw_t` },
    { name: 'patch_sum_t', cpp: cppShape(sums.patch_sum_t!), comment: `sum of TILE_IN products pixel_t * patch_w_t` },
    { name: 'score_sum_t', cpp: cppShape(sums.score_sum_t!), comment: `sum of DOT_TILE products fm_t * fm_t (q * k)` },
  ], (r) => `${r.cpp} ${r.name}`);

  const dimRows: Named[] = [
    { name: 'IMAGE_C', value: m.channels, comment: 'input channels' },
    { name: 'IMAGE_H', value: m.imageHeight, comment: 'input height' },
    { name: 'IMAGE_W', value: m.imageWidth, comment: 'input width' },
    { name: 'PATCH', value: m.patchSize, comment: 'patch size and stride' },
    { name: 'PATCHES_X', value: dims.patchesX, comment: 'patches per image row' },
    { name: 'PATCHES', value: dims.patches, comment: 'patch tokens' },
    { name: 'PATCH_K', value: dims.patchK, comment: 'inputs per patch: IMAGE_C * PATCH * PATCH' },
    { name: 'FIRST_PATCH_TOKEN', value: m.classToken === 'none' ? 0 : 1, comment: m.classToken === 'none' ? 'no class token' : 'token 0 is the class token' },
    { name: 'TOKENS', value: dims.tokens, comment: 'sequence length' },
    { name: 'DIM', value: m.dim, comment: 'embedding width' },
    { name: 'HEADS', value: m.heads, comment: 'attention heads' },
    { name: 'HEAD_DIM', value: dims.headDim, comment: 'features per head' },
    { name: 'DEPTH', value: m.depth, comment: 'transformer blocks' },
  ];
  if (dense) dimRows.push({ name: 'MLP_HIDDEN', value: dense.hidden, comment: 'hidden width of the dense MLP' });
  if (moe) {
    dimRows.push(
      { name: 'EXPERTS', value: moe.experts, comment: 'experts per MoE block' },
      { name: 'TOP_K', value: moe.topK, comment: 'experts chosen per token' },
      { name: 'EXPERT_HIDDEN', value: moe.hidden, comment: 'hidden width of one expert' },
    );
  }
  const dimsAligned = aligned(dimRows, (r) => `${r.name} = ${r.value}`);

  const params = aligned<Named>([
    { name: 'TILE_IN', value: tileIn, comment: 'linear.tileIn: inputs per cycle of the linear unit' },
    { name: 'TILE_OUT', value: tileOut, comment: 'linear.tileOut: outputs in parallel' },
    { name: 'ATTN_PARALLEL', value: parallel, comment: 'attention.parallel: query rows per K/V stream' },
    { name: 'DOT_TILE', value: dotTile, comment: 'attention.dotTile: features per cycle per query row' },
  ], (r) => `${r.name} = ${r.value}`);

  const portSize = (name: string): number => {
    if (name === 'image') return m.channels * m.imageHeight * m.imageWidth;
    if (name === 'out') return dims.tokens * m.dim;
    return layout.sizes[name as ParamPort];
  };
  // Vitis widens an m_axi port automatically (max_widen_bitwidth) only for power-of-two element widths.
  const widens = (W: number): boolean => W >= 8 && Number.isInteger(Math.log2(W));
  const ports = aligned(PORTS.map((p) => ({
    ...p, size: portSize(p.name), width: T[p.cls].W, narrow: !widens(T[p.cls].W),
  })), (r) => `${r.sizeName} = ${r.size}`);

  // Field order of block_params_t (kernel.h.hbs): `moe` only when both kinds occur, `gate_w` only with MoE.
  const fieldNames: (keyof BlockOffsets)[] = [
    ...(moe && dense ? ['moe' as const] : []),
    'norm1_g', 'norm1_b', 'qkv_w', 'qkv_b', 'proj_w', 'proj_b', 'norm2_g', 'norm2_b',
    ...(moe ? ['gate_w' as const] : []),
    'ffn1_w', 'ffn1_b', 'ffn2_w', 'ffn2_b',
  ];
  const blockRow = (b: BlockOffsets): string => `{${fieldNames.map((f) => String(b[f])).join(', ')}}`;
  const ffnShape = (denseShape: string, moeShape: string): string =>
    [dense ? `fc ${denseShape}` : '', moe ? `experts ${moeShape}` : ''].filter(Boolean).join(', or ');

  const slotTables = (['patch_w', 'lin_w', 'attn_b', 'ffn_b', 'norm_p', 'pos'] as const).map((port) => ({
    port, table: `${port.toUpperCase()}_TENSORS`, slots: layout.slots.filter((s) => s.port === port),
  }));

  const context: HlsContext = {
    version: opts.version,
    designName: design.name,
    projectName: design.name.replace(/[^A-Za-z0-9_]/g, '_'),
    modelName: m.name,
    top: TOP,
    tb: TB,
    guard: `${TOP.toUpperCase()}_H`,
    part: design.part,
    device: part.device,
    clockMHz: design.clockMHz,
    clockPeriodNs: cppDouble(Math.round((1000 / design.clockMHz) * 1000) / 1000),
    axiBits: design.axiBits,
    tileIn, tileOut, dotTile, parallel,
    tileInPartition: tileIn > 1,
    tileOutPartition: tileOut > 1,
    dotTilePartition: dotTile > 1,
    qkvFactor: Math.max(tileOut, dotTile),
    qkvPartition: Math.max(tileOut, dotTile) > 1,
    attnOutFactor: Math.max(tileIn, dotTile),
    attnOutPartition: Math.max(tileIn, dotTile) > 1,
    hiddenFactor: Math.max(tileIn, tileOut),
    expertHiddenFactor: Math.max(tileIn, tileOut),
    pingpong: design.buffers.weights === 'pingpong',
    classTypes, exactTypes, dims: dimsAligned, params, ports,
    memories: PORTS.filter((p) => p.name !== 'image' && p.name !== 'out').map((p) => ({
      ...p, table: `${p.name.toUpperCase()}_TENSORS`,
    })),
    slotTables,
    blocks: layout.blocks.map((b) => ({ index: b.index, kind: b.moe ? 'mixture of experts' : 'dense MLP', row: blockRow(b) })),
    blockFields: fieldNames.join(', '),
    patchBiasOffset: layout.patchBiasOffset,
    clsOffset: layout.clsOffset >= 0 ? layout.clsOffset : undefined,
    clsPosEmbed: m.classToken === 'pos-embed',
    clsParameter: m.classToken === 'parameter',
    clsNone: m.classToken === 'none',
    hasMoe: Boolean(moe),
    hasDense: Boolean(dense),
    moeTask: design.moe.task,
    ffn1Shape: ffnShape('[MLP_HIDDEN][DIM]', '[EXPERTS][EXPERT_HIDDEN][DIM]'),
    ffn2Shape: ffnShape('[DIM][MLP_HIDDEN]', '[EXPERTS][DIM][EXPERT_HIDDEN]'),
    invDim: cppDouble(1 / m.dim),
    lnEps: cppDouble(m.lnEps),
    attnScale: cppDouble(1 / Math.sqrt(dims.headDim)),
    geluStepLog2: -log2Exact(design.gelu.step, 'gelu.step'),
    geluRange: cppDouble(design.gelu.range),
    fmWidth: T.fm.W,
    fmFrac: T.fm.F,
    tokens: dims.tokens,
    dim: m.dim,
    csimInclude: opts.csimInclude,
    csimHeaders: opts.csimHeaders,
    weightsNote: opts.weightsNote,
  };
  return { context, layout };
}
