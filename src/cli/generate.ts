import type { Command } from 'commander';
import { loadDesign } from '../design/load.js';
import { UserError } from '../errors.js';
import { getPart } from '../parts/parts.js';
import { estimateResources } from '../hw/resources.js';
import { resolveInputs } from '../model/inputs.js';
import { generateProject } from '../hls/generate.js';
import { addDesignOptions, addInputOptions, inputOptions, reportSynthetic, type DesignFlags, type InputFlags } from './options.js';

interface GenerateFlags extends InputFlags, DesignFlags {
  out?: string; csimHeaders?: boolean; allowOverfit?: boolean;
}

export function registerGenerate(program: Command): void {
  const cmd = program
    .command('generate')
    .description('write the Vitis HLS project of a design point (kernel, testbench with golden output, run_hls.tcl, Makefile)')
    .requiredOption('--out <dir>', 'output project folder, e.g. hls-out/NAME (replaced atomically)');
  addInputOptions(addDesignOptions(cmd))
    .option('--csim-headers', 'copy vitforge\'s C-simulation headers into the project (self-contained csim)')
    .option('--allow-overfit', 'write the project even when the design does not fit its part')
    .action((f: GenerateFlags) => {
      const design = loadDesign(f.design, f);
      // The resource model counts the plan the kernel renders: a design over budget would not place.
      const res = estimateResources(design, getPart(design.part));
      if (!res.fits && !f.allowOverfit) {
        const v = res.violations[0]!.split(' ');
        throw new UserError('part', `design ${design.name} does not fit ${design.part}: ${v[0]} needs ${v[1]}, the part has ${v[3]}` +
          `${res.violations.length > 1 ? ` (and ${res.violations.slice(1).map((x) => x.split(' ')[0]).join(', ')})` : ''}; --allow-overfit writes it anyway`);
      }
      const inputs = resolveInputs(design.model, inputOptions(f));
      reportSynthetic(inputs);
      const { weights, image, imagePath } = inputs;
      const r = generateProject({ design, weights, image, imagePath, outDir: f.out!, csimHeaders: f.csimHeaders });
      process.stdout.write(`wrote ${r.outDir} (${r.files.length} files; design ${design.name}, model ${design.model.name})\n`);
      process.stdout.write(`weights: ${weights.provenance}; image: ${inputs.imageLabel}\n`);
      process.stdout.write(`C-simulation: vitforge csim ${f.out}   Vitis HLS: cd ${f.out} && vitis_hls -f run_hls.tcl\n`);
    });
}
