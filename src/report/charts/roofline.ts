/**
 * Roofline: each stage kind (summed over blocks) and the whole image as points at their
 * operational intensity (ops per off-chip byte) and achieved performance, against the part's
 * compute ceiling (every DSP doing one MAC = 2 ops per cycle at the design clock) and its DDR/HBM
 * peak bandwidth, the bandwidth ceiling that binds (one m_axi port or the practical DRAM bandwidth,
 * whichever is lower), plus the design's own linear-unit peak.
 */
import type { DesignPoint } from '../../design/types.js';
import type { Part } from '../../parts/parts.js';
import type { PerformanceReport } from '../../sim/timing/report.js';
import { PALETTE, axisLabels, finish, fmt, frame, legend, legendWidth } from './frame.js';

/** Approximate advance of one 10 px character, and the line height used to stack labels. */
const LABEL_CHAR_PX = 5.6;
const LABEL_LINE_PX = 12;

export interface RooflinePoint {
  readonly label: string;
  /** Operations (2 per MAC) per off-chip byte. */
  readonly oi: number;
  /** Achieved GOP/s over the stage's own time. */
  readonly gops: number;
}

/** Stage kinds with MACs and traffic, and the total. */
export function rooflinePoints(perf: PerformanceReport): RooflinePoint[] {
  const agg = new Map<string, { macs: number; bytes: number; cycles: number }>();
  for (const s of perf.stages) {
    const a = agg.get(s.stage) ?? { macs: 0, bytes: 0, cycles: 0 };
    a.macs += s.macs; a.bytes += s.bytes; a.cycles += s.cycles;
    agg.set(s.stage, a);
  }
  const f = perf.clockMHz * 1e6;
  const pts: RooflinePoint[] = [];
  for (const [label, a] of agg) {
    if (a.macs > 0 && a.bytes > 0 && a.cycles > 0) pts.push({ label, oi: (2 * a.macs) / a.bytes, gops: (2 * a.macs) / (a.cycles / f) / 1e9 });
  }
  const bytes = perf.stages.reduce((s, x) => s + x.bytes, 0);
  if (bytes > 0 && perf.cycles > 0) pts.push({ label: 'whole image', oi: (2 * perf.macs) / bytes, gops: (2 * perf.macs) / (perf.cycles / f) / 1e9 });
  return pts;
}

/**
 * Greedy clustering of labelled points in pixel space: a point joins the first cluster whose anchor
 * is within `radius` pixels, else starts a new one. Exported for tests.
 */
export function labelClusters(
  pts: readonly { label: string; px: number; py: number }[], radius: number,
): { px: number; py: number; labels: string[] }[] {
  const clusters: { px: number; py: number; labels: string[] }[] = [];
  for (const p of pts) {
    const c = clusters.find((k) => Math.hypot(k.px - p.px, k.py - p.py) < radius);
    if (c) c.labels.push(p.label);
    else clusters.push({ px: p.px, py: p.py, labels: [p.label] });
  }
  return clusters;
}

export interface Ceilings {
  /** GOP/s with every DSP doing one MAC per cycle. */
  readonly partPeak: number;
  /** GOP/s of the design's linear unit (tileIn × tileOut MACs per cycle). */
  readonly linearPeak: number;
  /** GB/s. */
  readonly peakBw: number;
  readonly practicalBw: number;
  /**
   * GB/s one m_axi port sustains: the kernel's bus (axiBits at the design clock) or the part's
   * port (portBits at min(clock, port fmax), × port efficiency), whichever is narrower.
   */
  readonly portBw: number;
  /** The lower of one port and the practical DRAM bandwidth: the memory ceiling a stream meets first. */
  readonly bindingBw: number;
  readonly binding: 'port' | 'dram';
}

export function ceilings(design: DesignPoint, part: Part, clockMHz = design.clockMHz): Ceilings {
  const ghz = clockMHz / 1e3;
  const m = part.memory;
  // Bytes per second: kernel side axiBits/8 per cycle; part side portBits/8 per port-clock cycle.
  const kernelBw = (design.axiBits / 8) * ghz;
  const portSide = (m.portBits / 8) * (Math.min(clockMHz, m.portMaxMHz) / 1e3) * m.portEfficiency;
  const portBw = Math.min(kernelBw, portSide);
  const binding = portBw < m.practicalGBps ? 'port' : 'dram';
  return {
    partPeak: 2 * part.dsp * ghz,
    linearPeak: 2 * design.linear.tileIn * design.linear.tileOut * ghz,
    peakBw: m.peakGBps,
    practicalBw: m.practicalGBps,
    portBw, bindingBw: Math.min(portBw, m.practicalGBps), binding,
  };
}

