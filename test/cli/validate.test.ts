/**
 * `vitforge validate` in-process through main(): output, JSON report, trace folder, ablation,
 * and one-line errors that leave nothing half-written.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as cli } from '../cli-capture.js';
import { loadDesign } from '../../src/design/load.js';
import { forwardReference } from '../../src/kernels/forward.js';
import { readTrace } from '../../src/kernels/trace-writer.js';
import { syntheticImage } from '../../src/model/image.js';
import { syntheticWeights } from '../../src/model/weights.js';
import { forwardFixed, quantizeWeights } from '../../src/sim/functional/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'vf-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// A reduced model (2 blocks: dense then MoE) and a design point on it.
writeFileSync(join(tmp, 'small.json'), JSON.stringify({
  name: 'small', image: { height: 16, width: 16, channels: 3 }, patchSize: 8, classToken: 'parameter',
  dim: 16, depth: 2, heads: 2, mlpHidden: 32, moe: { experts: 4, topK: 2, hidden: 16, layers: 'odd' },
}));
const designPath = join(tmp, 'design.yaml');
writeFileSync(designPath, 'name: small-point\nmodel: small.json\nlinear: { tileIn: 4, tileOut: 4 }\nattention: { parallel: 2, dotTile: 4 }\n');

describe('vitforge validate', () => {
  it('prints per-stage metrics, writes JSON and a fixed-point trace', async () => {
    const json = join(tmp, 'report.json');
    const trace = join(tmp, 'trace');
    const r = await cli('validate', '--design', designPath, '--seed', '5', '--json', json, '--trace', trace);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/no --weights given: all \d+ tensors are synthetic \(seed 5\)/);
    for (const row of ['x_embed', 'l0.ln1', 'l0.attn', 'l0.post_attn', 'l0.mlp_hidden', 'l1.gate_logits', 'l1.post_ffn', 'end-to-end']) {
      expect(r.out).toMatch(new RegExp(`^${row.replace('.', '\\.')} `, 'm'));
    }
    expect(r.out).toMatch(/^l1\.post_ffn .* \d\.\d{3} \(top1 \d\.\d{3}\)$/m); // routing agreement on the MoE block
    expect(r.out).toMatch(/SQNR dB +MSE +rel L2 +max abs +routing/);

    // The end-to-end figures, recomputed here from the two forward passes with plain loops.
    const design = loadDesign(designPath);
    const w = syntheticWeights(design.model, 5);
    const img = syntheticImage(design.model, 5);
    const ref = forwardReference(design.model, w, img);
    const fix = forwardFixed(design, quantizeWeights(design, w), img).output;
    let se = 0, sr = 0, mx = 0;
    for (let i = 0; i < ref.length; i++) {
      se += (fix[i]! - ref[i]!) ** 2;
      sr += ref[i]! ** 2;
      mx = Math.max(mx, Math.abs(fix[i]! - ref[i]!));
    }
    const rep = JSON.parse(readFileSync(json, 'utf8'));
    expect(rep.endToEnd.relL2).toBeCloseTo(Math.sqrt(se / sr), 14);
    expect(rep.endToEnd.maxAbs).toBe(mx);
    expect(rep.endToEnd.mse).toBeCloseTo(se / ref.length, 20);
    expect(rep.endToEnd.sqnrDb).toBeCloseTo(10 * Math.log10(sr / se), 10);
    expect(rep.stages.map((s: { name: string }) => s.name)).toContain('l1.post_ffn');
    expect(rep.routing).toHaveLength(1);
    expect(rep.design).toBe('small-point');

    // Trace: same format as `run --trace`, values = the fixed-point tensors.
    const t = readTrace(trace);
    expect(Array.from(t.tensor('l1.post_ffn').data)).toEqual(Array.from(fix));
    expect(t.routing(1).top).toHaveLength(design.model.imageHeight / 8 * design.model.imageWidth / 8 + 1);
    expect(t.index.meta).toMatchObject({ design: 'small-point', seed: 5 });
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('--ablate adds one end-to-end row per approximation, --layers runs a prefix', async () => {
    const r = await cli('validate', '--design', designPath, '--ablate', '--layers', '1');
    expect(r.code, r.err).toBe(0);
    for (const row of ['hw', 'exact exp', 'exact recip', 'exact rsqrt', 'exact gelu', 'all exact']) {
      expect(r.out).toMatch(new RegExp(`^${row} +[-\\d.e]+ `, 'm'));
    }
    expect(r.out).not.toMatch(/^l1\./m);
    expect(r.out).toMatch(/1 block\(s\)/);
  });

  it('errors: one line, exit 1, nothing half-written', async () => {
    const foreign = join(tmp, 'not-a-trace');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'keep.txt'), 'mine');
    let r = await cli('validate', '--design', designPath, '--trace', foreign);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^vitforge: error: trace: .*not a previous vitforge output/);
    expect(readdirSync(foreign)).toEqual(['keep.txt']);

    r = await cli('validate', '--design', designPath, '--layers', '3');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^vitforge: error: layers: /);

    r = await cli('validate', '--design', designPath, '--json', join(tmp, 'no-such-dir', 'r.json'), '--trace', join(tmp, 'tr2'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^vitforge: error: json: parent folder does not exist/);
    expect(existsSync(join(tmp, 'tr2'))).toBe(false);

    r = await cli('validate', '--design', designPath, '--weights', join(tmp, 'missing-weights'));
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);

    r = await cli('validate', '--design', designPath, '--seed', 'x');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^vitforge: error: seed: /);
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
