/** Energy per image by source: static power and each dynamic component, times the latency. */
import type { PerformanceReport } from '../../sim/timing/report.js';
import { PALETTE, axisLabels, finish, fmt, frame } from './frame.js';

/** mJ per image for each source (W × ms = mJ), static first. */
export function energyBreakdown(perf: PerformanceReport): { source: string; mJ: number }[] {
  const out = [{ source: 'static', mJ: perf.power.staticW * perf.latencyMs }];
  for (const [k, w] of Object.entries(perf.power.breakdown)) out.push({ source: k, mJ: w * perf.latencyMs });
  return out;
}

export function energyChart(perf: PerformanceReport): string {
  const parts = energyBreakdown(perf);
  const f = frame({
    id: 'energy', title: `Energy per image by source — ${fmt(perf.energyMJ)} mJ at ${fmt(perf.power.totalW)} W`,
    height: 60 + 40 * Math.max(3, parts.length), margin: { left: 90, right: 110 },
  });
  const d3 = f.d3;
  const x = d3.scaleLinear().domain([0, (d3.max(parts, (p: { mJ: number }) => p.mJ) || 1) * 1.08]).nice().range([0, f.w]);
  const y = d3.scaleBand().domain(parts.map((p) => p.source)).range([0, f.h]).padding(0.25);
  f.plot.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${f.h})`).call(d3.axisBottom(x).ticks(6));
  f.plot.append('g').attr('class', 'y-axis').call(d3.axisLeft(y));
  parts.forEach((p, i) => {
    f.plot.append('rect').attr('class', 'bar').attr('x', 0).attr('y', y(p.source)).attr('height', y.bandwidth())
      .attr('width', Math.max(0, x(p.mJ))).attr('fill', PALETTE[i % PALETTE.length])
      .append('title').text(`${p.source}: ${fmt(p.mJ)} mJ`);
    const share = perf.energyMJ > 0 ? ` (${((p.mJ / perf.energyMJ) * 100).toFixed(0)}%)` : '';
    f.plot.append('text').attr('class', 'value-label').attr('x', x(p.mJ) + 6).attr('y', y(p.source) + y.bandwidth() / 2 + 4)
      .text(`${fmt(p.mJ)} mJ${share}`);
  });
  axisLabels(f, 'energy per image (mJ)', 'source');
  return finish(f);
}
