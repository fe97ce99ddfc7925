/**
 * Design point + plan → template context: everything the Handlebars templates print is computed
 * here or read from the plan, so the templates stay plain C++ with named slots. Loops are
 * rendered from the plan by the `loop` helper (generate.ts): label, bound, II, trip-count bounds
 * and dependence pragmas all come from the plan's LoopSpec.
 */
import { UserError } from '../errors.js';
import type { DesignPoint, TensorClass } from '../design/types.js';
import { getPart } from '../parts/parts.js';
import { modelDims } from '../model/ir.js';
import { lowerPlan, withTripBounds, type LoweredPlan } from '../plan/index.js';
import { lcm } from '../plan/geometry.js';
import {
  addShape, checkWidth, cppDouble, cppShape, cppType, exactDotShape, mulShape, type ApShape,
} from './cpp-types.js';
import { PARAM_PORTS, paramLayout, uniformFfn, type BlockOffsets, type ParamLayout } from './layout.js';

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

/** AXI word types: name, element typedef, tensor class (for the lane count), what it carries. */
const WORD_TYPES: readonly { name: string; elem: string; cls: TensorClass; lanesName: string; comment: string }[] = [
  { name: 'fm_word_t', elem: 'fm_t', cls: 'fm', lanesName: 'FM_LANES', comment: 'feature maps, positional embedding' },
  { name: 'lw_word_t', elem: 'lw_t', cls: 'linearWeight', lanesName: 'LW_LANES', comment: 'linear weight tiles' },
  { name: 'pw_word_t', elem: 'patch_w_t', cls: 'patchWeight', lanesName: 'PW_LANES', comment: 'patch weight tiles' },
  { name: 'pix_word_t', elem: 'pixel_t', cls: 'pixel', lanesName: 'PIX_LANES', comment: 'patch pixels (im2col rows)' },
  { name: 'ab_word_t', elem: 'attn_bias_t', cls: 'attnBias', lanesName: 'AB_LANES', comment: 'qkv and projection biases' },
  { name: 'b_word_t', elem: 'bias_t', cls: 'bias', lanesName: 'B_LANES', comment: 'MLP, expert and patch biases' },
  { name: 'norm_word_t', elem: 'norm_t', cls: 'norm', lanesName: 'NORM_LANES', comment: 'LayerNorm gamma and beta' },
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

/** The narrowest type holding every value of both shapes exactly (the linear unit's bias buffer). */
export function unionShape(a: ApShape, b: ApShape): ApShape {
  const signed = a.signed || b.signed;
  const ib = (s: ApShape): number => s.I + (signed && !s.signed ? 1 : 0);
  const I = Math.max(ib(a), ib(b));
  return { W: I + Math.max(a.W - a.I, b.W - b.I), I, signed };
}

/**
 * Width check of every full-precision expression the kernel evaluates (names as in the C++).
 * Our C-simulation headers, like Xilinx's, support operator results up to 128 bits.
 */
function checkIntermediates(design: DesignPoint, sums: Record<string, ApShape>, biasU: ApShape): void {
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
    ['acc + bias (linear unit)', addShape(s('accum'), biasU)],
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

const ceilTo = (x: number, m: number): number => Math.ceil(x / m) * m;

/** The plan the generator renders (the same one timing and resources read). */
export function planForHls(design: DesignPoint): LoweredPlan {
  return withTripBounds(lowerPlan(design, { uram: getPart(design.part).uram > 0 }), design);
}

/** The whole template context of one design point. */
export function buildHlsContext(design: DesignPoint, opts: ContextOptions): { context: HlsContext; layout: ParamLayout; plan: LoweredPlan } {
  checkGeneratable(design);
  const m = design.model;
  const dims = modelDims(m);
  const dense = uniformFfn(m.blocks, 'mlp');
  const moe = uniformFfn(m.blocks, 'moe');
  const plan = planForHls(design);
  const g = plan.geometry;
  const R = plan.regions;
  const layout = paramLayout(design, g);
  const part = getPart(design.part);
  const T = design.types;
  const L = g.lanes;

  const sums: Record<string, ApShape> = {
    lin_sum_t: exactDotShape(shapeOf('fm', design), shapeOf('linearWeight', design), g.TI),
    patch_sum_t: exactDotShape(shapeOf('pixel', design), shapeOf('patchWeight', design), g.TI),
    score_sum_t: exactDotShape(shapeOf('fm', design), shapeOf('fm', design), g.B),
  };
  for (const [name, s] of Object.entries(sums)) checkWidth(name, s);
  const biasU = unionShape(shapeOf('attnBias', design), shapeOf('bias', design));
  checkIntermediates(design, sums, biasU);

  const classTypes = aligned(CLASS_TYPEDEFS.map((c) => ({ ...c, cpp: cppType(T[c.cls]) })), (r) => `${r.cpp} ${r.name}`);
  const exactTypes = aligned([
    { name: 'lin_sum_t', cpp: cppShape(sums.lin_sum_t!), comment: 'sum of TILE_IN products fm_t * lw_t' },
    { name: 'patch_sum_t', cpp: cppShape(sums.patch_sum_t!), comment: 'sum of TILE_IN products pixel_t * patch_w_t' },
    { name: 'score_sum_t', cpp: cppShape(sums.score_sum_t!), comment: 'sum of DOT_TILE products fm_t * fm_t (q * k)' },
    { name: 'bias_u_t', cpp: cppShape(biasU), comment: 'holds attn_bias_t and bias_t exactly (the linear unit\'s bias buffer)' },
  ], (r) => `${r.cpp} ${r.name}`);
  const words = aligned(WORD_TYPES.map((w) => ({ ...w, lanes: L[w.cls], cpp: `hls::vector<${w.elem}, ${L[w.cls]}> ${w.name}` })), (r) => r.cpp);

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

  const normPart = lcm(L.fm, L.norm);
  const peOut = ceilTo(m.dim, lcm(g.yPart, L.bias));
  const paramRows: Named[] = [
    { name: 'TILE_IN', value: g.TI, comment: 'linear.tileIn: inputs per cycle of the linear unit' },
    { name: 'TILE_OUT', value: g.TO, comment: 'linear.tileOut: outputs in parallel' },
    { name: 'ATTN_PARALLEL', value: g.P, comment: 'attention.parallel: query rows per K/V pass' },
    { name: 'DOT_TILE', value: g.B, comment: 'attention.dotTile: features per cycle per query row' },
    ...WORD_TYPES.map((w) => ({ name: w.lanesName, value: L[w.cls], comment: `${w.elem} per ${design.axiBits}-bit word` })),
    { name: 'BIAS_LANES_MAX', value: Math.max(L.attnBias, L.bias), comment: 'larger of AB_LANES and B_LANES' },
    { name: 'DIM_WORDS', value: g.rowWords(m.dim), comment: 'words of one fm row of DIM features' },
    { name: 'QKV_WORDS', value: g.rowWords(3 * m.dim), comment: 'words of one qkv row' },
    { name: 'HEAD_WORDS', value: dims.headDim / L.fm, comment: 'words of one head slice' },
    ...(moe ? [{ name: 'EXPERT_WORDS', value: g.rowWords(moe.experts), comment: 'words of one row of gate logits' }] : []),
    { name: 'PATCH_WORDS', value: Math.ceil(dims.patchK / L.pixel), comment: 'words of one patch row' },
    { name: 'KEY_TILES', value: dims.headDim / g.B, comment: 'DOT_TILE slices of a head' },
    { name: 'QUERY_BLOCKS', value: Math.ceil(dims.tokens / g.P), comment: 'query blocks per head' },
    { name: 'X_PART', value: g.xPart, comment: 'input row banks: lcm(TILE_IN, FM_LANES)' },
    { name: 'Y_PART', value: g.yPart, comment: 'output row banks: lcm(TILE_OUT, FM_LANES)' },
    { name: 'MAX_IN', value: g.maxIn, comment: 'largest K of a linear call, in whole X_PART groups' },
    { name: 'MAX_OUT', value: g.maxOut, comment: 'largest N of a linear call, in whole bank groups' },
    { name: 'W_TILE_WORDS', value: g.wTileWords, comment: 'lw words per weight tile (TILE_IN x TILE_OUT weights)' },
    { name: 'W_DEPTH', value: g.wDepth, comment: 'tiles of the largest weight matrix' },
    { name: 'B_PARTS', value: g.bParts, comment: 'bias banks: lcm(TILE_OUT, AB_LANES, B_LANES)' },
    { name: 'B_DEPTH', value: g.bDepth, comment: 'bias bank depth' },
    { name: 'PE_PART', value: g.pePart, comment: 'patch row banks: lcm(TILE_IN, PIX_LANES)' },
    { name: 'PE_IN', value: ceilTo(dims.patchK, g.pePart), comment: 'patch row buffer length' },
    { name: 'PE_OUT', value: peOut, comment: 'patch output row buffer length' },
    { name: 'PE_IN_TILES', value: Math.ceil(dims.patchK / g.TI), comment: 'input tiles of a patch' },
    { name: 'PE_TILE_WORDS', value: g.peTileWords, comment: 'patch weight words per tile' },
    { name: 'PE_TILES', value: g.peTiles, comment: 'patch weight tiles' },
    { name: 'PE_BIAS_WORDS', value: Math.ceil(m.dim / L.bias), comment: 'words of the patch bias' },
    { name: 'KV_PART', value: g.kvPart, comment: 'K/V/Q/accumulator banks: lcm(DOT_TILE, FM_LANES)' },
    { name: 'NORM_WORDS', value: Math.ceil(m.dim / L.norm), comment: 'words of one gamma or beta vector' },
    { name: 'NORM_PART', value: normPart, comment: 'gamma/beta banks: lcm(FM_LANES, NORM_LANES)' },
    { name: 'NORM_LEN', value: ceilTo(Math.max(m.dim, g.rowWords(m.dim) * L.fm, Math.ceil(m.dim / L.norm) * L.norm), normPart), comment: 'gamma/beta buffer length' },
  ];
  if (moe) {
    paramRows.push(
      { name: 'EXPERT_W1_WORDS', value: layout.expertWords.w1, comment: 'lw words of one expert first-layer matrix' },
      { name: 'EXPERT_W2_WORDS', value: layout.expertWords.w2, comment: 'lw words of one expert second-layer matrix' },
      { name: 'EXPERT_B1_WORDS', value: layout.expertWords.b1, comment: 'bias words of one expert first layer' },
      { name: 'EXPERT_B2_WORDS', value: layout.expertWords.b2, comment: 'bias words of one expert second layer' },
    );
  }
  paramRows.push({ name: 'SCRATCH_WORDS', value: R.total, comment: 'fm words of the feature-map scratch memory' });
  const regionRows: Named[] = [
    { name: 'X_BASE', value: R.X, comment: 'residual stream [TOKENS][DIM] (the output)' },
    { name: 'U_BASE', value: R.U, comment: 'LayerNorm output [TOKENS][DIM]' },
    { name: 'QKV_BASE', value: R.QKV, comment: 'qkv [TOKENS][3*DIM]' },
    { name: 'O_BASE', value: R.O, comment: 'attention output [TOKENS][DIM]' },
    { name: 'Y_BASE', value: R.Y, comment: 'projection / feed-forward output [TOKENS][DIM]' },
    { name: 'H_BASE', value: R.H, comment: 'feed-forward hidden rows' },
    { name: 'L_BASE', value: R.L, comment: 'MoE gate logits [TOKENS][EXPERTS]' },
  ];

  const memories = aligned(([
    ['LIN_W_WORDS', layout.sizes.lin_w, 'lin_w: every linear, gate and expert weight matrix (tiles)'],
    ['PATCH_W_WORDS', layout.sizes.patch_w, 'patch_w: patch_embed_weight (tiles)'],
    ['ATTN_B_WORDS', layout.sizes.attn_b, 'attn_b: qkv and projection biases'],
    ['FFN_B_WORDS', layout.sizes.ffn_b, 'ffn_b: patch-embedding, MLP and expert biases'],
    ['NORM_P_WORDS', layout.sizes.norm_p, 'norm_p: LayerNorm gamma and beta'],
    ['POS_WORDS', layout.sizes.pos, 'pos: pos_embed rows (+ cls_token row)'],
    ['PATCHES_WORDS', dims.patches * Math.ceil(dims.patchK / L.pixel), 'patches: the image after im2col, [PATCHES][PATCH_WORDS]'],
  ] as const).map(([sizeName, size, comment]) => ({ name: sizeName, sizeName, size, comment })), (r) => `${r.sizeName} = ${r.size}`);
  const fixedOffsets: Named[] = [{ name: 'PATCH_BIAS_OFFSET', value: layout.patchBiasOffset, comment: 'patch_embed_bias in ffn_b' }];
  if (layout.clsOffset >= 0) fixedOffsets.push({ name: 'CLS_TOKEN_OFFSET', value: layout.clsOffset, comment: 'cls_token row in pos, after pos_embed' });

  const port = (name: string, type: string, bundle: string, size: number, out = false): Record<string, unknown> =>
    ({ name, type, bundle, size, decl: `${out ? '' : 'const '}${type} *${name}` });
  const ports = [
    port('lin_w', 'lw_word_t', 'gmem_w', layout.sizes.lin_w), port('patch_w', 'pw_word_t', 'gmem_w', layout.sizes.patch_w),
    port('attn_b', 'ab_word_t', 'gmem_p', layout.sizes.attn_b), port('ffn_b', 'b_word_t', 'gmem_p', layout.sizes.ffn_b),
    port('norm_p', 'norm_word_t', 'gmem_p', layout.sizes.norm_p), port('pos', 'fm_word_t', 'gmem_p', layout.sizes.pos),
    port('patches', 'pix_word_t', 'gmem_a', dims.patches * Math.ceil(dims.patchK / L.pixel)),
    port('fm_a', 'fm_word_t', 'gmem_a', R.total), port('fm_b', 'fm_word_t', 'gmem_b', R.total), port('fm_c', 'fm_word_t', 'gmem_c', R.total, true),
  ];

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
  const maxRowWords = Math.max(g.rowWords(3 * m.dim), g.rowWords(g.hidden), Math.ceil(dims.patchK / L.pixel));

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
    tileIn: g.TI, tileOut: g.TO, dotTile: g.B, parallel: g.P,
    pingpong: design.buffers.weights === 'pingpong',
    classTypes, exactTypes, words, dims: aligned(dimRows, (r) => `${r.name} = ${r.value}`),
    params: aligned(paramRows, (r) => `${r.name} = ${r.value}`), regions: aligned(regionRows, (r) => `${r.name} = ${r.value}`),
    memories, fixedOffsets: aligned(fixedOffsets, (r) => `${r.name} = ${r.value}`), ports,
    tbMemories: [
      ['lin_w', 'lw_word_t', 'LIN_W_WORDS'], ['patch_w', 'pw_word_t', 'PATCH_W_WORDS'], ['attn_b', 'ab_word_t', 'ATTN_B_WORDS'],
      ['ffn_b', 'b_word_t', 'FFN_B_WORDS'], ['norm_p', 'norm_word_t', 'NORM_P_WORDS'], ['pos', 'fm_word_t', 'POS_WORDS'],
    ].map(([name, type, sizeName]) => ({ name, type, sizeName })),
    slotTables: PARAM_PORTS.map((p) => ({
      port: p, table: `${p.toUpperCase()}_TENSORS`,
      slots: layout.slots.filter((s) => s.port === p).map((s) => ({ ...s, kind: `SLOT_${s.kind.toUpperCase()}` })),
    })).filter((t) => t.slots.length > 0),
    blocks: layout.blocks.map((b) => ({ index: b.index, kind: b.moe ? 'mixture of experts' : 'dense MLP', row: blockRow(b) })),
    blockFields: fieldNames.join(', '),
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
    lnLanes: g.lnLanes,
    lnTree: g.lnLanes > 1,
    streamDepth: Math.max(2, maxRowWords),
    fmWidth: T.fm.W,
    fmFrac: T.fm.F,
    tokens: dims.tokens,
    dim: m.dim,
    csimInclude: opts.csimInclude,
    csimHeaders: opts.csimHeaders,
    weightsNote: opts.weightsNote,
  };
  return { context, layout, plan };
}
