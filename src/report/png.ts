/**
 * PNG export of the charts with resvg (Rust SVG renderer, prebuilt native binary from npm): no
 * browser, no network, deterministic pixels. The charts are plain SVG (shapes and text, no
 * scripts or CSS), which resvg renders faithfully. Text uses the system's fonts: Helvetica/Arial
 * when installed, else the default sans-serif family (DejaVu Sans on Debian).
 *
 * The headless-Chromium constants stay here for the report test, which still opens the HTML in a
 * real browser to check layout; rendering PNGs does not need it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { Chart } from './document.js';

/** Where Debian's `chromium` package installs the browser (override: VITFORGE_CHROMIUM). */
export function chromiumPath(): string | undefined {
  const p = process.env.VITFORGE_CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(p) ? p : undefined;
}

/** Flags for a sandbox-less, offline, quiet headless browser (containers, CI). */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Device scale of the PNGs: 2 px per SVG unit, sharp on high-density screens and in slides. */
export const PNG_SCALE = 2;

/** One chart's SVG as PNG bytes at PNG_SCALE. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  let Resvg;
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
  } catch (e) {
    throw new UserError('--png', `the PNG renderer (@resvg/resvg-js) is not installed or has no binary for this platform: ${(e as Error).message.split('\n')[0]}`);
  }
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}

export async function renderPngs(list: readonly Chart[], dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const c of list) {
    writeFileSync(join(dir, `${c.id}.png`), await svgToPng(c.svg));
    files.push(`${c.id}.png`);
  }
  return files;
}
