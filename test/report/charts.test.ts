/**
 * Structural checks of every chart on a hand-written performance report: titles, axis labels with
 * units, one mark per datum, and mark sizes proportional to the data (computed here by hand).
 */
import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/design/load.js';
import { getPart } from '../../src/parts/parts.js';
import { energyChart } from '../../src/report/charts/energy.js';
import { ganttChart } from '../../src/report/charts/gantt.js';
import { latencyChart } from '../../src/report/charts/latency.js';
import { front2d, paretoChart } from '../../src/report/charts/pareto.js';
import { LITERATURE_ANCHORS } from '../../src/report/references.js';
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
    expect(bars[0].querySelector('title').textContent).toBe('static: 2.65 mJ (device static)'); // 1 W × 2.65 ms
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
    expect(svg.querySelectorAll('.ceiling').length).toBe(3); // part peak, binding bandwidth, linear unit
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

  it('pareto: one dot per design, the front large, outlined and joined, literature anchors drawn', () => {
    const points = [
      { x: 20, y: 300, c: 2000, front: true }, { x: 30, y: 200, c: 1000, front: true },
      { x: 40, y: 400, c: 1500, front: false },
    ];
    const svg = parseSvg(paretoChart(points, {
      x: { name: 'latency_ms', label: 'latency per image', unit: 'ms' }, y: { name: 'energy_mj', label: 'energy per image', unit: 'mJ' },
      color: { name: 'dsp', label: 'DSP', unit: 'DSP48' }, anchors: LITERATURE_ANCHORS,
    }));
    checkFrame(svg, 'pareto');
    expect(svg.querySelectorAll('circle.point').length).toBe(3);
    const front = [...svg.querySelectorAll('circle.front')];
    expect(front.length).toBe(2);
    const dominated = [...svg.querySelectorAll('circle.point')].filter((c: El) => !c.getAttribute('class').includes('front'));
    // Front points stand out: larger, outlined; dominated points grey.
    expect(num(front[0], 'r')).toBeGreaterThan(num(dominated[0], 'r'));
    expect(front[0].getAttribute('stroke')).toBeTruthy();
    expect(dominated[0].getAttribute('fill')).toBe('#b0b0b0');
    expect(svg.querySelector('path.front-line')).not.toBeNull();
    const anchors = [...svg.querySelectorAll('g.anchor')];
    expect(anchors.length).toBe(LITERATURE_ANCHORS.length);
    expect(anchors.map((a: El) => a.querySelector('text').textContent)).toEqual(['Edge-MoE 34.64 ms', 'UbiMoE 25.76 ms']);
    // Anchor lines sit at their latency on the same x scale as the dots; 20…40 ms spans less than a
    // decade, so the axis is linear: x(v) = x(20) + k·(v − 20), k from the 20 ms and 30 ms dots.
    const x20 = num(front[0], 'cx'), x30 = num(front[1], 'cx');
    const k = (x30 - x20) / 10;
    close(num(anchors[0].querySelector('line'), 'x1'), x20 + k * (34.64 - 20));
    close(LITERATURE_ANCHORS[0]!.energyMJ!, 14.54 * 34.64);
    expect(svg.querySelector('text.x-label').textContent).toBe('latency per image (ms)');
    expect(svg.querySelector('text.y-label').textContent).toBe('energy per image (mJ)');
    expect(svg.querySelectorAll('g.colorbar rect').length).toBeGreaterThan(5);
  });

  it('pareto: no anchors when none are given or x is not latency; log axis over a decade or more', () => {
    const points = [{ x: 1, y: 5, c: 1, front: true }, { x: 100, y: 1, c: 2, front: true }];
    const axes = { x: { name: 'latency_ms', label: 'latency', unit: 'ms' }, y: { name: 'dsp', label: 'DSP', unit: 'DSP48' }, color: { name: 'error', label: 'error', unit: 'rel. L2' } };
    expect(parseSvg(paretoChart(points, axes)).querySelectorAll('g.anchor').length).toBe(0);
    const byDsp = parseSvg(paretoChart(points, { ...axes, x: axes.y, y: axes.x, anchors: LITERATURE_ANCHORS }));
    expect(byDsp.querySelectorAll('g.anchor').length).toBe(0);
    const svg = parseSvg(paretoChart(points, axes));
    expect(svg.querySelector('text.x-label').textContent).toBe('latency (ms, log)');
  });

  it('front2d: the non-dominated set by brute force, in both directions', () => {
    // Deterministic pseudo-random cloud, with duplicates.
    let s = 7;
    const r = (): number => { s = (s * 16807) % 2147483647; return (s % 50) + 1; };
    const xs = Array.from({ length: 300 }, r), ys = Array.from({ length: 300 }, r);
    for (const [mx, my] of [[false, false], [false, true], [true, false]] as const) {
      const o = (v: number, m: boolean): number => (m ? -v : v);
      const brute = xs.map((_, i) => i).filter((i) => !xs.some((_, j) =>
        o(xs[j]!, mx) <= o(xs[i]!, mx) && o(ys[j]!, my) <= o(ys[i]!, my) && (o(xs[j]!, mx) < o(xs[i]!, mx) || o(ys[j]!, my) < o(ys[i]!, my))));
      expect(front2d(xs, ys, mx, my)).toEqual(brute);
    }
  });
});
