/**
 * A small float64 interpreter for the ONNX ops that appear between the weight-bearing nodes of a
 * ViT graph (shape plumbing, element-wise math, softmax, matmul). The importer uses it twice:
 * to fold constant subgraphs (a Reshape target computed from Shape/Gather/Concat, a transposed
 * weight, a scale √dh computed in the graph), and to check by evaluation that an attention core
 * or a GELU region computes what vitforge will compute, whatever arrangement of
 * Reshape/Transpose/Split/Slice/Gather/Mul/Div the exporter chose.
 */
import { attr, dense, size, type Dense, type NodeProto } from './proto.js';
import { erf } from './reference.js';

export class UnsupportedOp extends Error {
  constructor(readonly node: NodeProto, why: string) {
    super(why);
  }
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

function normAxis(a: number, rank: number): number {
  return a < 0 ? a + rank : a;
}

/** numpy broadcasting of two shapes. */
function broadcastShape(a: readonly number[], b: readonly number[], node: NodeProto): number[] {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new UnsupportedOp(node, `cannot broadcast [${a.join(',')}] with [${b.join(',')}]`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Index map from an output of `out` shape into a (broadcast) input of shape `inp`. */
function broadcastIndex(out: readonly number[], inp: readonly number[]): Int32Array {
  const n = size(out);
  const idx = new Int32Array(n);
  const os = strides(out);
  const is = strides(inp);
  const off = out.length - inp.length;
  for (let i = 0; i < n; i++) {
    let rem = i;
    let j = 0;
    for (let d = 0; d < out.length; d++) {
      const c = Math.floor(rem / os[d]!);
      rem -= c * os[d]!;
      const id = d - off;
      if (id >= 0 && inp[id]! !== 1) j += c * is[id]!;
    }
    idx[i] = j;
  }
  return idx;
}

function binary(a: Dense, b: Dense, f: (x: number, y: number) => number, node: NodeProto, int = a.int && b.int): Dense {
  const shape = broadcastShape(a.shape, b.shape, node);
  const n = size(shape);
  const out = new Float64Array(n);
  const ia = broadcastIndex(shape, a.shape);
  const ib = broadcastIndex(shape, b.shape);
  for (let i = 0; i < n; i++) out[i] = f(a.data[ia[i]!]!, b.data[ib[i]!]!);
  return dense(shape, out, int);
}

function unary(a: Dense, f: (x: number) => number): Dense {
  return dense(a.shape, a.data.map(f), a.int);
}

export function transpose(a: Dense, perm: readonly number[]): Dense {
  const shape = perm.map((p) => a.shape[p]!);
  const n = size(shape);
  const out = new Float64Array(n);
  const is = strides(a.shape);
  const os = strides(shape);
  for (let i = 0; i < n; i++) {
    let rem = i;
    let j = 0;
    for (let d = 0; d < shape.length; d++) {
      const c = Math.floor(rem / os[d]!);
      rem -= c * os[d]!;
      j += c * is[perm[d]!]!;
    }
    out[i] = a.data[j]!;
  }
  return dense(shape, out, a.int);
}

/** Elements of `a` along `axis` at positions `pick` (Gather, Slice, Split all reduce to this). */
function takeAlong(a: Dense, axis: number, pick: readonly number[]): Dense {
  const shape = [...a.shape];
  shape[axis] = pick.length;
  const outer = size(a.shape.slice(0, axis));
  const inner = size(a.shape.slice(axis + 1));
  const len = a.shape[axis]!;
  const out = new Float64Array(size(shape));
  let o = 0;
  for (let i = 0; i < outer; i++) {
    for (const p of pick) {
      const base = (i * len + p) * inner;
      for (let k = 0; k < inner; k++) out[o++] = a.data[base + k]!;
    }
  }
  return dense(shape, out, a.int);
}

function matmul(a: Dense, b: Dense, node: NodeProto): Dense {
  if (a.shape.length < 2 || b.shape.length < 2) throw new UnsupportedOp(node, 'MatMul of a vector is not supported');
  const [m, k] = a.shape.slice(-2) as [number, number];
  const [k2, n] = b.shape.slice(-2) as [number, number];
  if (k !== k2) throw new UnsupportedOp(node, `MatMul inner dimensions differ (${k} vs ${k2})`);
  const batch = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2), node);
  const nb = size(batch);
  const ia = broadcastIndex(batch, a.shape.slice(0, -2));
  const ib = broadcastIndex(batch, b.shape.slice(0, -2));
  const out = new Float64Array(nb * m * n);
  for (let t = 0; t < nb; t++) {
    const ao = ia[t]! * m * k;
    const bo = ib[t]! * k * n;
    const oo = t * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += a.data[ao + i * k + c]! * b.data[bo + c * n + j]!;
        out[oo + i * n + j] = s;
      }
    }
  }
  return dense([...batch, m, n], out);
}

