/**
 * Optional PNG export of the charts through headless Chromium (playwright-core driving the
 * system browser). Rendering SVG faithfully needs a browser engine; without one the export is
 * refused with a one-line error rather than producing approximate images.
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

export async function renderPngs(list: readonly Chart[], dir: string): Promise<string[]> {
  const exe = chromiumPath();
  if (!exe) throw new UserError('--png', 'PNG export needs Chromium at /usr/bin/chromium (or VITFORGE_CHROMIUM); install it or drop --png');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2 });
    const files: string[] = [];
    for (const c of list) {
      await page.setContent(`<!DOCTYPE html><html><body style="margin:0">${c.svg}</body></html>`);
      const buf = await page.locator('svg').first().screenshot();
      writeFileSync(join(dir, `${c.id}.png`), buf);
      files.push(`${c.id}.png`);
    }
    return files;
  } finally {
    await browser.close();
  }
}
