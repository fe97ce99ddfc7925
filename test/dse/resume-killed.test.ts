/**
 * A local run killed outright (SIGKILL: no Ctrl-C handler runs, nothing is renamed into place)
 * leaves its temporary folder with dse.json and the points finished so far; `--resume DIR` takes
 * them from there, ends exactly like a fresh run, and removes the leftover folder.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCliProcess, spawnCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'vf-dse-killed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => ensureBuilt());

describe('dse killed with SIGKILL', () => {
  it('--resume DIR continues from the temporary folder the killed run left', async () => {
    const out = join(tmp, 'k');
    const args = ['dse', '--strategy', 'random', '--seed', '8', '--jobs', '1', '--no-report'];
    const p = spawnCli([...args, '--budget', '100000', '--out', out]);
    const temp = join(tmp, `.k.tmp-${p.child.pid}`);
    const lines = (): number => (existsSync(join(temp, 'points.jsonl')) ? readFileSync(join(temp, 'points.jsonl'), 'utf8').split('\n').length - 1 : 0);
    for (let t = 0; t < 600 && lines() < 300; t++) await new Promise((r) => setTimeout(r, 20));
    p.child.kill('SIGKILL');
    await p.exited;
    expect(existsSync(out)).toBe(false);
    const kept = lines();
    expect(kept).toBeGreaterThanOrEqual(300);
    expect(JSON.parse(readFileSync(join(temp, 'dse.json'), 'utf8')).summary).toBeNull();

    const r = await runCliProcess(['dse', '--resume', out, '--budget', '2000']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`evaluated 2000 points .*, ${Math.min(kept, 2000)} reused from the earlier run`));
    expect(readdirSync(tmp).filter((f) => f.startsWith('.k.'))).toEqual([]);
    const fresh = await runCliProcess([...args, '--budget', '2000', '--out', join(tmp, 'fresh')]);
    expect(fresh.code).toBe(0);
    for (const f of ['points.csv', 'pareto.csv', 'points.jsonl']) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(tmp, 'fresh', f), 'utf8'));
  });
});
