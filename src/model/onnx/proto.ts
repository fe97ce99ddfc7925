/**
 * Reading an ONNX file: protobuf decoding with the `onnx-proto` package (the ONNX schema compiled
 * for protobufjs), and conversion of TensorProto values to the importer's dense tensors.
 * Anything that cannot be read is a one-line UserError naming the file (and the tensor).
 */
import { readFileSync, statSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { UserError } from '../../errors.js';
import { bfloat16ToNumber, halfToNumber } from '../halfs.js';

export const { onnx } = onnxProto;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

/** A dense tensor, values as doubles (int64 shape tensors included: |v| < 2^53 in practice). */
export interface Dense {
  readonly shape: readonly number[];
  readonly data: Float64Array;
  /** Integer element type (INT64/INT32/BOOL…): Div truncates, Cast keeps it. */
  readonly int: boolean;
}

const DT = onnx.TensorProto.DataType;

/** protobufjs gives int64 as number or Long; both → number. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return Number(v);
}

export function dense(shape: readonly number[], data: Float64Array, int = false): Dense {
  return { shape, data, int };
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const DTYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(DT).map(([k, v]) => [v as number, k]));

/** TensorProto → Dense; `where` names the tensor in errors. */
export function tensorValue(t: TensorProto, where: string): Dense {
  const shape = (t.dims ?? []).map(num);
  const n = size(shape);
  const dt = t.dataType ?? 0;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new UserError(where, 'weights stored as external data are not supported; export with the weights inside the .onnx file');
  }
  const raw = t.rawData && t.rawData.length ? t.rawData : undefined;
  const out = new Float64Array(n);
  const int = dt !== DT.FLOAT && dt !== DT.DOUBLE && dt !== DT.FLOAT16 && dt !== DT.BFLOAT16;
  const bytesPer: Record<number, number> = {
    [DT.FLOAT]: 4, [DT.DOUBLE]: 8, [DT.FLOAT16]: 2, [DT.BFLOAT16]: 2, [DT.INT64]: 8, [DT.INT32]: 4,
    [DT.INT8]: 1, [DT.UINT8]: 1, [DT.BOOL]: 1, [DT.INT16]: 2, [DT.UINT16]: 2,
  };
  const bp = bytesPer[dt];
  if (bp === undefined) throw new UserError(where, `unsupported tensor element type ${DTYPE_NAMES[dt] ?? dt}`, 'FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT64, INT32, INT16, INT8, UINT16, UINT8, BOOL');
  if (raw) {
    if (raw.length !== n * bp) throw new UserError(where, `raw data has ${raw.length} bytes, shape [${shape.join(',')}] of ${DTYPE_NAMES[dt]} needs ${n * bp}`);
    const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < n; i++) {
      switch (dt) {
        case DT.FLOAT: out[i] = v.getFloat32(4 * i, true); break;
        case DT.DOUBLE: out[i] = v.getFloat64(8 * i, true); break;
        case DT.FLOAT16: out[i] = halfToNumber(v.getUint16(2 * i, true)); break;
        case DT.BFLOAT16: out[i] = bfloat16ToNumber(v.getUint16(2 * i, true)); break;
        case DT.INT64: out[i] = Number(v.getBigInt64(8 * i, true)); break;
        case DT.INT32: out[i] = v.getInt32(4 * i, true); break;
        case DT.INT16: out[i] = v.getInt16(2 * i, true); break;
        case DT.UINT16: out[i] = v.getUint16(2 * i, true); break;
        case DT.INT8: out[i] = v.getInt8(i); break;
        default: out[i] = v.getUint8(i);
      }
    }
    return dense(shape, out, int);
  }
  // Typed fields: float_data (FLOAT), double_data, int64_data, int32_data (also INT8/16, BOOL, FLOAT16 bits).
  let src: ArrayLike<unknown> | undefined;
  if (dt === DT.FLOAT) src = t.floatData ?? undefined;
  else if (dt === DT.DOUBLE) src = t.doubleData ?? undefined;
  else if (dt === DT.INT64) src = t.int64Data ?? undefined;
  else src = t.int32Data ?? undefined;
  const len = src ? src.length : 0;
  if (len !== n) throw new UserError(where, `holds ${len} values, shape [${shape.join(',')}] needs ${n} (missing or truncated data)`);
  for (let i = 0; i < n; i++) {
    const x = num(src![i]);
    out[i] = dt === DT.FLOAT16 ? halfToNumber(x) : dt === DT.BFLOAT16 ? bfloat16ToNumber(x) : x;
  }
  return dense(shape, out, int);
}

/** Decode an ONNX file; a truncated or non-ONNX file is a one-line UserError. */
export function readOnnx(path: string): ModelProto {
  let bytes: Buffer;
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    bytes = readFileSync(path);
  } catch {
    throw new UserError('model', `ONNX file not found: ${path}`);
  }
  let m: ModelProto;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    throw new UserError(path, `not a readable ONNX model (truncated or corrupt protobuf: ${why})`);
  }
  if (!m.graph || !(m.graph.node ?? []).length) throw new UserError(path, 'not an ONNX model (no graph nodes)');
  return m;
}

/** The default-domain opset version of a model. */
export function opsetVersion(m: ModelProto): number {
  const o = (m.opsetImport ?? []).find((x) => !x.domain || x.domain === 'ai.onnx');
  return o ? num(o.version) : 1;
}

/** Attribute values by name: ints/floats/strings/tensors as plain values. */
export function attr(node: NodeProto, name: string): number | number[] | string | Dense | undefined {
  const a = (node.attribute ?? []).find((x) => x.name === name);
  if (!a) return undefined;
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.INT: return num(a.i);
    case T.FLOAT: return a.f ?? 0;
    case T.INTS: return (a.ints ?? []).map(num);
    case T.FLOATS: return [...(a.floats ?? [])];
    case T.STRING: return Buffer.from(a.s ?? new Uint8Array()).toString('utf8');
    case T.TENSOR: return tensorValue(a.t ?? {}, `attribute ${name} of node ${node.name ?? ''}`);
    default: return undefined;
  }
}
