/**
 * The float64 reference forward pass: the ground truth the fixed-point simulator and the
 * generated HLS are measured against. It follows ../shared/m3vit/README.md step by step
 * (pre-norm blocks, exact-erf GELU, MoE with non-renormalised top-k weights, no final
 * LayerNorm), generalised to every model of the IR, plus the classifier head of models that have
 * one (final LayerNorm, pooling, head linear: `classify`).
 */
import { UserError } from '../errors.js';
import { modelDims, type ModelSpec } from '../model/ir.js';
import type { WeightSet } from '../model/weights.js';
import { attention } from './attention.js';
import { layerNorm } from './layernorm.js';
import { addInPlace, linear } from './linear.js';
import { mlp } from './mlp.js';
import { moeExperts, moeGate } from './moe.js';
import { patchEmbed } from './patch.js';

/**
 * Receives intermediates as they are computed. `data` is a fresh array the sink may keep.
 * Tensor names (rows × cols):
 * - `x_embed` (tokens×D): residual stream after patch embedding, class token and positions;
 * - `l{i}.ln1` (tokens×D), `l{i}.qkv` (tokens×3D), `l{i}.attn` (tokens×D, heads concatenated,
 *   before the projection), `l{i}.proj` (tokens×D), `l{i}.post_attn` (tokens×D);
 * - `l{i}.ln2` (tokens×D); dense: `l{i}.mlp_hidden` (tokens×hidden, after GELU); MoE:
 *   `l{i}.gate_logits` (tokens×E); then `l{i}.ffn` (tokens×D, the sub-block output before the
 *   residual add) and `l{i}.post_ffn` (tokens×D);
 * - head (models with one, after the last block): `norm` (1×D pooled-then-normalised, or tokens×D
 *   when head.finalNorm is 'tokens'), `pooled` (1×D), `logits` (1×classes).
 */
export interface TraceSink {
  tensor(name: string, data: Float64Array, rows: number, cols: number): void;
  /** MoE routing of block `block`: top (tokens×k expert indices) and their weights, rank order. */
  routing(block: number, top: Int32Array, weights: Float64Array, k: number): void;
}

export interface ForwardOptions {
  /** Run only the first `layers` blocks (default: all). */
  readonly layers?: number;
  /** Task index selecting the MoE gates (default 0). */
  readonly task?: number;
  readonly trace?: TraceSink;
}

/** Validate and default `layers` / `task` against the model. */
export function resolveForwardOptions(model: ModelSpec, opts: ForwardOptions = {}): { layers: number; task: number } {
  const layers = opts.layers ?? model.depth;
  if (!Number.isInteger(layers) || layers < 0 || layers > model.depth) {
    throw new UserError('layers', `must be an integer in 0..${model.depth} for ${model.name}, got ${layers}`);
  }
  const task = opts.task ?? 0;
  const tasks = Math.min(...model.blocks.slice(0, layers).map((b) => (b.kind === 'moe' ? b.tasks : Infinity)));
  if (!Number.isInteger(task) || task < 0 || (Number.isFinite(tasks) && task >= tasks)) {
    const allowed = Number.isFinite(tasks) ? `0..${tasks - 1}` : 'any (no MoE block runs), default 0';
    throw new UserError('task', `invalid task ${task} for ${model.name}`, allowed);
  }
  return { layers, task };
}

/**
 * Patch embedding, class token and positional embedding: the initial residual stream
 * (tokens×D). Class token: `pos-embed` → pos_embed[0]; `parameter` → cls_token + pos_embed[0].
 */
export function embed(model: ModelSpec, weights: WeightSet, image: Float32Array | Float64Array): Float64Array {
  const d = modelDims(model);
  const D = model.dim;
  const expected = model.channels * model.imageHeight * model.imageWidth;
  if (image.length !== expected) {
    throw new UserError('image', `has ${image.length} values, ${model.name} expects ${expected} ([${model.channels}][${model.imageHeight}][${model.imageWidth}])`);
  }
  const tok = patchEmbed(
    image,
    { channels: model.channels, height: model.imageHeight, width: model.imageWidth, patch: model.patchSize },
    weights.get('patch_embed_weight').data,
    weights.get('patch_embed_bias').data,
    D,
  );
  const pos = weights.get('pos_embed').data;
  const x = new Float64Array(d.tokens * D);
  const first = model.classToken === 'none' ? 0 : 1;
  if (model.classToken !== 'none') {
    const cls = model.classToken === 'parameter' ? weights.get('cls_token').data : undefined;
    for (let c = 0; c < D; c++) x[c] = cls ? cls[c]! + pos[c]! : pos[c]!;
  }
  for (let p = 0; p < d.patches; p++) {
    const t = p + first;
    for (let c = 0; c < D; c++) x[t * D + c] = tok[p * D + c]! + pos[t * D + c]!;
  }
  return x;
}

