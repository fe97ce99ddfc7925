/**
 * End-to-end DSE runs in-process on the closed-form fake model: output files against brute-force
 * recomputation from the CSV, rejection counting, determinism, interruption and resume.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/design/load.js';
import { resolveRunConfig, type DseOptions } from '../../src/dse/config.js';
import { loadRun, runDse } from '../../src/dse/run.js';
import { readCsv } from './csv.js';
import { fakeDsp, fakeLatencyMs, fakePerformance, fakePowerW, FAKE_PART_DSP } from './fake-model.js';

const root = mkdtempSync(join(tmpdir(), 'vf-dse-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `out${n++}`);

function spaceFile(text: string): string {
  const p = join(root, `space${n++}.yaml`);
  writeFileSync(p, text);
  return p;
}

const GRID = `
others: fixed
params:
  linear.tileIn: [8, 16, 32]
  linear.tileOut: [8, 16, 32, 64]
  attention.parallel: [2, 4]
  clockMHz: [250, 300]
`;

async function run(opts: DseOptions, out: string, extra: Parameters<typeof runDse>[2] = {}) {
  const cfg = await resolveRunConfig(opts);
  const summary = await runDse(cfg, out, { jobs: 1, progress: false, report: false, deps: { performance: fakePerformance }, ...extra });
  return { cfg, summary };
}

describe('dse run (in-process, closed-form model)', () => {
  it('grid: every point once, metrics match the model, pareto.csv and best files match a brute-force check', async () => {
    const out = fresh();
    // The fake model's utilisation is not a real design's: the clock model is tested on its own (clock.test.ts).
    const { summary } = await run({ space: spaceFile(GRID), strategy: 'grid', optimisticClock: true }, out);
    const rows = readCsv(join(out, 'points.csv'));
    expect(rows.length).toBe(3 * 4 * 2 * 2);
    expect(new Set(rows.map((r) => [r['linear.tileIn'], r['linear.tileOut'], r['attention.parallel'], r.clockMHz].join()))).toHaveProperty('size', 48);
    const base = loadDesign();
    let nofit = 0;
    for (const r of rows) {
      const d = { ...base, clockMHz: +r.clockMHz!, linear: { tileIn: +r['linear.tileIn']!, tileOut: +r['linear.tileOut']! }, attention: { ...base.attention, parallel: +r['attention.parallel']! } };
      expect(+r.latency_ms!).toBe(fakeLatencyMs(d));
      expect(+r.dsp!).toBe(fakeDsp(d));
      if (fakeDsp(d) > FAKE_PART_DSP) {
        nofit++;
        expect(r.status).toBe('nofit');
        expect(r.reason).toMatch(/does not fit zcu102: dsp/);
      } else expect(r.status).toBe('ok');
    }
    expect(summary.counts.nofit).toBe(nofit);
    expect(nofit).toBeGreaterThan(0);

    // Pareto front by definition, O(n²), over the feasible rows.
    const fit = rows.filter((r) => r.status === 'ok');
    const v = (r: Record<string, string>): number[] => [+r.latency_ms!, +r.energy_mj!, +r.dsp!];
    const dominated = (a: number[], b: number[]): boolean => b.every((x, i) => x <= a[i]!) && b.some((x, i) => x < a[i]!);
    const front = fit.filter((r) => !fit.some((s) => dominated(v(r), v(s)))).map((r) => r.id).sort();
    expect(readCsv(join(out, 'pareto.csv')).map((r) => r.id).sort()).toEqual(front);

    // The base design (Edge-MoE's 16 × 16 tile, P = 4, 300 MHz) is a grid point; the summary says
    // how many feasible points dominate it, counted here by definition.
    const baseRow = rows.find((r) => r['linear.tileIn'] === '16' && r['linear.tileOut'] === '16' && r['attention.parallel'] === '4' && r.clockMHz === '300')!;
    expect(summary.base).toEqual({ id: +baseRow.id!, feasible: true, dominatedBy: fit.filter((s) => dominated(v(baseRow), v(s))).length });

    const minLat = Math.min(...fit.map((r) => +r.latency_ms!));
    const bestRow = fit.find((r) => +r.latency_ms! === minLat)!;
    const best = loadDesign(join(out, 'best-latency.yaml'));
    expect([best.linear.tileIn, best.linear.tileOut, best.attention.parallel, best.clockMHz])
      .toEqual([+bestRow['linear.tileIn']!, +bestRow['linear.tileOut']!, +bestRow['attention.parallel']!, +bestRow.clockMHz!]);
    expect(fakeLatencyMs(best)).toBe(minLat);
    const minDsp = Math.min(...fit.map((r) => +r.dsp!));
    expect(fakeDsp(loadDesign(join(out, 'best-dsp.yaml')))).toBe(minDsp);
    const minE = Math.min(...fit.map((r) => +r.energy_mj!));
    const e = loadDesign(join(out, 'best-energy.yaml'));
    expect(fakePowerW(e) * fakeLatencyMs(e)).toBe(minE);
    // JSONL holds the same points.
    const jsonl = readFileSync(join(out, 'points.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(jsonl.map((j) => j.id)).toEqual(rows.map((r) => +r.id!));
    expect(readdirSync(root).some((f) => f.includes('.tmp-'))).toBe(false);
  });

  it('counts invalid combinations and constraint violations with their reasons', async () => {
    const out = fresh();
    const space = spaceFile(`others: fixed\nparams:\n  linear.tileIn: [5, 16]\n  linear.tileOut: [16, 32]\n  attention.parallel: [2, 4, 8]\n`);
    const { summary } = await run({ space, strategy: 'grid', constraints: ['dsp <= 1100 and clockMHz >= 300'] }, out);
    const rows = readCsv(join(out, 'points.csv'));
    const invalid = rows.filter((r) => r['linear.tileIn'] === '5');
    expect(invalid.every((r) => r.status === 'invalid' && /^linear\.tileIn: 5 does not divide/.test(r.reason!))).toBe(true);
    expect(summary.counts.invalid).toBe(6);
    expect(summary.reasons.find(([w]) => w === 'invalid linear.tileIn')?.[1]).toBe(6);
    // tileIn 16: dsp = 2·16·tileOut + 4·P·8 — over 1100 for tileOut 32 (1024 + 32P > 1100 iff P ≥ 4).
    const expectViol = [[16, 32, 4], [16, 32, 8]].length;
    expect(summary.counts.constraint).toBe(expectViol);
    expect(rows.filter((r) => r.status === 'constraint').every((r) => +r.dsp! > 1100 && /violates dsp <= 1100/.test(r.reason!))).toBe(true);
    expect(summary.counts.ok).toBe(6 - expectViol);
  });

  it('is deterministic, and an interrupted run resumed ends exactly like an uninterrupted one', async () => {
    const opts: DseOptions = { strategy: 'nsga2', budget: 240, seed: 7, population: 40 };
    const a = fresh(), b = fresh(), c = fresh();
    await run(opts, a);
    await run(opts, b);
    expect(readFileSync(join(b, 'points.csv'), 'utf8')).toBe(readFileSync(join(a, 'points.csv'), 'utf8'));

    // Interrupt after ~100 evaluations: the finished points are kept.
    const stop = new AbortController();
    let calls = 0;
    const perf = (d: Parameters<typeof fakePerformance>[0]) => {
      if (++calls === 100) stop.abort();
      return fakePerformance(d);
    };
    const cfg = await resolveRunConfig(opts);
    const part = await runDse(cfg, c, { jobs: 1, progress: false, report: false, deps: { performance: perf }, signal: stop.signal });
    expect(part.status).toBe('interrupted');
    const kept = readCsv(join(c, 'points.csv'));
    expect(kept.length).toBe(part.evaluated);
    expect(kept.length).toBeGreaterThanOrEqual(100);
    expect(kept.length).toBeLessThan(240);
    const full = readCsv(join(a, 'points.csv'));
    for (const r of kept) expect(full[+r.id!]).toEqual(r);

    const { cfg: again, previous } = loadRun(c);
    const resumed = await runDse(again, c, { jobs: 1, progress: false, report: false, deps: { performance: fakePerformance }, previous });
    expect(resumed.status).toBe('complete');
    expect(resumed.reused).toBe(kept.length);
    expect(readFileSync(join(c, 'points.csv'), 'utf8')).toBe(readFileSync(join(a, 'points.csv'), 'utf8'));

    // A larger budget on resume continues the same sequence.
    const more = await runDse({ ...again, budget: 300 }, c, { jobs: 1, progress: false, report: false, deps: { performance: fakePerformance }, previous: loadRun(c).previous });
    expect(more.evaluated).toBe(300);
    expect(readFileSync(join(c, 'points.csv'), 'utf8').startsWith(readFileSync(join(a, 'points.csv'), 'utf8'))).toBe(true);
  });

  it('random search samples without replacement and its points are a prefix-stable sequence', async () => {
    const a = fresh(), b = fresh();
    await run({ strategy: 'random', budget: 150, seed: 3 }, a);
    await run({ strategy: 'random', budget: 90, seed: 3 }, b);
    const ra = readCsv(join(a, 'points.csv')), rb = readCsv(join(b, 'points.csv'));
    const key = (r: Record<string, string>): string => Object.entries(r).filter(([k]) => /^[a-z]+\.|clockMHz|axiBits/.test(k)).map(([, x]) => x).join();
    expect(new Set(ra.map(key)).size).toBe(150);
    expect(rb.map(key)).toEqual(ra.slice(0, 90).map(key));
  });

  it('the Edge-MoE base point is evaluated first by NSGA-II, so the front holds it or a point dominating it', async () => {
    const out = fresh();
    await run({ strategy: 'nsga2', budget: 200, seed: 1, population: 40 }, out);
    const rows = readCsv(join(out, 'points.csv'));
    const first = rows[0]!;
    expect([first['linear.tileIn'], first['linear.tileOut'], first['attention.parallel'], first['attention.dotTile'], first.clockMHz, first.axiBits, first['buffers.weights']])
      .toEqual(['16', '16', '4', '8', '300', '256', 'pingpong']);
    const v = (r: Record<string, string>): number[] => [+r.latency_ms!, +r.energy_mj!, +r.dsp!];
    const front = readCsv(join(out, 'pareto.csv'));
    const weaklyDominates = (a: number[], b: number[]): boolean => a.every((x, i) => x <= b[i]!);
    expect(front.some((f) => weaklyDominates(v(f), v(first)))).toBe(true);
  });
});

describe('dse command errors', () => {
  async function cli(args: string[]): Promise<{ code: number; err: string }> {
    const { main } = await import('../../src/cli/main.js');
    let err = '';
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
    try {
      return { code: await main(args), err };
    } finally {
      process.stderr.write = orig;
    }
  }

  it.each([
    ['unknown parameter', `params:\n  linear.tileSize: [8]\n`, [], /^vitforge: error: space\.params\.linear\.tileSize: unknown parameter/],
    ['empty value list', `params:\n  linear.tileIn: []\n`, [], /space\.params\.linear\.tileIn: has no values \(empty space\)/],
    ['no valid value', `params:\n  linear.tileIn: [5, 7]\n`, [], /space\.params\.linear\.tileIn: no value gives a valid design \(empty space\)/],
    ['syntax error', '', ['--constraints', 'dsp <= '], /constraints: syntax error in 'dsp <= '/],
    ['unknown quantity', '', ['--constraints', 'dspp < 3'], /constraints: unknown quantity 'dspp'/],
    ['unknown dotted quantity', '', ['--constraints', 'part.dspp < 3'], /constraints: unknown quantity 'part\.dspp'/],
    ['unknown objective', '', ['--objectives', 'latency,speed'], /--objectives: unknown objective 'speed'/],
    ['grid larger than budget', '', ['--strategy', 'grid', '--budget', '10'], /--budget: an exhaustive grid of this space has \d+ points/],
    ['search options with --resume', '', ['--resume', '/nonexistent', '--seed', '3'], /--resume: the search is fixed by the earlier run; drop --seed/],
    ['resume of a folder that is no run', '', ['--resume', '/nonexistent'], /--resume: \/nonexistent is not a DSE output folder/],
    ['bad budget', '', ['--budget', '0'], /--budget: must be an integer ≥ 1, got '0'/],
    ['unknown strategy', '', ['--strategy', 'anneal'], /--strategy: unknown strategy 'anneal' \(allowed: grid, random, nsga2\)/],
  ])('%s → one-line error, exit 1, no output folder', async (_name, space, extra, re) => {
    const out = fresh();
    const args = ['dse', '--out', out, ...(space ? ['--space', spaceFile(space)] : []), ...(extra as string[])];
    const { code, err } = await cli(args);
    expect(code).toBe(1);
    expect(err).toMatch(re as RegExp);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});

