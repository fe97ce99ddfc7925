/**
 * Writes the ONNX test fixtures of test/fixtures/onnx/: tiny ViT/DeiT classifiers (image 32×32,
 * patch 8, dim 32, 2 heads, 2 blocks, MLP 64, 10 classes, seeded weights) whose graphs reproduce,
 * node for node, the patterns PyTorch's two exporters emit for timm/DeiT/HF ViT models. PyTorch is
 * not available to the project's machines, so the graphs are written with protobuf directly;
 * scripts/export_timm_onnx.py is the real export a user runs on their own model.
 *
 * What each pattern is based on (see test/fixtures/onnx/README.md for the sources):
 * - TorchScript exporter, opset 17 (`torch.onnx.export(..., dynamo=False)`): nn.LayerNorm →
 *   LayerNormalization; nn.Linear on a 3-D input → MatMul with a pre-transposed initialiser
 *   (`onnx::MatMul_*`) then Add(bias, ·); flatten(2) → Reshape [1, D, -1]; `qkv[0..2]` → Gather;
 *   `unbind` → Split + Squeeze; nn.GELU() → Div(√2)/Erf/Add(1)/Mul/Mul(0.5); x[:, 0] → Gather;
 *   the head on a 2-D input → Gemm(transB=1); dynamic batch → Shape/Gather/Unsqueeze/Concat
 *   Reshape targets.
 * - dynamo exporter, opset 18/20 (`dynamo=True`, torchlib): nn.Linear → Transpose(weight) +
 *   MatMul + Add; F.scaled_dot_product_attention → q·√s and kᵀ·√s (Mul by the square root of the
 *   scale on both sides) then MatMul/Softmax/MatMul; unbind → Split(num_outputs=3) + Squeeze;
 *   expand(B, -1, -1) → Expand(·, Abs([1, -1, -1])); opset 20 nn.GELU → Gelu op; GELU(tanh);
 *   LayerNorm decomposed (ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add, axes as inputs).
 *
 * Run: `npm run fixtures:onnx` (compiles, then writes the files). The output is deterministic; a
 * test regenerates every fixture in memory and compares it byte for byte with the committed file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../src/rng.js';
import { GraphBuilder } from './onnx-builder.js';

export interface Variant {
  readonly name: string;
  readonly opset: number;
  readonly exporter: 'torchscript' | 'dynamo';
  readonly classToken: 'none' | 'init' | 'expand';
  readonly dynamicBatch: boolean;
  readonly ln: 'op' | 'decomposed';
  readonly qkv: 'gather' | 'split' | 'slice' | 'separate';
  readonly scale: 'mul-scores' | 'div-scores' | 'sdpa-sqrt' | 'q-only';
  readonly gelu: 'erf' | 'tanh' | 'op';
  readonly pooling: 'token-gather' | 'token-slice' | 'mean';
  /** Where the final LayerNorm sits: before pooling (timm `norm`) or after (timm `fc_norm`). */
  readonly finalNorm: 'tokens' | 'pooled';
  readonly head: 'gemm' | 'matmul';
}

export const SIZE = { image: 32, patch: 8, dim: 32, heads: 2, depth: 2, mlp: 64, classes: 10, eps: 1e-6 };

