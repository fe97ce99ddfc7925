/**
 * `dse --verify-top K`: the K best designs of a finished run re-run in the event engine; both
 * latencies and the disagreement land in points.csv (the analytic figure must equal the run's own
 * latency_ms column, computed by the DSE's evaluation path) and in the report.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli-capture.js';
import { readCsv } from './csv.js';

const root = mkdtempSync(join(tmpdir(), 'vf-dse-verify-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('dse --verify-top', () => {
  it('fills three columns for the K best feasible points and lists them in the report', async () => {
    const space = join(root, 'space.yaml');
    writeFileSync(space, 'others: fixed\nparams:\n  linear.tileOut: [8, 16]\n  attention.parallel: [2, 4]\n  clockMHz: [250, 300]\n');
    const out = join(root, 'run');
    const r = await runCli('dse', '--space', space, '--strategy', 'grid', '--out', out, '--jobs', '1', '--no-progress', '--verify-top', '3');
    expect(r.code).toBe(0);
    const rows = readCsv(join(out, 'points.csv'));
    const verified = rows.filter((x) => x.event_latency_ms !== '');
    expect(verified).toHaveLength(3);
    for (const x of verified) {
      expect(x.status).toBe('ok');
      expect(Number(x.analytic_latency_ms)).toBeCloseTo(Number(x.latency_ms), 9);
      expect(Number(x.engine_disagreement)).toBeCloseTo(Number(x.event_latency_ms) / Number(x.analytic_latency_ms) - 1, 12);
      expect(Math.abs(Number(x.engine_disagreement))).toBeLessThan(0.03);
    }
    // The best latency is among them (it is on the Pareto front and first by the first objective).
    const best = rows.filter((x) => x.status === 'ok').sort((a, b) => Number(a.latency_ms) - Number(b.latency_ms))[0]!;
    expect(verified.map((x) => x.id)).toContain(best.id);
    expect(r.out.match(/^verify\s+point \d+/gm)).toHaveLength(3);
    expect(readFileSync(join(out, 'report', 'report.md'), 'utf8')).toContain('Event-engine check of the 3 best designs');
  }, 120_000);

  it('rejects a non-integer K in one line', async () => {
    const r = await runCli('dse', '--out', join(root, 'bad'), '--verify-top', 'two');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^vitforge: error: --verify-top: must be an integer ≥ 1/);
  });
});
