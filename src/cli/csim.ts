import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { compilerWarnings, runCsim } from '../hls/csim.js';

interface CsimFlags { opt?: string; werror?: boolean; csimInclude?: string }

export function registerCsim(program: Command): void {
  program
    .command('csim')
    .description('build a generated HLS project with g++ and run its testbench; exit 0 only on a bit-exact match')
    .argument('<project>', 'folder written by vitforge generate')
    .option('--opt <flag>', 'optimisation flag for g++ (default: the Makefile\'s -O2)')
    .option('--werror', 'treat compiler warnings as errors')
    .option('--csim-include <dir>', 'other ap_fixed.h/ap_int.h headers, e.g. Xilinx\'s')
    .action(async (project: string, f: CsimFlags) => {
      const r = await runCsim(project, { opt: f.opt, extraFlags: f.werror ? '-Werror' : undefined, csimInclude: f.csimInclude });
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
    });
}
