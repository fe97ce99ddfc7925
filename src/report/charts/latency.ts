/** Per-layer latency stacked by stage (which stage dominates each layer). */
import type { PerformanceReport } from '../../sim/timing/report.js';
import { stageColor } from './colors.js';
import { LEGEND_ROW_PX, axisLabels, finish, fmt, frame, legend, legendWidth, type Sel } from './frame.js';

export function layerName(block: number): string {
  return block < 0 ? 'embed' : `L${block}`;
}

/** Stage names in order of first appearance. */
export function stageOrder(perf: PerformanceReport): string[] {
  const seen: string[] = [];
  for (const s of perf.stages) if (!seen.includes(s.stage)) seen.push(s.stage);
  return seen;
}

export function latencyChart(perf: PerformanceReport): string {
  const stages = stageOrder(perf);
  const items = stages.map((s) => ({ label: s, color: stageColor(s) }));
  const f = frame({
    id: 'latency', title: `Latency per layer by stage — ${perf.design} (${fmt(perf.latencyMs)} ms total)`,
    height: Math.max(380, 96 + LEGEND_ROW_PX * stages.length), margin: { right: Math.max(130, 16 + legendWidth(items)) },
  });
  const d3 = f.d3;
  const blocks = [...new Set(perf.stages.map((s) => s.block))].sort((a, b) => a - b);
  const msPerCycle = 1 / (perf.clockMHz * 1e3);
  const rows = blocks.map((b) => {
    const row: Record<string, number> = { block: b };
    for (const st of stages) row[st] = 0;
    for (const s of perf.stages) if (s.block === b) row[s.stage]! += s.cycles * msPerCycle;
    return row;
  });
  const series = d3.stack().keys(stages)(rows);
  const x = d3.scaleBand().domain(blocks.map(layerName)).range([0, f.w]).padding(0.2);
  const ymax = d3.max(rows, (r: Record<string, number>) => stages.reduce((a, s) => a + r[s]!, 0)) || 1;
  const y = d3.scaleLinear().domain([0, ymax * 1.05]).nice().range([f.h, 0]);
  f.plot.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${f.h})`).call(d3.axisBottom(x));
  f.plot.append('g').attr('class', 'y-axis').call(d3.axisLeft(y).ticks(6));
  series.forEach((s: Sel) => {
    const g = f.plot.append('g').attr('class', 'series').attr('fill', stageColor(s.key));
    s.forEach((seg: [number, number] & { data: Record<string, number> }) => {
      const height = y(seg[0]) - y(seg[1]);
      if (!(height > 0)) return;
      g.append('rect').attr('class', 'bar').attr('x', x(layerName(seg.data.block!))).attr('width', x.bandwidth())
        .attr('y', y(seg[1])).attr('height', height)
        .append('title').text(`${layerName(seg.data.block!)} ${s.key}: ${fmt(seg[1] - seg[0])} ms`);
    });
  });
  axisLabels(f, 'layer (embed = patch embedding, L0…: transformer blocks)', 'latency (ms)');
  legend(f, items, f.w + 12, 0);
  return finish(f);
}
