/**
 * The bit-accurate forward pass (docs/datapath.md): embedding, then per block LN → qkv (one LIN)
 * → ATTN → projection → residual, LN → dense MLP or MoE → residual; then, for models with a
 * classifier head, final LN / pooling / head linear (headFixed). Tensors are fm raws in
 * Float64Array (tokens × width, row-major). Trace names and layouts are those of the float64
 * reference (src/kernels/forward.ts), with values = toDouble of the fixed-point raws.
 */
import { UserError } from '../../errors.js';
import { fromDouble, quantize } from '../../fixed/quantize.js';
import type { DesignPoint } from '../../design/types.js';
import type { TraceSink } from '../../kernels/forward.js';
import type { BlockRouting, RoutingStats } from '../../design/types.js';
import { attentionScratch, attentionUnit } from './attention.js';
import { buildContext, INV_D_TYPE, type FixedContext } from './context.js';
import { addQ, mulQ } from './exact.js';
import { layerNormUnit } from './layernorm.js';
import { linearUnit, type LinearLayer } from './linear.js';
import { moeUnit } from './moe.js';
import { FixedSoftmax } from './softmax.js';
import type { QTensor, QuantizedWeights } from './weights.js';

/** A trace sink receiving the fixed-point intermediates (as doubles), same names as the float trace. */
export interface FixedTraceSink extends TraceSink {}

export interface FixedForwardOptions {
  /** Run only the first `layers` blocks (default: all). */
  readonly layers?: number;
  readonly trace?: TraceSink;
}

export interface FixedForwardResult {
  /** Final residual stream, fm raws, tokens × D. */
  readonly outputRaw: Float64Array;
  /** The same as doubles. */
  readonly output: Float64Array;
  /** Tokens per expert of every MoE block that ran. */
  readonly routing: RoutingStats;
  /** Logits (doubles of fm raws) when the model has a head and every block ran. */
  readonly logits?: Float64Array;
  readonly logitsRaw?: Float64Array;
}

export const ROUTING_SOURCE = 'functional simulator (fixed point)';

function layerOf(t: QTensor, bias: QTensor | null, N: number, K: number): LinearLayer {
  return {
    w: t.raw, wOff: 0, wF: t.type.F, wMaxAbs: t.maxAbs, N, K,
    b: bias ? bias.raw : null, bOff: 0, bF: bias ? bias.type.F : 0,
  };
}

function emit(trace: TraceSink | undefined, ctx: FixedContext, name: string, raw: Float64Array, rows: number, cols: number): void {
  if (!trace) return;
  const s = 2 ** -ctx.T.fm.F;
  const d = new Float64Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = raw[i]! * s;
  trace.tensor(name, d, rows, cols);
}

/** x (tokens × D) = Q_fm(patch LIN + pos), class token per model.classToken. */
export function embedFixed(ctx: FixedContext, qw: QuantizedWeights, image: ArrayLike<number>): Float64Array {
  const m = ctx.model;
  const { tokens, patches, patchesX, patchK } = ctx.dims;
  const D = m.dim;
  const P = m.patchSize;
  const C = m.channels;
  const H = m.imageHeight;
  const W = m.imageWidth;
  if (image.length !== C * H * W) {
    throw new UserError('image', `has ${image.length} values, ${m.name} expects ${C * H * W} ([${C}][${H}][${W}])`);
  }
  const pixT = ctx.T.pixel;
  // Patch matrix: one row of pixel raws per patch, in (c, ky, kx) order.
  const xs = new Float64Array(patches * patchK);
  for (let p = 0; p < patches; p++) {
    const py = Math.floor(p / patchesX);
    const px = p % patchesX;
    for (let c = 0; c < C; c++) {
      for (let ky = 0; ky < P; ky++) {
        const src = (c * H + py * P + ky) * W + px * P;
        const dst = p * patchK + (c * P + ky) * P;
        for (let kx = 0; kx < P; kx++) xs[dst + kx] = fromDouble(image[src + kx]!, pixT);
      }
    }
  }
  const tok = new Float64Array(patches * D);
  linearUnit(ctx, layerOf(qw.get('patch_embed_weight'), qw.get('patch_embed_bias'), D, patchK), xs, pixT.F, patches, false, tok);
  const pos = qw.get('pos_embed');
  const fmT = ctx.T.fm;
  const F = fmT.F;
  const posF = pos.type.F;
  const x = new Float64Array(tokens * D);
  const first = m.classToken === 'none' ? 0 : 1;
  if (m.classToken === 'pos-embed') {
    for (let c = 0; c < D; c++) x[c] = quantize(pos.raw[c]!, posF, fmT);
  } else if (m.classToken === 'parameter') {
    const cls = qw.get('cls_token');
    for (let c = 0; c < D; c++) x[c] = addQ(cls.raw[c]!, cls.type.F, pos.raw[c]!, posF, fmT);
  }
  for (let p = 0; p < patches; p++) {
    const t = p + first;
    for (let c = 0; c < D; c++) x[t * D + c] = addQ(tok[p * D + c]!, F, pos.raw[t * D + c]!, posF, fmT);
  }
  return x;
}

