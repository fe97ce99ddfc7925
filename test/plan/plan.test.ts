/**
 * The plan and its cost model on hand-worked cases: a call's cycles from its loops' closed form on
 * a part whose memory figures make the AXI rate obvious, IIs from the loop-carried recurrences,
 * the LayerNorm lanes from the overflow mode, per-image loop totals by hand, and the `plan` and
 * `generate --allow-overfit` commands.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { designFromObject } from '../../src/design/load.js';
import { lowerPlan } from '../../src/plan/index.js';
import { evaluatePerformance, scheduleImage } from '../../src/sim/timing/index.js';
import { runCli } from '../cli-capture.js';
import { partFile, tinyModelFile } from '../sim/timing/fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'vitforge-plan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Tiny model: 32×64 image, patch 16 → 8 patches + class token = 9 tokens, D = 32, 2 heads of 16.
const tiny = (over: Record<string, unknown> = {}) => designFromObject({
  model: tinyModelFile(), moe: { routing: 'uniform' }, linear: { tileIn: 8, tileOut: 8 }, attention: { parallel: 3, dotTile: 4 }, ...over,
});

describe('cost of a call from its loops', () => {
  it('residual add: (I − 1)·II + depth + write tail + call handshake, II set by the port width', () => {
    // 9 tokens × 32 features = 36 words of 8 features (256-bit). No request latency, DRAM far faster.
    const I = 9 * (32 / 8);
    const wide = evaluatePerformance(tiny({ part: partFile('wide', { portBits: 256, latencyNs: 0 }) }));
    const narrow = evaluatePerformance(tiny({ part: partFile('narrow', { portBits: 128, latencyNs: 0 }) }));
    const res = (r: ReturnType<typeof evaluatePerformance>) => r.stages.find((s) => s.block === 0 && s.stage === 'residual1')!;
    // 256-bit port: one word per cycle (II 1); depth 3; the write burst (all 36 beats, under the
    // 64-beat limit) leaves the adapter once complete: + 36 beats × 1 cycle; 2 cycles of handshake.
    expect(res(wide).cycles).toBe((I - 1) * 1 + 3 + 36 * 1 + 2);
    // 128-bit port: a 256-bit word every 2 cycles on each of the three streams (II 2), and the
    // burst's 36 beats take 2 cycles each on the port.
    expect(res(narrow).cycles).toBe((I - 1) * 2 + 3 + 36 * 2 + 2);
    expect(res(narrow).bytes).toBe(3 * I * 32);
  });

  it('request latency is paid once per loop entry, for the reads and for the write response', () => {
    // 100 ns at 300 MHz = 30 cycles; the residual loop is entered once per call and both reads
    // and writes: read latency + write-response latency, then the burst tail as above.
    const I = 9 * 4;
    const slow = evaluatePerformance(tiny({ part: partFile('lat', { portBits: 256, latencyNs: 100 }) }));
    const res = slow.stages.find((s) => s.block === 0 && s.stage === 'residual1')!;
    expect(res.cycles).toBe((I - 1) + 3 + 30 + 30 + 36 + 2);
  });
});

describe('loop structure', () => {
  it('the softmax loop interleaves ATTN_PARALLEL rows: II = ⌈3 / P⌉ (running-sum recurrence of 3 cycles)', () => {
    const ii = (P: number) => lowerPlan(tiny({ attention: { parallel: P, dotTile: 4 } }), { uram: false }).byId.get('attention.softmax')!.ii;
    expect(ii(1)).toBe(3);
    expect(ii(2)).toBe(2);
    expect(ii(3)).toBe(1);
  });

  it('LayerNorm sums a word per cycle only when lnStat wraps (then the tree equals the sequential sum)', () => {
    const wrap = lowerPlan(tiny(), { uram: false });
    expect(wrap.geometry.lnLanes).toBe(8);
    expect(wrap.byId.get('layernorm.stats')!.bound).toBe('DIM_WORDS');
    const sat = lowerPlan(tiny({ types: { lnStat: 'ap_fixed<48,24,AP_TRN,AP_SAT>' } }), { uram: false });
    expect(sat.geometry.lnLanes).toBe(1);
    expect(sat.byId.get('layernorm.stats')!.bound).toBe('DIM');
  });

  it('per-image iterations of the linear MACs equal the hand count of every call', () => {
    const s = scheduleImage(tiny());
    const macs = s.plan.byId.get('linear.macs')!.index;
    let total = 0;
    for (const c of s.calls) for (const t of c.trips) if (t.loop === macs) total += t.iterations;
    const tiles = (K: number, N: number) => Math.ceil(K / 8) * Math.ceil(N / 8);
    const T = 9;
    // Block 0 dense: qkv, proj, fc1, fc2 on 9 rows. Block 1 MoE: qkv, proj, gate (4 experts), and
    // 9 × 2 = 18 token-expert pairs spread over 4 experts (5, 5, 4, 4), each through both layers.
    const dense = T * (tiles(32, 96) + tiles(32, 32) + tiles(32, 64) + tiles(64, 32));
    const moe = T * (tiles(32, 96) + tiles(32, 32) + tiles(32, 4)) + 18 * (tiles(32, 32) + tiles(32, 32));
    expect(total).toBe(dense + moe);
  });
});

describe('vitforge plan and generate --allow-overfit', () => {
  it('prints the units and loops, and writes the plan as JSON', async () => {
    const json = join(tmp, 'plan.json');
    const r = await runCli('plan', '--json', json);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^unit linear: linear_unit\(\)/m);
    expect(r.out).toMatch(/^\s*linear_macs\s+n_tiles\s+12\.\.576\s+1\s/m);
    const plan = JSON.parse(readFileSync(json, 'utf8')) as { format: string; units: { id: string; loops: { id: string; perImage: { iterations: number } }[] }[] };
    expect(plan.format).toBe('vitforge-plan/1');
    const attention = plan.units.find((u) => u.id === 'attention')!;
    // Edge-MoE point: 12 blocks × 3 heads × 129 tokens × 8 words of a head slice, K and V together.
    expect(attention.loops.find((l) => l.id === 'attention.load_kv')!.perImage.iterations).toBe(12 * 3 * 129 * 8);
  });

  it('generate refuses a design over its part unless --allow-overfit', async () => {
    const out = join(tmp, 'overfit');
    const r = await runCli('generate', '--design', join(tmp, 'missing.yaml'));
    expect(r.code).toBe(1);
    const design = join(tmp, 'small.json');
    const { writeFileSync } = await import('node:fs');
    // The tiny model with 32 × 32 linear tiles: 1024 products of 2 slices, far over the 360 DSPs.
    writeFileSync(design, JSON.stringify({ name: 'tiny-overfit', model: tinyModelFile(), part: 'ultra96v2', clockMHz: 200, linear: { tileIn: 32, tileOut: 32 } }));
    const refused = await runCli('generate', '--design', design, '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^vitforge: error: part: design tiny-overfit does not fit ultra96v2: dsp needs \d+, the part has 360/m);
    expect(existsSync(out)).toBe(false);
    const forced = await runCli('generate', '--design', design, '--out', out, '--allow-overfit');
    expect(forced.code).toBe(0);
    expect(existsSync(join(out, 'src/vitforge_kernel.cpp'))).toBe(true);
  });
});

describe('design overrides on the command line', () => {
  it('--set PATH=VALUE, --model and --part change the design and are validated like the file', async () => {
    const r = await runCli('plan', '--set', 'attention.parallel=8', '--set', 'clockMHz=250', '--quiet', '--json', join(tmp, 'p8.json'));
    expect(r.code).toBe(0);
    const plan = JSON.parse(readFileSync(join(tmp, 'p8.json'), 'utf8')) as { clockMHz: number; units: { loops: { id: string; ii: number | null }[] }[] };
    expect(plan.clockMHz).toBe(250);
    // 8 interleaved rows: the 3-cycle running-sum recurrence allows II 1.
    expect(plan.units.flatMap((u) => u.loops).find((l) => l.id === 'attention.softmax')!.ii).toBe(1);
    const bad = await runCli('simulate', '--set', 'linear.tileOut=abc');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^vitforge: error: linear\.tileOut: must be an integer/m);
    const malformed = await runCli('simulate', '--set', 'clockMHz');
    expect(malformed.err).toMatch(/^vitforge: error: --set: 'clockMHz' is not PATH=VALUE/m);
    const other = await runCli('simulate', '--model', 'deit-t', '--part', 'kv260', '--set', 'clockMHz=250');
    expect(other.code).toBe(0);
    expect(other.out).toMatch(/^design\s+edge-moe-zcu102\s+\(KV260, .*, 250 MHz\)/m);
    expect(other.out).toMatch(/1,253,491,200 MACs\/image/); // DeiT-T, not M3ViT-tiny
  });
});
