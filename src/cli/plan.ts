import type { Command } from 'commander';
import { loadDesign } from '../design/load.js';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { formatPlan, planJson } from '../plan/format.js';
import { withTripBounds } from '../plan/index.js';
import { scheduleImage } from '../sim/timing/index.js';
import { loadRoutingFile } from '../sim/timing/routing.js';
import { addDesignOptions, type DesignFlags } from './options.js';

interface PlanFlags extends DesignFlags { json?: string; routing?: string; quiet?: boolean }

export function registerPlan(program: Command): void {
  addDesignOptions(program
    .command('plan'))
    .description('print the microarchitecture plan of a design point: units, loops, buffers, AXI bundles, schedule')
    .option('--json <file>', 'also write the plan (with the per-loop totals of one image) as JSON')
    .option('--routing <file>', 'MoE routing {"source", "blocks": [{"block", "counts": [...]}]} for the schedule')
    .option('--quiet', 'print nothing (with --json)')
    .action((f: PlanFlags) => {
      const design = loadDesign(f.design, f);
      if (f.json) checkOutputFile(f.json, '--json');
      const s = scheduleImage(design, f.routing ? loadRoutingFile(f.routing, design) : undefined);
      withTripBounds(s.plan, design);
      if (f.json) writeFileAtomic(f.json, planJson(s.plan, s.calls, s.routingSource), '--json');
      if (!f.quiet) process.stdout.write(formatPlan(s.plan, s.calls, s.routingSource));
    });
}