function residualAdd(x: Float64Array, y: Float64Array, n: number, ctx: FixedContext): void {
  const fmT = ctx.T.fm;
  const F = fmT.F;
  // Both fm: the sum is exact in a double (|raw| < 2^53 each, one carry bit), Q_fm only overflows.
  for (let i = 0; i < n; i++) x[i] = quantize(x[i]! + y[i]!, F, fmT);
}

export function forwardFixed(design: DesignPoint, qw: QuantizedWeights, image: ArrayLike<number>,
  opts: FixedForwardOptions = {}): FixedForwardResult {
  const ctx = buildContext(design);
  const m = ctx.model;
  const layers = opts.layers ?? m.depth;
  if (!Number.isInteger(layers) || layers < 0 || layers > m.depth) {
    throw new UserError('layers', `must be an integer in 0..${m.depth} for ${m.name}, got ${layers}`);
  }
  const trace = opts.trace;
  const N = ctx.dims.tokens;
  const D = m.dim;
  const F = ctx.T.fm.F;
  const x = embedFixed(ctx, qw, image);
  emit(trace, ctx, 'x_embed', x, N, D);

  const u = new Float64Array(N * D);
  const qkv = new Float64Array(N * 3 * D);
  const o = new Float64Array(N * D);
  const y = new Float64Array(N * D);
  const maxHidden = Math.max(0, ...m.blocks.map((b) => (b.kind === 'mlp' ? b.hidden : 0)));
  const hid = new Float64Array(N * maxHidden);
  const scratch = attentionScratch(ctx);
  const softmax = new FixedSoftmax(ctx.math, ctx.T.fm, ctx.T.softmax, ctx.T.fm);
  const blocks: BlockRouting[] = [];

  for (let l = 0; l < layers; l++) {
    const w = (s: string): QTensor => qw.get(`l${l}_${s}`);
    const name = (s: string): string => `l${l}.${s}`;
    layerNormUnit(ctx, x, N, w('norm1_weight'), w('norm1_bias'), u);
    emit(trace, ctx, name('ln1'), u, N, D);
    linearUnit(ctx, layerOf(w('qkv_weight'), w('qkv_bias'), 3 * D, D), u, F, N, false, qkv);
    emit(trace, ctx, name('qkv'), qkv, N, 3 * D);
    attentionUnit(ctx, qkv, o, scratch, softmax);
    emit(trace, ctx, name('attn'), o, N, D);
    linearUnit(ctx, layerOf(w('attn_proj_weight'), w('attn_proj_bias'), D, D), o, F, N, false, y);
    emit(trace, ctx, name('proj'), y, N, D);
    residualAdd(x, y, N * D, ctx);
    emit(trace, ctx, name('post_attn'), x, N, D);

    layerNormUnit(ctx, x, N, w('norm2_weight'), w('norm2_bias'), u);
    emit(trace, ctx, name('ln2'), u, N, D);
    const ffn = m.blocks[l]!;
    if (ffn.kind === 'mlp') {
      linearUnit(ctx, layerOf(w('fc1_weight'), w('fc1_bias'), ffn.hidden, D), u, F, N, true, hid);
      emit(trace, ctx, name('mlp_hidden'), hid, N, ffn.hidden);
      linearUnit(ctx, layerOf(w('fc2_weight'), w('fc2_bias'), D, ffn.hidden), hid, F, N, false, y);
    } else {
      const r = moeUnit(ctx, qw, l, u, y, softmax);
      if (trace) {
        const s = 2 ** -F;
        const p = new Float64Array(r.probs.length);
        for (let i = 0; i < p.length; i++) p[i] = r.probs[i]! * s;
        emit(trace, ctx, name('gate_logits'), r.logits, N, ffn.experts);
        trace.routing(l, r.top.slice(), p, ffn.topK);
      }
      blocks.push({ block: l, counts: r.counts });
    }
    emit(trace, ctx, name('ffn'), y, N, D);
    residualAdd(x, y, N * D, ctx);
    emit(trace, ctx, name('post_ffn'), x, N, D);
  }
  const s = 2 ** -F;
  const output = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    x[i] = x[i]! + 0; // raws are integers: no −0 (it can come from a zero product of a negative)
    output[i] = x[i]! * s;
  }
  const routing = { source: ROUTING_SOURCE, blocks };
  if (!m.head || layers < m.depth) return { outputRaw: x, output, routing };
  const logitsRaw = headFixed(ctx, qw, x, trace);
  return { outputRaw: x, output, routing, logitsRaw, logits: logitsRaw.map((v) => v * s + 0) };
}