export const VARIANTS: readonly Variant[] = [
  { name: 'ts17-deit-token', opset: 17, exporter: 'torchscript', classToken: 'init', dynamicBatch: false, ln: 'op', qkv: 'gather', scale: 'mul-scores', gelu: 'erf', pooling: 'token-gather', finalNorm: 'tokens', head: 'gemm' },
  { name: 'ts17-hf-dynbatch', opset: 17, exporter: 'torchscript', classToken: 'expand', dynamicBatch: true, ln: 'op', qkv: 'separate', scale: 'div-scores', gelu: 'erf', pooling: 'token-slice', finalNorm: 'tokens', head: 'matmul' },
  { name: 'ts17-unbind-mean', opset: 17, exporter: 'torchscript', classToken: 'none', dynamicBatch: false, ln: 'decomposed', qkv: 'split', scale: 'sdpa-sqrt', gelu: 'erf', pooling: 'mean', finalNorm: 'pooled', head: 'gemm' },
  { name: 'dynamo18-nocls-mean', opset: 18, exporter: 'dynamo', classToken: 'none', dynamicBatch: false, ln: 'decomposed', qkv: 'split', scale: 'sdpa-sqrt', gelu: 'tanh', pooling: 'mean', finalNorm: 'tokens', head: 'matmul' },
  { name: 'dynamo20-cls-mean', opset: 20, exporter: 'dynamo', classToken: 'expand', dynamicBatch: false, ln: 'op', qkv: 'slice', scale: 'q-only', gelu: 'op', pooling: 'mean', finalNorm: 'pooled', head: 'gemm' },
  { name: 'dynamo18-token', opset: 18, exporter: 'dynamo', classToken: 'init', dynamicBatch: true, ln: 'op', qkv: 'split', scale: 'sdpa-sqrt', gelu: 'erf', pooling: 'token-gather', finalNorm: 'tokens', head: 'gemm' },
];

/** Seeded parameters: N(0, std²) matrices, γ ≈ 1, small β and embeddings. */
class Params {
  private readonly rng: Rng;
  constructor(seed: string) {
    this.rng = new Rng(12, seed);
  }
  normal(n: number, std: number, mean = 0): Float32Array {
    return Float32Array.from({ length: n }, () => mean + std * this.rng.normal());
  }
}

function transpose2(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c]!;
  return t;
}

