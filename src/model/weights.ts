/**
 * Model weights: the tensor list of any model, the raw float32 folder loader with overlay, and
 * seeded synthetic weights.
 *
 * Tensor names are the M3ViT dump's file names without `.float32.bin`, generalised to every model
 * (see docs/reference.md). Files are headerless little-endian float32, row-major, linear layers
 * `[out][in]`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { endianness } from 'node:os';
import { UserError } from '../errors.js';
import { modelDims, type ModelSpec } from './ir.js';
import { syntheticTensorData } from './weights-synthetic.js';
import { findTensor, openSafetensors } from './safetensors.js';
import { importOnnx } from './onnx/index.js';

export interface TensorSpec { readonly name: string; readonly shape: readonly number[] }

export interface Tensor extends TensorSpec {
  readonly data: Float32Array;
  readonly origin: 'file' | 'synthetic';
  /** The tensor's own raw float32 file (`<name>.float32.bin`), when it has one. */
  readonly path?: string;
  /** Where a tensor held inside another file came from (`model.onnx:l0_qkv_weight`, `x.safetensors:blocks.0.attn.qkv.weight`). */
  readonly source?: string;
}

export interface WeightSet {
  readonly model: ModelSpec;
  /** The tensor; UserError if the model has no tensor of that name. */
  get(name: string): Tensor;
  has(name: string): boolean;
  readonly tensors: ReadonlyMap<string, Tensor>;
  /** Names of tensors that did not come from a file (seeded synthetic). */
  readonly syntheticNames: readonly string[];
  /** Human-readable provenance, e.g. "148 from /…/m3vit, 12 from /…/m3vit-synthetic-experts". */
  readonly provenance: string;
}

export const WEIGHT_FILE_SUFFIX = '.float32.bin';

export function tensorSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Every tensor of `model`, in a fixed order (globals, then block by block). */
export function tensorSpecs(model: ModelSpec): TensorSpec[] {
  const d = modelDims(model);
  const D = model.dim;
  const P = model.patchSize;
  const specs: TensorSpec[] = [
    { name: 'patch_embed_weight', shape: [D, model.channels, P, P] },
    { name: 'patch_embed_bias', shape: [D] },
    { name: 'pos_embed', shape: [d.tokens, D] },
  ];
  if (model.classToken === 'parameter') specs.push({ name: 'cls_token', shape: [D] });
  model.blocks.forEach((ffn, l) => {
    const p = `l${l}_`;
    specs.push(
      { name: `${p}norm1_weight`, shape: [D] },
      { name: `${p}norm1_bias`, shape: [D] },
      { name: `${p}qkv_weight`, shape: [3 * D, D] },
      { name: `${p}qkv_bias`, shape: [3 * D] },
      { name: `${p}attn_proj_weight`, shape: [D, D] },
      { name: `${p}attn_proj_bias`, shape: [D] },
      { name: `${p}norm2_weight`, shape: [D] },
      { name: `${p}norm2_bias`, shape: [D] },
    );
    if (ffn.kind === 'mlp') {
      specs.push(
        { name: `${p}fc1_weight`, shape: [ffn.hidden, D] },
        { name: `${p}fc1_bias`, shape: [ffn.hidden] },
        { name: `${p}fc2_weight`, shape: [D, ffn.hidden] },
        { name: `${p}fc2_bias`, shape: [D] },
      );
    } else {
      for (let t = 0; t < ffn.tasks; t++) specs.push({ name: `${p}w_gate_T_task${t}`, shape: [ffn.experts, D] });
      specs.push(
        { name: `${p}htoh4_weight`, shape: [ffn.experts, ffn.hidden, D] },
        { name: `${p}htoh4_bias`, shape: [ffn.experts, ffn.hidden] },
        { name: `${p}h4toh_weight`, shape: [ffn.experts, D, ffn.hidden] },
        { name: `${p}h4toh_bias`, shape: [ffn.experts, D] },
      );
    }
  });
  if (model.head) {
    specs.push(
      { name: 'norm_weight', shape: [D] },
      { name: 'norm_bias', shape: [D] },
      { name: 'head_weight', shape: [model.head.classes, D] },
      { name: 'head_bias', shape: [model.head.classes] },
    );
  }
  return specs;
}

