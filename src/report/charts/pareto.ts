/**
 * Pareto scatter of a DSE run over two chosen quantities: dominated designs small and grey, the
 * non-dominated ones (in these two quantities) large, coloured by a third quantity, outlined and
 * joined by a line, so the front reads at a glance; published designs as anchors where they apply.
 */
import type { Anchor } from '../references.js';
import { PALETTE, axisLabels, finish, fmt, frame, legend, legendWidth } from './frame.js';

export interface AxisSpec {
  /** Metric name, e.g. `latency_ms`. */
  readonly name: string;
  /** Axis title without unit, e.g. `latency per image`. */
  readonly label: string;
  readonly unit: string;
  /** Whether larger is better (the front is then on the high side). */
  readonly maximise?: boolean;
}

export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
  /** Value of the colour quantity. */
  readonly c: number;
  /** On the two-quantity Pareto front. */
  readonly front: boolean;
}

export interface ParetoChartOptions {
  readonly id?: string;
  readonly title?: string;
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  readonly color: AxisSpec;
  /** Reference designs; drawn only when x is latency (and starred when y is energy). */
  readonly anchors?: readonly Anchor[];
}

/**
 * Indices of the points non-dominated in (x, y), each oriented by its axis: O(n log n) sweep by x.
 * Points at the same position are all on the front (neither dominates the other).
 */
export function front2d(xs: readonly number[], ys: readonly number[], maxX = false, maxY = false): number[] {
  const ox = xs.map((v) => (maxX ? -v : v)), oy = ys.map((v) => (maxY ? -v : v));
  const order = xs.map((_, i) => i).sort((a, b) => ox[a]! - ox[b]! || oy[a]! - oy[b]! || a - b);
  const out: number[] = [];
  let bestY = Infinity, lastX = NaN, lastY = NaN;
  for (const i of order) {
    if (oy[i]! < bestY || (ox[i] === lastX && oy[i] === lastY)) {
      out.push(i);
      bestY = Math.min(bestY, oy[i]!);
      lastX = ox[i]!; lastY = oy[i]!;
    }
  }
  return out.sort((a, b) => a - b);
}

/** Log scale when every value is positive and they span at least a decade. */
function wantsLog(vals: readonly number[]): boolean {
  const lo = Math.min(...vals), hi = Math.max(...vals);
  return lo > 0 && hi / lo >= 10;
}