/**
 * Pooling (docs/datapath.md, classifier head): token → row 0 of x as it is; mean → per feature the
 * exact sum of the patch rows' fm raws times the constant 1/patches (INV_D_TYPE, like the LN's
 * 1/D), one Q_fm.
 */
export function poolFixed(ctx: FixedContext, x: Float64Array, pooling: 'token' | 'mean'): Float64Array {
  const D = ctx.model.dim;
  if (pooling === 'token') return x.slice(0, D);
  const { tokens, patches } = ctx.dims;
  const fmT = ctx.T.fm;
  const inv = fromDouble(1 / patches, INV_D_TYPE);
  const out = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    let sum = 0; // ≤ tokens·2^(W−1) in magnitude: exact in a double for W ≤ 53 − log2(tokens)
    for (let t = tokens - patches; t < tokens; t++) sum += x[t * D + d]!;
    out[d] = mulQ(sum, fmT.F, inv, INV_D_TYPE.F, fmT);
  }
  return out;
}

/** Final LayerNorm (LN unit), pooling and head linear (linear unit) on the final stream x (fm raws). */
export function headFixed(ctx: FixedContext, qw: QuantizedWeights, x: Float64Array, trace?: TraceSink): Float64Array {
  const m = ctx.model;
  const h = m.head!;
  const D = m.dim;
  const N = ctx.dims.tokens;
  let v: Float64Array;
  if (h.finalNorm === 'tokens') {
    const n = new Float64Array(N * D);
    layerNormUnit(ctx, x, N, qw.get('norm_weight'), qw.get('norm_bias'), n);
    emit(trace, ctx, 'norm', n, N, D);
    v = poolFixed(ctx, n, h.pooling);
    emit(trace, ctx, 'pooled', v, 1, D);
  } else {
    const p = poolFixed(ctx, x, h.pooling);
    emit(trace, ctx, 'pooled', p, 1, D);
    v = new Float64Array(D);
    layerNormUnit(ctx, p, 1, qw.get('norm_weight'), qw.get('norm_bias'), v);
    emit(trace, ctx, 'norm', v, 1, D);
  }
  const logits = new Float64Array(h.classes);
  linearUnit(ctx, layerOf(qw.get('head_weight'), qw.get('head_bias'), h.classes, D), v, ctx.T.fm.F, 1, false, logits);
  emit(trace, ctx, 'logits', logits, 1, h.classes);
  return logits;
}
