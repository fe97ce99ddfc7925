/**
 * The structure check proves the emitted C++ is the plan's hardware: one function per unit in the
 * compiled kernel, every labelled loop's counted iterations equal to the plan's, the multipliers
 * the C++ executes equal to the resource model's DSP figure, counted latency equal to simulate.
 * Here it runs on every shipped design point (their hardware on the reduced model), and it is shown
 * to fail when the kernel departs from the plan: a loop that runs longer, a multiplier the plan
 * does not know, a second instance of a unit.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { designFromObject, designToObject, loadDesign } from '../../src/design/load.js';
import { generateProject } from '../../src/hls/generate.js';
import { checkStructure } from '../../src/hls/structure.js';
import { syntheticImage } from '../../src/model/image.js';
import { syntheticWeights } from '../../src/model/weights.js';
import { projectRoot } from '../../src/model/shared.js';
import type { DesignPoint } from '../../src/design/types.js';
import { expectStructure, haveToolchain, reducedEdgeMoeDesign, tempDir } from './helpers.js';

const dir = tempDir('structure');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(design: DesignPoint, name: string, seed = 5): string {
  return generateProject({ design, weights: syntheticWeights(design.model, seed), image: syntheticImage(design.model, seed), outDir: join(dir, name) }).outDir;
}

/** Replace exactly one occurrence of `from` in a project's kernel source. */
function edit(out: string, from: string | RegExp, to: string): void {
  const path = join(out, 'src/vitforge_kernel.cpp');
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  expect(next, `pattern ${String(from)} not found`).not.toBe(text);
  writeFileSync(path, next);
}

describe.skipIf(!haveToolchain())('structure check of generated projects', () => {
  const reduced = reducedEdgeMoeDesign(dir);
  const shipped = readdirSync(join(projectRoot(), 'sims')).filter((f) => f.endsWith('.yaml')).sort();

  it.each(shipped)('shipped design %s: its hardware on the reduced M3ViT has the plan\'s structure', async (file) => {
    const d = loadDesign(join(projectRoot(), 'sims', file));
    const design = designFromObject({ ...designToObject(d), model: reduced.modelRef, name: `${d.name}-reduced` }, dir);
    const s = await checkStructure(project(design, `shipped-${d.name}`), { opt: '-O1', extraFlags: '-Werror' });
    expectStructure(s, file);
  }, 120_000);

  it('fails when a loop runs more iterations than the plan says', async () => {
    const out = project(reduced, 'mut-loop');
    // The residual adder touches one word more per call than the plan's TOKENS * DIM_WORDS.
    edit(out, /for \(int i = 0; i < TOKENS \* DIM_WORDS; i\+\+\) \{\n#pragma HLS PIPELINE II=1\n(\s+)VF_LOOP\((\d+), i\); \/\/ plan loop residual\.words/,
      'for (int i = 0; i < TOKENS * DIM_WORDS + 1; i++) {\n#pragma HLS PIPELINE II=1\n$1VF_LOOP($2, i); // plan loop residual.words');
    const s = await checkStructure(out, { opt: '-O1' });
    expect(s.passed).toBe(false);
    expect(s.loops.mismatches).toContain('residual_words');
    const row = s.loops.rows.find((r) => r.label === 'residual_words')!;
    expect(row.counted.iterations - row.predicted.iterations).toBe(reduced.model.depth * 2); // two calls per block
    expect(s.loops.countedCycles).toBeGreaterThan(s.loops.predictedCycles);
  }, 120_000);

  it('fails when the C++ multiplies more per cycle than the resource model counts', async () => {
    const out = project(reduced, 'mut-mul');
    // A second product in every residual word: 8 lanes × one 32×32 multiply = 8 × 4 DSP48E2.
    edit(out, 'const fm_t v = x[e] + y[e];', 'const fm_t v = x[e] + y[e] + VF_MUL(x[e], y[e]);');
    const s = await checkStructure(out, { opt: '-O1' });
    expect(s.passed).toBe(false);
    expect(s.loops.countedDsp - s.loops.planDsp).toBe(8 * 4);
    expect(s.problems.join('\n')).toMatch(/the C\+\+ multiplies need \d+ DSP slices, the resource model says \d+/);
  }, 120_000);

  it('fails when a unit exists twice in the compiled kernel', async () => {
    const out = project(reduced, 'mut-clone');
    // A template copy of the LayerNorm unit: a second hardware instance.
    edit(out, 'static void residual_add(', 'template <int N> static void layer_norm(int) {}\nvoid vf_use_clone() { layer_norm<1>(0); }\nstatic void residual_add(');
    const s = await checkStructure(out, { opt: '-O1' });
    expect(s.passed).toBe(false);
    expect(s.clones).toEqual(['void layer_norm<1>(int)']);
  }, 120_000);
});
