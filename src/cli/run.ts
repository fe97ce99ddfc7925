import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import { modelDims } from '../model/ir.js';
import { runReference, stats } from '../kernels/reference-run.js';
import { float64LeBytes } from '../kernels/trace-writer.js';

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** Parse an integer option strictly ("3", not "3x" or "1.5"). */
export function intOption(field: string, v: string | undefined, min = 0): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim()) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
    throw new UserError(field, `must be an integer ≥ ${min}, got '${v}'`);
  }
  return Number(v);
}

interface RunFlags {
  model: string; weights: string[]; image?: string; seed?: string; layers?: string; task?: string;
  fillMissing?: boolean; trace?: string; dump?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the float64 reference forward pass (synthetic weights and image unless --weights/--image)')
    .option('--model <ref>', 'preset name or model file', 'm3vit-tiny')
    .option('--weights <dir>', 'folder of <tensor>.float32.bin files; repeat to overlay (first folder wins)', collect, [])
    .option('--image <file>', 'raw float32 image [C][H][W] (default: image.float32.bin of a weights folder, else synthetic)')
    .option('--seed <n>', 'seed for synthetic weights, image and --fill-missing', '0')
    .option('--layers <k>', 'run only the first k blocks')
    .option('--task <t>', 'task index selecting the MoE gates', '0')
    .option('--fill-missing', 'fill tensors missing from the weight folders with seeded synthetic values')
    .option('--trace <dir>', 'write every intermediate tensor and the MoE routing to this folder')
    .option('--dump <file>', 'write the final residual stream as raw float32 [tokens][D]')
    .action((f: RunFlags) => {
      const r = runReference({
        model: f.model,
        weights: f.weights,
        image: f.image,
        seed: intOption('seed', f.seed),
        layers: intOption('layers', f.layers),
        task: intOption('task', f.task),
        fillMissing: f.fillMissing,
        trace: f.trace,
        dump: f.dump,
      });
      const m = r.model;
      const d = modelDims(m);
      if (f.weights.length === 0) {
        process.stderr.write(`vitforge: note: no --weights given: all ${r.weights.tensors.size} tensors are synthetic (seed ${f.seed ?? 0})\n`);
      } else if (r.weights.syntheticNames.length) {
        const n = r.weights.syntheticNames;
        process.stderr.write(`vitforge: note: ${n.length} tensor(s) are synthetic, not real weights: ${n.join(', ')}\n`);
      }
      const s = stats(r.output);
      const hash = createHash('sha256').update(float64LeBytes(r.output)).digest('hex').slice(0, 16);
      const g = (v: number): string => v.toPrecision(6);
      const out = [
        `model    ${m.name} (${m.depth} blocks, ${d.tokens} tokens x ${m.dim})`,
        `weights  ${r.weights.provenance}`,
        `image    ${r.image}`,
        `ran      ${r.layers} of ${m.depth} blocks, task ${r.task}, ${r.ms.toFixed(0)} ms (float64)`,
        `output   ${d.tokens}x${m.dim} mean ${g(s.mean)} std ${g(s.std)} min ${g(s.min)} max ${g(s.max)} L2 ${g(s.l2)}${s.finite ? '' : ' (NON-FINITE VALUES)'}`,
        `sha256   ${hash} (first 16 hex digits of the float64 output bytes)`,
      ];
      if (f.trace) out.push(`trace    ${f.trace}`);
      if (f.dump) out.push(`dump     ${f.dump} (float32 [${d.tokens}][${m.dim}])`);
      process.stdout.write(out.join('\n') + '\n');
    });
}
