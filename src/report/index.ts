/**
 * Reports: `index.html` (self-contained: inline SVG and CSS, no scripts, no network),
 * `report.md` and `charts/<id>.svg` (+ `.png` with `png: true`), written into a temporary
 * sibling of the output folder and renamed into place.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DesignPoint } from '../design/types.js';
import { UserError } from '../errors.js';
import { getPart } from '../parts/parts.js';
import { evaluatePerformance } from '../sim/timing/index.js';
import type { PerformanceReport } from '../sim/timing/report.js';
import { simulateImage } from '../sim/timing/event/index.js';
import { charts, renderHtml, renderMarkdown, type Report } from './document.js';
import { designBlocks } from './design-report.js';

export type { Report, Block, Chart, Table } from './document.js';
export { renderHtml, renderMarkdown } from './document.js';

export interface WriteOptions {
  /** Also render each chart to PNG (resvg, no browser). */
  readonly png?: boolean;
}

export function buildDesignReport(design: DesignPoint, perf: PerformanceReport = evaluatePerformance(design)): Report {
  const part = getPart(design.part);
  return { title: `vitforge report — ${design.name} (${design.modelRef} on ${part.board})`, blocks: designBlocks(design, perf, part, 2, simulateImage(design)) };
}

/** Write `report` into `outDir` (replaced atomically). Returns the files written, relative to outDir. */
export async function writeReport(report: Report, outDir: string, opts: WriteOptions = {}): Promise<string[]> {
  const out = resolve(outDir);
  const parent = dirname(out);
  if (!existsSync(parent)) throw new UserError('--out', `parent folder does not exist: ${parent}`);
  const tmp = join(parent, `.${basename(out)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'charts'), { recursive: true });
  try {
    const files = ['index.html', 'report.md'];
    writeFileSync(join(tmp, 'index.html'), renderHtml(report));
    writeFileSync(join(tmp, 'report.md'), renderMarkdown(report, 'charts'));
    for (const c of charts(report)) {
      writeFileSync(join(tmp, 'charts', `${c.id}.svg`), `<?xml version="1.0" encoding="UTF-8"?>\n${c.svg}\n`);
      files.push(`charts/${c.id}.svg`);
    }
    if (opts.png) {
      const { renderPngs } = await import('./png.js');
      files.push(...(await renderPngs(charts(report), join(tmp, 'charts'))).map((f) => `charts/${f}`));
    }
    if (existsSync(out)) {
      const old = `${out}.old-${process.pid}`;
      renameSync(out, old);
      renameSync(tmp, out);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, out);
    }
    return files;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

export async function writeDesignReport(design: DesignPoint, outDir: string, opts: WriteOptions = {}): Promise<string[]> {
  return writeReport(buildDesignReport(design), outDir, opts);
}

