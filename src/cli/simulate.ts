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
import { UserError } from '../errors.js';
import { simulateImage } from '../sim/timing/event/index.js';
import { compareEngines, formatComparison, formatEvent } from '../sim/timing/event/compare.js';
import { chromeTrace } from '../sim/timing/event/trace.js';

const ENGINES = ['analytic', 'event', 'both'] as const;
type Engine = (typeof ENGINES)[number];

interface SimulateFlags extends InputFlags, DesignFlags {
  json?: string;
  routing?: string;
  detail?: boolean;
  engine?: string;
  trace?: string;
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
    .option('--detail', 'also print every stage of every block')
    .option('--engine <name>', 'timing engine: analytic (closed form, default) | event (discrete-event simulation of the plan) | both (side by side)')
    .option('--trace <file>', 'write the event engine\'s timeline as Chrome trace JSON (Perfetto, chrome://tracing); implies the event engine');
  addInputOptions(addDesignOptions(cmd))
    .action((f: SimulateFlags) => {
      const engine = (f.engine ?? (f.trace ? 'event' : 'analytic')) as Engine;
      if (!ENGINES.includes(engine)) throw new UserError('--engine', `unknown engine '${f.engine}'`, ENGINES.join(', '));
      if (f.trace && engine === 'analytic') throw new UserError('--trace', 'needs the event engine', '--engine event, --engine both');
      const design = loadDesign(f.design, f);
      if (f.json) checkOutputFile(f.json, '--json');
      if (f.trace) checkOutputFile(f.trace, '--trace');
      const routing = routingFor(design, f);
      const report = evaluatePerformance(design, routing);
      const ev = engine === 'analytic' ? undefined : simulateImage(design, routing);
      if (f.json) {
        // The event engine's figures ride along; its per-call internals (trace material) do not.
        const json = ev ? { ...report, event: { ...ev, calls: undefined, timeline: undefined }, comparison: compareEngines(report, ev) } : report;
        writeFileAtomic(f.json, JSON.stringify(json, null, 2) + '\n', '--json');
      }
      if (f.trace && ev) writeFileAtomic(f.trace, JSON.stringify(chromeTrace(ev)) + '\n', '--trace');
      const part = getPart(design.part);
      if (engine !== 'event') process.stdout.write(formatReport(report, part, f.detail ?? false));
      const warning = clockWarning(design.clockMHz, part, report.resources.util);
      if (warning) process.stderr.write(warning + '\n');
      if (ev) {
        process.stdout.write('\n' + formatEvent(ev));
        if (engine === 'both') process.stdout.write('\n' + formatComparison(compareEngines(report, ev), design.clockMHz));
      }
    });
}
