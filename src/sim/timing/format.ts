/**
 * Text rendering of a PerformanceReport for `vitforge simulate` (docs/cli.md explains each line).
 */
import type { Part } from '../../parts/parts.js';
import type { PerformanceReport, StageResult } from './report.js';

const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const pct = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');

function table(head: string[], rows: string[][], right: boolean[]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (right[i] ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd();
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

/** Stages summed over blocks, in first-appearance order. */
export function stageTotals(r: PerformanceReport): StageResult[] {
  const order: string[] = [];
  const acc = new Map<string, { unit: string; cycles: number; compute: number; memory: number; bytes: number; macs: number; memCycles: number; mult: number }>();
  for (const s of r.stages) {
    let a = acc.get(s.stage);
    if (!a) {
      order.push(s.stage);
      acc.set(s.stage, (a = { unit: s.unit, cycles: 0, compute: 0, memory: 0, bytes: 0, macs: 0, memCycles: 0, mult: 0 }));
    }
    a.cycles += s.cycles;
    a.compute += s.computeCycles;
    a.memory += s.memoryCycles;
    a.bytes += s.bytes;
    a.macs += s.macs;
    if (s.bound === 'memory') a.memCycles += s.cycles;
    a.mult += s.dspUtil * s.cycles;
  }
  const hz = r.clockMHz * 1e6;
  return order.map((name) => {
    const a = acc.get(name)!;
    return {
      block: -2, stage: name, unit: a.unit, cycles: a.cycles, computeCycles: a.compute, memoryCycles: a.memory,
      bound: a.memCycles * 2 > a.cycles ? 'memory' : 'compute', bytes: a.bytes,
      achievedGBps: a.cycles > 0 ? a.bytes / (a.cycles / hz) / 1e9 : 0, macs: a.macs,
      dspUtil: a.cycles > 0 ? a.mult / a.cycles : 0,
    };
  });
}

function stageRows(stages: readonly StageResult[], r: PerformanceReport, withBlock: boolean): string[][] {
  const ms = (c: number): string => (c / (r.clockMHz * 1e3)).toFixed(3);
  return stages.map((s) => [
    ...(withBlock ? [s.block < 0 ? 'embed' : String(s.block)] : []),
    s.stage, s.unit, int(s.cycles), ms(s.cycles), pct(s.cycles / r.cycles), s.bound, s.achievedGBps.toFixed(2), pct(s.dspUtil),
  ]);
}

/** Totals at every scope, so a chip-level (Vivado-like) figure is visible next to a board-level one. */
function scopeLine(p: PerformanceReport['power']): string {
  const sc = p.scopes;
  if (!sc) return '';
  const parts = [`chip ${sc.chip.toFixed(2)} W`, `rails ${sc.rails.toFixed(2)} W`];
  if (sc.board !== undefined) parts.push(`board (12 V input) ${sc.board.toFixed(2)} W`);
  return `scopes: ${parts.join(', ')} (docs/performance-model.md §6)`;
}

export function formatReport(r: PerformanceReport, part: Part, detail = false): string {
  const res = r.resources;
  const p = r.power;
  const b = p.breakdown;
  const dyn = Object.entries(b).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
  const resLine = (k: 'dsp' | 'bram36' | 'uram' | 'lut' | 'ff', cap: number): string => `${k} ${int(res[k])}/${int(cap)} (${pct(res.util[k])})`;
  const lines = [
    `design     ${r.design}  (${part.board}, ${part.device}, ${r.clockMHz} MHz)`,
    // MoE models only: the routing behind the expert queue lengths.
    ...(r.stages.some((st) => st.stage === 'experts') ? [`routing    ${r.routingSource}`] : []),
    `latency    ${r.latencyMs.toFixed(3)} ms  (${int(r.cycles)} cycles; ${(1000 / r.latencyMs).toFixed(1)} images/s)`,
    `throughput ${r.gops.toFixed(2)} GOPS  (${int(r.macs)} MACs/image; ops = 2 per MAC + element-wise)`,
    `bound      ${pct(r.memoryBoundFraction)} of cycles in memory-bound stages`,
    `resources  ${resLine('dsp', part.dsp)}  ${resLine('bram36', part.bram36)}  ${resLine('uram', part.uram)}`,
    `           ${resLine('lut', part.lut)}  ${resLine('ff', part.ff)}  ${res.fits ? 'fits' : `DOES NOT FIT: ${res.violations.join('; ')}`}`,
    `power      ${p.totalW.toFixed(2)} W at ${p.scope ?? 'rails'} scope  (static ${p.staticW.toFixed(2)} + ${dyn})`,
    `           ${scopeLine(p)}`,
    `energy     ${r.energyMJ.toFixed(1)} mJ/image  (${r.gopsPerW.toFixed(2)} GOPS/W)`,
    '',
    'per stage (summed over blocks)',
    table(['stage', 'unit', 'cycles', 'ms', 'share', 'bound', 'GB/s', 'dsp util'], stageRows(stageTotals(r), r, false),
      [false, false, true, true, true, false, true, true]),
    '',
    'per layer',
    table(['block', 'cycles', 'ms', 'share', 'GOPS'], r.layers.map((l) => [l.block < 0 ? 'embed' : String(l.block), int(l.cycles), l.ms.toFixed(3), pct(l.cycles / r.cycles), (l.gops ?? 0).toFixed(1)]),
      [false, true, true, true, true]),
    '',
    'resources per unit',
    table(['unit', 'dsp', 'bram36', 'uram', 'lut', 'ff'], res.units.map((u) => [u.unit, int(u.dsp), String(u.bram36), int(u.uram), int(u.lut), int(u.ff)]),
      [false, true, true, true, true, true]),
  ];
  if (detail) {
    lines.push('', 'every stage', table(['block', 'stage', 'unit', 'cycles', 'ms', 'share', 'bound', 'GB/s', 'dsp util'], stageRows(r.stages, r, true),
      [false, false, false, true, true, true, false, true, true]));
  }
  return lines.join('\n') + '\n';
}
