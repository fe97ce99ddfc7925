/**
 * safetensors weight files (`--weights FILE.safetensors`): an 8-byte little-endian header length,
 * a JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?}`, then the raw
 * little-endian tensor bytes (offsets relative to the end of the header). The format is small
 * enough to read directly; every defect is a one-line UserError naming the file (and tensor).
 *
 * Names: timm's VisionTransformer state-dict names are mapped onto vitforge's (timmName below);
 * vitforge's own names are accepted as they are.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../errors.js';
import { bfloat16ToNumber, halfToNumber } from './halfs.js';
import type { ModelSpec } from './ir.js';
import { tensorSize, type TensorSpec } from './weights.js';

const DTYPES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };

interface Entry { readonly dtype: string; readonly shape: readonly number[]; readonly begin: number; readonly end: number }

export interface SafetensorsFile {
  readonly path: string;
  readonly entries: ReadonlyMap<string, Entry>;
  /** The values of one tensor as float32 (F64 rounds to nearest float32). */
  read(name: string): Float32Array;
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fd, b, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return b.subarray(0, got);
}

export function openSafetensors(path: string): SafetensorsFile {
  const file = basename(path);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new UserError('weights', `file not found: ${path}`);
  }
  const fd = openSync(path, 'r');
  try {
    if (size < 8) throw new UserError(file, `truncated safetensors file (${size} bytes)`);
    const n = Number(readAt(fd, 0, 8).readBigUInt64LE(0));
    if (8 + n > size) throw new UserError(file, `truncated safetensors file: header of ${n} bytes, file has ${size}`);
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(readAt(fd, 8, n).toString('utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UserError(file, `not a safetensors file (header is not JSON: ${(e as Error).message.split('\n')[0]})`);
    }
    const dataStart = 8 + n;
    const entries = new Map<string, Entry>();
    for (const [name, raw] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      const dtype = String(e.dtype);
      const bytes = DTYPES[dtype];
      if (bytes === undefined) throw new UserError(`${file}: ${name}`, `unsupported dtype ${dtype}`, Object.keys(DTYPES).join(', '));
      const shape = e.shape as number[];
      const off = e.data_offsets as number[];
      if (!Array.isArray(shape) || !Array.isArray(off) || off.length !== 2) throw new UserError(`${file}: ${name}`, 'malformed header entry (needs dtype, shape, data_offsets)');
      const [begin, end] = off as [number, number];
      if (end - begin !== bytes * tensorSize(shape)) throw new UserError(`${file}: ${name}`, `data_offsets span ${end - begin} bytes, ${dtype} [${shape.join(', ')}] needs ${bytes * tensorSize(shape)}`);
      if (dataStart + end > size) throw new UserError(`${file}: ${name}`, `data ends at byte ${dataStart + end}, beyond the end of the file (${size} bytes): truncated file`);
      entries.set(name, { dtype, shape, begin: dataStart + begin, end: dataStart + end });
    }
    return {
      path, entries,
      read(name: string): Float32Array {
        const e = entries.get(name)!;
        const fd2 = openSync(path, 'r');
        let b: Buffer;
        try {
          b = readAt(fd2, e.begin, e.end - e.begin);
        } finally {
          closeSync(fd2);
        }
        const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
        const len = tensorSize(e.shape);
        const out = new Float32Array(len);
        for (let i = 0; i < len; i++) {
          switch (e.dtype) {
            case 'F32': out[i] = v.getFloat32(4 * i, true); break;
            case 'F64': out[i] = v.getFloat64(8 * i, true); break;
            case 'F16': out[i] = halfToNumber(v.getUint16(2 * i, true)); break;
            default: out[i] = bfloat16ToNumber(v.getUint16(2 * i, true));
          }
        }
        return out;
      },
    };
  } finally {
    closeSync(fd);
  }
}

/**
 * timm's state-dict names for a vitforge tensor (the first that a file holds is used):
 * patch_embed.proj.*, cls_token, pos_embed, blocks.N.{norm1, attn.qkv, attn.proj, norm2,
 * mlp.fc1, mlp.fc2}.*, norm.* (or fc_norm.* with mean pooling), head.*.
 */
export function timmNames(name: string, model: ModelSpec): string[] {
  const wb = (s: string): string => s.replace(/_(weight|bias)$/, '.$1');
  if (name.startsWith('patch_embed_')) return [wb(name.replace('patch_embed_', 'patch_embed.proj_'))];
  if (name === 'pos_embed' || name === 'cls_token') return [name];
  if (name.startsWith('norm_')) return model.head?.pooling === 'mean' ? [wb(name.replace('norm_', 'fc_norm_')), wb(name)] : [wb(name), wb(name.replace('norm_', 'fc_norm_'))];
  if (name.startsWith('head_')) return [wb(name)];
  const m = /^l(\d+)_(norm1|norm2|qkv|attn_proj|fc1|fc2)_(weight|bias)$/.exec(name);
  if (!m) return [];
  const sub = { norm1: 'norm1', norm2: 'norm2', qkv: 'attn.qkv', attn_proj: 'attn.proj', fc1: 'mlp.fc1', fc2: 'mlp.fc2' }[m[2] as 'qkv'];
  return [`blocks.${m[1]}.${sub}.${m[3]}`];
}

/** The entry of `st` holding vitforge tensor `spec` (its own name or a timm name), shape-checked. */
export function findTensor(st: SafetensorsFile, spec: TensorSpec, model: ModelSpec): string | undefined {
  const names = [spec.name, ...timmNames(spec.name, model)];
  const name = names.find((n) => st.entries.has(n));
  if (!name) return undefined;
  const shape = st.entries.get(name)!.shape;
  // Leading 1s are PyTorch's batch axes (pos_embed [1, T, D], cls_token [1, 1, D]).
  const squeezed = [...shape];
  while (squeezed.length > spec.shape.length && squeezed[0] === 1) squeezed.shift();
  if (squeezed.join(',') !== spec.shape.join(',')) {
    throw new UserError(`${basename(st.path)}: ${name}`, `shape [${shape.join(', ')}] does not match ${spec.name} [${spec.shape.join(', ')}] of model ${model.name}`);
  }
  return name;
}
