/**
 * The attainable-clock model in the DSE: infeasibility reason, per-limit counts, default clock
 * list, `--optimistic-clock`, the report's binding-constraint section, and `simulate`'s warning.
 * Runs the real performance model on a small grid (in-process).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { clockWarning } from '../../src/cli/simulate.js';
import { defaultClocks } from '../../src/dse/space.js';
import { getPart } from '../../src/parts/parts.js';
import { runCli } from '../cli-capture.js';
import { readCsv } from './csv.js';

const root = mkdtempSync(join(tmpdir(), 'vf-dse-clock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// On the ZCU102: 16 × 16 (Edge-MoE) uses 51 % of the DSPs, 32 × 16 82 %, and tileOut 64 does not fit.
const SPACE = stringify({ others: 'fixed', params: { 'linear.tileIn': [16, 32], 'linear.tileOut': [16, 64], clockMHz: [225, 375, 400] } });

async function dse(out: string, ...extra: string[]) {
  const space = join(root, 'space.yaml');
  writeFileSync(space, SPACE);
  const r = await runCli('dse', '--space', space, '--strategy', 'grid', '--objectives', 'latency,dsp', '--jobs', '1', '--no-progress', '--out', out, ...extra);
  expect(r.code, r.err).toBe(0);
  return { ...r, rows: readCsv(join(out, 'points.csv')) };
}

describe('dse and the attainable clock', () => {
  it('rejects designs above the attainable clock, counts them per limit, and --optimistic-clock accepts them', async () => {
    const strict = await dse(join(root, 'strict'), '--no-report');
    const loose = await dse(join(root, 'loose'), '--optimistic-clock', '--no-report');
    expect(strict.rows.length).toBe(12);
    // DS925: the DSP48E2 of a −2 part runs at 775 MHz, so nothing here is a data-sheet violation;
    // the model's ceiling for a lightly used −2 ZCU102 is 0.9 × 506 × 775/891 = 396 MHz (docs/clock.md §3).
    const at = (rows: Record<string, string>[], ti: number, to: number, mhz: number) =>
      rows.find((r) => +r['linear.tileIn']! === ti && +r['linear.tileOut']! === to && +r.clockMHz! === mhz)!;
    // docs/clock.md §3, by hand: a lightly used −2 ZCU102 gives 0.9 × 506 × 775/891 = 396 MHz
    // (UG1629 MicroBlaze V fmax, DS925 DSP48E2 grade ratio); at u = 0.51 ×(1 − 0.35·0.02) → 393;
    // at u = 0.815 ×(1 − 0.35·0.63) → 308. Nothing here exceeds DS925's 775 MHz DSP fmax.
    expect(at(strict.rows, 16, 16, 375).status).toBe('ok');
    expect(at(strict.rows, 16, 16, 400).reason).toMatch(/^400 MHz is above the attainable clock of zcu102 at this utilisation, 39[23] MHz \(31\d–47\d/);
    expect(at(strict.rows, 32, 16, 375).reason).toMatch(/^375 MHz is above the attainable clock of zcu102 at this utilisation, 30[789] MHz/);
    expect(at(strict.rows, 32, 16, 225).status).toBe('ok');
    for (const r of strict.rows) if (r.status === 'ok') expect(+r.clockMHz!).toBeLessThanOrEqual(396);
    for (const [ti, to, mhz] of [[16, 16, 400], [32, 16, 375], [32, 16, 400]] as const) expect(at(loose.rows, ti, to, mhz).status).toBe('ok');
    const clockRejected = strict.rows.filter((r) => /above the attainable clock/.test(r.reason!)).length;
    expect(clockRejected).toBeGreaterThan(0);
    expect(strict.rows.filter((r) => +r.clockMHz! === 225).every((r) => !/attainable/.test(r.reason!))).toBe(true);
    expect(strict.out).toMatch(new RegExp(`rejected by limit: .*clock ${clockRejected}`));
    expect(strict.out).toMatch(/attainable-clock model ±20 %/);
    // Without the check the same points are feasible wherever they fit.
    expect(loose.rows.every((r) => !/attainable/.test(r.reason!))).toBe(true);
    expect(loose.rows.filter((r) => r.status === 'ok').length).toBe(strict.rows.filter((r) => r.status === 'ok').length + clockRejected);
    expect(loose.out).toMatch(/clock not checked: --optimistic-clock/);
    const cfg = JSON.parse(readFileSync(join(root, 'loose', 'dse.json'), 'utf8')).config;
    expect(cfg.eval.optimisticClock).toBe(true);
  }, 60_000);

  it('the report names the binding limit of each best design and states the clock uncertainty', async () => {
    await dse(join(root, 'rep'));
    const md = readFileSync(join(root, 'rep', 'report', 'report.md'), 'utf8');
    expect(md).toMatch(/Binding constraints/);
    expect(md).toMatch(/uncertainty ±20 %/);
    expect(md).toMatch(/\| latency \| \d+ \| \d+ \| ≈ \d+ MHz \(\d+–\d+ MHz, ±20 %\) \| (dsp|bram36|lut|ff|uram|clock) \(/);
  }, 60_000);

  it('default clock list: from the model (25 MHz steps up to the light-design clock), or the part range with --optimistic-clock', () => {
    const zcu = getPart('zcu102');
    expect(defaultClocks(zcu)).toEqual([175, 200, 225, 250, 275, 300, 325, 350, 375]);
    expect(defaultClocks(zcu, true)).toEqual([200, 250, 300, 350, 400]);
    // PYNQ-Z2 (Zynq-7020 −1): ≈ 150 MHz tops, PG067's −1 Artix-7 AXI4 fmax.
    expect(Math.max(...defaultClocks(getPart('pynqz2')))).toBe(150);
  });
});

describe('simulate clock warning', () => {
  it('warns on one line above the attainable clock and says nothing below it', () => {
    const part = getPart('zcu102');
    const full = { dsp: 0.96, bram36: 0.5, uram: 0, lut: 0.4, ff: 0.2 };
    const w = clockWarning(400, part, full)!;
    expect(w).toMatch(/^vitforge: warning: clockMHz 400 is above the attainable clock of this design on ZCU102, ≈ \d+ MHz \(\d+–\d+ MHz, ±20 %\): .*96 % dsp.*\(docs\/clock\.md\)$/);
    expect(w.includes('\n')).toBe(false);
    expect(clockWarning(200, part, full)).toBeUndefined();
  });

  it('is printed on stderr by vitforge simulate for a 400 MHz design using 82 % of the DSPs', async () => {
    const design = join(root, 'fast.yaml');
    writeFileSync(design, stringify({ name: 'fast', clockMHz: 400, linear: { tileIn: 32, tileOut: 16 } }));
    const r = await runCli('simulate', '--design', design);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^vitforge: warning: clockMHz 400 is above the attainable clock of this design on ZCU102, ≈ 30\d MHz .*82 % dsp/m);
    const ok = await runCli('simulate');
    expect(ok.err).not.toMatch(/warning: clockMHz/);
  }, 30_000);
});
