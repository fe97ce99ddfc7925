/**
 * Matchers for the weight-bearing layers of a ViT graph: linear layers (Gemm, or MatMul with a
 * constant matrix, plus an optional constant bias Add) and LayerNorm (the LayerNormalization op,
 * or its decomposed ReduceMean/Sub/Pow/Sqrt/Div/Mul/Add form). Each returns undefined when the
 * node is not that layer, and throws a UserError when it is one with unsupported settings.
 */
import { UserError } from '../../errors.js';
import type { OnnxGraph } from './graph.js';
import { attr, size, type Dense, type NodeProto } from './proto.js';
import { transpose } from './eval.js';

export interface Linear {
  readonly node: NodeProto;
  /** [out][in], row-major. */
  readonly w: Float64Array;
  readonly b: Float64Array;
  readonly inDim: number;
  readonly outDim: number;
  /** Output tensor (after the bias Add when there is one). */
  readonly out: string;
}

export interface Norm {
  readonly node: NodeProto;
  readonly gamma: Float64Array;
  readonly beta: Float64Array;
  readonly eps: number;
  readonly out: string;
}

/** The only consumer of `t`, when there is exactly one. */
export function only(g: OnnxGraph, t: string): NodeProto | undefined {
  const c = g.consumers(t);
  return c.length === 1 ? c[0] : undefined;
}

/** The constant operand of a binary node whose other operand is `x`, if any. */
export function constOther(g: OnnxGraph, n: NodeProto, x: string): Dense | undefined {
  const [a, b] = g.inputs(n);
  if (a === x && b !== x) return g.constValue(b!);
  if (b === x && a !== x) return g.constValue(a!);
  return undefined;
}

function vectorOf(d: Dense, len: number): Float64Array | undefined {
  return size(d.shape) === len && d.shape.every((s, i) => i === d.shape.length - 1 || s === 1) ? d.data : undefined;
}

/** `node` as a linear layer applied to `x`, or undefined when it is not MatMul/Gemm with a constant matrix. */
export function matchLinear(g: OnnxGraph, node: NodeProto, x: string): Linear | undefined {
  const op = node.opType;
  const ins = g.inputs(node);
  if ((op !== 'MatMul' && op !== 'Gemm') || ins[0] !== x) return undefined;
  const m = g.constValue(ins[1]!);
  if (!m || m.shape.length !== 2) return undefined;
  let wT: Dense = m; // [in][out]
  let bias: Float64Array | undefined;
  if (op === 'Gemm') {
    if ((attr(node, 'transA') ?? 0) !== 0 || (attr(node, 'alpha') ?? 1) !== 1 || (attr(node, 'beta') ?? 1) !== 1) {
      throw new UserError(g.where(node), 'Gemm with transA or alpha/beta ≠ 1 is not supported', 'transA=0, alpha=1, beta=1');
    }
    if (attr(node, 'transB') === 1) wT = transpose(m, [1, 0]);
    if (ins[2]) {
      const c = g.constValue(ins[2]);
      if (!c || !(bias = vectorOf(c, wT.shape[1]!))) throw new UserError(g.where(node), `bias C must be a constant vector of ${wT.shape[1]}`);
    }
  }
  const [inDim, outDim] = wT.shape as [number, number];
  const w = transpose(wT, [1, 0]).data;
  let out = node.output![0]!;
  const next = only(g, out);
  if (!bias && next?.opType === 'Add') {
    const c = constOther(g, next, out);
    const v = c && vectorOf(c, outDim);
    if (v) {
      bias = v;
      out = next.output![0]!;
    }
  }
  return { node, w, b: bias ?? new Float64Array(outDim), inDim, outDim, out };
}

function axesOf(g: OnnxGraph, n: NodeProto): number[] | undefined {
  const a = attr(n, 'axes');
  if (Array.isArray(a)) return a;
  const t = g.inputs(n)[1];
  return t ? [...(g.constValue(t)?.data ?? [])] : undefined;
}

function lastAxisMean(g: OnnxGraph, n: NodeProto | undefined, rank: number): boolean {
  if (n?.opType !== 'ReduceMean') return false;
  const ax = axesOf(g, n);
  return !!ax && ax.length === 1 && (ax[0] === -1 || ax[0] === rank - 1) && attr(n, 'keepdims') !== 0;
}

