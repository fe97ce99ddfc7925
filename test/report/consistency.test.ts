/**
 * What makes a report honest across charts: one colour per stage everywhere, legends inside the
 * SVG, reference marks only for the network and board they were measured on, the bandwidth
 * ceiling that binds, power terms named for what they are, wide tables that scroll.
 */
import { describe, expect, it } from 'vitest';
import { designFromObject, designToObject, loadDesign } from '../../src/design/load.js';
import { getPart } from '../../src/parts/parts.js';
import { evaluatePerformance } from '../../src/sim/timing/index.js';
import { buildDesignReport, renderHtml } from '../../src/report/index.js';
import { energyChart } from '../../src/report/charts/energy.js';
import { ganttChart } from '../../src/report/charts/gantt.js';
import { latencyChart } from '../../src/report/charts/latency.js';
import { ceilings, rooflineChart } from '../../src/report/charts/roofline.js';
import { anchorsFor } from '../../src/report/references.js';
import { presetModel } from '../../src/model/presets.js';
import { PERF } from './fixture.js';
import { num, parseSvg } from './svg-check.js';

type El = any; // jsdom elements

const EDGE_MOE = loadDesign();
const REAL = evaluatePerformance(EDGE_MOE);

/** Legend label → swatch colour of a chart. */
function legendColors(svg: El): Map<string, string> {
  const m = new Map<string, string>();
  for (const row of svg.querySelectorAll('g.legend-row')) {
    const sw = row.querySelector('rect, circle, line');
    m.set(row.querySelector('text').textContent, sw.getAttribute('fill') ?? sw.getAttribute('stroke'));
  }
  return m;
}

const translate = (el: El): [number, number] => {
  const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(el.getAttribute('transform'))!;
  return [Number(m[1]), Number(m[2])];
};

describe('one colour per stage', () => {
  it('the latency chart and the timeline give every stage the same colour, and the bars use it', () => {
    for (const perf of [PERF, REAL]) {
      const lat = parseSvg(latencyChart(perf));
      const tl = parseSvg(ganttChart(perf));
      const a = legendColors(lat), b = legendColors(tl);
      const shared = [...b.keys()].filter((k) => a.has(k));
      expect(shared.length).toBeGreaterThan(3);
      for (const st of shared) expect(b.get(st), st).toBe(a.get(st));
      // The timeline's bars are filled with their stage's legend colour.
      for (const bar of tl.querySelectorAll('rect.bar')) {
        const stage = bar.querySelector('title').textContent.split(' (')[0];
        expect(bar.getAttribute('fill')).toBe(b.get(stage));
      }
      // Different stages, different colours (13 stages, 20 palette slots).
      const cols = [...a.values()];
      expect(new Set(cols).size).toBe(cols.length);
    }
  });
});

describe('legends are not clipped', () => {
  it.each([
    ['timeline', () => ganttChart(REAL)], ['latency', () => latencyChart(REAL)], ['energy', () => energyChart(REAL)],
    ['roofline', () => rooflineChart(REAL, EDGE_MOE, getPart('zcu102'))],
  ])('%s: every legend row lies inside the SVG', (_id, make) => {
    const svg = parseSvg(make());
    const height = num(svg, 'height'), width = num(svg, 'width');
    const [left, top] = translate(svg.querySelector('g.plot'));
    const [lx, ly] = translate(svg.querySelector('g.legend'));
    // Right edge: label text starts 18 px after the swatch; 11 px sans-serif averages well under
    // 6.2 px per character (DejaVu Sans, the widest common fallback, ~6.1 px on lowercase).
    for (const t of svg.querySelectorAll('g.legend-row text')) {
      expect(left + lx + 18 + 6.2 * t.textContent.length, t.textContent).toBeLessThanOrEqual(width);
    }
    const rows = [...svg.querySelectorAll('g.legend-row')];
    expect(rows.length).toBeGreaterThan(0);
    const [, lastY] = translate(rows.at(-1));
    // 12 px: the swatch / text height of one row below its origin.
    expect(top + ly + lastY + 12).toBeLessThanOrEqual(height);
  });
});

