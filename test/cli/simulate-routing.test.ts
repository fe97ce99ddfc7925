/**
 * `vitforge simulate --weights`: with `moe.routing: simulate`, the MoE queue lengths come from the
 * functional simulator run on those weights, not from the uniform assumption.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadDesign } from '../../src/design/load.js';
import { syntheticImage } from '../../src/model/image.js';
import { modelDims } from '../../src/model/ir.js';
import { forwardFixed, quantizeWeights } from '../../src/sim/functional/index.js';
import { evaluatePerformance } from '../../src/sim/timing/index.js';
import { scaledWeights, tinyModelFile } from '../sim/functional/helpers/fixtures.js';
import { runCli } from '../cli-capture.js';

describe('vitforge simulate --weights', () => {
  it('takes the expert queue lengths from the functional simulator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vf-sim-routing-'));
    const designPath = join(dir, 'design.yaml');
    writeFileSync(designPath, stringify({
      name: 'tiny-moe', model: tinyModelFile({ moe: { experts: 4, topK: 1, hidden: 16, layers: 'all' } }),
      linear: { tileIn: 4, tileOut: 4 }, attention: { parallel: 2, dotTile: 4 }, moe: { routing: 'simulate' },
    }));
    const design = loadDesign(designPath);
    // Weights large enough that the gates prefer some experts (std-0.02 weights route almost uniformly).
    const weights = scaledWeights(design.model, 7, 20);
    const wdir = join(dir, 'weights');
    mkdirSync(wdir);
    for (const t of weights.tensors.values()) writeFileSync(join(wdir, `${t.name}.float32.bin`), new Uint8Array(t.data.buffer));

    const json = join(dir, 'report.json');
    const r = await runCli('simulate', '--design', designPath, '--weights', wdir, '--json', json);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^routing\s+functional simulator/m);
    const report = JSON.parse(readFileSync(json, 'utf8'));

    // The simulator's routing of the same weights and image (synthetic image, seed 0).
    const image = syntheticImage(design.model, 0);
    const { routing } = forwardFixed(design, quantizeWeights(design, weights), image);
    const tokens = modelDims(design.model).tokens;
    for (const b of routing.blocks) expect(b.counts.reduce((a, c) => a + c, 0)).toBe(tokens);
    expect(routing.blocks.some((b) => Math.max(...b.counts) - Math.min(...b.counts) > 1)).toBe(true);
    expect(report.latencyMs).toBeCloseTo(evaluatePerformance(design, routing).latencyMs, 12);
    expect(report.latencyMs).not.toBeCloseTo(evaluatePerformance(design).latencyMs, 9);
  });
});
