/**
 * The built CLI (`node bin/vitforge.js`, running dist/) as real processes: DSE workers and
 * coordinators must be separate processes to be killed. `ensureBuilt()` compiles dist/ when it is
 * missing or older than the sources (npm test's pretest has normally done it already).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export { ensureBuilt, root } from './built-cli.js';
import { root } from './built-cli.js';

const BIN = join(root, 'bin', 'vitforge.js');

export interface Proc {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  out(): string;
  err(): string;
  /** Exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Resolves once stdout+stderr match `re` (rejects after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<void>;
}

export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: root, env: { ...process.env, CI: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (d) => { out += String(d); for (const l of listeners) l(); });
  child.stderr!.on('data', (d) => { err += String(d); for (const l of listeners) l(); });
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    waitFor: (re, ms = 60_000) => new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (re.test(out + err)) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for ${re} in:\n${out}\n${err}`));
      }, ms);
      listeners.add(check);
      void exited.then(() => setTimeout(() => {
        if (listeners.has(check)) {
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`process exited before ${re}:\n${out}\n${err}`));
        }
      }, 50));
      check();
    }),
  };
}

/** Run to the end. */
export async function runCliProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  const p = spawnCli(args, env);
  const code = await p.exited;
  return { code, out: p.out(), err: p.err() };
}