export function rooflineChart(perf: PerformanceReport, design: DesignPoint, part: Part): string {
  const pts = rooflinePoints(perf);
  const c = ceilings(design, part, perf.clockMHz);
  const items = [
    { label: `part: ${fmt(c.partPeak)} GOP/s, ${fmt(c.peakBw)} GB/s`, color: '#333333', kind: 'line' as const },
    { label: c.binding === 'port' ? `one m_axi port ${fmt(c.portBw)} GB/s (binds)` : `practical ${part.memory.kind} ${fmt(c.practicalBw)} GB/s (binds)`, color: '#d62728', kind: 'dashed' as const },
    { label: `linear unit ${fmt(c.linearPeak)} GOP/s`, color: PALETTE[1]!, kind: 'dashed' as const },
    { label: 'stage kinds', color: PALETTE[2]!, kind: 'circle' as const },
    { label: 'whole image', color: '#000000' },
  ];
  const f = frame({ id: 'roofline', title: `Roofline of ${perf.design} on ${part.board} at ${perf.clockMHz} MHz`, height: 420, margin: { right: Math.max(190, 16 + legendWidth(items)) } });
  const d3 = f.d3;
  const ridge = c.partPeak / c.peakBw;
  const ois = [...pts.map((p) => p.oi), ridge, c.linearPeak / c.bindingBw];
  const xlo = Math.min(...ois) / 4, xhi = Math.max(...ois) * 4;
  const ylo = Math.min(...pts.map((p) => p.gops), xlo * c.bindingBw) / 2, yhi = c.partPeak * 2;
  const x = d3.scaleLog().domain([xlo, xhi]).range([0, f.w]);
  const y = d3.scaleLog().domain([ylo, yhi]).range([f.h, 0]);
  f.plot.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${f.h})`).call(d3.axisBottom(x).ticks(6, '~g'));
  f.plot.append('g').attr('class', 'y-axis').call(d3.axisLeft(y).ticks(6, '~g'));
  const roof = (bw: number, peak: number, color: string, dash: string | null, cls: string): void => {
    const line = d3.line()([[x(xlo), y(xlo * bw)], [x(peak / bw), y(peak)], [x(xhi), y(peak)]]);
    f.plot.append('path').attr('class', `ceiling ${cls}`).attr('d', line).attr('fill', 'none').attr('stroke', color)
      .attr('stroke-width', 2).attr('stroke-dasharray', dash);
  };
  roof(c.peakBw, c.partPeak, '#333333', null, 'part-peak');
  // The bandwidth a stage actually meets: one m_axi port when it is narrower than the practical
  // DRAM bandwidth (ZCU102: a 128-bit HP port at 300 MHz, 4.8 GB/s, vs ~13 GB/s DDR4), else DRAM.
  roof(c.bindingBw, c.partPeak, '#d62728', '6,4', `binding-bw binding-${c.binding}`);
  f.plot.append('line').attr('class', 'ceiling linear-peak').attr('x1', x(c.linearPeak / c.bindingBw)).attr('x2', f.w)
    .attr('y1', y(c.linearPeak)).attr('y2', y(c.linearPeak)).attr('stroke', PALETTE[1]).attr('stroke-width', 2).attr('stroke-dasharray', '3,3');
  pts.forEach((p, i) => {
    const total = p.label === 'whole image';
    const g = f.plot.append('g').attr('class', 'point');
    g.append(total ? 'rect' : 'circle')
      .attr(total ? 'x' : 'cx', x(p.oi) - (total ? 6 : 0)).attr(total ? 'y' : 'cy', y(p.gops) - (total ? 6 : 0))
      .attr(total ? 'width' : 'r', total ? 12 : 5).attr('height', total ? 12 : null)
      .attr('fill', total ? '#000000' : PALETTE[(i + 2) % PALETTE.length])
      .append('title').text(`${p.label}: ${fmt(p.oi)} op/B, ${fmt(p.gops)} GOP/s`);
  });
  // One label per cluster of points closer than a label's height (e.g. qk_softmax and attn_v share
  // a position), so that names never print over each other.
  const placed: { x0: number; x1: number; y: number }[] = [];
  for (const cluster of labelClusters(pts.map((p) => ({ label: p.label, px: x(p.oi), py: y(p.gops) })), 14)) {
    const text = cluster.labels.join(', ');
    const x0 = cluster.px + 8, x1 = x0 + LABEL_CHAR_PX * text.length;
    let ly = cluster.py - 6;
    // Lift a label above any earlier one its box would overlap.
    while (placed.some((b) => x0 < b.x1 && b.x0 < x1 && Math.abs(b.y - ly) < LABEL_LINE_PX)) ly -= LABEL_LINE_PX;
    placed.push({ x0, x1, y: ly });
    f.plot.append('text').attr('class', 'point-label').attr('x', x0).attr('y', ly).attr('font-size', 10).text(text);
  }
  axisLabels(f, 'operational intensity (operations per off-chip byte, log)', 'performance (GOP/s, log)');
  legend(f, items, f.w + 12, 0);
  return finish(f);
}
