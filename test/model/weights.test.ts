import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { modelFromObject } from '../../src/model/file.js';
import { presetModel } from '../../src/model/presets.js';
import { m3vitDirs } from '../../src/model/shared.js';
import { loadWeights, syntheticWeights, tensorSize, tensorSpecs, type WeightSet } from '../../src/model/weights.js';
import { Rng } from '../../src/rng.js';
import { sameValues } from './arrays.js';
import { userError as catchUserError } from '../user-error.js';

const tmp = mkdtempSync(join(tmpdir(), 'vitforge-w-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const m3vit = presetModel('m3vit-tiny');
const small = modelFromObject({
  name: 'small', image: { height: 8, width: 8 }, patchSize: 4, dim: 8, depth: 2, heads: 2, mlpHidden: 12,
  moe: { experts: 3, topK: 2, hidden: 6, tasks: 2, layers: [1] },
});

function writeSet(dir: string, w: WeightSet, only?: (name: string) => boolean): void {
  mkdirSync(dir, { recursive: true });
  for (const t of w.tensors.values()) {
    if (only && !only(t.name)) continue;
    writeFileSync(join(dir, `${t.name}.float32.bin`), new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
}

describe('tensorSpecs', () => {
  it('m3vit-tiny: the README file list and byte sizes', () => {
    const specs = tensorSpecs(m3vit);
    expect(specs.length).toBe(147 + 12); // 148 files minus the image, plus the 12 missing expert matrices
    const bytes = new Map(specs.map((s) => [s.name, 4 * tensorSize(s.shape)]));
    expect(bytes.get('patch_embed_weight')).toBe(589_824);
    expect(bytes.get('pos_embed')).toBe(99_072);
    expect(bytes.get('l0_qkv_weight')).toBe(442_368);
    expect(bytes.get('l0_fc1_weight')).toBe(589_824);
    expect(bytes.get('l1_w_gate_T_task1')).toBe(12_288);
    expect(bytes.get('l11_htoh4_weight')).toBe(4_718_592);
    expect(bytes.get('l11_h4toh_bias')).toBe(12_288);
    expect(bytes.has('l0_w_gate_T_task0')).toBe(false);
    expect(bytes.has('l1_fc1_weight')).toBe(false);
    expect(bytes.has('cls_token')).toBe(false);
    // README: 15,704,064 bytes present incl. the 393,216-byte image, plus 56,623,104 missing.
    expect([...bytes.values()].reduce((a, b) => a + b, 0)).toBe(15_704_064 - 393_216 + 56_623_104);
  });

  it('vit-b16: 86,567,656 parameters, as timm vit_base_patch16_224 (head 769,000 and final norm 1,536 included)', () => {
    const specs = tensorSpecs(presetModel('vit-b16'));
    expect(specs.reduce((s, t) => s + tensorSize(t.shape), 0)).toBe(86_567_656);
    expect(specs.find((s) => s.name === 'head_weight')!.shape).toEqual([1000, 768]);
    expect(specs.find((s) => s.name === 'cls_token')!.shape).toEqual([768]);
  });

  it.skipIf(!m3vitDirs())('names match the shared folders exactly', () => {
    const files = m3vitDirs()!.flatMap((d) => readdirSync(d)).filter((f) => f.endsWith('.float32.bin') && f !== 'image.float32.bin');
    expect(new Set(files.map((f) => f.replace('.float32.bin', '')))).toEqual(new Set(tensorSpecs(m3vit).map((s) => s.name)));
  });
});

describe('loadWeights', () => {
  const a = syntheticWeights(small, 1);
  const b = syntheticWeights(small, 2);
  const dirA = join(tmp, 'a');
  const dirB = join(tmp, 'b');
  writeSet(dirA, a);
  writeSet(dirB, b, (n) => n.startsWith('l1_'));

  it('overlays folders: the first folder holding a tensor wins', () => {
    const w = loadWeights(small, { dirs: [dirB, dirA] });
    for (const t of w.tensors.values()) {
      const src = t.name.startsWith('l1_') ? b : a;
      expect(sameValues(t.data, src.get(t.name).data)).toBe(true);
      expect(t.origin).toBe('file');
      expect(t.path).toBe(join(t.name.startsWith('l1_') ? dirB : dirA, `${t.name}.float32.bin`));
    }
    const n1 = tensorSpecs(small).filter((s) => s.name.startsWith('l1_')).length;
    expect(w.provenance).toBe(`${n1} from ${dirB}, ${w.tensors.size - n1} from ${dirA}`);
    expect(w.syntheticNames).toEqual([]);
    // reversed order: A has everything, B contributes nothing
    expect(loadWeights(small, { dirs: [dirA, dirB] }).provenance).toBe(`${w.tensors.size} from ${dirA}`);
  });

  it('a missing tensor is an error naming it and --fill-missing, unless fillMissing', () => {
    const e = catchUserError(() => loadWeights(small, { dirs: [dirB] }));
    expect(e.message).toMatch(/patch_embed_weight/);
    expect(e.message).toMatch(/--fill-missing/);
    const w = loadWeights(small, { dirs: [dirB], fillMissing: true, seed: 5 });
    const s5 = syntheticWeights(small, 5);
    expect(w.syntheticNames).toEqual(tensorSpecs(small).map((s) => s.name).filter((n) => !n.startsWith('l1_')));
    for (const n of w.syntheticNames) {
      expect(w.get(n).origin).toBe('synthetic');
      expect(sameValues(w.get(n).data, s5.get(n).data)).toBe(true); // the same values a fully synthetic seed-5 run uses
    }
    expect(w.provenance).toMatch(new RegExp(`synthetic \\(seed 5\\)$`));
  });

  it('a file of the wrong size names the file, expected and actual bytes', () => {
    const dir = join(tmp, 'bad');
    writeSet(dir, a);
    writeFileSync(join(dir, 'l0_qkv_bias.float32.bin'), new Uint8Array(10));
    const e = catchUserError(() => loadWeights(small, { dirs: [dir] }));
    expect(e.oneLine()).toMatch(/l0_qkv_bias\.float32\.bin.*expected 96 bytes.*found 10/);
  });

  it('rejects a missing folder and a folder without any of the model files', () => {
    expect(catchUserError(() => loadWeights(small, { dirs: [join(tmp, 'nope')] })).message).toMatch(/not a directory/);
    mkdirSync(join(tmp, 'empty'));
    expect(catchUserError(() => loadWeights(small, { dirs: [dirA, join(tmp, 'empty')] })).message).toMatch(/holds no weight file of model small/);
    expect(() => syntheticWeights(small, 0).get('l9_qkv_weight')).toThrow(UserError);
  });

  it.skipIf(!m3vitDirs())('loads the real M3ViT folders with the stand-in experts', () => {
    const [real, experts] = m3vitDirs()!;
    const w = loadWeights(m3vit, { dirs: m3vitDirs()! });
    expect(w.provenance).toBe(`147 from ${real}, 12 from ${experts}`);
    expect(w.get('l1_htoh4_weight').path).toContain('m3vit-synthetic-experts');
    // README: class-token row of pos_embed is part of the file; spot-check a value is finite and non-zero
    expect(w.get('pos_embed').data.some((v) => v !== 0)).toBe(true);
    expect(catchUserError(() => loadWeights(m3vit, { dirs: [real!] })).message).toMatch(/12 tensor\(s\).*l1_htoh4_weight/);
  });
});

describe('synthetic weights', () => {
  it('have the documented scales', () => {
    const w = syntheticWeights(m3vit, 3);
    const stat = (n: string): { mean: number; std: number; max: number } => {
      const d = w.get(n).data;
      const mean = d.reduce((s, v) => s + v, 0) / d.length;
      const std = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / d.length);
      return { mean, std, max: d.reduce((m, v) => Math.max(m, Math.abs(v)), 0) };
    };
    // a normal truncated at ±2σ has std 0.8796·σ
    const q = stat('l0_qkv_weight');
    expect(q.std).toBeGreaterThan(0.02 * 0.8796 * 0.98);
    expect(q.std).toBeLessThan(0.02 * 0.8796 * 1.02);
    expect(Math.abs(q.mean)).toBeLessThan(1e-3);
    expect(q.max).toBeLessThanOrEqual(0.04 * (1 + 1e-6));
    expect(stat('pos_embed').max).toBeLessThanOrEqual(0.04 * (1 + 1e-6));
    expect(stat('l0_fc1_bias').max).toBeLessThanOrEqual(0.02 * (1 + 1e-6));
    expect(w.get('l3_norm2_weight').data.every((v) => v === 1)).toBe(true);
    expect(w.get('l3_norm2_bias').data.every((v) => v === 0)).toBe(true);
  });

  it('are deterministic per (seed, tensor name), independent of the rest of the model', () => {
    const w1 = syntheticWeights(m3vit, 9);
    const q = w1.get('l0_qkv_weight').data;
    expect(sameValues(q, syntheticWeights(m3vit, 9).get('l0_qkv_weight').data)).toBe(true);
    expect(sameValues(q, syntheticWeights(m3vit, 10).get('l0_qkv_weight').data)).toBe(false);
    expect(sameValues(q, w1.get('l2_qkv_weight').data)).toBe(false);
    const deit = syntheticWeights(presetModel('deit-t'), 9); // same D=192: same tensor, same values
    expect(sameValues(deit.get('l0_qkv_weight').data, q)).toBe(true);
    expect(w1.syntheticNames.length).toBe(159);
  });
});

describe('Rng', () => {
  it('uniform is in [0,1) with mean 1/2 and variance 1/12; int(n) covers 0..n-1 evenly', () => {
    const r = new Rng(1, 's');
    let s = 0, s2 = 0;
    const n = 100_000;
    const counts = new Array<number>(7).fill(0);
    let inRange = true;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      inRange &&= u >= 0 && u < 1;
      s += u;
      s2 += u * u;
      counts[r.int(7)]!++;
    }
    expect(inRange).toBe(true);
    expect(Math.abs(s / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
    // chi-square with 6 dof: 99.9% quantile 22.5
    const chi = counts.reduce((acc, c) => acc + (c - n / 7) ** 2 / (n / 7), 0);
    expect(chi).toBeLessThan(22.5);
  });

  it('normal has mean 0 and variance 1', () => {
    const r = new Rng(2);
    let s = 0, s2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.015);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });
});
