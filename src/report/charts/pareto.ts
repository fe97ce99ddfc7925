/**
 * Pareto scatter of a DSE run: latency vs energy per image (log axes), colour = DSPs, the non-dominated
 * points ringed and joined, and the published designs from the literature as anchors.
 */
import { PALETTE, axisLabels, finish, fmt, frame, legend } from './frame.js';

export interface ScatterPoint {
  readonly latencyMs: number;
  readonly energyMJ: number;
  readonly dsp: number;
  /** On the latency–energy Pareto front shown. */
  readonly front: boolean;
}

export interface Anchor {
  readonly label: string;
  readonly latencyMs: number;
  /** Undefined when the source gives no power figure: drawn as a vertical line only. */
  readonly energyMJ?: number;
  readonly note: string;
}

/**
 * Published MoE-ViT accelerators on ZCU102 for M3ViT-tiny. Edge-MoE (ICCAD 2023): 34.64 ms at
 * 14.54 W → 503.7 mJ. UbiMoE (2025): 25.76 ms; its energy is derived from its stated 1.75× energy
 * efficiency over Edge-MoE at equal work per image: 503.7 / 1.75 ≈ 287.8 mJ.
 */
export const LITERATURE_ANCHORS: readonly Anchor[] = [
  { label: 'Edge-MoE', latencyMs: 34.64, energyMJ: 14.54 * 34.64, note: 'ICCAD 2023, ZCU102, 300 MHz, 14.54 W' },
  { label: 'UbiMoE', latencyMs: 25.76, energyMJ: (14.54 * 34.64) / 1.75, note: 'ZCU102; energy derived from 1.75× Edge-MoE efficiency' },
];

export function paretoChart(points: readonly ScatterPoint[], anchors: readonly Anchor[] = LITERATURE_ANCHORS, title = 'Design space: latency vs energy per image'): string {
  const f = frame({ id: 'pareto', title, height: 440, margin: { right: 170 } });
  const d3 = f.d3;
  const lat = [...points.map((p) => p.latencyMs), ...anchors.map((a) => a.latencyMs)];
  const en = [...points.map((p) => p.energyMJ), ...anchors.flatMap((a) => (a.energyMJ === undefined ? [] : [a.energyMJ]))];
  // Log axes: a search spans an order of magnitude or more, and the interesting corner (fast,
  // frugal designs near the front) would otherwise be squeezed into a few pixels.
  const pad = (lo: number, hi: number): [number, number] => [lo / 1.08, hi * 1.08];
  const x = d3.scaleLog().domain(pad(Math.min(...lat), Math.max(...lat))).range([0, f.w]);
  const y = d3.scaleLog().domain(pad(Math.min(...en), Math.max(...en))).range([f.h, 0]);
  const dsps = points.map((p) => p.dsp);
  const dlo = dsps.length ? Math.min(...dsps) : 0, dhi = dsps.length ? Math.max(...dsps) : 1;
  const color = d3.scaleSequential(d3.interpolateViridis).domain([dlo, dhi === dlo ? dlo + 1 : dhi]);
  f.plot.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${f.h})`).call(d3.axisBottom(x).ticks(8, '~g'));
  f.plot.append('g').attr('class', 'y-axis').call(d3.axisLeft(y).ticks(8, '~g'));
  const dots = f.plot.append('g').attr('class', 'points');
  for (const p of points) {
    dots.append('circle').attr('class', p.front ? 'point front' : 'point').attr('cx', x(p.latencyMs)).attr('cy', y(p.energyMJ))
      .attr('r', p.front ? 4.5 : 2.5).attr('fill', color(p.dsp)).attr('fill-opacity', p.front ? 1 : 0.55)
      .attr('stroke', p.front ? '#d62728' : 'none').attr('stroke-width', 1.5)
      .append('title').text(`${fmt(p.latencyMs)} ms, ${fmt(p.energyMJ)} mJ, ${fmt(p.dsp)} DSP`);
  }
  const front = points.filter((p) => p.front).sort((a, b) => a.latencyMs - b.latencyMs);
  if (front.length > 1) {
    f.plot.append('path').attr('class', 'front-line').attr('fill', 'none').attr('stroke', '#d62728').attr('stroke-width', 1)
      .attr('d', d3.line()(front.map((p) => [x(p.latencyMs), y(p.energyMJ)])));
  }
  anchors.forEach((a, i) => {
    const g = f.plot.append('g').attr('class', 'anchor');
    const c = PALETTE[(i + 4) % PALETTE.length];
    g.append('line').attr('x1', x(a.latencyMs)).attr('x2', x(a.latencyMs)).attr('y1', 0).attr('y2', f.h)
      .attr('stroke', c).attr('stroke-dasharray', '6,4');
    if (a.energyMJ !== undefined) {
      g.append('path').attr('d', d3.symbol(d3.symbolStar, 160)()).attr('transform', `translate(${x(a.latencyMs)},${y(a.energyMJ)})`)
        .attr('fill', c).attr('stroke', '#000000').append('title').text(`${a.label}: ${a.latencyMs} ms, ${fmt(a.energyMJ)} mJ (${a.note})`);
    }
    // Label beside the star (or at the top of the line when there is no energy figure), so two
    // close anchors do not write over each other's line.
    const ly = a.energyMJ !== undefined ? y(a.energyMJ) - 12 : 12 + 14 * i;
    g.append('text').attr('x', x(a.latencyMs) + 10).attr('y', ly).attr('font-size', 11).attr('font-weight', 'bold')
      .attr('fill', c).text(`${a.label} ${a.latencyMs} ms`);
  });
  // DSP colour bar.
  const bar = f.plot.append('g').attr('class', 'colorbar').attr('transform', `translate(${f.w + 20},${f.h - 150})`);
  const steps = 20;
  for (let i = 0; i < steps; i++) {
    const v = dhi - ((dhi - dlo) * i) / (steps - 1);
    bar.append('rect').attr('x', 0).attr('y', (i * 120) / steps).attr('width', 14).attr('height', 120 / steps + 0.5).attr('fill', color(v));
  }
  bar.append('text').attr('x', 20).attr('y', 8).text(`${fmt(dhi)} DSP`);
  bar.append('text').attr('x', 20).attr('y', 122).text(`${fmt(dlo)} DSP`);
  bar.append('text').attr('x', 0).attr('y', -8).attr('font-weight', 'bold').text('colour: DSPs');
  legend(f, [
    { label: 'evaluated design', color: '#21918c', kind: 'circle' },
    { label: 'Pareto front', color: '#d62728', kind: 'line' },
    ...anchors.map((a, i) => ({ label: `${a.label} (published)`, color: PALETTE[(i + 4) % PALETTE.length]!, kind: 'dashed' as const })),
  ], f.w + 12, 0);
  axisLabels(f, 'latency per image (ms, log)', 'energy per image (mJ, log)');
  return finish(f);
}
