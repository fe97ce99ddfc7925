import type { Command } from 'commander';
import { loadDesign } from '../design/load.js';
import { resolveInputs } from '../model/inputs.js';
import { generateProject } from '../hls/generate.js';
import { addInputOptions, inputOptions, reportSynthetic, type InputFlags } from './options.js';

interface GenerateFlags extends InputFlags {
  design?: string; out?: string; csimHeaders?: boolean;
}

export function registerGenerate(program: Command): void {
  const cmd = program
    .command('generate')
    .description('write the Vitis HLS project of a design point (kernel, testbench with golden output, run_hls.tcl, Makefile)')
    .option('--design <file>', 'design point (default: the built-in Edge-MoE point)')
    .requiredOption('--out <dir>', 'output project folder, e.g. hls-out/NAME (replaced atomically)');
  addInputOptions(cmd)
    .option('--csim-headers', 'copy vitforge\'s C-simulation headers into the project (self-contained csim)')
    .action((f: GenerateFlags) => {
      const design = loadDesign(f.design);
      const inputs = resolveInputs(design.model, inputOptions(f));
      reportSynthetic(inputs);
      const { weights, image, imagePath } = inputs;
      const r = generateProject({ design, weights, image, imagePath, outDir: f.out!, csimHeaders: f.csimHeaders });
      process.stdout.write(`wrote ${r.outDir} (${r.files.length} files; design ${design.name}, model ${design.model.name})\n`);
      process.stdout.write(`weights: ${weights.provenance}; image: ${inputs.imageLabel}\n`);
      process.stdout.write(`C-simulation: vitforge csim ${f.out}   Vitis HLS: cd ${f.out} && vitis_hls -f run_hls.tcl\n`);
    });
}
