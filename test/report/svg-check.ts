/** Parsing and common structural checks of chart SVGs (shared by the report tests). */
import { D3Node } from 'd3-node';
import { expect } from 'vitest';

type El = any; // jsdom elements, untyped here (no DOM lib in this project)

/** Parse an SVG string into a DOM (jsdom, through d3-node). */
export function parseSvg(svg: string): El {
  const doc = new D3Node({ container: `<div id="root">${svg}</div>` }).document;
  const el = doc.querySelector('svg');
  expect(el).not.toBeNull();
  return el;
}

export const num = (el: El, a: string): number => Number(el.getAttribute(a));

/** Common to every chart: <title> equal to the visible title, both axis labels, ticks on both axes, no scripts or links. */
export function checkFrame(svg: El, id: string): void {
  expect(svg.getAttribute('id')).toBe(`chart-${id}`);
  expect(svg.querySelector('title')?.textContent.length).toBeGreaterThan(5);
  expect(svg.querySelector('text.chart-title')?.textContent).toBe(svg.querySelector('title').textContent);
  for (const axis of ['x-label', 'y-label']) expect(svg.querySelector(`text.${axis}`)?.textContent).toMatch(/\S/);
  expect(svg.querySelectorAll('g.x-axis .tick').length).toBeGreaterThan(1);
  expect(svg.querySelectorAll('g.y-axis .tick').length).toBeGreaterThan(1);
  expect(svg.outerHTML).not.toMatch(/<script|href=|NaN|undefined/);
}

