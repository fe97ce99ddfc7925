/**
 * --weights FILE.safetensors: timm names mapped onto vitforge's, dtypes F32/F16/BF16/F64 decoded
 * exactly (hand-picked bit patterns), shape mismatches and truncated files named in one line.
 * The files are written here from the format's definition (8-byte LE header length, JSON header,
 * raw data), independently of the reader.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../../scripts/make-onnx-fixtures.js';
import { importOnnx } from '../../src/model/onnx/index.js';
import { projectRoot } from '../../src/model/shared.js';
import { loadWeights, tensorSpecs } from '../../src/model/weights.js';
import { runCli } from '../cli-capture.js';
import { userError } from '../user-error.js';

const tmp = mkdtempSync(join(tmpdir(), 'vitforge-st-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface StTensor { dtype: string; shape: number[]; bytes: Uint8Array }

function writeSafetensors(path: string, tensors: Record<string, StTensor>, cut = 0): void {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let off = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + t.bytes.length] };
    off += t.bytes.length;
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const all = Buffer.concat([len, json, ...Object.values(tensors).map((t) => Buffer.from(t.bytes))]);
  writeFileSync(path, all.subarray(0, all.length - cut));
}

const f32 = (shape: number[], data: ArrayLike<number>): StTensor => ({ dtype: 'F32', shape, bytes: new Uint8Array(Float32Array.from(data).buffer) });
const u16 = (dtype: string, shape: number[], bits: number[]): StTensor => ({ dtype, shape, bytes: new Uint8Array(Uint16Array.from(bits).buffer) });

const fixture = join(projectRoot(), FIXTURE_DIR, 'ts17-deit-token.onnx');
const { model, weights } = importOnnx(fixture);

/** timm's state dict of the fixture model, from its ONNX weights (timm shapes: [1, T, D] etc.). */
function timmStateDict(): Record<string, StTensor> {
  const sd: Record<string, StTensor> = {};
  const t = (name: string): Float32Array => weights.get(name).data;
  const D = model.dim;
  sd['patch_embed.proj.weight'] = f32([D, 3, 8, 8], t('patch_embed_weight'));
  sd['patch_embed.proj.bias'] = f32([D], t('patch_embed_bias'));
  sd['cls_token'] = f32([1, 1, D], t('cls_token'));
  sd['pos_embed'] = f32([1, 17, D], t('pos_embed'));
  for (let l = 0; l < model.depth; l++) {
    for (const [timm, vf] of [['norm1', 'norm1'], ['attn.qkv', 'qkv'], ['attn.proj', 'attn_proj'], ['norm2', 'norm2'], ['mlp.fc1', 'fc1'], ['mlp.fc2', 'fc2']]) {
      for (const wb of ['weight', 'bias']) {
        const w = weights.get(`l${l}_${vf}_${wb}`);
        sd[`blocks.${l}.${timm}.${wb}`] = f32([...w.shape], w.data);
      }
    }
  }
  sd['norm.weight'] = f32([D], t('norm_weight'));
  sd['norm.bias'] = f32([D], t('norm_bias'));
  sd['head.weight'] = f32([10, D], t('head_weight'));
  sd['head.bias'] = f32([10], t('head_bias'));
  return sd;
}

describe('safetensors weights', () => {
  it('timm names map onto every vitforge tensor, values bit-exact', () => {
    const path = join(tmp, 'timm.safetensors');
    writeSafetensors(path, timmStateDict());
    const w = loadWeights(model, { dirs: [path] });
    expect(w.syntheticNames).toEqual([]);
    for (const s of tensorSpecs(model)) expect(Array.from(w.get(s.name).data)).toEqual(Array.from(weights.get(s.name).data));
    expect(w.provenance).toBe(`${tensorSpecs(model).length} from ${path}`);
  });

  it('F16, BF16 and F64 decode exactly; vitforge names are accepted too', () => {
    const sd = timmStateDict();
    const D = model.dim;
    // binary16: 1, −2, 2^-24 (smallest subnormal), 65504 (largest finite), 0.5, ...
    const half = [0x3c00, 0xc000, 0x0001, 0x7bff, 0x3800];
    const halfV = [1, -2, 2 ** -24, 65504, 0.5];
    sd['norm.weight'] = u16('F16', [D], Array.from({ length: D }, (_, i) => half[i % 5]!));
    // bfloat16: 1, 3.140625, −0.5, 2^-126 (smallest normal)
    const bf = [0x3f80, 0x4049, 0xbf00, 0x0080];
    const bfV = [1, 3.140625, -0.5, 2 ** -126];
    sd['norm.bias'] = u16('BF16', [D], Array.from({ length: D }, (_, i) => bf[i % 4]!));
    delete sd['head.bias'];
    sd['head_bias'] = { dtype: 'F64', shape: [10], bytes: new Uint8Array(Float64Array.from({ length: 10 }, (_, i) => 0.1 * i).buffer) };
    const path = join(tmp, 'mixed.safetensors');
    writeSafetensors(path, sd);
    const w = loadWeights(model, { dirs: [path] });
    expect(Array.from(w.get('norm_weight').data)).toEqual(Array.from({ length: D }, (_, i) => halfV[i % 5]!));
    expect(Array.from(w.get('norm_bias').data)).toEqual(Array.from({ length: D }, (_, i) => bfV[i % 4]!));
    expect(Array.from(w.get('head_bias').data)).toEqual(Array.from({ length: 10 }, (_, i) => Math.fround(0.1 * i)));
  });

  it('overlays: a partial file first, the ONNX weights behind it', () => {
    const path = join(tmp, 'partial.safetensors');
    writeSafetensors(path, { 'head.bias': f32([10], new Array(10).fill(7)) });
    const w = loadWeights(model, { dirs: [path, fixture] });
    expect(Array.from(w.get('head_bias').data)).toEqual(new Array(10).fill(7));
    expect(Array.from(w.get('head_weight').data)).toEqual(Array.from(weights.get('head_weight').data));
  });

  it('a shape mismatch names the tensor and both shapes', () => {
    const sd = timmStateDict();
    sd['blocks.1.attn.qkv.weight'] = f32([96, 16], new Array(96 * 16).fill(0));
    const path = join(tmp, 'bad.safetensors');
    writeSafetensors(path, sd);
    const e = userError(() => loadWeights(model, { dirs: [path] }));
    expect(e.oneLine()).toBe(`bad.safetensors: blocks.1.attn.qkv.weight: shape [96, 16] does not match l1_qkv_weight [96, 32] of model ts17-deit-token`);
  });

  it('truncated file and unsupported dtype: one line, exit 1 from the CLI', async () => {
    const cut = join(tmp, 'cut.safetensors');
    writeSafetensors(cut, timmStateDict(), 100); // cuts into head.weight (1280 bytes) and all of head.bias (40)
    const r = await runCli('run', '--model', fixture, '--weights', cut);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^vitforge: error: cut\.safetensors: head\.weight: data ends at byte \d+, beyond the end of the file \(\d+ bytes\): truncated file\n$/);
    const i8 = join(tmp, 'i8.safetensors');
    writeSafetensors(i8, { 'head.bias': { dtype: 'I8', shape: [10], bytes: new Uint8Array(10) } });
    expect(userError(() => loadWeights(model, { dirs: [i8] })).oneLine()).toBe('i8.safetensors: head.bias: unsupported dtype I8 (allowed: F32, F16, BF16, F64)');
  });
});
