/**
 * `npm run check:csim-full`: generate the full-size M3ViT-tiny project of the Edge-MoE design point
 * (hls-out/m3vit-tiny-full) and run its C-simulation. Uses the real weights and image of the shared
 * folder (src/model/shared.ts) when present, otherwise seeded synthetic ones, and says which.
 * Exit status 0 only on a bit-exact match. Not part of `npm test` (minutes, not seconds).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDesign } from '../design/load.js';
import { resolveInputs } from '../model/inputs.js';
import { m3vitDirs, projectRoot } from '../model/shared.js';
import { runCsim } from './csim.js';
import { checkStructure } from './structure.js';
import { generateProject } from './generate.js';

export async function checkCsimFull(outDir = join(projectRoot(), 'hls-out', 'm3vit-tiny-full')): Promise<boolean> {
  const design = loadDesign(join(projectRoot(), 'sims', 'edge-moe-zcu102.yaml'));
  const dirs = m3vitDirs();
  const { weights, image, imagePath, imageLabel } = resolveInputs(design.model, { weights: dirs ?? [] });
  const say = (s: string): boolean => process.stdout.write(`${s}\n`);
  say(`design ${design.name}, model ${design.model.name}`);
  say(`weights: ${weights.provenance}${dirs ? '' : ' (shared folder absent)'}; image: ${imageLabel}`);
  let t0 = performance.now();
  const gen = generateProject({ design, weights, image, imagePath, outDir });
  say(`generated ${gen.outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s (golden from the fixed-point simulator)`);
  t0 = performance.now();
  const r = await runCsim(gen.outDir, { extraFlags: '-Werror' });
  if (!r.built) {
    process.stdout.write(r.buildLog);
    say('FAIL: build failed');
    return false;
  }
  process.stdout.write(r.runLog);
  say(`g++ build ${(r.buildMs / 1000).toFixed(1)} s, C-simulation run ${(r.runMs / 1000).toFixed(1)} s`);
  if (!r.passed) return false;
  // Structure: unit symbols, loop counts (MoE queues of this image), multipliers, counted latency.
  const s = await checkStructure(gen.outDir, { extraFlags: '-Werror' });
  say(`structure: ${s.loops.rows.length - s.loops.mismatches.length}/${s.loops.rows.length} loops as planned, ` +
    `${s.loops.countedDsp} DSP in the C++ vs ${s.loops.planDsp} predicted, ` +
    `${Math.round(s.loops.countedCycles)} counted vs ${Math.round(s.loops.predictedCycles)} predicted cycles ` +
    `(${(s.ms / 1000).toFixed(1)} s): ${s.passed ? 'PASS' : `FAIL: ${s.problems.join('; ')}`}`);
  return s.passed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  checkCsimFull().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  }, (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  });
}
