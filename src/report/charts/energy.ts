/**
 * Energy per image by source (power × latency), each source labelled with its kind. Only the PL
 * terms are "dynamic" in the sense a designer can change: the host CPU (PS) and the board's
 * peripherals are fixed loads, the regulators a conversion loss, and calling them dynamic made a
 * board-level figure look like the accelerator's own.
 */
import type { PerformanceReport } from '../../sim/timing/report.js';
import { LEGEND_ROW_PX, PALETTE, axisLabels, finish, fmt, frame, legend, legendWidth } from './frame.js';

/** What a power-model term is, for the reader (docs/performance-model.md §6 defines the terms). */
export const POWER_KINDS: Readonly<Record<string, string>> = {
  static: 'device static',
  dsp: 'PL dynamic', bram: 'PL dynamic', logic: 'PL dynamic', clock: 'PL dynamic',
  offchip: 'DRAM',
  host: 'host CPU (fixed)',
  peripherals: 'board peripherals (fixed)',
  regulators: 'regulator loss',
};

const KIND_ORDER = ['device static', 'PL dynamic', 'DRAM', 'host CPU (fixed)', 'board peripherals (fixed)', 'regulator loss', 'other'];

function kindOf(source: string): string {
  return POWER_KINDS[source] ?? 'other';
}

/** mJ per image for each source (W × ms = mJ), static first. */
export function energyBreakdown(perf: PerformanceReport): { source: string; kind: string; mJ: number }[] {
  const out = [{ source: 'static', kind: kindOf('static'), mJ: perf.power.staticW * perf.latencyMs }];
  for (const [k, w] of Object.entries(perf.power.breakdown)) out.push({ source: k, kind: kindOf(k), mJ: w * perf.latencyMs });
  return out;
}

/** Watts per kind, in KIND_ORDER, for the headline: `device static 0.9, PL dynamic 2.1, …`. */
export function powerSummary(perf: PerformanceReport): string {
  const w = new Map<string, number>([['device static', perf.power.staticW]]);
  for (const [k, v] of Object.entries(perf.power.breakdown)) w.set(kindOf(k), (w.get(kindOf(k)) ?? 0) + v);
  return KIND_ORDER.filter((k) => w.has(k)).map((k) => `${k} ${fmt(w.get(k)!)}`).join(', ');
}

export function energyChart(perf: PerformanceReport): string {
  const parts = energyBreakdown(perf);
  const kinds = KIND_ORDER.filter((k) => parts.some((p) => p.kind === k));
  const colorOf = (kind: string): string => PALETTE[KIND_ORDER.indexOf(kind) % PALETTE.length]!;
  const items = kinds.map((k) => ({ label: k, color: colorOf(k) }));
  // The value labels right of the longest bar take up to ~110 px before the legend starts.
  const f = frame({
    id: 'energy', title: `Energy per image by source — ${fmt(perf.energyMJ)} mJ at ${fmt(perf.power.totalW)} W`,
    height: 96 + Math.max(40 * Math.max(3, parts.length) - 36, LEGEND_ROW_PX * kinds.length), margin: { left: 90, right: 110 + legendWidth(items) + 8 },
  });
  const d3 = f.d3;
  const x = d3.scaleLinear().domain([0, (d3.max(parts, (p: { mJ: number }) => p.mJ) || 1) * 1.08]).nice().range([0, f.w]);
  const y = d3.scaleBand().domain(parts.map((p) => p.source)).range([0, f.h]).padding(0.25);
  f.plot.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${f.h})`).call(d3.axisBottom(x).ticks(6));
  f.plot.append('g').attr('class', 'y-axis').call(d3.axisLeft(y));
  for (const p of parts) {
    f.plot.append('rect').attr('class', 'bar').attr('x', 0).attr('y', y(p.source)).attr('height', y.bandwidth())
      .attr('width', Math.max(0, x(p.mJ))).attr('fill', colorOf(p.kind))
      .append('title').text(`${p.source}: ${fmt(p.mJ)} mJ (${p.kind})`);
    const share = perf.energyMJ > 0 ? ` (${((p.mJ / perf.energyMJ) * 100).toFixed(0)}%)` : '';
    f.plot.append('text').attr('class', 'value-label').attr('x', x(p.mJ) + 6).attr('y', y(p.source) + y.bandwidth() / 2 + 4)
      .text(`${fmt(p.mJ)} mJ${share}`);
  }
  legend(f, items, f.w + 110, 0);
  axisLabels(f, 'energy per image (mJ)', 'source');
  return finish(f);
}
