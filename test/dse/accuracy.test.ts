/**
 * Accuracy objective on a tiny model (seeded synthetic weights): the DSE reports for each point
 * the error of THAT point's types (checked against a direct functional-simulator run written
 * here), simulates each datatype configuration once, and more fm bits never hurt.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { designFromObject } from '../../src/design/load.js';
import { AccuracyOracle, compareOutputs } from '../../src/dse/accuracy.js';
import { resolveRunConfig } from '../../src/dse/config.js';
import { runDse } from '../../src/dse/run.js';
import { forwardReference } from '../../src/kernels/forward.js';
import { syntheticImage } from '../../src/model/image.js';
import { syntheticWeights } from '../../src/model/weights.js';
import { forwardFixed, quantizeWeights } from '../../src/sim/functional/index.js';
import { readCsv } from './csv.js';
import { fakePerformance } from './fake-model.js';

const tmp = mkdtempSync(join(tmpdir(), 'vf-dse-acc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// 2 blocks (dense, then MoE with 4 experts), 32×32 image → 4 patches + class token.
const MODEL = `name: tiny-moe
image: { height: 32, width: 32, channels: 3 }
patchSize: 16
classToken: pos-embed
dim: 32
depth: 3
heads: 2
mlpHidden: 64
moe: { experts: 4, topK: 2, hidden: 32, tasks: 1, layers: [1] }
`;
const modelPath = join(tmp, 'tiny.yaml');
writeFileSync(modelPath, MODEL);

describe('accuracy objective', () => {
  it('each point carries its own types\' error, measured once per type set', async () => {
    const space = join(tmp, 'space.yaml');
    writeFileSync(space, `others: fixed\nparams:\n  types.fm: { widths: [16, 24, 32] }\n  types.linearWeight: { widths: [8, 16] }\n  attention.parallel: [1, 2]\n`);
    const cfg = await resolveRunConfig({ model: modelPath, space, strategy: 'grid', objectives: 'latency,error' });
    expect(cfg.eval.accuracy).toEqual({ layers: 2, seed: 1, weights: [] });
    let measured = 0;
    const oracle = await AccuracyOracle.create(cfg.eval.space.base as Record<string, unknown>, cfg.eval.accuracy!);
    const out = join(tmp, 'out');
    await runDse(cfg, out, {
      jobs: 1, progress: false, report: false,
      deps: { performance: fakePerformance, accuracy: (o) => { const r = oracle.measure(o); measured = oracle.measured; return r; } },
    });
    expect(measured).toBe(6); // 3 fm × 2 weight types; attention.parallel does not change values
    const rows = readCsv(join(out, 'points.csv'));
    const col = (r: Record<string, string>, n: string): string => r[n]!;
    expect(rows).toHaveLength(12);

    // Independent run of the simulator for one point: fm 24 bits, weights 8 bits, 2 blocks.
    const w = syntheticWeights(designFromObject({ model: modelPath }).model, 1);
    const d = designFromObject({ model: modelPath, types: { fm: 'ap_fixed<24,10>', linearWeight: 'ap_fixed<8,2>' } });
    const model2 = { ...d.model, depth: 2, blocks: d.model.blocks.slice(0, 2) };
    const w2 = syntheticWeights(model2, 1);
    const img = syntheticImage(model2, 1);
    const ref = forwardReference(model2, w2, img, { layers: 2 });
    const cut = { ...d, model: model2 };
    const direct = compareOutputs(ref, forwardFixed(cut, quantizeWeights(cut, w2), img, { layers: 2 }).output);
    const row = rows.find((r) => col(r, 'types.fm') === 'ap_fixed<24,10>' && col(r, 'types.linearWeight') === 'ap_fixed<8,2>')!;
    expect(+col(row, 'error')).toBe(direct.relL2);
    expect(+col(row, 'sqnr_db')).toBe(direct.sqnrDb);
    expect(w.has('l2_qkv_weight')).toBe(true); // the full model has a third block the calibration skips

    // More fm bits (same integer bits) at 16-bit weights: the error does not grow.
    const err = (fm: number): number => +col(rows.find((r) => col(r, 'types.fm') === `ap_fixed<${fm},10>` && col(r, 'types.linearWeight') === 'ap_fixed<16,2>')!, 'error');
    expect(err(16)).toBeGreaterThan(err(24));
    expect(err(24)).toBeGreaterThanOrEqual(err(32) * 0.999);
    expect(Math.max(...rows.map((r) => +col(r, 'error')))).toBeLessThan(2);
  });

  it('--calib-weights: the calibration runs on the given weight folder and image', async () => {
    // A weight folder written from seeded tensors scaled ×10 (trained-like magnitudes), plus an image.
    const model = designFromObject({ model: modelPath }).model;
    const scaled = syntheticWeights(model, 9);
    const dir = join(tmp, 'weights');
    mkdirSync(dir);
    for (const t of scaled.tensors.values()) {
      writeFileSync(join(dir, `${t.name}.float32.bin`), new Uint8Array(Float32Array.from(t.data, (v) => 10 * v).buffer));
    }
    const img = syntheticImage(model, 9);
    writeFileSync(join(dir, 'image.float32.bin'), new Uint8Array(img.buffer));

    const cfg = await resolveRunConfig({ model: modelPath, objectives: 'latency,error', calibWeights: [dir], calibLayers: 2 });
    expect(cfg.eval.accuracy).toEqual({ layers: 2, seed: 1, weights: [dir] });
    const oracle = await AccuracyOracle.create(cfg.eval.space.base as Record<string, unknown>, cfg.eval.accuracy!);
    const got = oracle.measure(cfg.eval.space.base as Record<string, unknown>);

    // Direct: the same tensors (×10, through float32) and image, 2 blocks, base types.
    const d = designFromObject({ model: modelPath });
    const model2 = { ...d.model, depth: 2, blocks: d.model.blocks.slice(0, 2) };
    const base2 = syntheticWeights(model2, 9);
    const tensors = new Map([...base2.tensors].map(([n, t]) => [n, { ...t, data: Float32Array.from(t.data, (v) => 10 * v), origin: 'file' as const }]));
    const w2 = { ...base2, tensors, get: (n: string) => tensors.get(n)!, has: (n: string) => tensors.has(n) };
    const ref = forwardReference(model2, w2, img, { layers: 2 });
    const cut = { ...d, model: model2 };
    const direct = compareOutputs(ref, forwardFixed(cut, quantizeWeights(cut, w2), img, { layers: 2 }).output);
    expect(got.relL2).toBe(direct.relL2);
    const synthetic = await AccuracyOracle.create(cfg.eval.space.base as Record<string, unknown>, { layers: 2, seed: 1 });
    expect(synthetic.measure(cfg.eval.space.base as Record<string, unknown>).relL2).not.toBe(got.relL2);
  });

  it('the error objective is what turns on data-type dimensions in the default space', async () => {
    const without = await resolveRunConfig({ objectives: 'latency,dsp' });
    const withErr = await resolveRunConfig({ objectives: 'latency,dsp', constraints: ['error < 0.05'] });
    expect(without.eval.space.dims.some((d) => d.name.startsWith('types.'))).toBe(false);
    expect(without.eval.accuracy).toBeNull();
    expect(withErr.eval.space.dims.filter((d) => d.name.startsWith('types.')).map((d) => d.name)).toEqual(['types.fm', 'types.linearWeight', 'types.accum']);
  });
});
