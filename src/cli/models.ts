import type { Command } from 'commander';
import { PRESET_NAMES } from '../model/presets.js';
import { resolveModel } from '../model/file.js';
import { modelDims } from '../model/ir.js';

export function registerModels(program: Command): void {
  program
    .command('models')
    .description('list model presets, or print one model\'s shape')
    .argument('[model]', 'preset name or model file')
    .action((ref?: string) => {
      if (!ref) {
        for (const name of PRESET_NAMES) {
          const m = resolveModel(name);
          const d = modelDims(m);
          const moe = m.blocks.filter((b) => b.kind === 'moe').length;
          process.stdout.write(`${name.padEnd(12)} D=${m.dim} L=${m.depth} H=${m.heads} tokens=${d.tokens}${moe ? ` moe-blocks=${moe}` : ''}\n`);
        }
        return;
      }
      process.stdout.write(JSON.stringify(resolveModel(ref), null, 2) + '\n');
    });
}
