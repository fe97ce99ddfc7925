import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { loadDesign } from '../design/load.js';

interface ReportFlags {
  design?: string; dse?: string; out?: string; png?: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('self-contained HTML + Markdown report with SVG charts, for one design or a DSE output folder')
    .option('--design <file>', 'design file (default: the built-in Edge-MoE point)')
    .option('--dse <dir>', 'DSE output folder (from vitforge dse)')
    .option('--out <dir>', 'output folder (replaced): index.html, report.md, charts/*.svg')
    .option('--png', 'also render every chart to PNG at 2× scale (resvg; no browser needed)')
    .action(async (f: ReportFlags) => {
      if (f.out === undefined) throw new UserError('--out', 'an output folder is required');
      if (f.design !== undefined && f.dse !== undefined) throw new UserError('--dse', 'give either --design or --dse, not both');
      // Loaded on use: the chart stack (d3, jsdom) is heavy and no other command needs it.
      const { writeDesignReport } = await import('../report/index.js');
      const { writeDseReport } = await import('../dse/report/dse-report.js');
      const files = f.dse !== undefined
        ? await writeDseReport(f.dse, f.out, { png: f.png })
        : await writeDesignReport(loadDesign(f.design), f.out, { png: f.png });
      const charts = files.filter((x) => x.endsWith('.svg')).length;
      process.stdout.write(`report: wrote ${f.out}/index.html and ${f.out}/report.md with ${charts} chart${charts === 1 ? '' : 's'}${f.png ? ' (+ PNG)' : ''}\n`);
    });
}
