/**
 * The DSE report's Pareto charts: the axes are the pair of objectives that trades off (checked by
 * brute force), the error axis is shown whenever error is an objective, and the published
 * Edge-MoE/UbiMoE marks appear for M3ViT-tiny on the ZCU102 only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRunConfig, type DseOptions } from '../../src/dse/config.js';
import { runDse } from '../../src/dse/run.js';
import { renderHtml } from '../../src/report/index.js';
import { buildDseReport, readDseRun } from '../../src/dse/report/dse-report.js';
import type { Chart } from '../../src/report/index.js';
import { fakePerformance } from '../dse/fake-model.js';
import { parseSvg } from './svg-check.js';

const tmp = mkdtempSync(join(tmpdir(), 'vf-dse-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const space = join(tmp, 'space.yaml');
writeFileSync(space, 'others: fixed\nparams:\n  linear.tileIn: [8, 16, 32]\n  linear.tileOut: [8, 16, 32]\n  types.linearWeight: { widths: [8, 16] }\n');
const fakeError = (o: Record<string, unknown>) => {
  const w = Number(/<(\d+),/.exec(String((o.types as Record<string, unknown>).linearWeight))![1]);
  return { relL2: 2 / 2 ** w, sqnrDb: 0 };
};

let n = 0;
async function report(opts: DseOptions) {
  const cfg = await resolveRunConfig({ space, strategy: 'grid', ...opts });
  const out = join(tmp, `run${n++}`);
  await runDse(cfg, out, { jobs: 1, progress: false, report: false, deps: { performance: fakePerformance, accuracy: fakeError } });
  const run = readDseRun(out);
  const r = buildDseReport(run);
  const charts = r.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart] : [])).filter((c: Chart) => c.id.startsWith('pareto'));
  return { html: renderHtml(r), charts, svgs: charts.map((c) => parseSvg(c.svg)), points: run.points };
}

describe('DSE report Pareto charts', () => {
  it('anchors and "vs Edge-MoE" rows for M3ViT-tiny on the ZCU102', async () => {
    const { svgs, html } = await report({ objectives: 'latency,dsp' });
    expect(svgs[0].querySelector('text.x-label').textContent).toMatch(/^latency per image/);
    expect(svgs[0].querySelectorAll('g.anchor').length).toBe(2);
    expect(html).toContain('vs Edge-MoE (published 34.64 ms)');
  });

  it('no anchors and no "vs Edge-MoE" rows on another part', async () => {
    const { svgs, html } = await report({ objectives: 'latency,dsp', part: 'zcu104' });
    expect(svgs[0].querySelector('text.x-label').textContent).toMatch(/^latency per image/);
    expect(svgs[0].querySelectorAll('g.anchor').length).toBe(0);
    expect(html).not.toContain('vs Edge-MoE');
    expect(html).not.toContain('UbiMoE');
  });

  it('the default objectives plot the pair with the largest two-quantity front, and mark that front', async () => {
    const { svgs, charts, points } = await report({});
    // The caption names the pair and its front size; recount every pair's front by brute force.
    const m = /\((\d+) designs on the (\w+)–(\w+) front\)/.exec(charts[0]!.caption)!;
    expect(m).not.toBeNull();
    const fit = points.filter((p) => p.fit);
    const size = (a: string, b: string): number => fit.filter((p) => !fit.some((q) =>
      q.metrics![a]! <= p.metrics![a]! && q.metrics![b]! <= p.metrics![b]! && (q.metrics![a]! < p.metrics![a]! || q.metrics![b]! < p.metrics![b]!))).length;
    const pairs: [string, string][] = [['latency_ms', 'energy_mj'], ['latency_ms', 'dsp'], ['energy_mj', 'dsp']];
    const sizes = pairs.map(([a, b]) => size(a, b));
    const best = sizes.indexOf(Math.max(...sizes));
    expect([m[2], m[3], Number(m[1])]).toEqual([...pairs[best]!, sizes[best]]);
    const fronts = svgs[0].querySelectorAll('circle.front').length;
    expect(fronts).toBe(Number(m[1]));
    expect(svgs[0].querySelector('path.front-line')).not.toBeNull();
  });

  it('with error as an objective the report shows an error axis', async () => {
    const { svgs } = await report({ objectives: 'latency,dsp,error', maxError: null });
    const labels = svgs.flatMap((s: any) => [s.querySelector('text.x-label').textContent, s.querySelector('text.y-label').textContent]);
    expect(labels.some((l: string) => l.startsWith('fixed-point error (rel. L2'))).toBe(true);
  });
});
