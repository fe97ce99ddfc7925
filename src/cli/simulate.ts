import type { Command } from 'commander';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { loadDesign } from '../design/load.js';
import { getPart } from '../hw/parts.js';
import { evaluatePerformance } from '../sim/timing/index.js';
import { formatReport } from '../sim/timing/format.js';
import { loadRoutingFile } from '../sim/timing/routing.js';

interface SimulateFlags {
  design?: string;
  json?: string;
  routing?: string;
  detail?: boolean;
}

/** Write `text` to `path` through a temporary sibling, so a failure never leaves half a file. */
function writeAtomic(path: string, text: string): void {
  const abs = resolve(path);
  if (!existsSync(dirname(abs))) throw new UserError('--json', `folder does not exist: ${dirname(abs)}`);
  const tmp = `${abs}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UserError('--json', `cannot write ${abs}: ${(e as Error).message}`);
  }
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('cycle/resource/power model of one design point for one image (no functional simulation)')
    .option('--design <file>', 'design file (default: the built-in Edge-MoE ZCU102 point)')
    .option('--json <file>', 'also write the whole report as JSON')
    .option('--routing <file>', 'MoE routing {"source", "blocks": [{"block", "counts": [...]}]} (e.g. from the functional simulator)')
    .option('--detail', 'also print every stage of every block')
    .action((f: SimulateFlags) => {
      const design = loadDesign(f.design);
      const routing = f.routing ? loadRoutingFile(f.routing, design) : undefined;
      const report = evaluatePerformance(design, routing);
      if (f.json) writeAtomic(f.json, JSON.stringify(report, null, 2) + '\n');
      process.stdout.write(formatReport(report, getPart(design.part), f.detail ?? false));
    });
}