export function buildVariant(v: Variant): Uint8Array {
  const { image: S, patch: P, dim: D, heads: H, depth, mlp: M, classes: K, eps } = SIZE;
  const dh = D / H;
  const patches = (S / P) ** 2;
  const N = patches + (v.classToken === 'none' ? 0 : 1);
  const ts = v.exporter === 'torchscript';
  const g = new GraphBuilder(ts);
  const rnd = new Params(v.name);
  const axesIn = (axes: number[]): string => g.ints([axes.length], axes);
  // A Reshape target [batch, ...rest]: constant, or computed from the runtime batch (dynamic axes).
  const target = (x: string, rest: number[], scope: string): string => {
    if (!v.dynamicBatch) return g.ints([rest.length + 1], [1, ...rest]);
    const [shape] = g.op('Shape', [x], {}, scope);
    const [b] = g.op('Gather', [shape!, g.ints([], [0])], { axis: { i: 0 } }, scope);
    const [b1] = g.op('Unsqueeze', [b!, axesIn([0])], {}, scope);
    return g.op('Concat', [b1!, g.ints([rest.length], rest)], { axis: { i: 0 } }, scope)[0]!;
  };
  const linear = (x: string, name: string, out: number, inp: number, scope: string, std = 0.15): string => {
    const w = rnd.normal(out * inp, std);
    const b = rnd.normal(out, 0.05);
    if (ts) {
      // TorchScript: the weight is stored pre-transposed [in][out] and the bias is Add's first input.
      const wt = g.param(`onnx::MatMul_${name}`, [inp, out], transpose2(w, out, inp));
      const [mm] = g.op('MatMul', [x, wt], {}, scope);
      return g.op('Add', [g.param(`${name}.bias`, [out], b), mm!], {}, scope)[0]!;
    }
    const [wt] = g.op('Transpose', [g.param(`${name}.weight`, [out, inp], w)], { perm: { ints: [1, 0] } }, scope);
    const [mm] = g.op('MatMul', [x, wt!], {}, scope);
    return g.op('Add', [mm!, g.param(`${name}.bias`, [out], b)], {}, scope)[0]!;
  };
  const layerNorm = (x: string, name: string, scope: string): string => {
    const gamma = g.param(`${name}.weight`, [D], rnd.normal(D, 0.1, 1));
    const beta = g.param(`${name}.bias`, [D], rnd.normal(D, 0.05));
    if (v.ln === 'op') return g.op('LayerNormalization', [x, gamma, beta], { axis: { i: -1 }, epsilon: { f: eps } }, scope)[0]!;
    const mean = (t: string): string => (v.opset >= 18
      ? g.op('ReduceMean', [t, axesIn([-1])], { keepdims: { i: 1 } }, scope)
      : g.op('ReduceMean', [t], { axes: { ints: [-1] }, keepdims: { i: 1 } }, scope))[0]!;
    const [c] = g.op('Sub', [x, mean(x)], {}, scope);
    const [sq] = g.op('Pow', [c!, g.scalar(2)], {}, scope);
    const [ve] = g.op('Add', [mean(sq!), g.scalar(eps)], {}, scope);
    const [sd] = g.op('Sqrt', [ve!], {}, scope);
    const [n] = g.op('Div', [c!, sd!], {}, scope);
    const [m] = g.op('Mul', [n!, gamma], {}, scope);
    return g.op('Add', [m!, beta], {}, scope)[0]!;
  };
  const gelu = (x: string, scope: string): string => {
    if (v.gelu === 'op') return g.op('Gelu', [x], {}, scope)[0]!;
    if (v.gelu === 'erf') {
      const [d] = g.op('Div', [x, g.scalar(Math.SQRT2)], {}, scope);
      const [e] = g.op('Erf', [d!], {}, scope);
      const [a] = g.op('Add', [e!, g.scalar(1)], {}, scope);
      const [m] = g.op('Mul', [x, a!], {}, scope);
      return g.op('Mul', [m!, g.scalar(0.5)], {}, scope)[0]!;
    }
    const [x3] = g.op('Pow', [x, g.scalar(3)], {}, scope);
    const [k] = g.op('Mul', [x3!, g.scalar(0.044715)], {}, scope);
    const [s] = g.op('Add', [x, k!], {}, scope);
    const [b] = g.op('Mul', [s!, g.scalar(Math.sqrt(2 / Math.PI))], {}, scope);
    const [t] = g.op('Tanh', [b!], {}, scope);
    const [a] = g.op('Add', [t!, g.scalar(1)], {}, scope);
    const [h] = g.op('Mul', [x, g.scalar(0.5)], {}, scope);
    return g.op('Mul', [h!, a!], {}, scope)[0]!;
  };
  const heads = (t: string, scope: string): string => {
    const [r] = g.op('Reshape', [t, target(t, [N, H, dh], scope)], {}, scope);
    return g.op('Transpose', [r!], { perm: { ints: [0, 2, 1, 3] } }, scope)[0]!;
  };
  const attention = (x: string, l: number): string => {
    const scope = `/blocks.${l}/attn`;
    let q: string, k: string, vv: string;
    if (v.qkv === 'separate') {
      q = heads(linear(x, `blocks.${l}.attn.query`, D, D, `${scope}/query`), scope);
      k = heads(linear(x, `blocks.${l}.attn.key`, D, D, `${scope}/key`), scope);
      vv = heads(linear(x, `blocks.${l}.attn.value`, D, D, `${scope}/value`), scope);
    } else {
      const qkv = linear(x, `blocks.${l}.attn.qkv`, 3 * D, D, `${scope}/qkv`);
      const [r] = g.op('Reshape', [qkv, target(qkv, [N, 3, H, dh], scope)], {}, scope);
      const [t] = g.op('Transpose', [r!], { perm: { ints: [2, 0, 3, 1, 4] } }, scope);
      if (v.qkv === 'gather') {
        [q, k, vv] = [0, 1, 2].map((i) => g.op('Gather', [t!, g.ints([], [i])], { axis: { i: 0 } }, scope)[0]!) as [string, string, string];
      } else {
        const parts = v.qkv === 'split'
          ? (v.opset >= 18
            ? g.op('Split', [t!], { axis: { i: 0 }, num_outputs: { i: 3 } }, scope, 3)
            : g.op('Split', [t!, g.ints([3], [1, 1, 1])], { axis: { i: 0 } }, scope, 3))
          : [0, 1, 2].map((i) => g.op('Slice', [t!, g.ints([1], [i]), g.ints([1], [i + 1]), axesIn([0])], {}, scope)[0]!);
        [q, k, vv] = parts.map((p) => g.op('Squeeze', [p, axesIn([0])], {}, scope)[0]!) as [string, string, string];
      }
    }
    const scale = 1 / Math.sqrt(dh);
    let scores: string;
    if (v.scale === 'sdpa-sqrt') {
      const [qs] = g.op('Mul', [q, g.scalar(Math.sqrt(scale))], {}, scope);
      const [kt] = g.op('Transpose', [k], { perm: { ints: [0, 1, 3, 2] } }, scope);
      const [ks] = g.op('Mul', [kt!, g.scalar(Math.sqrt(scale))], {}, scope);
      [scores] = g.op('MatMul', [qs!, ks!], {}, scope) as [string];
    } else if (v.scale === 'q-only') {
      const [qs] = g.op('Mul', [q, g.scalar(scale)], {}, scope);
      const [kt] = g.op('Transpose', [k], { perm: { ints: [0, 1, 3, 2] } }, scope);
      [scores] = g.op('MatMul', [qs!, kt!], {}, scope) as [string];
    } else {
      const [kt] = g.op('Transpose', [k], { perm: { ints: [0, 1, 3, 2] } }, scope);
      const [s] = g.op('MatMul', [q, kt!], {}, scope);
      [scores] = (v.scale === 'mul-scores'
        ? g.op('Mul', [s!, g.scalar(scale)], {}, scope)
        : g.op('Div', [s!, g.scalar(Math.sqrt(dh))], {}, scope)) as [string];
    }
    const [a] = g.op('Softmax', [scores], { axis: { i: -1 } }, scope);
    const [o] = g.op('MatMul', [a!, vv], {}, scope);
    const [ot] = g.op('Transpose', [o!], { perm: { ints: [0, 2, 1, 3] } }, scope);
    const [or] = g.op('Reshape', [ot!, target(ot!, [N, D], scope)], {}, scope);
    return linear(or!, `blocks.${l}.attn.proj`, D, D, `${scope}/proj`);
  };

  // Patch embedding: Conv, flatten(2), transpose(1, 2).
  const input = 'input';
  const [conv] = g.op('Conv', [input, g.param('patch_embed.proj.weight', [D, 3, P, P], rnd.normal(D * 3 * P * P, 0.1)),
    g.param('patch_embed.proj.bias', [D], rnd.normal(D, 0.05))],
  { dilations: { ints: [1, 1] }, group: { i: 1 }, kernel_shape: { ints: [P, P] }, pads: { ints: [0, 0, 0, 0] }, strides: { ints: [P, P] } }, '/patch_embed/proj');
  const [flat] = g.op('Reshape', [conv!, target(conv!, [D, -1], '/patch_embed')], {}, '/patch_embed');
  let [x] = g.op('Transpose', [flat!], { perm: { ints: [0, 2, 1] } }, '/patch_embed') as [string];
  if (v.classToken !== 'none') {
    let cls = g.param('cls_token', [1, 1, D], rnd.normal(D, 0.1));
    if (v.classToken === 'expand') {
      // TorchScript turns the -1s of expand(B, -1, -1) into 1s (broadcast) next to the runtime
      // batch; torchlib keeps them and takes Abs([1, -1, -1]).
      const sz = ts ? target(x, [1, 1], '') : g.op('Abs', [g.ints([3], [1, -1, -1])])[0]!;
      [cls] = g.op('Expand', [cls, sz], {}, '') as [string];
    }
    [x] = g.op('Concat', [cls, x], { axis: { i: 1 } }) as [string];
  }
  [x] = g.op('Add', [x, g.param('pos_embed', [1, N, D], rnd.normal(N * D, 0.1))]) as [string];
  for (let l = 0; l < depth; l++) {
    const a = attention(layerNorm(x, `blocks.${l}.norm1`, `/blocks.${l}/norm1`), l);
    [x] = g.op('Add', [x, a], {}, `/blocks.${l}`) as [string];
    const scope = `/blocks.${l}/mlp`;
    const h = gelu(linear(layerNorm(x, `blocks.${l}.norm2`, `/blocks.${l}/norm2`), `blocks.${l}.mlp.fc1`, M, D, `${scope}/fc1`), `${scope}/act`);
    [x] = g.op('Add', [x, linear(h, `blocks.${l}.mlp.fc2`, D, M, `${scope}/fc2`)], {}, `/blocks.${l}`) as [string];
  }
  const pool = (t: string): string => {
    if (v.pooling === 'token-gather') return g.op('Gather', [t, g.ints([], [0])], { axis: { i: 1 } }, '/pool')[0]!;
    if (v.pooling === 'token-slice') {
      const [s] = g.op('Slice', [t, g.ints([1], [0]), g.ints([1], [1]), axesIn([1])], {}, '/pool');
      return g.op('Squeeze', [s!, axesIn([1])], {}, '/pool')[0]!;
    }
    let src = t;
    if (v.classToken !== 'none') [src] = g.op('Slice', [t, g.ints([1], [1]), g.ints([1], [2 ** 53 - 1]), axesIn([1])], {}, '/pool') as [string];
    return (v.opset >= 18
      ? g.op('ReduceMean', [src, axesIn([1])], { keepdims: { i: 0 } }, '/pool')
      : g.op('ReduceMean', [src], { axes: { ints: [1] }, keepdims: { i: 0 } }, '/pool'))[0]!;
  };
  const normName = v.finalNorm === 'tokens' ? 'norm' : 'fc_norm';
  const feat = v.finalNorm === 'tokens' ? pool(layerNorm(x, normName, '/norm')) : layerNorm(pool(x), normName, '/fc_norm');
  const hw = rnd.normal(K * D, 0.2);
  const hb = rnd.normal(K, 0.05);
  let logits: string;
  if (v.head === 'gemm') {
    [logits] = g.op('Gemm', [feat, g.param('head.weight', [K, D], hw), g.param('head.bias', [K], hb)],
      { alpha: { f: 1 }, beta: { f: 1 }, transB: { i: 1 } }, '/head') as [string];
  } else {
    const [wt] = g.op('Transpose', [g.param('head.weight', [K, D], hw)], { perm: { ints: [1, 0] } }, '/head');
    const [mm] = g.op('MatMul', [feat, wt!], {}, '/head');
    [logits] = g.op('Add', [mm!, g.param('head.bias', [K], hb)], {}, '/head') as [string];
  }
  return g.encode({
    input, inputDims: [v.dynamicBatch ? 'batch_size' : 1, 3, S, S], output: logits,
    opset: v.opset, producer: ts ? 'pytorch (torchscript exporter pattern, vitforge fixture)' : 'pytorch (dynamo exporter pattern, vitforge fixture)',
  });
}

/** Where the fixtures live, relative to the project root. */
export const FIXTURE_DIR = 'test/fixtures/onnx';

function main(): void {
  const root = process.argv[2] ?? '.';
  const dir = join(root, FIXTURE_DIR);
  mkdirSync(dir, { recursive: true });
  for (const v of VARIANTS) {
    const bytes = buildVariant(v);
    writeFileSync(join(dir, `${v.name}.onnx`), bytes);
    process.stdout.write(`${v.name}.onnx  ${bytes.length} bytes\n`);
  }
}

if (process.argv[1]?.endsWith('make-onnx-fixtures.js')) main();
