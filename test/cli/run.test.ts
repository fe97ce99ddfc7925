/**
 * `vitforge run` and `vitforge models --ops` in-process through main(), capturing stdout/stderr.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as cli } from '../cli-capture.js';
import { forwardReference } from '../../src/kernels/forward.js';
import { readTrace } from '../../src/kernels/trace-writer.js';
import { modelFromObject } from '../../src/model/file.js';
import { syntheticImage } from '../../src/model/image.js';
import { presetModel } from '../../src/model/presets.js';
import { m3vitDirs } from '../../src/model/shared.js';
import { syntheticWeights, tensorSpecs } from '../../src/model/weights.js';

const tmp = mkdtempSync(join(tmpdir(), 'vitforge-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const SMALL = {
  name: 'small', image: { height: 16, width: 16, channels: 3 }, patchSize: 8, classToken: 'parameter',
  dim: 8, depth: 2, heads: 2, mlpHidden: 16, moe: { experts: 4, topK: 2, hidden: 8, layers: 'odd' },
};
const smallPath = join(tmp, 'small.json');
writeFileSync(smallPath, JSON.stringify(SMALL));
const small = modelFromObject(SMALL);

describe('vitforge run', () => {
  it('runs a seeded synthetic model, says so on stderr, writes trace and dump', async () => {
    const trace = join(tmp, 'tr');
    const dump = join(tmp, 'out.f32');
    const r = await cli('run', '--model', smallPath, '--seed', '3', '--trace', trace, '--dump', dump);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/no --weights given: all \d+ tensors are synthetic \(seed 3\)/);
    expect(r.out).toMatch(/^model {4}small \(2 blocks, 5 tokens x 8\)/);
    expect(r.out).toMatch(/ran {6}2 of 2 blocks, task 0/);
    const ref = forwardReference(small, syntheticWeights(small, 3), syntheticImage(small, 3));
    const dumped = new Float32Array(Uint8Array.from(readFileSync(dump)).buffer);
    expect(Array.from(dumped)).toEqual(Array.from(Float32Array.from(ref)));
    expect(Array.from(readTrace(trace).tensor('l1.post_ffn').data)).toEqual(Array.from(ref));
    expect(readTrace(trace).index.meta).toMatchObject({ model: 'small', seed: 3, layers: 2, task: 0 });
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp'))).toEqual([]);
    // same seed → same output hash
    const again = await cli('run', '--model', smallPath, '--seed', '3');
    expect(again.out.match(/sha256 {3}(\w+)/)![1]).toBe(r.out.match(/sha256 {3}(\w+)/)![1]);
  });

  it('--layers, --task and overlay with --fill-missing', async () => {
    const dir = join(tmp, 'wsmall');
    mkdirSync(dir);
    const w = syntheticWeights(small, 8);
    for (const s of tensorSpecs(small)) {
      if (s.name === 'l1_htoh4_weight') continue;
      const d = w.get(s.name).data;
      writeFileSync(join(dir, `${s.name}.float32.bin`), new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    }
    const missing = await cli('run', '--model', smallPath, '--weights', dir);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^vitforge: error: weights: 1 tensor\(s\) of small not found in .*: l1_htoh4_weight; .*--fill-missing/);
    expect(missing.err.split('\n').filter(Boolean).length).toBe(1);
    const filled = await cli('run', '--model', smallPath, '--weights', dir, '--fill-missing', '--seed', '8', '--layers', '1');
    expect(filled.code).toBe(0);
    expect(filled.err).toBe('vitforge: note: 1 tensor(s) are synthetic, not real weights: l1_htoh4_weight\n');
    expect(filled.out).toMatch(/ran {6}1 of 2 blocks/);
    expect(filled.out).toMatch(/image {4}synthetic \(seed 8\)/);
    // with --fill-missing the filled tensor takes the same values as the all-synthetic seed-8 run
    const full = await cli('run', '--model', smallPath, '--weights', dir, '--fill-missing', '--seed', '8');
    const synth = await cli('run', '--model', smallPath, '--seed', '8');
    expect(full.out.match(/sha256 {3}(\w+)/)![1]).toBe(synth.out.match(/sha256 {3}(\w+)/)![1]);
  });

  it.each([
    [['--model', 'vit-huge'], /model: unknown model preset 'vit-huge' \(allowed: m3vit-tiny,/],
    [['--model', join(tmp, 'absent.yaml')], /model: file not found/],
    [['--model', 'BAD'], /unknown model preset 'BAD'/],
    [['--image', join(tmp, 'absent.bin')], /image: file not found/],
    [['--weights', join(tmp, 'no-such-dir')], /weights: not a directory/],
    [['--layers', '13'], /layers: must be an integer in 0\.\.12/],
    [['--layers', '2x'], /layers: must be an integer ≥ 0, got '2x'/],
    [['--task', '2'], /task: invalid task 2 for m3vit-tiny \(allowed: 0\.\.1\)/],
    [['--seed', '-1'], /seed: must be an integer/],
    [['--trace', join(tmp, 'no', 'such', 'parent')], /trace: parent folder does not exist/],
    [['--dump', tmpdir()], /dump: .* is a directory/],
  ])('bad input %j → one-line error, exit 1', async (args, pattern) => {
    const r = await cli('run', ...(args as string[]));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(pattern as RegExp);
    expect(r.err.trim().split('\n').length).toBe(1);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/); // no stack
  });

  it('malformed model file and wrong-size weight file', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'dim: [1, 2\n');
    const r1 = await cli('run', '--model', bad);
    expect(r1.code).toBe(1);
    expect(r1.err).toMatch(/cannot parse/);
    const bad2 = join(tmp, 'bad2.json');
    writeFileSync(bad2, JSON.stringify({ ...SMALL, dim: 10, heads: 3 }));
    const r2 = await cli('run', '--model', bad2);
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/bad2\.json: heads: 3 does not divide dim 10/);
    const dir = join(tmp, 'wrongsize');
    mkdirSync(dir);
    writeFileSync(join(dir, 'patch_embed_bias.float32.bin'), new Uint8Array(12));
    const r3 = await cli('run', '--model', smallPath, '--weights', dir);
    expect(r3.code).toBe(1);
    expect(r3.err).toMatch(/patch_embed_bias\.float32\.bin: wrong size: expected 32 bytes \(float32 \[8\]\), found 12/);
    const img = join(tmp, 'img.bin');
    writeFileSync(img, new Uint8Array(16));
    const r4 = await cli('run', '--model', smallPath, '--image', img);
    expect(r4.err).toMatch(/img\.bin: wrong size: expected 3072 bytes/);
    // a failed run leaves no trace folder behind
    const tr = join(tmp, 'failed-trace');
    const r5 = await cli('run', '--model', smallPath, '--image', img, '--trace', tr);
    expect(r5.code).toBe(1);
    expect(existsSync(tr)).toBe(false);
  });

  it.skipIf(!m3vitDirs())('real weights: image taken from the weights folder, provenance printed', async () => {
    const [real, experts] = m3vitDirs()!;
    const r = await cli('run', '--weights', real!, '--weights', experts!, '--layers', '2');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain(`weights  147 from ${real}, 12 from ${experts}`);
    expect(r.out).toContain(`image    ${join(real!, 'image.float32.bin')}`);
  });
});

describe('vitforge models --ops', () => {
  it('prints per-op rows, block totals and the total GMAC', async () => {
    const r = await cli('models', '--ops', 'm3vit-tiny');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/total: 782,719,488 MAC = 0\.783 GMAC/);
    expect(r.out).toMatch(/^0 +qkv +linear +129x192 · \[576\]\[192\] +14,266,368 +74,304$/m);
    expect(r.out).toMatch(/^embed +patch_embed/m);
    expect(r.out.match(/\(block total\)/g)!.length).toBe(13);
    expect(presetModel('m3vit-tiny').depth).toBe(12);
  });

  it('without a model → one-line error', async () => {
    const r = await cli('models', '--ops');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/needs a model/);
  });
});