export function paretoChart(points: readonly ScatterPoint[], o: ParetoChartOptions): string {
  const id = o.id ?? 'pareto';
  const anchors = o.x.name === 'latency_ms' ? (o.anchors ?? []) : [];
  const items = [
    { label: 'dominated design', color: '#b0b0b0', kind: 'circle' as const },
    { label: 'Pareto front', color: '#d62728', kind: 'line' as const },
    ...anchors.map((a, i) => ({ label: `${a.label} (published)`, color: PALETTE[(i + 4) % PALETTE.length]!, kind: 'dashed' as const })),
    // The colour bar's title takes the same column.
    { label: `colour: ${o.color.name}`, color: '#ffffff' },
  ];
  const f = frame({ id, title: o.title ?? `Design space: ${o.x.name} vs ${o.y.name}`, height: 440, margin: { right: Math.max(170, 16 + legendWidth(items)) } });
  const d3 = f.d3;
  const starred = (a: Anchor): boolean => o.y.name === 'energy_mj' && a.energyMJ !== undefined;
  const xs = [...points.map((p) => p.x), ...anchors.map((a) => a.latencyMs)];
  const ys = [...points.map((p) => p.y), ...anchors.filter(starred).map((a) => a.energyMJ!)];
  const scale = (vals: number[], range: [number, number]): { s: any; log: boolean } => {
    const log = wantsLog(vals);
    const lo = vals.length ? Math.min(...vals) : 1, hi = vals.length ? Math.max(...vals) : 2;
    if (log) return { s: d3.scaleLog().domain([lo / 1.08, hi * 1.08]).range(range), log };
    const pad = hi > lo ? (hi - lo) * 0.05 : Math.abs(lo) * 0.05 || 1;
    return { s: d3.scaleLinear().domain([lo - pad, hi + pad]).range(range), log };
  };
  const { s: x, log: xLog } = scale(xs, [0, f.w]);
  const { s: y, log: yLog } = scale(ys, [f.h, 0]);
  const cs = points.filter((p) => p.front).map((p) => p.c);
  const clo = cs.length ? Math.min(...cs) : 0, chi = cs.length ? Math.max(...cs) : 1;
  const color = d3.scaleSequential(d3.interpolateViridis).domain([clo, chi === clo ? clo + 1 : chi]);
  // '~g' suits log axes (1, 2, 5, 10…); on linear ones it would print 2.6e+3.
  f.plot.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${f.h})`).call(xLog ? d3.axisBottom(x).ticks(8, '~g') : d3.axisBottom(x).ticks(8));
  f.plot.append('g').attr('class', 'y-axis').call(yLog ? d3.axisLeft(y).ticks(8, '~g') : d3.axisLeft(y).ticks(8));
  const tip = (p: ScatterPoint): string => `${o.x.name} ${fmt(p.x)}, ${o.y.name} ${fmt(p.y)}, ${o.color.name} ${fmt(p.c)}`;
  // Dominated designs first (underneath), then the front on top.
  const dots = f.plot.append('g').attr('class', 'points');
  for (const p of points.filter((q) => !q.front)) {
    dots.append('circle').attr('class', 'point').attr('cx', x(p.x)).attr('cy', y(p.y)).attr('r', 2.2)
      .attr('fill', '#b0b0b0').attr('fill-opacity', 0.6).append('title').text(tip(p));
  }
  const front = points.filter((p) => p.front).sort((a, b) => a.x - b.x || a.y - b.y);
  if (front.length > 1) {
    f.plot.append('path').attr('class', 'front-line').attr('fill', 'none').attr('stroke', '#d62728').attr('stroke-width', 1.5)
      .attr('d', d3.line()(front.map((p) => [x(p.x), y(p.y)])));
  }
  const fg = f.plot.append('g').attr('class', 'front-points');
  for (const p of front) {
    fg.append('circle').attr('class', 'point front').attr('cx', x(p.x)).attr('cy', y(p.y)).attr('r', 5)
      .attr('fill', color(p.c)).attr('stroke', '#d62728').attr('stroke-width', 1.5).append('title').text(`Pareto front: ${tip(p)}`);
  }
  anchors.forEach((a, i) => {
    const g = f.plot.append('g').attr('class', 'anchor');
    const c = PALETTE[(i + 4) % PALETTE.length];
    g.append('line').attr('x1', x(a.latencyMs)).attr('x2', x(a.latencyMs)).attr('y1', 0).attr('y2', f.h)
      .attr('stroke', c).attr('stroke-dasharray', '6,4');
    if (starred(a)) {
      g.append('path').attr('d', d3.symbol(d3.symbolStar, 160)()).attr('transform', `translate(${x(a.latencyMs)},${y(a.energyMJ!)})`)
        .attr('fill', c).attr('stroke', '#000000').append('title').text(`${a.label}: ${a.latencyMs} ms, ${fmt(a.energyMJ!)} mJ (${a.note})`);
    }
    // Label beside the star (or at the top of the line), so two close anchors do not overprint.
    const ly = starred(a) ? y(a.energyMJ!) - 12 : 12 + 14 * i;
    g.append('text').attr('x', x(a.latencyMs) + 10).attr('y', ly).attr('font-size', 11).attr('font-weight', 'bold')
      .attr('fill', c).text(`${a.label} ${a.latencyMs} ms`);
  });
  // Colour bar of the front's colour quantity.
  const bar = f.plot.append('g').attr('class', 'colorbar').attr('transform', `translate(${f.w + 20},${f.h - 150})`);
  const steps = 20;
  for (let i = 0; i < steps; i++) {
    const v = chi - ((chi - clo) * i) / (steps - 1);
    bar.append('rect').attr('x', 0).attr('y', (i * 120) / steps).attr('width', 14).attr('height', 120 / steps + 0.5).attr('fill', color(v));
  }
  bar.append('text').attr('x', 20).attr('y', 8).text(fmt(chi));
  bar.append('text').attr('x', 20).attr('y', 122).text(fmt(clo));
  bar.append('text').attr('x', 0).attr('y', -8).attr('font-weight', 'bold').text(`colour: ${o.color.name}`);
  legend(f, items.slice(0, -1), f.w + 12, 0);
  const tag = (a: AxisSpec, log: boolean): string => `${a.label} (${a.unit}${log ? ', log' : ''})${a.maximise ? ', higher is better' : ''}`;
  axisLabels(f, tag(o.x, xLog), tag(o.y, yLog));
  return finish(f);
}
