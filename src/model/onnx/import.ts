/**
 * ONNX → vitforge IR and weights, by walking a ViT/DeiT graph from its image input along the
 * residual stream: Conv patch embedding → (Concat class token) → Add position embedding →
 * pre-norm blocks → (final norm, pooling, head). Weight-bearing layers are matched structurally
 * (layers.ts); the parameter-free parts between them — the attention core, the GELU, the
 * pooling, the patch flattening — are recognised by evaluating them (eval.ts) against vitforge's
 * own definition on seeded inputs, so every exporter's arrangement of
 * Reshape/Transpose/Split/Slice/Gather/Mul/Div is accepted when, and only when, it computes the
 * same function. Anything else is a one-line UserError naming the node.
 */
import { UserError } from '../../errors.js';
import { Rng } from '../../rng.js';
import type { FfnSpec, GeluKind, HeadSpec, ModelSpec } from '../ir.js';
import type { OnnxGraph } from './graph.js';
import { constOther, matchLayerNorm, matchLinear, only, type Linear, type Norm } from './layers.js';
import { attr, dense, size, type Dense, type NodeProto } from './proto.js';
import { attentionRef, geluErf, geluTanh } from './reference.js';

export interface ImportedTensor { readonly shape: readonly number[]; readonly data: Float64Array }

export interface Imported {
  readonly model: Omit<ModelSpec, 'name'>;
  readonly tensors: Map<string, ImportedTensor>;
}

const SHAPE_OPS = new Set(['Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze']);
const POOL_OPS = new Set(['Gather', 'Slice', 'Squeeze', 'Unsqueeze', 'Reshape', 'Flatten', 'ReduceMean']);
/** Regions between two weight layers are small; a runaway walk means the graph is not a ViT. */
const MAX_REGION = 400;

function random(n: number, seed: string): Float64Array {
  const r = new Rng(7, seed);
  return Float64Array.from({ length: n }, () => 2 * r.uniform() - 1);
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, s = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i]! - b[i]!) ** 2;
    s += b[i]! ** 2;
  }
  return Math.sqrt(d / Math.max(s, 1e-300));
}

/** Follow single-consumer nodes whose op is in `ops` (the stream as first input). */
function chain(g: OnnxGraph, t: string, ops: ReadonlySet<string>): { nodes: NodeProto[]; out: string } {
  const nodes: NodeProto[] = [];
  let cur = t;
  for (let n = only(g, cur); n && ops.has(n.opType ?? '') && g.inputs(n)[0] === cur; n = only(g, cur)) {
    nodes.push(n);
    cur = n.output![0]!;
  }
  return { nodes, out: cur };
}

/** Nodes reachable forward from `starts`, stopping at (and returning) linear layers. */
function regionTo(g: OnnxGraph, starts: readonly string[], what: string): { nodes: NodeProto[]; stops: NodeProto[] } {
  const nodes: NodeProto[] = [];
  const stops: NodeProto[] = [];
  const todo = [...starts];
  while (todo.length) {
    const t = todo.pop()!;
    for (const n of g.consumers(t)) {
      if (nodes.includes(n) || stops.includes(n)) continue;
      if (matchLinear(g, n, t)) {
        stops.push(n);
        continue;
      }
      if (n.opType === 'Conv' || n.opType === 'Gemm' || n.opType === 'LayerNormalization') {
        throw new UserError(g.where(n), `unexpected inside the ${what}`);
      }
      nodes.push(n);
      if (nodes.length > MAX_REGION) throw new UserError(g.where(n), `the ${what} never reaches a linear layer`);
      todo.push(...(n.output ?? []));
    }
  }
  return { nodes, stops };
}

interface Embedding { x: string; classToken: ModelSpec['classToken']; tensors: Map<string, ImportedTensor> }

