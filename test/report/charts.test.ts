/**
 * Structural checks of every chart on a hand-written performance report: titles, axis labels with
 * units, one mark per datum, and mark sizes proportional to the data (computed here by hand).
 */
import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/design/load.js';
import { getPart } from '../../src/hw/parts.js';
import { energyChart } from '../../src/report/charts/energy.js';
import { ganttChart } from '../../src/report/charts/gantt.js';
import { latencyChart } from '../../src/report/charts/latency.js';
import { LITERATURE_ANCHORS, paretoChart } from '../../src/report/charts/pareto.js';
import { resourceChart } from '../../src/report/charts/resources.js';
import { ceilings, labelClusters, rooflineChart, rooflinePoints } from '../../src/report/charts/roofline.js';
import { PERF } from './fixture.js';
import { checkFrame, num, parseSvg } from './svg-check.js';

type El = any; // jsdom elements, untyped here (no DOM lib in this project)

const close = (a: number, b: number, rel = 1e-6): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(Math.abs(a), Math.abs(b)));

describe('charts', () => {
  it('latency per layer: one segment per (layer, stage), stack heights proportional to layer time', () => {
    const svg = parseSvg(latencyChart(PERF));
    checkFrame(svg, 'latency');
    expect(svg.querySelector('text.y-label').textContent).toMatch(/\(ms\)/);
    const bars = [...svg.querySelectorAll('rect.bar')];
    expect(bars.length).toBe(PERF.stages.length);
    const byX = new Map<number, number>();
    for (const b of bars) byX.set(num(b, 'x'), (byX.get(num(b, 'x')) ?? 0) + num(b, 'height'));
    const heights = [...byX.entries()].sort((a, b) => a[0] - b[0]).map(([, h]) => h);
    // Layers: embed 50 000, L0 100 000, L1 115 000 cycles.
    close(heights[1]! / heights[0]!, 100_000 / 50_000);
    close(heights[2]! / heights[0]!, 115_000 / 50_000);
    const legend = [...svg.querySelectorAll('g.legend text')].map((t: El) => t.textContent);
    expect(legend).toEqual(['patch_embed', 'ln1', 'qkv', 'qk_softmax', 'fc1', 'gate', 'experts']);
  });

  it('resources: five bars proportional to utilisation, over-capacity flagged, capacity line at 100%', () => {
    const svg = parseSvg(resourceChart(PERF.resources, getPart('zcu102'), 'fixture'));
    checkFrame(svg, 'resources');
    const bars = [...svg.querySelectorAll('rect.bar')];
    expect(bars.length).toBe(5);
    const w = bars.map((b: El) => num(b, 'width'));
    close(w[0]! / w[3]!, 1); // DSP and LUT both 50%
    close(w[4]! / w[0]!, (600_000 / 548_160) / 0.5); // FF over capacity
    expect(w[2]).toBe(0); // no URAM used
    const limit = svg.querySelector('line.limit');
    close(num(limit, 'x1'), w[0]! * 2);
    expect(bars[4].getAttribute('fill')).not.toBe(bars[0].getAttribute('fill'));
    expect([...svg.querySelectorAll('text.value-label')].map((t: El) => t.textContent)).toContain('1260 / 2520 (50.0%)');
  });

  it('energy: static plus each dynamic source, bar lengths proportional to W × ms', () => {
    const svg = parseSvg(energyChart(PERF));
    checkFrame(svg, 'energy');
    expect(svg.querySelector('text.x-label').textContent).toMatch(/\(mJ\)/);
    const bars = [...svg.querySelectorAll('rect.bar')];
    expect(bars.map((b: El) => b.querySelector('title').textContent.split(':')[0])).toEqual(['static', 'logic', 'offchip']);
    const w = bars.map((b: El) => num(b, 'width'));
    close(w[1]! / w[0]!, 2); // logic 2 W vs static 1 W
    close(w[2]! / w[0]!, 1);
    expect(bars[0].querySelector('title').textContent).toBe('static: 2.65 mJ'); // 1 W × 2.65 ms
  });

  it('roofline: points at 2·MACs/bytes and 2·MACs/time, ceilings from the part', () => {
    const pts = rooflinePoints(PERF);
    const qkv = pts.find((p) => p.label === 'qkv')!;
    // qkv over both blocks: 8e6 MACs, 4e5 bytes, 80 000 cycles at 100 MHz = 0.8 ms.
    close(qkv.oi, (2 * 8e6) / 4e5);
    close(qkv.gops, (2 * 8e6) / 0.8e-3 / 1e9);
    expect(pts.some((p) => p.label === 'ln1')).toBe(false); // no MACs: not on a roofline
    const total = pts.find((p) => p.label === 'whole image')!;
    close(total.oi, (2 * PERF.macs) / PERF.stages.reduce((a, s) => a + s.bytes, 0));
    const design = loadDesign();
    const part = getPart('zcu102');
    const c = ceilings(design, part, 100);
    close(c.partPeak, 2 * 2520 * 0.1);
    close(c.linearPeak, 2 * 16 * 16 * 0.1);
    const svg = parseSvg(rooflineChart(PERF, design, part));
    checkFrame(svg, 'roofline');
    expect(svg.querySelectorAll('g.point').length).toBe(pts.length);
    expect(svg.querySelectorAll('.ceiling').length).toBe(3);
    expect(svg.querySelector('text.x-label').textContent).toMatch(/operational intensity/);
    expect(svg.querySelector('text.y-label').textContent).toMatch(/GOP\/s/);
  });

  it('roofline labels: points at one spot share one label; every point is named exactly once', () => {
    const c = labelClusters([
      { label: 'qk_softmax', px: 100, py: 50 }, { label: 'attn_v', px: 101, py: 51 },
      { label: 'gate', px: 200, py: 50 }, { label: 'fc1', px: 100, py: 80 },
    ], 14);
    expect(c.map((k) => k.labels)).toEqual([['qk_softmax', 'attn_v'], ['gate'], ['fc1']]);
    const svg = parseSvg(rooflineChart(PERF, loadDesign(), getPart('zcu102')));
    const named = [...svg.querySelectorAll('text.point-label')].flatMap((t: { textContent: string }) => t.textContent.split(', '));
    expect(named.sort()).toEqual(rooflinePoints(PERF).map((p) => p.label).sort());
  });

  it('timeline: stages of one block back to back, total width proportional to the block time', () => {
    const svg = parseSvg(ganttChart(PERF, 1));
    checkFrame(svg, 'timeline');
    expect(svg.querySelector('text.x-label').textContent).toMatch(/\(µs\)/);
    const bars = [...svg.querySelectorAll('rect.bar')];
    expect(bars.length).toBe(4); // ln1, qkv, gate, experts of block 1
    for (let i = 1; i < bars.length; i++) close(num(bars[i], 'x'), num(bars[i - 1], 'x') + num(bars[i - 1], 'width'));
    // experts: 60 000 of 115 000 cycles
    const span = num(bars[3], 'x') + num(bars[3], 'width') - num(bars[0], 'x');
    close(num(bars[3], 'width') / span, 60_000 / 115_000);
    expect(bars[3].getAttribute('stroke-dasharray')).toBeTruthy(); // memory-bound outline
    expect(svg.querySelector('title').textContent).toMatch(/1150 µs/);
  });

  it('pareto: one dot per design, the front ringed and joined, literature anchors drawn', () => {
    const points = [
      { latencyMs: 20, energyMJ: 300, dsp: 2000, front: true }, { latencyMs: 30, energyMJ: 200, dsp: 1000, front: true },
      { latencyMs: 40, energyMJ: 400, dsp: 1500, front: false },
    ];
    const svg = parseSvg(paretoChart(points));
    checkFrame(svg, 'pareto');
    expect(svg.querySelectorAll('circle.point').length).toBe(3);
    expect(svg.querySelectorAll('circle.front').length).toBe(2);
    expect(svg.querySelector('path.front-line')).not.toBeNull();
    const anchors = [...svg.querySelectorAll('g.anchor')];
    expect(anchors.length).toBe(LITERATURE_ANCHORS.length);
    expect(anchors.map((a: El) => a.querySelector('text').textContent)).toEqual(['Edge-MoE 34.64 ms', 'UbiMoE 25.76 ms']);
    // Anchor lines sit at their latency on the same x scale as the dots (20 ms and 30 ms dots).
    const xs = [...svg.querySelectorAll('circle.point')].map((c: El) => num(c, 'cx'));
    // Log axis: x(v) = x(20) + k·ln(v / 20), k from the 20 ms and 30 ms dots.
    const k = (xs[1]! - xs[0]!) / Math.log(30 / 20);
    close(num(anchors[0].querySelector('line'), 'x1'), xs[0]! + k * Math.log(34.64 / 20));
    close(LITERATURE_ANCHORS[0]!.energyMJ!, 14.54 * 34.64);
    expect(svg.querySelector('text.x-label').textContent).toMatch(/\(ms, log\)/);
    expect(svg.querySelector('text.y-label').textContent).toMatch(/\(mJ, log\)/);
    // Darker (viridis low end) for fewer DSPs than for more.
    expect(svg.querySelectorAll('g.colorbar rect').length).toBeGreaterThan(5);
  });
});
