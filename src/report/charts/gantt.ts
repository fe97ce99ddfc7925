/**
 * Gantt-style timeline of one transformer block (µs from the block start). From the event
 * engine's timeline when one is given: one row per process of each unit (the linear unit's
 * reader, compute, writer and weight loader overlap within a call), bars where the process ran,
 * outlined when it spent most of the bar stalled on memory. Otherwise from the analytic stage
 * sequence: one row per unit, each stage starting when the previous one ends.
 */
import type { EventReport } from '../../sim/timing/event/index.js';
import type { PerformanceReport } from '../../sim/timing/report.js';
import { stageColor } from './colors.js';
import { LEGEND_ROW_PX, axisLabels, finish, fmt, frame, legend, legendWidth } from './frame.js';

export interface TimelineBar {
  readonly stage: string;
  readonly unit: string;
  /** µs from the start of the block. */
  readonly start: number;
  readonly end: number;
  readonly bound: string;
}

export function blockTimeline(perf: PerformanceReport, block: number): TimelineBar[] {
  const usPerCycle = 1 / perf.clockMHz;
  let t = 0;
  return perf.stages.filter((s) => s.block === block).map((s) => {
    const bar = { stage: s.stage, unit: s.unit, start: t, end: t + s.cycles * usPerCycle, bound: s.bound };
    t = bar.end;
    return bar;
  });
}

/** Bars of one block from the event engine: one row per process, bound = memory when memory stalls dominate the bar. */
export function eventBlockTimeline(ev: EventReport, block: number): TimelineBar[] {
  const spans = ev.timeline.filter((s) => s.block === block);
  const t0 = Math.min(...spans.map((s) => s.start));
  const us = 1 / ev.clockMHz;
  return spans.map((s) => ({
    stage: s.stage, unit: s.process, start: (s.start - t0) * us, end: (s.end - t0) * us,
    bound: s.memory * 2 > s.end - s.start ? 'memory' : 'compute',
  }));
}

/** The first MoE block if the model has one (gate and experts are the interesting part), else block 0. */
export function defaultTimelineBlock(perf: PerformanceReport): number {
  const moe = perf.stages.find((s) => s.stage === 'experts' || s.unit === 'moe-router');
  return moe ? moe.block : 0;
}

export function ganttChart(perf: PerformanceReport, block = defaultTimelineBlock(perf), ev?: EventReport): string {
  const bars = ev ? eventBlockTimeline(ev, block) : blockTimeline(perf, block);
  const end = Math.max(0, ...bars.map((b) => b.end));
  const units = [...new Set(bars.map((b) => b.unit))];
  const stages = [...new Set(bars.map((b) => b.stage))];
  // Tall enough for the legend (one row per stage + the memory-bound swatch) as well as the
  // unit rows: an MoE block has more stages than units, and a short chart clipped the legend.
  const plotH = Math.max(34 * Math.max(3, units.length), LEGEND_ROW_PX * (stages.length + 1));
  const items = [...stages.map((s) => ({ label: s, color: stageColor(s) })), { label: 'memory-bound (outline)', color: '#000000', kind: 'dashed' as const }];
  const f = frame({
    id: 'timeline', title: `Timeline of block ${block} — ${perf.design} (${fmt(end)} µs${ev ? ', event engine' : ''})`,
    height: 96 + plotH, margin: { left: ev ? 150 : 96, right: Math.max(150, 16 + legendWidth(items)) },
  });
  const d3 = f.d3;
  const x = d3.scaleLinear().domain([0, end || 1]).nice().range([0, f.w]);
  const y = d3.scaleBand().domain(units).range([0, f.h]).padding(0.2);
  f.plot.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${f.h})`).call(d3.axisBottom(x).ticks(8));
  f.plot.append('g').attr('class', 'y-axis').call(d3.axisLeft(y));
  const color = stageColor;
  for (const b of bars) {
    const g = f.plot.append('g').attr('class', 'task');
    g.append('rect').attr('class', 'bar').attr('x', x(b.start)).attr('y', y(b.unit)).attr('height', y.bandwidth())
      .attr('width', Math.max(1, x(b.end) - x(b.start))).attr('fill', color(b.stage))
      .attr('stroke', b.bound === 'memory' ? '#000000' : 'none').attr('stroke-dasharray', b.bound === 'memory' ? '3,2' : null)
      .append('title').text(`${b.stage} (${b.unit}, ${b.bound}-bound): ${fmt(b.start)}–${fmt(b.end)} µs`);
    if (x(b.end) - x(b.start) > 7 * b.stage.length) {
      g.append('text').attr('x', (x(b.start) + x(b.end)) / 2).attr('y', y(b.unit) + y.bandwidth() / 2 + 4)
        .attr('text-anchor', 'middle').attr('fill', '#ffffff').attr('font-size', 10).text(b.stage);
    }
  }
  axisLabels(f, `time from the start of block ${block} (µs)`, ev ? 'process of a hardware unit' : 'hardware unit');
  legend(f, items, f.w + 12, 0);
  return finish(f);
}