function patchEmbedding(g: OnnxGraph, C: number, H: number, W: number): Embedding & { D: number; P: number } {
  const conv = only(g, g.input.name);
  if (conv?.opType !== 'Conv') {
    const n = conv ?? g.consumers(g.input.name)[0];
    throw new UserError(n ? g.where(n) : g.file, 'expected the image input to feed one Conv (patch embedding)');
  }
  const [, wName, bName] = g.inputs(conv);
  const w = g.constValue(wName!);
  if (!w || w.shape.length !== 4 || w.shape[1] !== C || w.shape[2] !== w.shape[3]) {
    throw new UserError(g.where(conv), `weight must be a constant [D][${C}][P][P]`);
  }
  const [D, , P] = w.shape as [number, number, number];
  const strides = (attr(conv, 'strides') as number[] | undefined) ?? [1, 1];
  const pads = (attr(conv, 'pads') as number[] | undefined) ?? [0, 0, 0, 0];
  const ok = strides.every((s) => s === P) && pads.every((p) => p === 0) && ((attr(conv, 'group') as number | undefined) ?? 1) === 1
    && ((attr(conv, 'dilations') as number[] | undefined) ?? [1, 1]).every((d) => d === 1)
    && ['NOTSET', 'VALID', undefined].includes(attr(conv, 'auto_pad') as string | undefined);
  if (!ok) throw new UserError(g.where(conv), `expected a ${P}×${P} convolution with stride ${P}, no padding, group 1 (patch embedding)`);
  if (H % P || W % P) throw new UserError(g.where(conv), `patch ${P} does not divide the image ${H}x${W}`);
  const b = bName ? g.constValue(bName) : dense([D], new Float64Array(D));
  if (!b || size(b.shape) !== D) throw new UserError(g.where(conv), `bias must be a constant vector of ${D}`);
  // Flatten + transpose to tokens: check by evaluation that element (p, d) is conv channel d at patch p.
  const patches = (H / P) * (W / P);
  const fl = chain(g, conv.output![0]!, SHAPE_OPS);
  const probe = dense([1, D, H / P, W / P], Float64Array.from({ length: D * patches }, (_, i) => i));
  const got = g.evaluate(fl.nodes, new Map([[conv.output![0]!, probe]]), 'patch flattening').get(fl.out)!;
  const want = Float64Array.from({ length: patches * D }, (_, i) => (i % D) * patches + Math.floor(i / D));
  const end = fl.nodes.at(-1) ?? conv;
  if (size(got.shape) !== patches * D || got.shape.at(-1) !== D || relErr(got.data, want) !== 0) {
    throw new UserError(g.where(end), `expected the Conv output flattened to [batch, ${patches} patches, ${D}] (flatten(2).transpose(1, 2))`);
  }
  const tensors = new Map<string, ImportedTensor>([
    ['patch_embed_weight', { shape: w.shape, data: w.data }],
    ['patch_embed_bias', { shape: [D], data: b.data }],
  ]);
  return { ...classAndPosition(g, fl.out, D, patches, tensors), D, P };
}

/** The class token (Concat of a constant, possibly Expanded to the batch) and the position Add. */
function classAndPosition(g: OnnxGraph, x0: string, D: number, patches: number, tensors: Map<string, ImportedTensor>): Embedding {
  let x = x0;
  let classToken: ModelSpec['classToken'] = 'none';
  const next = only(g, x);
  if (next?.opType === 'Concat') {
    const ins = g.inputs(next);
    const axis = attr(next, 'axis') as number;
    const clsIn = ins[0]!;
    let cls = g.constValue(clsIn);
    const p = g.producerOf(clsIn);
    if (!cls && p?.opType === 'Expand') cls = g.constValue(g.inputs(p)[0]!);
    if (ins.length !== 2 || ins[1] !== x || (axis !== 1 && axis !== -2) || !cls || size(cls.shape) !== D) {
      throw new UserError(g.where(next), `expected Concat([class token (constant [1,1,${D}]), patches], axis=1)`);
    }
    tensors.set('cls_token', { shape: [D], data: cls.data });
    classToken = 'parameter';
    x = next.output![0]!;
  }
  const tokens = patches + (classToken === 'none' ? 0 : 1);
  const add = only(g, x);
  const pos = add?.opType === 'Add' ? constOther(g, add, x) : undefined;
  if (!pos || size(pos.shape) !== tokens * D) {
    const n = add ?? g.consumers(x)[0];
    throw new UserError(n ? g.where(n) : g.file, `expected Add of a learned position embedding (constant [1,${tokens},${D}])`);
  }
  tensors.set('pos_embed', { shape: [tokens, D], data: pos.data });
  return { x: add!.output![0]!, classToken, tensors };
}