/** One transformer block applied to x (tokens×D) in place. */
export function block(model: ModelSpec, weights: WeightSet, l: number, x: Float64Array, task = 0, trace?: TraceSink): void {
  const N = modelDims(model).tokens;
  const D = model.dim;
  const w = (s: string): Float32Array => weights.get(`l${l}_${s}`).data;
  const emit = (name: string, data: Float64Array, cols: number): void => trace?.tensor(`l${l}.${name}`, data, N, cols);

  const u1 = layerNorm(x, N, D, w('norm1_weight'), w('norm1_bias'), model.lnEps);
  emit('ln1', u1, D);
  const qkv = linear(u1, N, D, w('qkv_weight'), w('qkv_bias'), 3 * D);
  emit('qkv', qkv, 3 * D);
  const o = attention(qkv, N, D, model.heads);
  emit('attn', o, D);
  const proj = linear(o, N, D, w('attn_proj_weight'), w('attn_proj_bias'), D);
  emit('proj', proj, D);
  addInPlace(x, proj);
  if (trace) emit('post_attn', x.slice(), D);

  const u2 = layerNorm(x, N, D, w('norm2_weight'), w('norm2_bias'), model.lnEps);
  emit('ln2', u2, D);
  const ffn = model.blocks[l]!;
  let f: Float64Array;
  if (ffn.kind === 'mlp') {
    const hidden = new Float64Array(N * ffn.hidden);
    f = mlp(u2, N, D, ffn.hidden, { w1: w('fc1_weight'), b1: w('fc1_bias'), w2: w('fc2_weight'), b2: w('fc2_bias') }, undefined, hidden, model.gelu);
    emit('mlp_hidden', hidden, ffn.hidden);
  } else {
    const g = moeGate(u2, N, D, w(`w_gate_T_task${task}`), ffn.experts, ffn.topK);
    emit('gate_logits', g.logits, ffn.experts);
    trace?.routing(l, g.top, g.weights, ffn.topK);
    f = moeExperts(u2, N, D, ffn.hidden, ffn.experts, ffn.topK, g.top, g.weights, {
      w1: w('htoh4_weight'), b1: w('htoh4_bias'), w2: w('h4toh_weight'), b2: w('h4toh_bias'),
    });
  }
  emit('ffn', f, D);
  addInPlace(x, f);
  if (trace) emit('post_ffn', x.slice(), D);
}

/** The reference forward pass; returns the final residual stream x (tokens×D, row-major). */
export function forwardReference(
  model: ModelSpec,
  weights: WeightSet,
  image: Float32Array,
  opts: ForwardOptions = {},
): Float64Array {
  const { layers, task } = resolveForwardOptions(model, opts);
  if (weights.model !== model && JSON.stringify(weights.model) !== JSON.stringify(model)) {
    throw new UserError('weights', `were made for model ${weights.model.name}, not ${model.name}`);
  }
  const x = embed(model, weights, image);
  opts.trace?.tensor('x_embed', x.slice(), modelDims(model).tokens, model.dim);
  for (let l = 0; l < layers; l++) block(model, weights, l, x, task, opts.trace);
  return x;
}

/**
 * Pooling of the head: row 0 (`token`), or the mean of the patch rows (`mean`; the class token,
 * when there is one, is left out as in timm's global_pool='avg'). x is rows×D with the model's
 * token layout.
 */
export function pool(model: ModelSpec, x: Float64Array, pooling: 'token' | 'mean'): Float64Array {
  const D = model.dim;
  if (pooling === 'token') return x.slice(0, D);
  const d = modelDims(model);
  const first = d.tokens - d.patches;
  const out = new Float64Array(D);
  for (let t = first; t < d.tokens; t++) for (let c = 0; c < D; c++) out[c]! += x[t * D + c]!;
  for (let c = 0; c < D; c++) out[c] = out[c]! / d.patches;
  return out;
}

/** The classifier head on the final residual stream x (tokens×D): logits (classes). */
export function classify(model: ModelSpec, weights: WeightSet, x: Float64Array, trace?: TraceSink): Float64Array {
  const h = model.head;
  if (!h) throw new UserError('model', `${model.name} has no classifier head`);
  const N = modelDims(model).tokens;
  const D = model.dim;
  const g = weights.get('norm_weight').data;
  const b = weights.get('norm_bias').data;
  let pooled: Float64Array;
  if (h.finalNorm === 'tokens') {
    const n = layerNorm(x, N, D, g, b, model.lnEps);
    trace?.tensor('norm', n, N, D);
    pooled = pool(model, n, h.pooling);
    trace?.tensor('pooled', pooled.slice(), 1, D);
  } else {
    const p = pool(model, x, h.pooling);
    trace?.tensor('pooled', p.slice(), 1, D);
    pooled = layerNorm(p, 1, D, g, b, model.lnEps);
    trace?.tensor('norm', pooled.slice(), 1, D);
  }
  const logits = linear(pooled, 1, D, weights.get('head_weight').data, weights.get('head_bias').data, h.classes);
  trace?.tensor('logits', logits.slice(), 1, h.classes);
  return logits;
}