/** A synthetic tensor generates its values on first use, so large presets cost nothing until read. */
class SyntheticTensor implements Tensor {
  readonly origin = 'synthetic' as const;
  private cache: Float32Array | undefined;
  constructor(readonly name: string, readonly shape: readonly number[], private readonly seed: number) {}
  get data(): Float32Array {
    return (this.cache ??= syntheticTensorData(this.name, tensorSize(this.shape), this.seed));
  }
}

class MapWeightSet implements WeightSet {
  readonly syntheticNames: readonly string[];
  constructor(
    readonly model: ModelSpec,
    readonly tensors: ReadonlyMap<string, Tensor>,
    readonly provenance: string,
  ) {
    this.syntheticNames = [...tensors.values()].filter((t) => t.origin === 'synthetic').map((t) => t.name);
  }
  get(name: string): Tensor {
    const t = this.tensors.get(name);
    if (!t) throw new UserError('weights', `model ${this.model.name} has no tensor '${name}'`);
    return t;
  }
  has(name: string): boolean {
    return this.tensors.has(name);
  }
}

/**
 * Build a WeightSet from ready tensors (e.g. tests that set a few tensors by hand). Every tensor
 * of the model must be present with its exact shape.
 */
export function makeWeightSet(model: ModelSpec, tensors: readonly Tensor[], provenance: string): WeightSet {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const ordered = new Map<string, Tensor>();
  for (const s of tensorSpecs(model)) {
    const t = byName.get(s.name);
    if (!t) throw new UserError('weights', `tensor '${s.name}' missing`);
    if (t.data.length !== tensorSize(s.shape)) {
      throw new UserError(s.name, `has ${t.data.length} values, expected ${tensorSize(s.shape)} ([${s.shape.join('][')}])`);
    }
    ordered.set(s.name, t);
  }
  return new MapWeightSet(model, ordered, provenance);
}

/** Seeded synthetic weights for any model (see weights-synthetic.ts for the scales). */
export function syntheticWeights(model: ModelSpec, seed: number): WeightSet {
  const tensors = new Map<string, Tensor>();
  for (const s of tensorSpecs(model)) tensors.set(s.name, new SyntheticTensor(s.name, s.shape, seed));
  return new MapWeightSet(model, tensors, `${tensors.size} synthetic (seed ${seed})`);
}

function readFloat32File(path: string, spec: TensorSpec, size: number): Float32Array {
  const bytes = statSync(path).size;
  const expected = 4 * tensorSize(spec.shape);
  if (bytes !== expected) {
    throw new UserError(path, `wrong size: expected ${expected} bytes (float32 [${spec.shape.join('][')}]), found ${bytes}`);
  }
  const buf = readFileSync(path);
  const out = new Float32Array(size);
  if (endianness() === 'LE') {
    new Uint8Array(out.buffer).set(buf);
  } else {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let i = 0; i < size; i++) out[i] = view.getFloat32(4 * i, true);
  }
  return out;
}

function listDir(dir: string): Set<string> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new UserError('weights', `not a directory: ${dir}`);
  return new Set(readdirSync(dir));
}

/** One --weights argument: a folder of raw float32 files, a .safetensors file or an .onnx file. */
interface WeightSource {
  /** Where `spec` is in this source (a file path, or `file:tensor`), or undefined. */
  locate(spec: TensorSpec): string | undefined;
  read(spec: TensorSpec): Float32Array;
  /** True for a folder: locate() is then the tensor's own raw float32 file. */
  readonly rawFiles: boolean;
}

