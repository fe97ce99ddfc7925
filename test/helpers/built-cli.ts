/**
 * The built CLI (bin/vitforge.js → dist/) for tests that need a real process: signals, worker
 * threads, TTY detection. dist/ is rebuilt first when it is missing or older than any source.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/model/shared.js';

export const root = projectRoot();
export const launcher = join(root, 'bin', 'vitforge.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Build dist/ when it is older than src/ (tsc emits even when an unrelated file has type errors). */
export function ensureBuilt(): void {
  const entry = join(root, 'dist', 'src', 'cli', 'main.js');
  if (existsSync(entry) && statSync(entry).mtimeMs >= newest(join(root, 'src'))) return;
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (!existsSync(entry)) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}

/** Run the built CLI to completion (CI=1: no progress line). */
export function builtCli(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [launcher, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
