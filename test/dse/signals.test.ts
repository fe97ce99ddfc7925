/**
 * `vitforge dse` stopped by SIGTERM (kill, batch schedulers) or SIGHUP (closed terminal) behaves
 * like Ctrl-C: the finished points are written into the output folder (not a hidden temporary
 * one), the exit code is 128 + the signal number, and `--resume` completes the run to exactly
 * the points an uninterrupted run with the same seed evaluates.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli, ensureBuilt, launcher, root } from '../helpers/built-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'vf-dse-signals-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(ensureBuilt);

const SEARCH = ['dse', '--strategy', 'random', '--seed', '9', '--jobs', '1', '--no-report'];

describe('dse stopped by a signal', () => {
  it.each([['SIGTERM', 143], ['SIGHUP', 129]] as const)('%s keeps the finished points (exit %i) and --resume completes the same run', async (sig, exitCode) => {
    const name = `run-${sig}`;
    const out = join(tmp, name);
    const child = spawn(process.execPath, [launcher, ...SEARCH, '--budget', '200000', '--out', out], { cwd: root, env: { ...process.env, CI: '1' } });
    let stdout = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    // Signal once points are being written (the handlers are installed before the first point).
    const started = (): boolean => readdirSync(tmp).some((f) => f.startsWith(`.${name}.tmp-`) &&
      existsSync(join(tmp, f, 'points.jsonl')) && statSync(join(tmp, f, 'points.jsonl')).size > 0);
    for (let t = 0; t < 300 && !started(); t++) await new Promise((r) => setTimeout(r, 50));
    expect(started()).toBe(true);
    child.kill(sig);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(exitCode);
    expect(stdout).toMatch(/INTERRUPTED after \d+ points/);
    // The output folder itself holds the points; no hidden temporary folder is left behind.
    expect(readdirSync(tmp).filter((f) => f.startsWith(`.${name}`))).toEqual([]);
    const kept = readFileSync(join(out, 'points.csv'), 'utf8').trim().split('\n').length - 1;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(200000);

    // Resume past the interruption: the kept points are reused, the rest evaluated now.
    const total = kept + 1500;
    const res = builtCli(['dse', '--resume', out, '--budget', String(total)]);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toContain(`${kept} reused from the earlier run`);
    const fresh = builtCli([...SEARCH, '--budget', String(total), '--out', join(tmp, `${name}-fresh`)]);
    expect(fresh.code).toBe(0);
    const resumed = readFileSync(join(out, 'points.csv'), 'utf8');
    expect(resumed.trim().split('\n')).toHaveLength(total + 1);
    expect(resumed).toBe(readFileSync(join(tmp, `${name}-fresh`, 'points.csv'), 'utf8'));
  });
});
