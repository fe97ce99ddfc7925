/**
 * Long commands draw progress only on a terminal: spawned with pipes (not a TTY) and CI unset,
 * `validate` and `dse` write no progress line; `runValidation` reports every block of every pass.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidation } from '../../src/sim/functional/validate-run.js';
import { builtCli, ensureBuilt } from '../helpers/built-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'vf-progress-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(ensureBuilt);

describe('progress off a terminal', () => {
  it('validate and dse print no progress line to a pipe even without CI', () => {
    const noCi = { CI: '' };
    const v = builtCli(['validate', '--layers', '1'], noCi);
    expect(v.code).toBe(0);
    const d = builtCli(['dse', '--strategy', 'random', '--budget', '300', '--jobs', '1', '--no-report', '--out', join(tmp, 'd')], noCi);
    expect(d.code).toBe(0);
    for (const r of [v, d]) {
      expect(r.err).not.toMatch(/\r|\x1b\[K|pt\/s|blk\/s/);
      expect(r.out).not.toMatch(/\r|\x1b\[K/);
    }
  });

  it('runValidation reports each block of the float64, fixed-point and ablation passes', () => {
    const calls: [number, number, string][] = [];
    runValidation({ layers: 2, ablate: true, onProgress: (d, t, p) => calls.push([d, t, p]) });
    // 2 blocks × (float64 + fixed point + 5 ablations: exact exp/recip/rsqrt/gelu, all exact).
    // A first call with 0 done starts the clock before any block runs.
    expect(calls.map((c) => c[0])).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(new Set(calls.map((c) => c[1]))).toEqual(new Set([14]));
    expect(calls.map((c) => c[2])).toEqual(['', 'float64', 'float64', 'fixed point', 'fixed point',
      'exact exp', 'exact exp', 'exact recip', 'exact recip', 'exact rsqrt', 'exact rsqrt', 'exact gelu', 'exact gelu', 'all exact', 'all exact']);
  });
});
