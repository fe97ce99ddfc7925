/**
 * Throughput of vitforge's C-simulation headers on the linear-unit MAC pattern
 * (test/hls/cpp/csim_mac_bench.cpp, built with g++ -O2): ap_fixed<32,10> += ap_fixed<32,10> ×
 * ap_fixed<16,2>, per MAC and with an exact 8-product adder tree, against hand-written int64.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../src/model/shared.js';
import type { BenchModule, BenchRow } from './table.js';

async function run(): Promise<BenchRow[]> {
  const root = projectRoot();
  const dir = mkdtempSync(join(tmpdir(), 'vf-bench-csim-'));
  try {
    const exe = join(dir, 'mac_bench');
    const cc = spawnSync('g++', [
      '-std=c++17', '-O2', '-Wall', '-Wextra', '-Werror', '-Wno-unknown-pragmas',
      '-I', join(root, 'templates', 'hls', 'csim', 'include'), join(root, 'test', 'hls', 'cpp', 'csim_mac_bench.cpp'), '-o', exe,
    ], { encoding: 'utf8' });
    if (cc.error || cc.status !== 0) {
      return [{ name: 'g++ unavailable or build failed', value: 0, unit: '', note: (cc.stderr ?? String(cc.error)).slice(0, 80) }];
    }
    // Best of 5 runs of 100 passes over a 768×192 layer (14.7 M MACs per variant and run).
    const best = new Map<string, number>();
    for (let k = 0; k < 5; k++) {
      const r = spawnSync(exe, ['100'], { encoding: 'utf8' });
      for (const line of r.stdout.trim().split('\n')) {
        const [name, macs, secs] = line.split(' ');
        const rate = Number(macs) / Number(secs);
        if (rate > (best.get(name!) ?? 0)) best.set(name!, rate);
      }
    }
    const base = best.get('int64') ?? NaN;
    const row = (name: string, label: string, note: string): BenchRow => ({
      name: label, value: best.get(name) ?? 0, unit: 'MAC/s', ratio: (best.get(name) ?? 0) / base, note,
    });
    return [
      row('mac', 'acc += x*w (ap_fixed)', 'ratio to hand-written int64'),
      row('tile8', 'acc += Σ8 x*w (exact tree)', 'one quantisation per 8 MACs'),
      row('int64', 'hand-written int64 MAC', 'baseline'),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default { title: 'C-simulation headers (g++ -O2)', run } satisfies BenchModule;
