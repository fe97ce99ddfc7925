import type { Command } from 'commander';
import { runValidation } from '../sim/functional/validate-run.js';
import type { ErrorMetrics, ValidationReport } from '../sim/functional/validate.js';
import { Progress } from '../io/progress.js';
import { addDesignOptions, addInputOptions, inputOptions, intOption, reportSynthetic, type DesignFlags, type InputFlags } from './options.js';

const num = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toExponential(digits - 1) : String(v));
const db = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : 'inf');

function metricCells(m: ErrorMetrics): string[] {
  return [db(m.sqnrDb), num(m.mse), num(m.relL2), num(m.maxAbs)];
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ').trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

/** The text `vitforge validate` prints (exported for tests). */
export function formatValidation(r: ValidationReport, image: string, timing = true): string {
  const routeOf = new Map(r.routing.map((x) => [x.block, x]));
  const rows = r.stages.map((s) => {
    const rt = s.stage === 'post_ffn' ? routeOf.get(s.block) : undefined;
    return [s.name, ...metricCells(s), rt ? `${rt.agreement.toFixed(3)} (top1 ${rt.top1.toFixed(3)})` : ''];
  });
  rows.push(['end-to-end', ...metricCells(r.endToEnd), '']);
  if (r.routing.length) {
    const c = r.endToEndConsistent;
    rows.push([`  ${c.tokens} same-routing tokens`, ...metricCells(c), '']);
  }
  const out = [
    `design   ${r.design} (model ${r.model}, ${r.layers} block(s), task ${r.task})`,
    `weights  ${r.provenance}`,
    `image    ${image}`,
  ];
  if (timing) out.push(`time     float64 ${r.floatMs.toFixed(0)} ms, fixed point ${r.fixedMs.toFixed(0)} ms`);
  if (r.logits) out.push(`logits   top-1 class ${r.logits.top1 ? 'same as' : 'DIFFERS from'} float64, rel L2 ${r.logits.relL2.toPrecision(3)}`);
  out.push('', table(['stage', 'SQNR dB', 'MSE', 'rel L2', 'max abs', 'routing'], rows));
  if (r.ablation) {
    out.push('', 'ablation (end-to-end; one approximation replaced by the exact float function)');
    out.push(table(['variant', 'SQNR dB', 'MSE', 'rel L2', 'max abs', 'routing'],
      r.ablation.map((a) => [a.name, ...metricCells(a), a.routing.toFixed(3)])));
  }
  return out.join('\n') + '\n';
}

interface Flags extends InputFlags, DesignFlags {
  layers?: string; json?: string; ablate?: boolean; trace?: string; progress?: boolean;
}

export function registerValidate(program: Command): void {
  const cmd = program
    .command('validate')
    .description('compare the bit-accurate fixed-point datapath with the float64 reference, per block and stage');
  addInputOptions(addDesignOptions(cmd))
    .option('--layers <k>', 'run only the first k blocks')
    .option('--json <file>', 'also write the full report as JSON')
    .option('--ablate', 'add end-to-end rows with each approximation (exp, recip, rsqrt, GELU) replaced by the exact function')
    .option('--trace <dir>', 'write the fixed-point intermediates (same format as `vitforge run --trace`)')
    .option('--no-progress', 'no progress line even on a terminal')
    .action((f: Flags) => {
      // One progress line per block of every pass (float64, fixed point, ablations) on a terminal.
      let progress: Progress | undefined;
      const onProgress = (done: number, total: number, pass: string): void => {
        progress ??= f.progress === false ? new Progress(total, false) : Progress.auto(total, { unit: 'blk' });
        if (done > 0) progress.add(1, pass);
      };
      let run;
      try {
        run = runValidation({
          ...inputOptions(f), design: f.design, overrides: f, layers: intOption('layers', f.layers), json: f.json,
          ablate: f.ablate, trace: f.trace, onProgress,
        });
      } finally {
        progress?.finish();
      }
      const w = run.report;
      reportSynthetic(run.inputs);
      process.stdout.write(formatValidation(w, run.image));
      if (f.trace) process.stdout.write(`trace    ${f.trace}\n`);
      if (f.json) process.stdout.write(`json     ${f.json}\n`);
    });
}
