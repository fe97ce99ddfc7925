import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { loadDesign } from '../design/load.js';
import { loadImage, syntheticImage } from '../model/image.js';
import { loadWeights, syntheticWeights } from '../model/weights.js';
import { generateProject } from '../hls/generate.js';

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

interface GenerateFlags {
  design?: string; out?: string; weights: string[]; fillMissing?: boolean; image?: string; seed: string;
  csimHeaders?: boolean;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write the Vitis HLS project of a design point (kernel, testbench with golden output, run_hls.tcl, Makefile)')
    .option('--design <file>', 'design point (default: the built-in Edge-MoE point)')
    .requiredOption('--out <dir>', 'output project folder, e.g. hls-out/NAME (replaced atomically)')
    .option('--weights <dir>', 'folder of <tensor>.float32.bin files; repeat to overlay (first folder wins)', collect, [])
    .option('--fill-missing', 'fill tensors missing from the weight folders with seeded synthetic values')
    .option('--image <file>', 'raw float32 image [C][H][W] (default: image.float32.bin of a weights folder, else synthetic)')
    .option('--seed <n>', 'seed for synthetic weights, image and --fill-missing', '0')
    .option('--csim-headers', 'copy vitforge\'s C-simulation headers into the project (self-contained csim)')
    .action((f: GenerateFlags) => {
      if (!/^\d+$/.test(f.seed)) throw new UserError('seed', `must be a non-negative integer, got '${f.seed}'`);
      const seed = Number(f.seed);
      const design = loadDesign(f.design);
      const model = design.model;
      const weights = f.weights.length
        ? loadWeights(model, { dirs: f.weights, fillMissing: f.fillMissing, seed })
        : syntheticWeights(model, seed);
      const imagePath = f.image ?? f.weights.map((d) => join(d, 'image.float32.bin')).find((p) => existsSync(p));
      const image = imagePath ? loadImage(imagePath, model) : syntheticImage(model, seed);
      if (f.weights.length === 0) {
        process.stderr.write(`vitforge: note: no --weights given: all tensors are synthetic (seed ${seed})\n`);
      } else if (weights.syntheticNames.length) {
        process.stderr.write(`vitforge: note: ${weights.syntheticNames.length} tensor(s) are synthetic, not real weights\n`);
      }
      const r = generateProject({ design, weights, image, imagePath, outDir: f.out!, csimHeaders: f.csimHeaders });
      process.stdout.write(`wrote ${r.outDir} (${r.files.length} files; design ${design.name}, model ${model.name})\n`);
      process.stdout.write(`weights: ${weights.provenance}; image: ${imagePath ?? `synthetic (seed ${seed})`}\n`);
      process.stdout.write(`C-simulation: vitforge csim ${f.out}   Vitis HLS: cd ${f.out} && vitis_hls -f run_hls.tcl\n`);
    });
}
