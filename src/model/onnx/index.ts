/**
 * `--model FILE.onnx`: the model spec and trained weights recovered from an exported ViT/DeiT
 * graph (import.ts). Imports are cached per file (path, size, mtime), since several commands
 * resolve the same model more than once (design file, inputs, DSE workers).
 */
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import type { ModelSpec } from '../ir.js';
import { makeWeightSet, type Tensor, type WeightSet } from '../weights.js';
import { OnnxGraph } from './graph.js';
import { importGraph } from './import.js';
import { opsetVersion, readOnnx } from './proto.js';

export interface OnnxImport {
  readonly model: ModelSpec;
  readonly weights: WeightSet;
  readonly opset: number;
}

export const ONNX_FILE_RE = /\.onnx$/i;

const cache = new Map<string, { key: string; value: OnnxImport }>();

export function importOnnx(path: string): OnnxImport {
  const abs = resolve(path);
  let key: string;
  try {
    const st = statSync(abs);
    key = `${st.size}:${st.mtimeMs}`;
  } catch {
    throw new UserError('model', `ONNX file not found: ${path}`);
  }
  const hit = cache.get(abs);
  if (hit && hit.key === key) return hit.value;
  const proto = readOnnx(abs);
  const opset = opsetVersion(proto);
  const g = new OnnxGraph(proto.graph!, abs);
  const imp = importGraph(g);
  const model: ModelSpec = Object.freeze({
    name: basename(abs).replace(/\.onnx$/i, ''),
    ...imp.model,
    blocks: Object.freeze(imp.model.blocks.map((b) => Object.freeze(b))),
    weightsFrom: abs,
  });
  const tensors: Tensor[] = [...imp.tensors].map(([name, t]) => ({
    name, shape: t.shape, data: Float32Array.from(t.data), origin: 'file' as const, source: `${abs}:${name}`,
  }));
  const weights = makeWeightSet(model, tensors, `${tensors.length} from ${abs}`);
  const value = { model, weights, opset };
  cache.set(abs, { key, value });
  return value;
}
