/** Resource utilisation bars against the part (100% line = the whole device). */
import type { Part } from '../../parts/parts.js';
import type { ResourceEstimate } from '../../sim/timing/report.js';
import { PALETTE, axisLabels, finish, fmt, frame } from './frame.js';

export function resourceChart(r: ResourceEstimate, part: Part, design: string): string {
  const f = frame({ id: 'resources', title: `Resource utilisation of ${design} on ${part.board}`, height: 300, margin: { left: 80, right: 170 } });
  const d3 = f.d3;
  const items = [
    { name: 'DSP', used: r.dsp, avail: part.dsp },
    { name: 'BRAM36', used: r.bram36, avail: part.bram36 },
    { name: 'URAM', used: r.uram, avail: part.uram },
    { name: 'LUT', used: r.lut, avail: part.lut },
    { name: 'FF', used: r.ff, avail: part.ff },
  ].map((it) => ({ ...it, util: it.avail > 0 ? it.used / it.avail : it.used > 0 ? Infinity : 0 }));
  const xmax = Math.max(1.1, ...items.map((i) => (Number.isFinite(i.util) ? i.util * 1.05 : 1.1)));
  const x = d3.scaleLinear().domain([0, xmax]).range([0, f.w]);
  const y = d3.scaleBand().domain(items.map((i) => i.name)).range([0, f.h]).padding(0.25);
  f.plot.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${f.h})`).call(d3.axisBottom(x).ticks(6).tickFormat(d3.format('.0%')));
  f.plot.append('g').attr('class', 'y-axis').call(d3.axisLeft(y));
  for (const it of items) {
    const over = it.util > 1;
    f.plot.append('rect').attr('class', 'bar').attr('x', 0).attr('y', y(it.name)).attr('height', y.bandwidth())
      .attr('width', Number.isFinite(it.util) ? x(Math.min(it.util, xmax)) : f.w)
      .attr('fill', over ? PALETTE[2] : PALETTE[0])
      .append('title').text(`${it.name}: ${fmt(it.used)} of ${fmt(it.avail)}`);
    const label = it.avail > 0 ? `${fmt(it.used)} / ${fmt(it.avail)} (${(it.util * 100).toFixed(1)}%)` : `${fmt(it.used)} / none on part`;
    f.plot.append('text').attr('class', 'value-label').attr('x', f.w + 6).attr('y', y(it.name) + y.bandwidth() / 2 + 4).text(label);
  }
  f.plot.append('line').attr('class', 'limit').attr('x1', x(1)).attr('x2', x(1)).attr('y1', 0).attr('y2', f.h)
    .attr('stroke', '#333').attr('stroke-dasharray', '5,4');
  f.plot.append('text').attr('x', x(1) + 4).attr('y', -6).attr('font-size', 10).text('part capacity');
  axisLabels(f, 'utilisation of the part (%)', 'resource');
  return finish(f);
}
