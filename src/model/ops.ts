/**
 * Lowering of a model to its ordered list of operations with arithmetic counts, the common
 * denominator of the cycle model, the benchmarks (GMAC/s) and `vitforge models --ops`.
 *
 * Counting rules (docs/reference.md):
 * - `macs`: multiply-accumulates of the matrix products (linear layers, patch embedding, q·kᵀ,
 *   attention·v, MoE gate).
 * - `elementOps`: element-wise results, one per output element of a bias add, positional add,
 *   residual add, LayerNorm, softmax (one exp each), GELU, or MoE weighting (each weighted
 *   expert output element), pooling (one per pooled element: D for token pooling, which only
 *   selects, is counted as 0; patches·D additions for mean pooling).
 * - The classifier head (models with one) is `block = depth`: final LayerNorm (on 1 or all rows,
 *   per head.finalNorm), pooling, head linear.
 * - MoE blocks count the gate for every token and, by default, the top-k experts per token
 *   (`moeActiveExperts: 'topk'`); `'all'` counts every expert on every token (the dense
 *   equivalent).
 */
import { modelDims, type ModelSpec } from './ir.js';

/** The op kinds lowerModel emits. */
export const OP_KINDS = ['linear', 'matmul', 'layernorm', 'softmax', 'gelu', 'add', 'gate', 'combine', 'pool'] as const;

export interface OpCount {
  /** Block index; -1 for the embedding stage, `depth` for the classifier head. */
  block: number;
  name: string;
  /** One of OP_KINDS. */
  kind: string;
  /** Human-readable shape, e.g. "129x192 · [576][192]". */
  shape: string;
  macs: number;
  elementOps: number;
}

export interface LowerOptions {
  readonly moeActiveExperts?: 'topk' | 'all';
}

export function lowerModel(model: ModelSpec, opts: LowerOptions = {}): OpCount[] {
  const d = modelDims(model);
  const N = d.tokens;
  const D = model.dim;
  const H = model.heads;
  const dh = d.headDim;
  const ops: OpCount[] = [];
  const lin = (block: number, name: string, rows: number, inDim: number, outDim: number, bias = true): OpCount => ({
    block, name, kind: 'linear', shape: `${rows}x${inDim} · [${outDim}][${inDim}]`,
    macs: rows * inDim * outDim, elementOps: bias ? rows * outDim : 0,
  });

  ops.push(lin(-1, 'patch_embed', d.patches, d.patchK, D));
  const clsAdds = model.classToken === 'parameter' ? D : 0;
  ops.push({ block: -1, name: 'pos_add', kind: 'add', shape: `${d.patches}x${D}${clsAdds ? ' + cls' : ''}`, macs: 0, elementOps: d.patches * D + clsAdds });

  model.blocks.forEach((ffn, l) => {
    ops.push({ block: l, name: 'ln1', kind: 'layernorm', shape: `${N}x${D}`, macs: 0, elementOps: N * D });
    ops.push(lin(l, 'qkv', N, D, 3 * D));
    ops.push({ block: l, name: 'attn_scores', kind: 'matmul', shape: `${H}x ${N}x${dh} · ${dh}x${N}`, macs: H * N * N * dh, elementOps: 0 });
    ops.push({ block: l, name: 'attn_softmax', kind: 'softmax', shape: `${H}x ${N}x${N}`, macs: 0, elementOps: H * N * N });
    ops.push({ block: l, name: 'attn_av', kind: 'matmul', shape: `${H}x ${N}x${N} · ${N}x${dh}`, macs: H * N * N * dh, elementOps: 0 });
    ops.push(lin(l, 'proj', N, D, D));
    ops.push({ block: l, name: 'residual1', kind: 'add', shape: `${N}x${D}`, macs: 0, elementOps: N * D });
    ops.push({ block: l, name: 'ln2', kind: 'layernorm', shape: `${N}x${D}`, macs: 0, elementOps: N * D });
    if (ffn.kind === 'mlp') {
      ops.push(lin(l, 'fc1', N, D, ffn.hidden));
      ops.push({ block: l, name: 'gelu', kind: 'gelu', shape: `${N}x${ffn.hidden}`, macs: 0, elementOps: N * ffn.hidden });
      ops.push(lin(l, 'fc2', N, ffn.hidden, D));
    } else {
      const E = ffn.experts;
      // Token-expert pairs actually computed.
      const pairs = N * (opts.moeActiveExperts === 'all' ? E : ffn.topK);
      const per = opts.moeActiveExperts === 'all' ? `all ${E}` : `top-${ffn.topK}`;
      ops.push({ block: l, name: 'gate', kind: 'gate', shape: `${N}x${D} · [${E}][${D}] + softmax`, macs: N * D * E, elementOps: N * E });
      ops.push({ ...lin(l, 'expert_fc1', pairs, D, ffn.hidden), shape: `${pairs}x${D} · [${ffn.hidden}][${D}] (${per})` });
      ops.push({ block: l, name: 'expert_gelu', kind: 'gelu', shape: `${pairs}x${ffn.hidden}`, macs: 0, elementOps: pairs * ffn.hidden });
      ops.push({ ...lin(l, 'expert_fc2', pairs, ffn.hidden, D), shape: `${pairs}x${ffn.hidden} · [${D}][${ffn.hidden}] (${per})` });
      ops.push({ block: l, name: 'expert_combine', kind: 'combine', shape: `${pairs}x${D}`, macs: 0, elementOps: pairs * D });
    }
    ops.push({ block: l, name: 'residual2', kind: 'add', shape: `${N}x${D}`, macs: 0, elementOps: N * D });
  });
  const h = model.head;
  if (h) {
    const L = model.depth;
    const normRows = h.finalNorm === 'tokens' ? N : 1;
    const norm: OpCount = { block: L, name: 'final_norm', kind: 'layernorm', shape: `${normRows}x${D}`, macs: 0, elementOps: normRows * D };
    const poolOp: OpCount = h.pooling === 'token'
      ? { block: L, name: 'pool', kind: 'pool', shape: `token 0 of ${N}x${D}`, macs: 0, elementOps: 0 }
      : { block: L, name: 'pool', kind: 'pool', shape: `mean of ${d.patches}x${D}`, macs: 0, elementOps: d.patches * D };
    ops.push(...(h.finalNorm === 'tokens' ? [norm, poolOp] : [poolOp, norm]), lin(L, 'head', 1, D, h.classes));
  }
  return ops;
}

export function totalMacs(ops: readonly OpCount[]): number {
  return ops.reduce((s, o) => s + o.macs, 0);
}

export function totalElementOps(ops: readonly OpCount[]): number {
  return ops.reduce((s, o) => s + o.elementOps, 0);
}
