/**
 * With an accuracy objective, dse bounds the error by default (error <= 0.05) so a best-* design
 * is never an unusable one; --max-error changes or removes the bound, and a user constraint on
 * error/sqnr_db replaces the default. Accuracy here is a closed-form stand-in (error halves per
 * weight bit), so the expected statuses are computed by hand.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { designToObject, loadDesign } from '../../src/design/load.js';
import { DEFAULT_MAX_ERROR, resolveRunConfig, type DseOptions } from '../../src/dse/config.js';
import { runDse } from '../../src/dse/run.js';
import { runCli } from '../cli-capture.js';
import { readCsv } from './csv.js';
import { fakePerformance } from './fake-model.js';

const tmp = mkdtempSync(join(tmpdir(), 'vf-dse-bound-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const space = join(tmp, 'space.yaml');
writeFileSync(space, 'others: fixed\nparams:\n  types.linearWeight: { widths: [4, 8, 16] }\n  linear.tileOut: [16, 32]\n');

/** 8 / 2^W: 4 bits → 0.5 (unusable), 8 bits → 0.031, 16 bits → 1.2e-4. */
const width = (o: Record<string, unknown>): number => Number(/<(\d+),/.exec(String((o.types as Record<string, unknown>).linearWeight))![1]);
const fakeError = (o: Record<string, unknown>) => { const e = 8 / 2 ** width(o); return { relL2: e, sqnrDb: -20 * Math.log10(e) }; };

async function run(opts: Partial<DseOptions>, name: string) {
  const cfg = await resolveRunConfig({ space, strategy: 'grid', objectives: 'latency,error', ...opts });
  const out = join(tmp, name);
  await runDse(cfg, out, { jobs: 1, progress: false, report: false, deps: { performance: fakePerformance, accuracy: fakeError } });
  return { cfg, rows: readCsv(join(out, 'points.csv')), out };
}

describe('default accuracy bound', () => {
  it('applies error <= 0.05 when error is an objective: 4-bit weights are rejected, best-latency is usable', async () => {
    expect(DEFAULT_MAX_ERROR).toBe(0.05);
    const { cfg, rows, out } = await run({}, 'default');
    expect(cfg.accuracyConstraint).toBe('error <= 0.05');
    expect(cfg.eval.constraints).toContain('error <= 0.05');
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      const w = Number(/<(\d+),/.exec(r['types.linearWeight']!)![1]);
      expect(r.status, r['types.linearWeight']).toBe(8 / 2 ** w <= 0.05 ? 'ok' : 'constraint');
      if (r.status === 'constraint') expect(r.reason).toMatch(/violates error <= 0\.05/);
    }
    const best = designToObject(loadDesign(join(out, 'best-latency.yaml')));
    expect(8 / 2 ** width(best)).toBeLessThanOrEqual(0.05);
  });

  it('--max-error none removes it, a number replaces it, a user constraint on error replaces the default', async () => {
    const none = await run({ maxError: null }, 'none');
    expect(none.cfg.accuracyConstraint).toBeUndefined();
    expect(none.rows.every((r) => r.status === 'ok')).toBe(true);
    const tight = await run({ maxError: 1e-3 }, 'tight');
    // 1e-3 admits only 16-bit weights (1.2e-4), at both tileOut values.
    const ok = tight.rows.filter((r) => r.status === 'ok').map((r) => r['types.linearWeight']!);
    expect(ok).toHaveLength(2);
    expect(ok.every((t) => t.startsWith('ap_fixed<16,'))).toBe(true);
    const user = await resolveRunConfig({ space, strategy: 'grid', objectives: 'latency,error', constraints: ['sqnr_db > 10'] });
    expect(user.accuracyConstraint).toBeUndefined();
    expect(user.eval.constraints).toEqual(['sqnr_db > 10']);
    // No accuracy objective: no bound (and no accuracy simulation at all).
    const perf = await resolveRunConfig({ space, strategy: 'grid', objectives: 'latency,dsp' });
    expect(perf.eval.constraints).toEqual([]);
  });

  it('the CLI prints the bound, and rejects a bad --max-error naming the flag', async () => {
    const r = await runCli('dse', '--space', space, '--strategy', 'grid', '--objectives', 'latency,dsp,error', '--max-error', 'x', '--out', join(tmp, 'bad'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^vitforge: error: --max-error: must be a positive number or 'none', got 'x'\n$/);
    const good = await runCli('dse', '--space', space, '--strategy', 'grid', '--objectives', 'latency,error', '--jobs', '1', '--no-report',
      '--calib-layers', '1', '--out', join(tmp, 'cli'));
    expect(good.code).toBe(0);
    expect(good.out).toContain('accuracy bound: error <= 0.05 (default with an accuracy objective; --max-error X or none to change)');
  });
});
