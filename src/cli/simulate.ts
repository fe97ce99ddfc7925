import type { Command } from 'commander';
import { loadDesign } from '../design/load.js';
import type { DesignPoint } from '../design/types.js';
import { attainableClock, formatClock, type Utilisation } from '../hw/clock.js';
import { getPart, type Part } from '../parts/parts.js';
import { writeFileAtomic, checkOutputFile } from '../io/atomic.js';
import { resolveInputs } from '../model/inputs.js';
import { forwardFixed, quantizeWeights } from '../sim/functional/index.js';
import { evaluatePerformance } from '../sim/timing/index.js';
import { formatReport } from '../sim/timing/format.js';
import type { RoutingStats } from '../sim/timing/report.js';
import { loadRoutingFile } from '../sim/timing/routing.js';
import { addDesignOptions, addInputOptions, inputOptions, reportSynthetic, type DesignFlags, type InputFlags } from './options.js';

interface SimulateFlags extends InputFlags, DesignFlags {
  json?: string;
  routing?: string;
  detail?: boolean;
}

/**
 * Routing of the MoE blocks, in order of preference: a routing file; the functional simulator run
 * on the given weights (design `moe.routing: simulate`); otherwise the design's assumption.
 */
function routingFor(design: DesignPoint, f: SimulateFlags): RoutingStats | undefined {
  if (f.routing) return loadRoutingFile(f.routing, design);
  const hasMoe = design.model.blocks.some((b) => b.kind === 'moe');
  if (!hasMoe || design.moe.routing.kind !== 'simulate' || f.weights.length === 0) return undefined;
  const inputs = resolveInputs(design.model, inputOptions(f));
  reportSynthetic(inputs);
  const { routing } = forwardFixed(design, quantizeWeights(design, inputs.weights), inputs.image);
  return { source: `${routing.source} on ${inputs.weights.provenance}; image ${inputs.imageLabel}`, blocks: routing.blocks };
}

/** One stderr line when the requested clock is above the attainable-clock model (docs/clock.md), else undefined. */
export function clockWarning(clockMHz: number, part: Part, util: Utilisation): string | undefined {
  const c = attainableClock(part, util);
  if (clockMHz <= c.mhz) return undefined;
  return `vitforge: warning: clockMHz ${clockMHz} is above the attainable clock of this design on ${part.board}, ${formatClock(c)}: ${c.reasons.join('; ')} (docs/clock.md)`;
}

export function registerSimulate(program: Command): void {
  const cmd = program
    .command('simulate')
    .description('cycle/resource/power model of one design point for one image')
    .option('--json <file>', 'also write the whole report as JSON')
    .option('--routing <file>', 'MoE routing {"source", "blocks": [{"block", "counts": [...]}]} (overrides --weights)')
    .option('--detail', 'also print every stage of every block');
  addInputOptions(addDesignOptions(cmd))
    .action((f: SimulateFlags) => {
      const design = loadDesign(f.design, f);
      if (f.json) checkOutputFile(f.json, '--json');
      const report = evaluatePerformance(design, routingFor(design, f));
      if (f.json) writeFileAtomic(f.json, JSON.stringify(report, null, 2) + '\n', '--json');
      const part = getPart(design.part);
      process.stdout.write(formatReport(report, part, f.detail ?? false));
      const warning = clockWarning(design.clockMHz, part, report.resources.util);
      if (warning) process.stderr.write(warning + '\n');
    });
}
