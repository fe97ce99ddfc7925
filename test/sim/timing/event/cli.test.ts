/** `simulate --engine` and `--trace`: output, Chrome trace schema, one-line errors. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../cli-capture.js';
import { tinyModelFile } from '../fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'vitforge-event-cli-'));

describe('vitforge simulate --engine', () => {
  it('both: prints both latencies, their difference and the per-stage table', async () => {
    const r = await runCli('simulate', '--engine', 'both');
    expect(r.code).toBe(0);
    const a = Number(/^latency\s+([\d.]+) ms/m.exec(r.out)![1]);
    const e = Number(/^event\s+([\d.]+) ms/m.exec(r.out)![1]);
    const m = /^engines\s+analytic ([\d.]+) ms, event ([\d.]+) ms: event ([+-][\d.]+)%/m.exec(r.out)!;
    expect(Number(m[1])).toBeCloseTo(a, 3);
    expect(Number(m[2])).toBeCloseTo(e, 3);
    expect(Number(m[3])).toBeCloseTo(100 * (e / a - 1), 1);
    expect(Math.abs(e / a - 1)).toBeLessThan(0.03);
    for (const h of ['per unit (event engine', 'per port (event engine', 'per stage, both engines']) expect(r.out).toContain(h);
  });

  it('event alone prints no analytic report', async () => {
    const r = await runCli('simulate', '--engine', 'event', '--design', writeTiny());
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/^latency/m);
    expect(r.out).toMatch(/^event\s+[\d.]+ ms/m);
  });

  it('rejects an unknown engine and --trace with the analytic engine in one line, exit 1', async () => {
    for (const argv of [['--engine', 'cycle'], ['--engine', 'analytic', '--trace', join(dir, 'x.json')]]) {
      const r = await runCli('simulate', ...argv);
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^vitforge: error: --(engine|trace): .*\(allowed: /);
    }
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });
});

function writeTiny(): string {
  const p = join(dir, 'tiny-design.json');
  writeFileSync(p, JSON.stringify({ name: 'tiny-event', model: tinyModelFile(), moe: { routing: 'uniform' } }));
  return p;
}

describe('--trace: Chrome trace JSON (Trace Event Format)', () => {
  it('has the fields Perfetto / chrome://tracing need, on one timeline', async () => {
    const file = join(dir, 'trace.json');
    const r = await runCli('simulate', '--design', writeTiny(), '--trace', file);
    expect(r.code).toBe(0);
    const t = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: Record<string, unknown>[]; displayTimeUnit: string };
    expect(Array.isArray(t.traceEvents)).toBe(true);
    expect(['ms', 'ns']).toContain(t.displayTimeUnit);
    const named = new Set<string>();
    let end = 0;
    for (const e of t.traceEvents) {
      expect(typeof e.name).toBe('string');
      expect(['X', 'i', 'C', 'M']).toContain(e.ph);
      expect(typeof e.ts === 'number' && e.ts >= 0).toBe(true);
      expect(Number.isInteger(e.pid) && Number.isInteger(e.tid)).toBe(true);
      if (e.ph === 'X') {
        expect(typeof e.dur === 'number' && e.dur >= 0).toBe(true);
        end = Math.max(end, (e.ts as number) + (e.dur as number));
      }
      if (e.ph === 'M') {
        expect(['process_name', 'thread_name']).toContain(e.name);
        expect(typeof (e.args as { name: unknown }).name).toBe('string');
        if (e.name === 'thread_name') named.add(`${e.pid}:${e.tid}`);
      }
      if (e.ph === 'C') for (const v of Object.values(e.args as object)) expect(typeof v).toBe('number');
      if (e.ph === 'i') expect(['g', 'p', 't']).toContain(e.s);
    }
    // Every thread that has events is named; the slices cover the image's latency (µs).
    for (const e of t.traceEvents) if (e.ph === 'X' || e.ph === 'i') expect(named.has(`${e.pid}:${e.tid}`)).toBe(true);
    const ms = Number(/^event\s+([\d.]+) ms/m.exec(r.out)![1]);
    expect(end / 1000).toBeCloseTo(ms, 2);
    expect(t.traceEvents.some((e) => e.ph === 'i' && /ping-pong/.test(String(e.name)))).toBe(true);
  });
});
