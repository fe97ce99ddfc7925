/**
 * Reports as files: self-contained HTML (inline SVG, no scripts, no external references),
 * Markdown referencing the chart files, atomic replacement of the output folder; and the same
 * HTML opened in headless Chromium (skipped with a message when the browser is missing; under CI
 * a missing browser fails the run).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/design/load.js';
import { resolveRunConfig } from '../../src/dse/config.js';
import { runDse } from '../../src/dse/run.js';
import { renderHtml, renderMarkdown, writeDesignReport, writeReport, type Report } from '../../src/report/index.js';
import { CHROMIUM_ARGS } from '../../src/report/png.js';
import { requireChromium } from '../helpers/tools.js';
import { checkFrame, parseSvg } from './svg-check.js';
import { ensureBuilt, launcher } from '../helpers/built-cli.js';

const root = mkdtempSync(join(tmpdir(), 'vf-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const DESIGN_CHARTS = ['latency', 'timeline', 'roofline', 'resources', 'energy'];
const designOut = join(root, 'design');
const dseOut = join(root, 'dse');

beforeAll(async () => {
  await writeDesignReport(loadDesign(), designOut);
  const cfg = await resolveRunConfig({ strategy: 'nsga2', budget: 120, seed: 2, population: 40 });
  await runDse(cfg, dseOut, { jobs: 1, progress: false });
});

/** Structural check of a written report folder: every chart inline, as a file, and referenced. */
function checkFolder(dir: string, ids: string[]): string {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const md = readFileSync(join(dir, 'report.md'), 'utf8');
  expect((html.match(/<svg /g) ?? []).length).toBe(ids.length);
  expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|href=|url\(|@import/i);
  // The only URL in the page is the SVG namespace.
  expect([...html.matchAll(/https?:\/\/[^\s"')]+/g)].map((m) => m[0]).every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
  for (const id of ids) {
    const svg = readFileSync(join(dir, 'charts', `${id}.svg`), 'utf8');
    expect(svg.startsWith('<?xml')).toBe(true);
    checkFrame(parseSvg(svg), id);
    expect(md).toContain(`(charts/${id}.svg)`);
    expect(html).toContain(`id="chart-${id}"`);
  }
  return html;
}

describe('report files', () => {
  it('design report: five charts, headline figures, parameters', () => {
    const html = checkFolder(designOut, DESIGN_CHARTS);
    expect(html).toContain('latency per image');
    expect(html).toContain('linear.tileIn');
    expect(html).toContain('vs Edge-MoE (published 34.64 ms)');
  });

  it('DSE report: Pareto chart plus the best design\'s charts', () => {
    const html = checkFolder(join(dseOut, 'report'), ['pareto', ...DESIGN_CHARTS]);
    expect(html).toContain('Best design per objective');
    expect(html).toMatch(/Base design \(point 0\)/);
  });

  it('escapes text and renders tables in both formats', () => {
    const r: Report = {
      title: 'a <b> & "c"',
      blocks: [
        { kind: 'text', text: 'uses `x<y`' },
        { kind: 'table', table: { head: ['k', 'v'], rows: [['a|b', 1]], numeric: [false, true] } },
      ],
    };
    const html = renderHtml(r);
    expect(html).toContain('<title>a &lt;b&gt; &amp; &quot;c&quot;</title>');
    expect(html).toContain('<code>x&lt;y</code>');
    expect(html).toContain('<td class="num">1</td>');
    expect(renderMarkdown(r)).toContain('| a\\|b | 1 |\n');
    expect(renderMarkdown(r)).toContain('|---|---:|');
  });

  it('replaces an existing output folder atomically and leaves no temporary folder', async () => {
    const out = join(root, 'replace');
    mkdirSync(out);
    writeFileSync(join(out, 'stale.txt'), 'old');
    await writeReport({ title: 't', blocks: [{ kind: 'text', text: 'x' }] }, out);
    expect(existsSync(join(out, 'stale.txt'))).toBe(false);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(readdirSync(root).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
  });
});

/** Width, height, bit depth and colour type from a PNG's IHDR; throws unless the file is a PNG whose pixel data inflates to its size. */
function decodePng(b: Buffer): { width: number; height: number } {
  // PNG signature (RFC 2083 §3.1), then the IHDR chunk: length 13, type, width, height, depth, colour type.
  expect([...b.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR');
  const width = b.readUInt32BE(16), height = b.readUInt32BE(20), depth = b[24]!, type = b[25]!;
  expect(depth).toBe(8);
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[type]!;
  expect(channels).toBeDefined();
  // Concatenated IDAT data inflates to one filter byte plus width × channels bytes per row.
  const idat: Buffer[] = [];
  for (let off = 8; off < b.length;) {
    const len = b.readUInt32BE(off), kind = b.subarray(off + 4, off + 8).toString('latin1');
    if (kind === 'IDAT') idat.push(b.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (1 + width * channels));
  return { width, height };
}

describe('PNG export (resvg, no browser)', () => {
  it('--png writes one decodable PNG per chart at twice the SVG size', async () => {
    const out = join(root, 'png');
    const files = await writeDesignReport(loadDesign(), out, { png: true });
    const pngs = files.filter((f) => f.endsWith('.png'));
    expect(pngs.map((f) => f.replace(/^charts\/|\.png$/g, '')).sort()).toEqual([...DESIGN_CHARTS].sort());
    for (const f of pngs) {
      const svg = parseSvg(readFileSync(join(out, f.replace(/\.png$/, '.svg')), 'utf8'));
      const { width, height } = decodePng(readFileSync(join(out, f)));
      expect([width, height], f).toEqual([2 * Number(svg.getAttribute('width')), 2 * Number(svg.getAttribute('height'))]);
    }
  });

  it('vitforge report --png never loads playwright-core', () => {
    ensureBuilt();
    // A resolve hook that fails any import of playwright: the command must still succeed.
    const hooks = join(root, 'no-playwright-hooks.mjs');
    writeFileSync(hooks, "export async function resolve(s, c, next) { if (s.startsWith('playwright')) throw new Error('playwright imported: ' + s); return next(s, c); }\n");
    const reg = join(root, 'no-playwright.mjs');
    writeFileSync(reg, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const out = join(root, 'png-cli');
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(reg).href, launcher, 'report', '--out', out, '--png'], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(join(out, 'charts')).filter((f) => f.endsWith('.png')).length).toBe(DESIGN_CHARTS.length);
    // The hook does bite: importing playwright-core under it fails.
    const probe = spawnSync(process.execPath, ['--import', pathToFileURL(reg).href, '-e', "import('playwright-core').then(() => process.exit(0), () => process.exit(3))"], { cwd: root });
    expect(probe.status).toBe(3);
  });
});

describe('headless Chromium', () => {
  const exe = requireChromium();
  it.skipIf(!exe)('renders every chart of both reports with no console errors and no network', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: exe!, args: CHROMIUM_ARGS });
    try {
      for (const [dir, ids] of [[designOut, DESIGN_CHARTS], [join(dseOut, 'report'), ['pareto', ...DESIGN_CHARTS]]] as const) {
        const page = await browser.newPage();
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('request', (r) => requests.push(r.url()));
        const url = pathToFileURL(join(dir, 'index.html')).href;
        await page.goto(url, { waitUntil: 'load' });
        expect(errors).toEqual([]);
        expect(requests).toEqual([url]);
        for (const id of ids) {
          const svg = page.locator(`svg#chart-${id}`);
          const box = await svg.boundingBox();
          expect(box, id).not.toBeNull();
          expect(box!.width).toBeGreaterThan(300);
          expect(box!.height).toBeGreaterThan(150);
          // Marks and text actually laid out (non-empty geometry), not just present in the DOM.
          // (Runs in the browser; the project's lib has no DOM types, hence the local shape.)
          type Graphic = { getBBox(): { width: number; height: number } };
          const drawn = await svg.evaluate((el) => {
            const marks = [...el.querySelectorAll('rect.bar, circle, path.ceiling, g.point rect')] as unknown as Graphic[];
            const texts = [...el.querySelectorAll('text')] as unknown as Graphic[];
            return {
              marks: marks.filter((m) => { const b = m.getBBox(); return b.width > 0 || b.height > 0; }).length,
              texts: texts.filter((t) => t.getBBox().width > 0).length,
              title: el.querySelector('text.chart-title')?.getBoundingClientRect().width ?? 0,
            };
          });
          expect(drawn.marks, id).toBeGreaterThan(0);
          expect(drawn.texts, id).toBeGreaterThan(5);
          expect(drawn.title, id).toBeGreaterThan(100);
        }
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
