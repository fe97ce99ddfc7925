import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), 'vitforge-sim-cli-'));

describe('vitforge simulate', () => {
  it('prints the summary and tables for the built-in Edge-MoE point and writes --json', async () => {
    const json = join(dir, 'r.json');
    expect(await main(['simulate', '--json', json])).toBe(0);
    expect(out).toMatch(/^design\s+edge-moe-zcu102/m);
    for (const label of ['latency', 'throughput', 'bound', 'resources', 'power', 'energy', 'per stage', 'per layer']) expect(out).toContain(label);
    const r = JSON.parse(readFileSync(json, 'utf8'));
    expect(r.design).toBe('edge-moe-zcu102');
    expect(r.stages.length).toBe(2 + 6 * 9 + 6 * 10 + 1);
    expect(out).toContain(`${r.latencyMs.toFixed(3)} ms`);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('takes MoE routing from --routing and rejects a wrong expert count in one line', async () => {
    const counts = new Array(16).fill(0);
    counts[0] = 258;
    const good = join(dir, 'routing.json');
    writeFileSync(good, JSON.stringify({ source: 'functional simulator (test)', blocks: [{ block: 1, counts }] }));
    expect(await main(['simulate', '--routing', good])).toBe(0);
    expect(out).toMatch(/routing\s+functional simulator \(test\)/);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ blocks: [{ block: 1, counts: counts.slice(2) }] }));
    expect(await main(['simulate', '--routing', bad, '--json', join(dir, 'never.json')])).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('blocks[0].counts');
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });

  it('bad design values are one-line errors with exit 1', async () => {
    const f = join(dir, 'fast.yaml');
    writeFileSync(f, 'clockMHz: 500\n');
    expect(await main(['simulate', '--design', f])).toBe(1);
    expect(err).toMatch(/^vitforge: error: clockMHz: .*\(allowed: 50\.\.400\)\n$/);
  });
});

describe('vitforge parts', () => {
  it('lists every part with its resources', async () => {
    expect(await main(['parts'])).toBe(0);
    for (const id of ['zcu102', 'zcu104', 'kv260', 'ultra96v2', 'u50', 'u250', 'u280']) expect(out).toMatch(new RegExp(`^${id}\\s`, 'm'));
    expect(out).toContain('274,080');
  });

  it('shows one part as JSON, and rejects an unknown one', async () => {
    expect(await main(['parts', 'kv260', '--json'])).toBe(0);
    expect(JSON.parse(out).uram).toBe(64);
    expect(await main(['parts', 'nope'])).toBe(1);
    expect(err).toMatch(/^vitforge: error: part: unknown part 'nope'/);
  });
});
