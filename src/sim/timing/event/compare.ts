/**
 * The two engines side by side (`vitforge simulate --engine both`, `dse --verify-top`): total
 * and per-stage cycles of the analytic model and the event engine, and their differences, plus
 * the text of the event engine's own figures (units, ports, warnings). docs/cli.md explains
 * every column.
 */
import type { PerformanceReport } from '../report.js';
import type { EventReport } from './index.js';

export interface StageComparison {
  readonly stage: string;
  readonly unit: string;
  readonly analytic: number;
  readonly event: number;
  /** event / analytic − 1. */
  readonly diff: number;
}

export interface Comparison {
  readonly analytic: number;
  readonly event: number;
  readonly diff: number;
  readonly stages: readonly StageComparison[];
  /** Largest |diff| of a stage and its name. */
  readonly worst: { readonly stage: string; readonly diff: number };
}

const rel = (e: number, a: number): number => (a > 0 ? e / a - 1 : e > 0 ? Infinity : 0);

/** Per stage summed over blocks, in the analytic report's order. */
export function compareEngines(a: PerformanceReport, e: EventReport): Comparison {
  const order: string[] = [];
  const acc = new Map<string, { unit: string; a: number; e: number }>();
  const add = (stage: string, unit: string, k: 'a' | 'e', c: number): void => {
    let x = acc.get(stage);
    if (!x) {
      order.push(stage);
      acc.set(stage, (x = { unit, a: 0, e: 0 }));
    }
    x[k] += c;
  };
  for (const s of a.stages) add(s.stage, s.unit, 'a', s.cycles);
  for (const s of e.stages) add(s.stage, s.unit, 'e', s.cycles);
  const stages = order.map((stage) => {
    const x = acc.get(stage)!;
    return { stage, unit: x.unit, analytic: x.a, event: x.e, diff: rel(x.e, x.a) };
  });
  const worst = stages.reduce((w, s) => (Math.abs(s.diff) > Math.abs(w.diff) ? { stage: s.stage, diff: s.diff } : w), { stage: '', diff: 0 });
  return { analytic: a.cycles, event: e.cycles, diff: rel(e.cycles, a.cycles), stages, worst };
}

const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const pct = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');
const signed = (v: number): string => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${(100 * v).toFixed(2)}%` : 'n/a');

function table(head: string[], rows: string[][], right: boolean[]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (right[i] ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd();
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

/** The event engine's own section: totals, units, ports, warnings. */
export function formatEvent(e: EventReport): string {
  const lines = [
    `event      ${(e.latencyMs).toFixed(3)} ms  (${int(e.cycles)} cycles; ${int(e.events)} events over ${e.distinctCalls} distinct calls)`,
    ...e.warnings.map((w) => `warning    ${w}`),
    '',
    'per unit (event engine; cycles of the image)',
    table(['unit', 'busy', 'stalled memory', 'stalled fifo', 'idle', 'busy share'],
      e.units.map((u) => [u.unit, int(u.busy), int(u.memory), int(u.fifo), int(u.idle), pct(u.busy / e.cycles)]), [false, true, true, true, true, true]),
    '',
    'per process (event engine; summed over calls)',
    table(['process', 'busy', 'stalled memory', 'stalled fifo'],
      e.processes.map((p) => [p.name, int(p.busy), int(p.memory), int(p.fifo)]), [false, true, true, true]),
    '',
    `per port (event engine; utilisation of one direction's ${e.memory.portBytes.toFixed(1)} B/cycle, peak over ${int(e.binCycles)}-cycle bins)`,
    table(['port', 'bundles', 'read MB', 'write MB', 'mean util', 'peak util'],
      e.ports.map((p) => [String(p.port), p.bundles.join(' '), (p.readBytes / 1e6).toFixed(2), (p.writeBytes / 1e6).toFixed(2), pct(p.utilisation), pct(Math.max(0, ...p.series))]),
      [false, false, true, true, true, true]),
  ];
  return lines.join('\n') + '\n';
}

export function formatComparison(c: Comparison, clockMHz: number): string {
  const ms = (x: number): string => (x / (clockMHz * 1e3)).toFixed(3);
  return [
    `engines    analytic ${ms(c.analytic)} ms, event ${ms(c.event)} ms: event ${signed(c.diff)} (largest stage difference: ${c.worst.stage} ${signed(c.worst.diff)})`,
    '',
    'per stage, both engines (summed over blocks)',
    table(['stage', 'unit', 'analytic', 'event', 'difference'],
      [...c.stages.map((s) => [s.stage, s.unit, int(s.analytic), int(s.event), signed(s.diff)]), ['total', '', int(c.analytic), int(c.event), signed(c.diff)]],
      [false, false, true, true, true]),
  ].join('\n') + '\n';
}
