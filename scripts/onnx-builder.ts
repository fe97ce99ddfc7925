/**
 * A minimal ONNX graph writer on top of the `onnx-proto` schema, for the test fixtures
 * (scripts/make-onnx-fixtures.ts) and the tests that build broken graphs. Tensors are float32 or
 * int64 with raw_data, as PyTorch's exporters write them.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const T = onnx.AttributeProto.AttributeType;
const DT = onnx.TensorProto.DataType;

export type Attr = { i: number } | { f: number } | { ints: number[] } | { floats: number[] } | { s: string } | { t: onnxProto.onnx.ITensorProto };

export function floatTensor(name: string, shape: readonly number[], data: ArrayLike<number>): onnxProto.onnx.ITensorProto {
  const f = Float32Array.from(data);
  if (f.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`${name}: ${f.length} values for [${shape.join(',')}]`);
  return { name, dims: [...shape], dataType: DT.FLOAT, rawData: new Uint8Array(f.buffer) };
}

export function int64Tensor(name: string, shape: readonly number[], data: readonly number[]): onnxProto.onnx.ITensorProto {
  const b = new BigInt64Array(data.map((x) => BigInt(x)));
  return { name, dims: [...shape], dataType: DT.INT64, rawData: new Uint8Array(b.buffer) };
}

function attribute(name: string, a: Attr): onnxProto.onnx.IAttributeProto {
  if ('i' in a) return { name, type: T.INT, i: a.i };
  if ('f' in a) return { name, type: T.FLOAT, f: a.f };
  if ('ints' in a) return { name, type: T.INTS, ints: a.ints };
  if ('floats' in a) return { name, type: T.FLOATS, floats: a.floats };
  if ('s' in a) return { name, type: T.STRING, s: new TextEncoder().encode(a.s) };
  return { name, type: T.TENSOR, t: a.t };
}

export class GraphBuilder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly inits: onnxProto.onnx.ITensorProto[] = [];
  private n = 0;

  /** `constantNodes`: scalars as Constant nodes (TorchScript) rather than initialisers (torchlib). */
  constructor(private readonly constantNodes = false) {}

  /** A float32 initialiser (a parameter) named as the exporter names it. */
  param(name: string, shape: readonly number[], data: ArrayLike<number>): string {
    this.inits.push(floatTensor(name, shape, data));
    return name;
  }

  /** An int64 initialiser (shape operands, axes, indices). */
  ints(shape: readonly number[], data: readonly number[], name = `onnx::ints_${this.n++}`): string {
    this.inits.push(int64Tensor(name, shape, data));
    return name;
  }

  /** A scalar float initialiser. */
  scalar(v: number, name = `onnx::scalar_${this.n++}`): string {
    if (this.constantNodes) return this.constant(floatTensor('', [], [v]));
    this.inits.push(floatTensor(name, [], [v]));
    return name;
  }

  /** A Constant node (how TorchScript writes small constants). */
  constant(t: onnxProto.onnx.ITensorProto, scope = ''): string {
    return this.op('Constant', [], { value: { t } }, scope)[0]!;
  }

  /** Add a node; returns its outputs, named `${scope}/${op}_k_output_0` like the TorchScript exporter. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, scope = '', outputs = 1): string[] {
    const name = `${scope}/${opType}_${this.n++}`;
    const output = Array.from({ length: outputs }, (_, k) => `${name}_output_${k}`);
    this.nodes.push({
      name, opType, input: [...inputs], output,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }

  /** Serialise: one float input [batch, C, H, W] (a string dim is symbolic), one output of unstated shape. */
  encode(o: {
    input: string; inputDims: readonly (number | string)[]; output: string; opset: number; producer: string;
  }): Uint8Array {
    const valueInfo = (name: string, dims?: readonly (number | string)[]): onnxProto.onnx.IValueInfoProto => ({
      name,
      type: { tensorType: dims
        ? { elemType: DT.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } }
        : { elemType: DT.FLOAT } },
    });
    const model: onnxProto.onnx.IModelProto = {
      irVersion: o.opset >= 19 ? 9 : 8,
      producerName: o.producer,
      opsetImport: [{ domain: '', version: o.opset }],
      graph: {
        name: 'main_graph',
        node: this.nodes,
        initializer: this.inits,
        input: [valueInfo(o.input, o.inputDims)],
        output: [valueInfo(o.output)],
      },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }
}
