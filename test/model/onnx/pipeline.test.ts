/**
 * An imported ONNX model through the rest of vitforge: a design file naming it (`model:`), the
 * generated HLS project, and g++ C-simulation bit-exact against the fixed-point simulator on the
 * ONNX file's own weights (the residual stream; the classifier head is not in the HLS kernel yet).
 * Needs g++ and make: skipped without them on a developer machine, a failure under CI=true.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../../../scripts/make-onnx-fixtures.js';
import { loadDesign } from '../../../src/design/load.js';
import { runCsim } from '../../../src/hls/csim.js';
import { generateProject } from '../../../src/hls/generate.js';
import { resolveInputs } from '../../../src/model/inputs.js';
import { projectRoot } from '../../../src/model/shared.js';
import { haveToolchain } from '../../hls/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'vitforge-onnx-hls-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const toolchain = haveToolchain();

describe('imported ONNX model, design file, generate + csim', () => {
  it.skipIf(!toolchain && process.env.CI !== 'true')('C-simulation is bit-exact on the ONNX weights', async () => {
    expect(toolchain, 'g++ and make are required under CI').toBe(true);
    const onnx = join(projectRoot(), FIXTURE_DIR, 'ts17-hf-dynbatch.onnx');
    const designPath = join(tmp, 'd.yaml');
    writeFileSync(designPath, `name: onnx-hf\nmodel: ${onnx}\ntypes:\n  pixel: ap_fixed<16,3>\n`);
    const design = loadDesign(designPath);
    expect(design.model.name).toBe('ts17-hf-dynbatch');
    const inputs = resolveInputs(design.model, { seed: 4 });
    expect(inputs.allSynthetic).toBe(false);
    expect(inputs.weights.syntheticNames).toEqual([]);
    const r = generateProject({ design, weights: inputs.weights, image: inputs.image, outDir: join(tmp, 'hls'), csimHeaders: true });
    const c = await runCsim(r.outDir);
    expect(c.built, c.buildLog).toBe(true);
    expect(c.runLog).toContain('PASS: all 544 output values (17 tokens x 32 features) are bit-exact');
  });
});
