import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { compilerWarnings, runCsim } from '../hls/csim.js';
import { checkStructure } from '../hls/structure.js';

interface CsimFlags { opt?: string; werror?: boolean; csimInclude?: string; structure: boolean }

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export function registerCsim(program: Command): void {
  program
    .command('csim')
    .description('build a generated HLS project with g++, run its testbench (exit 0 only on a bit-exact match) and check its structure against the plan')
    .argument('<project>', 'folder written by vitforge generate')
    .option('--opt <flag>', 'optimisation flag for g++ (default: the Makefile\'s -O2)')
    .option('--werror', 'treat compiler warnings as errors')
    .option('--csim-include <dir>', 'other ap_fixed.h/ap_int.h headers, e.g. Xilinx\'s')
    .option('--no-structure', 'skip the structure check (unit symbols, loop counts, multipliers, counted latency)')
    .action(async (project: string, f: CsimFlags) => {
      const extraFlags = f.werror ? '-Werror' : undefined;
      const r = await runCsim(project, { opt: f.opt, extraFlags, csimInclude: f.csimInclude });
      const warnings = compilerWarnings(r.buildLog);
      if (!r.built) {
        process.stderr.write(r.buildLog);
        throw new UserError('csim', `build failed (make exit status ${r.exitCode})`);
      }
      if (warnings.length) process.stderr.write(r.buildLog);
      process.stdout.write(r.runLog);
      process.stdout.write(`build ${(r.buildMs / 1000).toFixed(1)} s, run ${(r.runMs / 1000).toFixed(1)} s` +
        `${warnings.length ? `, ${warnings.length} compiler warning(s)` : ''}\n`);
      if (!r.passed) throw new UserError('csim', `the C-simulation output is not bit-exact (testbench exit status ${r.exitCode})`);
      if (!f.structure) return;
      const s = await checkStructure(project, { extraFlags, csimInclude: f.csimInclude });
      const l = s.loops;
      const units = Object.entries(s.functions).map(([fn, n]) => `${fn}×${n}`).join(' ');
      const out = [
        `structure  units in the kernel object: ${units}`,
        `           loops: ${l.rows.length - l.mismatches.length}/${l.rows.length} labelled loops ran the plan's iterations and entries (loops.json)`,
        `           multipliers in the C++: ${fmt(l.countedDsp)} DSP, resource model ${fmt(l.planDsp)} DSP`,
        `           latency from the counted iterations ${fmt(l.countedCycles)} cycles, simulate ${fmt(l.predictedCycles)} cycles` +
          ` (${l.predictedCycles > 0 ? (((l.countedCycles - l.predictedCycles) / l.predictedCycles) * 100).toFixed(2) : '0.00'} %)`,
        `           ${s.passed ? 'PASS' : 'FAIL'} (${(s.ms / 1000).toFixed(1)} s)`,
      ];
      process.stdout.write(`${out.join('\n')}\n`);
      if (!s.passed) throw new UserError('csim', `the kernel's structure differs from the plan: ${s.problems[0]}${s.problems.length > 1 ? ` (+${s.problems.length - 1} more)` : ''}`);
    });
}