function openSource(path: string, model: ModelSpec): WeightSource {
  if (/\.safetensors$/i.test(path)) {
    const st = openSafetensors(path);
    const found = new Map<string, string | undefined>();
    const at = (s: TensorSpec): string | undefined => {
      if (!found.has(s.name)) found.set(s.name, findTensor(st, s, model));
      return found.get(s.name);
    };
    return { locate: (s) => (at(s) ? `${path}:${at(s)}` : undefined), read: (s) => st.read(at(s)!), rawFiles: false };
  }
  if (/\.onnx$/i.test(path)) {
    const w = importOnnx(path).weights;
    const has = (s: TensorSpec): boolean => {
      if (!w.has(s.name)) return false;
      const t = w.get(s.name);
      if (t.shape.join(',') !== s.shape.join(',')) {
        throw new UserError(`${path}: ${s.name}`, `shape [${t.shape.join(', ')}] does not match [${s.shape.join(', ')}] of model ${model.name}`);
      }
      return true;
    };
    return { locate: (s) => (has(s) ? `${path}:${s.name}` : undefined), read: (s) => w.get(s.name).data, rawFiles: false };
  }
  const listing = listDir(path);
  return {
    locate: (s) => (listing.has(s.name + WEIGHT_FILE_SUFFIX) ? join(path, s.name + WEIGHT_FILE_SUFFIX) : undefined),
    read: (s) => readFloat32File(join(path, s.name + WEIGHT_FILE_SUFFIX), s, tensorSize(s.shape)),
    rawFiles: true,
  };
}

function nameList(names: readonly string[], max = 6): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/**
 * Load weights from one or more folders of raw float32 files, .safetensors files (timm or
 * vitforge names) or .onnx files. Sources overlay: for each tensor the first source holding it
 * wins. A tensor found in no folder is an error unless
 * `fillMissing`, in which case it gets the seeded synthetic values (seed `opts.seed ?? 0`).
 * A folder holding none of the model's files is an error (almost always a wrong path or model).
 */
export function loadWeights(
  model: ModelSpec,
  opts: { dirs: readonly string[]; fillMissing?: boolean; seed?: number },
): WeightSet {
  if (opts.dirs.length === 0) throw new UserError('weights', 'no weight folder given');
  const seed = opts.seed ?? 0;
  const sources = opts.dirs.map((d) => openSource(d, model));
  const specs = tensorSpecs(model);
  opts.dirs.forEach((dir, i) => {
    if (!specs.some((s) => sources[i]!.locate(s))) {
      const like = statSync(dir).isDirectory() ? `${specs[0]!.name}${WEIGHT_FILE_SUFFIX}` : `${specs[0]!.name} or timm's patch_embed.proj.weight`;
      throw new UserError('weights', `${dir} holds no weight file of model ${model.name} (expected names like ${like})`);
    }
  });
  const tensors = new Map<string, Tensor>();
  const perDir = opts.dirs.map(() => 0);
  const missing: string[] = [];
  for (const s of specs) {
    const size = tensorSize(s.shape);
    const i = sources.findIndex((src) => src.locate(s) !== undefined);
    if (i < 0) {
      missing.push(s.name);
      continue;
    }
    const data = sources[i]!.read(s);
    if (data.length !== size) throw new UserError(sources[i]!.locate(s)!, `has ${data.length} values, expected ${size}`);
    const where = sources[i]!.locate(s)!;
    tensors.set(s.name, { name: s.name, shape: s.shape, data, origin: 'file', ...(sources[i]!.rawFiles ? { path: where } : { source: where }) });
    perDir[i]!++;
  }
  if (missing.length > 0 && !opts.fillMissing) {
    throw new UserError(
      'weights',
      `${missing.length} tensor(s) of ${model.name} not found in ${opts.dirs.join(', ')}: ${nameList(missing)}; ` +
        'add a --weights folder that has them, or pass --fill-missing to use seeded synthetic values',
    );
  }
  for (const name of missing) {
    const s = specs.find((x) => x.name === name)!;
    tensors.set(name, new SyntheticTensor(name, s.shape, seed));
  }
  // Keep the canonical tensor order regardless of where each came from.
  const ordered = new Map(specs.map((s) => [s.name, tensors.get(s.name)!]));
  const parts = opts.dirs.map((d, i) => `${perDir[i]} from ${d}`).filter((_, i) => perDir[i]! > 0);
  if (missing.length) parts.push(`${missing.length} synthetic (seed ${seed})`);
  return new MapWeightSet(model, ordered, parts.join(', '));
}
