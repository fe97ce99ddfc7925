/**
 * `vitforge csim`: build a generated project's C-simulation with g++ (through its Makefile, so the
 * flags are the ones written there) and run the testbench, which compares the kernel output with
 * the golden from the fixed-point simulator bit for bit.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { TB } from './context.js';

export interface CsimOptions {
  /** Optimisation flag passed as OPT (default the Makefile's -O2). */
  readonly opt?: string;
  /** Extra compiler flags (EXTRA_CXXFLAGS), e.g. -Werror. */
  readonly extraFlags?: string;
  /** Override the C-simulation header directory (CSIM_INCLUDE). */
  readonly csimInclude?: string;
}

export interface CsimResult {
  /** Build succeeded and the testbench reported a bit-exact match. */
  readonly passed: boolean;
  readonly built: boolean;
  /** Compiler output (warnings included). */
  readonly buildLog: string;
  /** Testbench output (PASS line or first mismatch). */
  readonly runLog: string;
  readonly exitCode: number;
  readonly buildMs: number;
  readonly runMs: number;
}

/** Run a tool in `cwd`, stdout and stderr together; a missing tool is a one-line UserError. */
export function runTool(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      fail(e.code === 'ENOENT' ? new UserError('csim', `'${cmd}' is not installed (C-simulation needs make, g++ and, for the structure check, nm)`) : e);
    });
    child.on('close', (code) => done({ code: code ?? 1, out: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
  });
}

/** Build (make build) then run the testbench binary with the project directory as argument. */
export async function runCsim(projectDir: string, opts: CsimOptions = {}): Promise<CsimResult> {
  const dir = resolve(projectDir);
  if (!existsSync(join(dir, 'Makefile')) || !existsSync(join(dir, 'run_hls.tcl'))) {
    throw new UserError('project', `${projectDir} is not a project written by vitforge generate (no Makefile / run_hls.tcl)`);
  }
  const vars: string[] = [];
  if (opts.opt) vars.push(`OPT=${opts.opt}`);
  if (opts.extraFlags) vars.push(`EXTRA_CXXFLAGS=${opts.extraFlags}`);
  if (opts.csimInclude) vars.push(`CSIM_INCLUDE=${resolve(opts.csimInclude)}`);
  // Always rebuild: flags may differ from the previous build.
  const build = await runTool('make', ['--no-print-directory', '-B', 'build', ...vars], dir);
  if (build.code !== 0) {
    return { passed: false, built: false, buildLog: build.out, runLog: '', exitCode: build.code, buildMs: build.ms, runMs: 0 };
  }
  const exe = await runTool(join(dir, 'build', TB), [dir], dir);
  return {
    passed: exe.code === 0, built: true, buildLog: build.out, runLog: exe.out, exitCode: exe.code,
    buildMs: build.ms, runMs: exe.ms,
  };
}

/** Compiler diagnostics in a build log (g++ prints "warning:" / "error:" lines). */
export function compilerWarnings(buildLog: string): string[] {
  return buildLog.split('\n').filter((l) => /\b(warning|error):/.test(l));
}
