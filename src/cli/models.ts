import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { PRESET_NAMES } from '../model/presets.js';
import { resolveModel } from '../model/file.js';
import { modelDims, type ModelSpec } from '../model/ir.js';
import { lowerModel, totalElementOps, totalMacs, type OpCount } from '../model/ops.js';

const int = (n: number): string => n.toLocaleString('en-US');

/** The `models --ops` table: one row per op, a subtotal per block, the total in GMAC. */
export function formatOps(model: ModelSpec, ops: readonly OpCount[]): string {
  const d = modelDims(model);
  const moe = model.blocks.find((b) => b.kind === 'moe');
  const lines: string[] = [
    `${model.name}: ${model.depth} blocks, ${d.tokens} tokens x D=${model.dim}, ${model.heads} heads` +
      (moe && moe.kind === 'moe' ? `; MoE counts the gate and the top-${moe.topK} of ${moe.experts} experts per token` : ''),
  ];
  const rows: string[][] = [['block', 'op', 'kind', 'shape', 'MACs', 'element ops']];
  const blocks = [...new Set(ops.map((o) => o.block))];
  for (const b of blocks) {
    const mine = ops.filter((o) => o.block === b);
    const label = b < 0 ? 'embed' : String(b);
    for (const o of mine) rows.push([label, o.name, o.kind, o.shape, int(o.macs), int(o.elementOps)]);
    rows.push([label, '(block total)', '', '', int(totalMacs(mine)), int(totalElementOps(mine))]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const right = new Set([4, 5]);
  for (const r of rows) {
    lines.push(r.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd());
  }
  const macs = totalMacs(ops);
  lines.push(`total: ${int(macs)} MAC = ${(macs / 1e9).toFixed(3)} GMAC, ${int(totalElementOps(ops))} element ops`);
  return lines.join('\n') + '\n';
}

export function registerModels(program: Command): void {
  program
    .command('models')
    .description('list model presets, print one model\'s shape, or (--ops) its per-layer MAC counts')
    .argument('[model]', 'preset name or model file (.yaml/.json)')
    .option('--ops', 'print per-op MAC / element-op counts and the total GMAC of the model')
    .action((ref: string | undefined, opts: { ops?: boolean }) => {
      if (opts.ops) {
        if (!ref) throw new UserError('models --ops', 'needs a model name or file', PRESET_NAMES.join(', '));
        const m = resolveModel(ref);
        process.stdout.write(formatOps(m, lowerModel(m)));
        return;
      }
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