function residual(g: OnnxGraph, r: string, branch: string, what: string): string {
  const add = only(g, branch);
  const ins = add ? g.inputs(add) : [];
  if (add?.opType !== 'Add' || !ins.includes(r) || !ins.includes(branch)) {
    const n = add ?? g.producerOf(branch)!;
    throw new UserError(g.where(n), `expected the residual Add of the ${what} output and the block input`);
  }
  return add.output![0]!;
}

interface Ctx { g: OnnxGraph; N: number; D: number; eps: number[]; tensors: Map<string, ImportedTensor>; verified: Map<string, { order: number[]; heads: number }> }

/** A signature of a region (ops, attributes, constant inputs), to verify each distinct region once. */
function signature(g: OnnxGraph, nodes: readonly NodeProto[]): string {
  return nodes.map((n) => `${n.opType}${JSON.stringify(n.attribute ?? [])}${g.inputs(n).map((i) => {
    const c = g.constValue(i);
    return c ? `[${c.shape}:${c.data.slice(0, 8).join(',')}]` : '*';
  }).join('')}`).sort().join('|');
}

function norm(c: Ctx, x: string, where: string): Norm {
  const n = matchLayerNorm(c.g, x, c.D, 3);
  if (!n) {
    const u = c.g.consumers(x).find((k) => k.opType !== 'Add') ?? c.g.consumers(x)[0];
    throw new UserError(u ? c.g.where(u) : c.g.file, `expected a LayerNorm (${where})`);
  }
  c.eps.push(n.eps);
  return n;
}

function put(c: Ctx, name: string, shape: number[], data: Float64Array): void {
  c.tensors.set(name, { shape, data });
}