function ints(d: Dense | undefined): number[] | undefined {
  return d ? [...d.data] : undefined;
}

function axesOf(node: NodeProto, inputs: (Dense | undefined)[], index: number): number[] | undefined {
  const a = attr(node, 'axes');
  return Array.isArray(a) ? a : ints(inputs[index]);
}

function reshape(a: Dense, target: readonly number[], node: NodeProto): Dense {
  const allowzero = attr(node, 'allowzero') === 1;
  const shape = target.map((t, i) => (t === 0 && !allowzero ? a.shape[i]! : t));
  const known = shape.filter((t) => t !== -1).reduce((x, y) => x * y, 1);
  const free = shape.indexOf(-1);
  if (free >= 0) shape[free] = size(a.shape) / known;
  if (size(shape) !== size(a.shape) || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new UnsupportedOp(node, `cannot reshape [${a.shape.join(',')}] to [${target.join(',')}]`);
  }
  return dense(shape, a.data, a.int);
}

function sliceOp(a: Dense, inputs: (Dense | undefined)[], node: NodeProto): Dense {
  const starts = ints(inputs[1]) ?? (attr(node, 'starts') as number[]);
  const ends = ints(inputs[2]) ?? (attr(node, 'ends') as number[]);
  const axes = ints(inputs[3]) ?? (attr(node, 'axes') as number[] | undefined) ?? starts.map((_, i) => i);
  const steps = ints(inputs[4]) ?? starts.map(() => 1);
  let r = a;
  axes.forEach((ax0, i) => {
    const ax = normAxis(ax0, a.shape.length);
    const len = r.shape[ax]!;
    const step = steps[i]!;
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + len : v, lo), hi);
    const pick: number[] = [];
    if (step > 0) for (let p = clamp(starts[i]!, 0, len); p < clamp(ends[i]!, 0, len); p += step) pick.push(p);
    else for (let p = clamp(starts[i]!, -1, len - 1); p > clamp(ends[i]!, -1, len - 1); p += step) pick.push(p);
    r = takeAlong(r, ax, pick);
  });
  return r;
}

function splitOp(a: Dense, inputs: (Dense | undefined)[], node: NodeProto, outputs: number): Dense[] {
  const ax = normAxis((attr(node, 'axis') as number | undefined) ?? 0, a.shape.length);
  const len = a.shape[ax]!;
  let parts = ints(inputs[1]) ?? (attr(node, 'split') as number[] | undefined);
  if (!parts) {
    const k = (attr(node, 'num_outputs') as number | undefined) ?? outputs;
    const each = Math.ceil(len / k);
    parts = Array.from({ length: k }, (_, i) => Math.min(each, len - i * each));
  }
  let start = 0;
  return parts.map((p) => {
    const pick = Array.from({ length: p }, (_, i) => start + i);
    start += p;
    return takeAlong(a, ax, pick);
  });
}