/** LayerNorm over the last axis (width dim) of `x`, or undefined if no consumer of x starts one. */
export function matchLayerNorm(g: OnnxGraph, x: string, dim: number, rank: number): Norm | undefined {
  for (const n of g.consumers(x)) {
    if (n.opType === 'LayerNormalization' && g.inputs(n)[0] === x) {
      const axis = (attr(n, 'axis') as number | undefined) ?? -1;
      if (axis !== -1 && axis !== rank - 1) throw new UserError(g.where(n), `normalises from axis ${axis}`, `the last axis (-1)`);
      const [, s, b] = g.inputs(n);
      const gamma = s ? g.constValue(s) : undefined;
      const beta = b ? g.constValue(b) : undefined;
      if (!gamma || size(gamma.shape) !== dim || (b && (!beta || size(beta.shape) !== dim))) {
        throw new UserError(g.where(n), `scale and bias must be constant vectors of ${dim}`);
      }
      const eps = (attr(n, 'epsilon') as number | undefined) ?? 1e-5;
      return { node: n, gamma: gamma.data, beta: beta?.data ?? new Float64Array(dim), eps, out: n.output![0]! };
    }
  }
  // Decomposed: c = x − mean(x); v = mean(c²); y = c / √(v + ε) · γ + β.
  const mean = g.consumers(x).find((n) => lastAxisMean(g, n, rank));
  if (!mean) return undefined;
  const fail = (n: NodeProto | undefined, what: string): never => {
    throw new UserError(n ? g.where(n) : g.where(mean), `unrecognised LayerNorm decomposition: expected ${what}`);
  };
  const sub = g.consumers(x).find((n) => n.opType === 'Sub' && g.inputs(n)[0] === x && g.inputs(n)[1] === mean.output![0]);
  if (!sub) return fail(undefined, 'Sub(x, ReduceMean(x))');
  const c = sub.output![0]!;
  const cu = g.consumers(c);
  const sq = cu.find((n) => (n.opType === 'Pow' && g.constValue(g.inputs(n)[1]!)?.data[0] === 2) || (n.opType === 'Mul' && g.inputs(n)[0] === c && g.inputs(n)[1] === c));
  if (!sq) return fail(sub, 'Pow(c, 2) or Mul(c, c) of the centred input');
  const vmean = only(g, sq.output![0]!);
  if (!lastAxisMean(g, vmean, rank)) return fail(vmean, 'ReduceMean over the last axis (variance)');
  const addEps = only(g, vmean!.output![0]!);
  const epsV = addEps?.opType === 'Add' ? constOther(g, addEps, vmean!.output![0]!) : undefined;
  if (!epsV || size(epsV.shape) !== 1) return fail(addEps, 'Add(variance, ε)');
  const sqrt = only(g, addEps!.output![0]!);
  if (sqrt?.opType !== 'Sqrt') return fail(sqrt, 'Sqrt(variance + ε)');
  const s = sqrt.output![0]!;
  let normed: string | undefined;
  const div = cu.find((n) => n.opType === 'Div' && g.inputs(n)[1] === s);
  if (div) normed = div.output![0];
  else {
    const rec = only(g, s);
    const mul = rec?.opType === 'Reciprocal' ? cu.find((n) => n.opType === 'Mul' && g.inputs(n).includes(rec.output![0]!)) : undefined;
    normed = mul?.output![0];
  }
  if (!normed || cu.length !== 2) return fail(sqrt, 'Div(c, √(v+ε)) or Mul(c, Reciprocal(√(v+ε)))');
  const mulG = only(g, normed);
  const gamma = mulG?.opType === 'Mul' ? constOther(g, mulG, normed) : undefined;
  if (!gamma || size(gamma.shape) !== dim) return fail(mulG, `Mul by a constant γ of ${dim}`);
  const addB = only(g, mulG!.output![0]!);
  const beta = addB?.opType === 'Add' ? constOther(g, addB, mulG!.output![0]!) : undefined;
  if (!beta || size(beta.shape) !== dim) return fail(addB, `Add of a constant β of ${dim}`);
  return { node: mean, gamma: gamma.data, beta: beta.data, eps: epsV.data[0]!, out: addB!.output![0]! };
}