/** The attention sub-block on u: returns its projection output and the head count. */
function attentionBlock(c: Ctx, l: number, u: string): { out: string; heads: number } {
  const { g, N, D } = c;
  const lins = g.consumers(u).map((n) => matchLinear(g, n, u)).filter((x): x is Linear => !!x);
  if (!(lins.length === 1 && lins[0]!.outDim === 3 * D) && !(lins.length === 3 && lins.every((x) => x.outDim === D))) {
    const n = g.consumers(u)[0]!;
    throw new UserError(g.where(n), `expected one qkv linear ${D}→${3 * D} or three q/k/v linears ${D}→${D} after the LayerNorm`);
  }
  const { nodes, stops } = regionTo(g, lins.map((x) => x.out), 'attention core');
  if (stops.length !== 1) throw new UserError(g.where(stops[1] ?? nodes[0] ?? lins[0]!.node), 'expected the attention core to end in one projection linear');
  const projNode = stops[0]!;
  const aIn = g.inputs(projNode)[0]!;
  const sig = `attn:${signature(g, nodes)}`;
  const qkv = random(N * 3 * D, `qkv${l}`);
  // Candidate orders of three separate linears: which output is q, k, v.
  const orders = lins.length === 1 ? [[0]] : [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  // Head counts to try: divisors of D, those that appear in the region's shape constants first
  // (the Reshape to [.., heads, dh]) so that a large model needs one evaluation of attention().
  const shapeVals = new Set(nodes.flatMap((n) => g.inputs(n).slice(1).flatMap((i) => {
    const c = g.constValue(i);
    return c && c.int ? [...c.data] : [];
  })));
  const divisors = Array.from({ length: D }, (_, i) => i + 1).filter((h) => D % h === 0)
    .sort((a, b) => Number(!shapeVals.has(a)) - Number(!shapeVals.has(b)) || a - b);
  const feedsFor = (order: number[]): Map<string, Dense> => {
    if (lins.length === 1) return new Map([[lins[0]!.out, dense([1, N, 3 * D], qkv)]]);
    const m = new Map<string, Dense>();
    order.forEach((li, part) => {
      const t = new Float64Array(N * D);
      for (let i = 0; i < N; i++) t.set(qkv.subarray(i * 3 * D + part * D, i * 3 * D + part * D + D), i * D);
      m.set(lins[li]!.out, dense([1, N, D], t));
    });
    return m;
  };
  // Blocks exported alike (same ops, attributes, constants) are evaluated once.
  let found = c.verified.get(sig);
  for (const order of found ? [] : orders) {
    const got = g.evaluate(nodes, feedsFor(order), 'attention core').get(aIn)!;
    if (size(got.shape) !== N * D) break;
    for (const h of divisors) {
      if (relErr(got.data, attentionRef(qkv, N, D, h)) < 1e-6) found = { order, heads: h };
      if (found) break;
    }
    if (found) break;
  }
  if (!found) {
    const sm = nodes.find((n) => n.opType === 'Softmax') ?? nodes[0] ?? projNode;
    throw new UserError(g.where(sm), `the attention core does not compute softmax(q·kᵀ/√dh)·v with the heads in [q | k | v] order for any head count`);
  }
  c.verified.set(sig, found);
  const p = `l${l}_`;
  if (lins.length === 1) {
    put(c, `${p}qkv_weight`, [3 * D, D], lins[0]!.w);
    put(c, `${p}qkv_bias`, [3 * D], lins[0]!.b);
  } else {
    const w = new Float64Array(3 * D * D);
    const b = new Float64Array(3 * D);
    found.order.forEach((li, part) => {
      w.set(lins[li]!.w, part * D * D);
      b.set(lins[li]!.b, part * D);
    });
    put(c, `${p}qkv_weight`, [3 * D, D], w);
    put(c, `${p}qkv_bias`, [3 * D], b);
  }
  const proj = matchLinear(g, projNode, aIn)!;
  if (proj.outDim !== D || proj.inDim !== D) throw new UserError(g.where(projNode), `expected the projection ${D}→${D}, got ${proj.inDim}→${proj.outDim}`);
  put(c, `${p}attn_proj_weight`, [D, D], proj.w);
  put(c, `${p}attn_proj_bias`, [D], proj.b);
  return { out: proj.out, heads: found.heads };
}

/** The MLP sub-block on u: fc1 → GELU → fc2; returns its output, hidden width and GELU form. */
function mlpBlock(c: Ctx, l: number, u: string): { out: string; hidden: number; gelu: GeluKind } {
  const { g, N, D } = c;
  const fc1n = only(g, u);
  const fc1 = fc1n && matchLinear(g, fc1n, u);
  if (!fc1) throw new UserError(fc1n ? g.where(fc1n) : g.file, 'expected the MLP fc1 linear (MatMul/Gemm with a constant matrix) after the LayerNorm');
  const H = fc1.outDim;
  const { nodes, stops } = regionTo(g, [fc1.out], 'GELU');
  if (stops.length !== 1) throw new UserError(g.where(fc1.node), 'expected fc1 → GELU → fc2');
  const fc2n = stops[0]!;
  const hIn = g.inputs(fc2n)[0]!;
  const probe = Float64Array.from({ length: N * H }, (_, i) => -6 + (12 * (i % 1201)) / 1200);
  const got = g.evaluate(nodes, new Map([[fc1.out, dense([1, N, H], probe)]]), 'GELU').get(hIn);
  let gelu: GeluKind | undefined;
  for (const [kind, f] of [['erf', geluErf], ['tanh', geluTanh]] as const) {
    if (got && size(got.shape) === N * H && relErr(got.data, probe.map(f)) < 1e-6) gelu = kind;
  }
  if (!gelu) throw new UserError(g.where(nodes[0] ?? fc2n), 'expected GELU (erf form, tanh form or the Gelu op) between fc1 and fc2');
  const fc2 = matchLinear(g, fc2n, hIn)!;
  if (fc2.inDim !== H || fc2.outDim !== D) throw new UserError(g.where(fc2n), `expected fc2 ${H}→${D}, got ${fc2.inDim}→${fc2.outDim}`);
  const p = `l${l}_`;
  put(c, `${p}fc1_weight`, [H, D], fc1.w);
  put(c, `${p}fc1_bias`, [H], fc1.b);
  put(c, `${p}fc2_weight`, [D, H], fc2.w);
  put(c, `${p}fc2_bias`, [D], fc2.b);
  return { out: fc2.out, hidden: H, gelu };
}

/** Pooling chain from t, checked by evaluation against token / mean pooling. */
function pooling(c: Ctx, t: string, classToken: ModelSpec['classToken']): { out: string; pooling: HeadSpec['pooling'] } | undefined {
  const { g, N, D } = c;
  const ch = chain(g, t, POOL_OPS);
  if (!ch.nodes.length) return undefined;
  const x = random(N * D, 'pool');
  const got = g.evaluate(ch.nodes, new Map([[t, dense([1, N, D], x)]]), 'pooling').get(ch.out)!;
  const first = classToken === 'none' ? 0 : 1;
  const mean = new Float64Array(D);
  for (let i = first; i < N; i++) for (let d = 0; d < D; d++) mean[d]! += x[i * D + d]! / (N - first);
  if (size(got.shape) === D) {
    if (classToken !== 'none' && relErr(got.data, x.subarray(0, D)) === 0) return { out: ch.out, pooling: 'token' };
    if (relErr(got.data, mean) < 1e-12) return { out: ch.out, pooling: 'mean' };
  }
  throw new UserError(g.where(ch.nodes.at(-1)!), `expected pooling to [batch, ${D}]: the class token (Gather/Slice index 0) or the mean over the patch tokens`);
}

/** What follows the last block: nothing, or final norm + pooling + head linear. */
function classifierHead(c: Ctx, r: string, classToken: ModelSpec['classToken']): HeadSpec | undefined {
  const { g, D } = c;
  if (chain(g, r, SHAPE_OPS).out === g.output) return undefined;
  let pooled = pooling(c, r, classToken);
  let finalNorm: HeadSpec['finalNorm'] = 'pooled';
  let v: string;
  if (pooled) {
    const n = matchLayerNorm(g, pooled.out, D, 2);
    if (!n) throw new UserError(g.where(only(g, pooled.out) ?? g.producerOf(pooled.out)!), 'expected the final LayerNorm after pooling');
    c.eps.push(n.eps);
    put(c, 'norm_weight', [D], n.gamma);
    put(c, 'norm_bias', [D], n.beta);
    v = n.out;
  } else {
    const n = norm(c, r, 'final norm');
    put(c, 'norm_weight', [D], n.gamma);
    put(c, 'norm_bias', [D], n.beta);
    pooled = pooling(c, n.out, classToken);
    if (!pooled) throw new UserError(g.where(only(g, n.out) ?? n.node), 'expected pooling (class token or mean) after the final LayerNorm');
    // LayerNorm is per token: normalising every token then taking token 0 = normalising token 0.
    finalNorm = pooled.pooling === 'token' ? 'pooled' : 'tokens';
    v = pooled.out;
  }
  const hn = only(g, v);
  const head = hn && matchLinear(g, hn, v);
  if (!head || head.inDim !== D) throw new UserError(hn ? g.where(hn) : g.file, `expected the classifier head linear (Gemm/MatMul ${D}→classes)`);
  if (chain(g, head.out, SHAPE_OPS).out !== g.output) {
    throw new UserError(g.where(only(g, head.out) ?? head.node), 'expected the head output to be the graph output');
  }
  put(c, 'head_weight', [head.outDim, D], head.w);
  put(c, 'head_bias', [head.outDim], head.b);
  return { pooling: pooled.pooling, finalNorm, classes: head.outDim };
}

export function importGraph(g: OnnxGraph): Imported {
  const dims = g.input.dims;
  if (dims.length !== 4) throw new UserError(`${g.file}: input '${g.input.name}'`, `has rank ${dims.length}, expected [batch, channels, height, width]`);
  dims.slice(1).forEach((d, i) => {
    if (d === undefined) {
      throw new UserError(`${g.file}: input '${g.input.name}'`, `dim ${i + 1} (${['channels', 'height', 'width'][i]}) is dynamic; export with a fixed image size`);
    }
  });
  const [C, H, W] = dims.slice(1) as [number, number, number];
  const emb = patchEmbedding(g, C, H, W);
  const { D, P } = emb;
  const N = (H / P) * (W / P) + (emb.classToken === 'none' ? 0 : 1);
  const c: Ctx = { g, N, D, eps: [], tensors: emb.tensors, verified: new Map() };
  const blocks: FfnSpec[] = [];
  const headsSeen = new Set<number>();
  const gelus = new Set<GeluKind>();
  let r = emb.x;
  // A block starts where the stream feeds a LayerNorm and a residual Add.
  while (g.consumers(r).some((n) => n.opType === 'Add')) {
    const l = blocks.length;
    const n1 = norm(c, r, `block ${l} norm1`);
    put(c, `l${l}_norm1_weight`, [D], n1.gamma);
    put(c, `l${l}_norm1_bias`, [D], n1.beta);
    const a = attentionBlock(c, l, n1.out);
    headsSeen.add(a.heads);
    const r2 = residual(g, r, a.out, `block ${l} attention`);
    const n2 = norm(c, r2, `block ${l} norm2`);
    put(c, `l${l}_norm2_weight`, [D], n2.gamma);
    put(c, `l${l}_norm2_bias`, [D], n2.beta);
    const m = mlpBlock(c, l, n2.out);
    gelus.add(m.gelu);
    blocks.push({ kind: 'mlp', hidden: m.hidden });
    r = residual(g, r2, m.out, `block ${l} MLP`);
  }
  if (!blocks.length) {
    const n = g.consumers(r)[0];
    throw new UserError(n ? g.where(n) : g.file, 'expected at least one transformer block (LayerNorm → attention → residual Add) after the embedding');
  }
  const head = classifierHead(c, r, emb.classToken);
  if (headsSeen.size !== 1) throw new UserError(g.file, `blocks use different head counts (${[...headsSeen].join(', ')}); vitforge models have one`);
  if (gelus.size !== 1) throw new UserError(g.file, 'blocks mix erf and tanh GELU; vitforge models use one form');
  const eps = c.eps[0]!;
  if (c.eps.some((e) => Math.abs(e - eps) > 1e-12 * eps)) throw new UserError(g.file, `LayerNorms use different ε (${[...new Set(c.eps)].join(', ')}); vitforge models have one`);
  const gelu = [...gelus][0]!;
  return {
    model: {
      channels: C, imageHeight: H, imageWidth: W, patchSize: P, classToken: emb.classToken, dim: D,
      depth: blocks.length, heads: [...headsSeen][0]!, lnEps: Math.fround(eps) === eps ? Number(eps.toPrecision(7)) : eps,
      blocks, ...(head ? { head } : {}), ...(gelu === 'tanh' ? { gelu } : {}),
    },
    tensors: c.tensors,
  };
}