function softmax(a: Dense, axis: number): Dense {
  const ax = normAxis(axis, a.shape.length);
  if (ax !== a.shape.length - 1) {
    const perm = a.shape.map((_, i) => i);
    perm[ax] = a.shape.length - 1;
    perm[a.shape.length - 1] = ax;
    return transpose(softmax(transpose(a, perm), -1), perm);
  }
  const n = a.shape[ax]!;
  const out = new Float64Array(a.data);
  for (let o = 0; o < out.length; o += n) {
    let m = -Infinity;
    for (let j = 0; j < n; j++) m = Math.max(m, out[o + j]!);
    let s = 0;
    for (let j = 0; j < n; j++) s += (out[o + j] = Math.exp(out[o + j]! - m));
    for (let j = 0; j < n; j++) out[o + j]! /= s;
  }
  return dense(a.shape, out);
}

function reduceMean(a: Dense, axes: readonly number[] | undefined, keep: boolean): Dense {
  const rank = a.shape.length;
  const ax = new Set((axes ?? a.shape.map((_, i) => i)).map((x) => normAxis(x, rank)));
  const shape = a.shape.map((s, i) => (ax.has(i) ? 1 : s));
  const out = new Float64Array(size(shape));
  const idx = broadcastIndex(a.shape, shape);
  for (let i = 0; i < a.data.length; i++) out[idx[i]!]! += a.data[i]!;
  const cnt = size(a.shape) / size(shape);
  for (let i = 0; i < out.length; i++) out[i]! /= cnt;
  return dense(keep ? shape : a.shape.filter((_, i) => !ax.has(i)), out);
}

/**
 * Evaluate one node; `inputs[i]` undefined for an omitted optional input. Returns one Dense per
 * output. Throws UnsupportedOp for ops outside this set.
 */
