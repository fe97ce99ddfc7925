import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { modelDims } from '../model/ir.js';
import { runReference, stats } from '../kernels/reference-run.js';
import { float64LeBytes } from '../kernels/trace-writer.js';
import { addInputOptions, inputOptions, intOption, reportSynthetic, type InputFlags } from './options.js';

interface RunFlags extends InputFlags {
  model: string; layers?: string; task?: string; trace?: string; dump?: string;
}

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run the float64 reference forward pass (synthetic weights and image unless --weights/--image)')
    .option('--model <ref>', 'preset name or model file', 'm3vit-tiny');
  addInputOptions(cmd)
    .option('--layers <k>', 'run only the first k blocks')
    .option('--task <t>', 'task index selecting the MoE gates', '0')
    .option('--trace <dir>', 'write every intermediate tensor and the MoE routing to this folder')
    .option('--dump <file>', 'write the final output as raw float32: logits [classes] when the model has a head, else the residual stream [tokens][D]')
    .action((f: RunFlags) => {
      const r = runReference({
        ...inputOptions(f),
        model: f.model,
        layers: intOption('layers', f.layers),
        task: intOption('task', f.task),
        trace: f.trace,
        dump: f.dump,
      });
      const m = r.model;
      const d = modelDims(m);
      reportSynthetic(r.inputs);
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
      if (r.logits) {
        const top = [...r.logits.keys()].sort((a, b) => r.logits![b]! - r.logits![a]! || a - b).slice(0, 5);
        out.push(`logits   ${r.logits.length} classes, top-5 ${top.map((c) => `${c} (${g(r.logits![c]!)})`).join(', ')}`);
      }
      if (f.trace) out.push(`trace    ${f.trace}`);
      if (f.dump) out.push(`dump     ${f.dump} (float32 ${r.logits ? `[${r.logits.length}] logits` : `[${d.tokens}][${m.dim}]`})`);
      process.stdout.write(out.join('\n') + '\n');
    });
}
