/**
 * Shared chart scaffolding over d3-node: an SVG with a title (visible and as <title> for
 * accessibility), a plot area inside margins, axis labels and a legend. Every chart is a pure
 * function of its data returning an SVG string (no scripts, no external references), so the same
 * string is inlined in HTML and written as a .svg file for Markdown.
 */
import { D3Node } from 'd3-node';

// d3 is untyped here (see ../d3-node.d.ts).
export type Sel = any;

export interface Frame {
  readonly node: D3Node;
  readonly d3: any;
  readonly svg: Sel;
  /** Plot area group, origin at the top-left of the plot. */
  readonly plot: Sel;
  /** Plot area size. */
  readonly w: number;
  readonly h: number;
  readonly margin: { readonly top: number; readonly right: number; readonly bottom: number; readonly left: number };
}

/**
 * Categorical colours, assigned in order of first appearance: Tableau 10, then the lighter
 * Tableau 20 companions, so the ~13 stages of a block never share a colour.
 */
export const PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
  '#a0cbe8', '#ffbe7d', '#8cd17d', '#b6992d', '#499894', '#86bcb6', '#d37295', '#fabfd2', '#d4a6c8', '#79706e',
];

export interface FrameOptions {
  /** Used as the SVG id (`chart-<id>`) and file name. */
  readonly id: string;
  readonly title: string;
  readonly width?: number;
  readonly height?: number;
  readonly margin?: Partial<Frame['margin']>;
}

export function frame(o: FrameOptions): Frame {
  const width = o.width ?? 760;
  const height = o.height ?? 380;
  const margin = { top: 40, right: 24, bottom: 56, left: 72, ...o.margin };
  const node = new D3Node();
  const svg = node.createSVG(width, height, {
    id: `chart-${o.id}`, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `chart-${o.id}-title`,
    'font-family': 'Helvetica, Arial, sans-serif', 'font-size': 11,
  });
  svg.append('title').attr('id', `chart-${o.id}-title`).text(o.title);
  svg.append('rect').attr('width', width).attr('height', height).attr('fill', '#ffffff');
  svg.append('text').attr('class', 'chart-title').attr('x', width / 2).attr('y', 22)
    .attr('text-anchor', 'middle').attr('font-size', 14).attr('font-weight', 'bold').text(o.title);
  const plot = svg.append('g').attr('class', 'plot').attr('transform', `translate(${margin.left},${margin.top})`);
  return { node, d3: node.d3, svg, plot, w: width - margin.left - margin.right, h: height - margin.top - margin.bottom, margin };
}

/** Axis titles: below the x axis and rotated left of the y axis (units in the text). */
export function axisLabels(f: Frame, xLabel: string, yLabel: string): void {
  f.plot.append('text').attr('class', 'axis-label x-label').attr('x', f.w / 2).attr('y', f.h + 42)
    .attr('text-anchor', 'middle').attr('font-size', 12).text(xLabel);
  f.plot.append('text').attr('class', 'axis-label y-label').attr('transform', `translate(${-f.margin.left + 16},${f.h / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle').attr('font-size', 12).text(yLabel);
}

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  /** `rect` (default), `line` or `dashed` swatch. */
  readonly kind?: 'rect' | 'line' | 'dashed' | 'circle';
}

/** Height of one legend row (charts size themselves so that every row is inside the SVG). */
export const LEGEND_ROW_PX = 16;

/**
 * Generous advance of one 11 px Helvetica/DejaVu character: charts reserve
 * `legendWidth(items)` of right margin so the longest label is not cut at the SVG edge.
 */
export const LEGEND_CHAR_PX = 6.5;

/** Width of a legend: swatch and gap (18 px) plus the longest label. */
export function legendWidth(items: readonly LegendItem[]): number {
  return 18 + LEGEND_CHAR_PX * Math.max(0, ...items.map((i) => i.label.length));
}

/** Vertical legend with its top-left corner at (x, y) in plot coordinates. */
export function legend(f: Frame, items: readonly LegendItem[], x: number, y: number): void {
  const g = f.plot.append('g').attr('class', 'legend').attr('transform', `translate(${x},${y})`);
  items.forEach((it, i) => {
    const row = g.append('g').attr('class', 'legend-row').attr('transform', `translate(0,${i * LEGEND_ROW_PX})`);
    if (it.kind === 'line' || it.kind === 'dashed') {
      row.append('line').attr('x1', 0).attr('x2', 14).attr('y1', 5).attr('y2', 5).attr('stroke', it.color)
        .attr('stroke-width', 2).attr('stroke-dasharray', it.kind === 'dashed' ? '4,3' : null);
    } else if (it.kind === 'circle') {
      row.append('circle').attr('cx', 7).attr('cy', 5).attr('r', 4).attr('fill', it.color);
    } else {
      row.append('rect').attr('width', 12).attr('height', 10).attr('fill', it.color);
    }
    row.append('text').attr('x', 18).attr('y', 9).text(it.label);
  });
}

export function finish(f: Frame): string {
  return f.node.svgString();
}

/** Compact number for labels: 3 significant digits, thousands separators above 1e4. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e4) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  return String(+v.toPrecision(3));
}
