/** The report's timeline from the event engine: one bar per call of each process, times from its spans. */
import { describe, expect, it } from 'vitest';
import { designFromObject } from '../../src/design/load.js';
import { eventBlockTimeline, ganttChart } from '../../src/report/charts/gantt.js';
import { simulateImage } from '../../src/sim/timing/event/index.js';
import { evaluatePerformance } from '../../src/sim/timing/index.js';
import { tinyModelFile } from '../sim/timing/fixtures.js';

describe('event-engine timeline chart', () => {
  const d = designFromObject({ model: tinyModelFile(), moe: { routing: 'uniform' } });
  const ev = simulateImage(d);
  const spans = ev.timeline.filter((s) => s.block === 1);
  const bars = eventBlockTimeline(ev, 1);

  it('has one bar per process span of the block, in µs from the block start', () => {
    expect(bars).toHaveLength(spans.length);
    const t0 = Math.min(...spans.map((s) => s.start));
    bars.forEach((b, i) => {
      expect(b.unit).toBe(spans[i]!.process);
      expect(b.start).toBeCloseTo((spans[i]!.start - t0) / d.clockMHz, 9);
      expect(b.end).toBeCloseTo((spans[i]!.end - t0) / d.clockMHz, 9);
    });
  });

  it('shows the ping-pong loader overlapping the compute of the same linear call', () => {
    const qkv = bars.filter((b) => b.stage === 'qkv');
    const load = qkv.find((b) => b.unit.endsWith('.load'))!;
    const compute = qkv.find((b) => b.unit.endsWith('.compute'))!;
    expect(load.start).toBeLessThan(compute.end);
    expect(compute.start).toBeLessThan(load.end);
  });

  it('draws every bar', () => {
    const svg = ganttChart(evaluatePerformance(d), 1, ev);
    expect(svg.match(/class="bar"/g)).toHaveLength(bars.length);
    expect(svg).toContain('event engine');
  });
});