export function evalNode(node: NodeProto, inputs: (Dense | undefined)[]): Dense[] {
  const op = node.opType ?? '';
  const a = inputs[0]!;
  const b = inputs[1]!;
  const nOut = (node.output ?? []).length;
  switch (op) {
    case 'Identity': case 'Dropout': return [a];
    case 'Constant': {
      const v = attr(node, 'value');
      if (v && typeof v === 'object' && !Array.isArray(v)) return [v];
      const f = attr(node, 'value_float') ?? attr(node, 'value_floats');
      if (f !== undefined) return [Array.isArray(f) ? dense([f.length], Float64Array.from(f)) : dense([], Float64Array.of(f as number))];
      const i = attr(node, 'value_int') ?? attr(node, 'value_ints');
      if (i !== undefined) return [Array.isArray(i) ? dense([i.length], Float64Array.from(i), true) : dense([], Float64Array.of(i as number), true)];
      throw new UnsupportedOp(node, 'Constant without a numeric value');
    }
    case 'Shape': return [dense([a.shape.length], Float64Array.from(a.shape), true)];
    case 'Cast': {
      const to = attr(node, 'to') as number;
      const toInt = to !== 1 && to !== 10 && to !== 11 && to !== 16;
      return [dense(a.shape, toInt ? a.data.map(Math.trunc) : a.data, toInt)];
    }
    case 'Reshape': return [reshape(a, [...b.data], node)];
    case 'Flatten': {
      const ax = normAxis((attr(node, 'axis') as number | undefined) ?? 1, a.shape.length);
      return [dense([size(a.shape.slice(0, ax)), size(a.shape.slice(ax))], a.data, a.int)];
    }
    case 'Transpose': {
      const perm = (attr(node, 'perm') as number[] | undefined) ?? a.shape.map((_, i) => a.shape.length - 1 - i);
      return [transpose(a, perm)];
    }
    case 'Squeeze': {
      const axes = axesOf(node, inputs, 1)?.map((x) => normAxis(x, a.shape.length));
      return [dense(a.shape.filter((s, i) => (axes ? !axes.includes(i) : s !== 1)), a.data, a.int)];
    }
    case 'Unsqueeze': {
      const axes = axesOf(node, inputs, 1)!;
      const rank = a.shape.length + axes.length;
      const set = new Set(axes.map((x) => normAxis(x, rank)));
      const shape: number[] = [];
      let k = 0;
      for (let i = 0; i < rank; i++) shape.push(set.has(i) ? 1 : a.shape[k++]!);
      return [dense(shape, a.data, a.int)];
    }
    case 'Concat': {
      const ax = normAxis(attr(node, 'axis') as number, a.shape.length);
      const parts = inputs.filter((x): x is Dense => !!x);
      const shape = [...a.shape];
      shape[ax] = parts.reduce((s, p) => s + p.shape[ax]!, 0);
      const outer = size(a.shape.slice(0, ax));
      const out = new Float64Array(size(shape));
      let o = 0;
      for (let i = 0; i < outer; i++) {
        for (const p of parts) {
          const chunk = size(p.shape.slice(ax));
          out.set(p.data.subarray(i * chunk, (i + 1) * chunk), o);
          o += chunk;
        }
      }
      return [dense(shape, out, parts.every((p) => p.int))];
    }
    case 'Gather': {
      const ax = normAxis((attr(node, 'axis') as number | undefined) ?? 0, a.shape.length);
      const len = a.shape[ax]!;
      const pick = [...b.data].map((i) => (i < 0 ? i + len : i));
      const r = takeAlong(a, ax, pick);
      const shape = [...a.shape.slice(0, ax), ...b.shape, ...a.shape.slice(ax + 1)];
      return [dense(shape, r.data, a.int)];
    }
    case 'Slice': return [sliceOp(a, inputs, node)];
    case 'Split': return splitOp(a, inputs, node, nOut);
    case 'Expand': {
      const shape = broadcastShape(a.shape, [...b.data], node);
      const idx = broadcastIndex(shape, a.shape);
      return [dense(shape, Float64Array.from(idx, (j) => a.data[j]!), a.int)];
    }
    case 'MatMul': return [matmul(a, b, node)];
    case 'Add': return [binary(a, b, (x, y) => x + y, node)];
    case 'Sub': return [binary(a, b, (x, y) => x - y, node)];
    case 'Mul': return [binary(a, b, (x, y) => x * y, node)];
    case 'Div': return [a.int && b.int ? binary(a, b, (x, y) => Math.trunc(x / y), node) : binary(a, b, (x, y) => x / y, node, false)];
    case 'Pow': return [binary(a, b, (x, y) => (y === 2 ? x * x : y === 3 ? x * x * x : x ** y), node, false)];
    case 'Sqrt': return [unary(a, Math.sqrt)];
    case 'Reciprocal': return [unary(a, (x) => 1 / x)];
    case 'Neg': return [unary(a, (x) => -x)];
    case 'Abs': return [unary(a, Math.abs)];
    case 'Exp': return [unary(a, Math.exp)];
    case 'Max': return [binary(a, b, Math.max, node)];
    case 'Min': return [binary(a, b, Math.min, node)];
    case 'Equal': return [binary(a, b, (x, y) => Number(x === y), node, true)];
    case 'Where': {
      const c = inputs[2]!;
      const t = binary(b, c, () => 0, node);
      const ic = broadcastIndex(t.shape, a.shape);
      const ix = broadcastIndex(t.shape, b.shape);
      const iy = broadcastIndex(t.shape, c.shape);
      return [dense(t.shape, Float64Array.from(t.data, (_, i) => (a.data[ic[i]!] ? b.data[ix[i]!]! : c.data[iy[i]!]!)), b.int && c.int)];
    }
    case 'ConstantOfShape': {
      const v = attr(node, 'value');
      const fill = v && typeof v === 'object' && !Array.isArray(v) ? v : dense([1], Float64Array.of(0));
      return [dense([...a.data], new Float64Array(size([...a.data])).fill(fill.data[0]!), fill.int)];
    }
    case 'Erf': return [unary(a, erf)];
    case 'Tanh': return [unary(a, Math.tanh)];
    case 'Gelu': {
      const tanh = attr(node, 'approximate') === 'tanh';
      return [unary(a, tanh
        ? (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))
        : (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)))];
    }
    case 'Softmax': return [softmax(a, (attr(node, 'axis') as number | undefined) ?? -1)];
    case 'ReduceMean': return [reduceMean(a, axesOf(node, inputs, 1), attr(node, 'keepdims') !== 0)];
    default: throw new UnsupportedOp(node, `op ${op} is not supported`);
  }
}