describe('published reference marks only for M3ViT-tiny on the ZCU102', () => {
  const rows = (design: ReturnType<typeof loadDesign>): string[] => {
    const html = renderHtml(buildDesignReport(design));
    return [...html.matchAll(/<td>(vs [^<]+)<\/td>/g)].map((m) => m[1]!);
  };

  it('the Edge-MoE design point gets the "vs Edge-MoE" and "vs UbiMoE" rows', () => {
    expect(rows(EDGE_MOE)).toEqual(['vs Edge-MoE (published 34.64 ms)', 'vs UbiMoE (published 25.76 ms)']);
    // A renamed copy of the same network is the same network.
    expect(anchorsFor({ ...presetModel('m3vit-tiny'), name: 'my-m3vit' }, 'zcu102').length).toBe(2);
  });

  it('another part or another model gets none', () => {
    const obj = designToObject(EDGE_MOE);
    expect(rows(designFromObject({ ...obj, part: 'zcu104' }))).toEqual([]);
    expect(anchorsFor(presetModel('deit-t'), 'zcu102')).toEqual([]);
    expect(anchorsFor({ ...presetModel('m3vit-tiny'), depth: 6, blocks: presetModel('m3vit-tiny').blocks.slice(0, 6) }, 'zcu102')).toEqual([]);
  });
});

describe('roofline', () => {
  it('draws the bandwidth of one m_axi port when it is below the practical DRAM bandwidth', () => {
    const part = getPart('zcu102');
    // ZCU102 HP port: 128 bit at min(300, 333) MHz = 16 B × 300e6 = 4.8 GB/s; the kernel bus is
    // 256 bit × 300 MHz = 9.6 GB/s; DDR4 practical 13.7 GB/s (parts table). The port binds.
    const c = ceilings(EDGE_MOE, part);
    expect(c.portBw).toBeCloseTo(4.8, 9);
    expect(c.binding).toBe('port');
    expect(c.bindingBw).toBeCloseTo(4.8, 9);
    // A 64-bit kernel bus is narrower than the port: 8 B × 300e6 = 2.4 GB/s.
    const narrow = designFromObject({ ...designToObject(EDGE_MOE), axiBits: 64 });
    expect(ceilings(narrow, part).portBw).toBeCloseTo(2.4, 9);
    const svg = parseSvg(rooflineChart(REAL, EDGE_MOE, part));
    expect(svg.querySelector('path.binding-port')).not.toBeNull();
    expect([...legendColors(svg).keys()]).toContain('one m_axi port 4.8 GB/s (binds)');
  });
});

describe('power terms', () => {
  it('the headline power does not call the host CPU and board peripherals dynamic', () => {
    const html = renderHtml(buildDesignReport(EDGE_MOE, REAL));
    const row = /<td>power<\/td><td class="num">[^<]+<\/td><td>([^<]+)<\/td>/.exec(html)![1]!;
    expect(row).toMatch(/host CPU \(fixed\) 2\b/);
    expect(row).toMatch(/board peripherals \(fixed\)/);
    expect(row.replace(/PL dynamic/g, '')).not.toMatch(/dynamic/);
    // The kinds add up to the total: 0.9 static + Σ breakdown.
    const sum = [...row.matchAll(/ ([\d.]+)(?:,|\)|$)/g)].reduce((a, m) => a + Number(m[1]), 0);
    expect(sum).toBeCloseTo(REAL.power.totalW, 1);
  });
});

describe('wide tables', () => {
  it('every table sits in a horizontally scrolling box', () => {
    const html = renderHtml(buildDesignReport(EDGE_MOE, REAL));
    expect(html).toMatch(/\.table-wrap \{[^}]*overflow-x: auto/);
    const tables = (html.match(/<table>/g) ?? []).length;
    expect(tables).toBeGreaterThan(3);
    expect((html.match(/<div class="table-wrap"><table>/g) ?? []).length).toBe(tables);
  });
});
