import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { resolveRunConfig, DEFAULT_OBJECTIVES, type RunConfig } from '../dse/config.js';
import { loadRun, runDse, type DseSummary, type ExecOptions } from '../dse/run.js';
import { getPart } from '../hw/parts.js';

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function intFlag(field: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(Number(v)) || Number(v) < min) {
    throw new UserError(field, `must be an integer ≥ ${min}, got '${v}'`);
  }
  return Number(v);
}

interface DseFlags {
  model?: string; part?: string; design?: string; space?: string; objectives?: string; constraints: string[];
  derive: string[]; strategy?: string; budget?: string; seed?: string; population?: string; jobs?: string;
  calibLayers?: string; calibWeights: string[]; out?: string; resume?: string; report: boolean; progress: boolean;
  queue?: string | false;
}

/**
 * `--queue URL` (or, resuming a queue run, the queue and run id its dse.json names, unless
 * `--no-queue`): the backend factory for runDse, loaded only then (no Redis code otherwise).
 */
async function queueExec(
  f: DseFlags, out: string, stored: Readonly<Record<string, unknown>> | undefined,
): Promise<{ backend: ExecOptions['backend']; url: string } | undefined> {
  const resumeQueue = stored?.kind === 'queue' && typeof stored.url === 'string' ? stored : undefined;
  if (f.queue === false || (f.queue === undefined && !resumeQueue)) return undefined;
  const { parseQueueUrl, redactedUrl } = await import('../dse/queue/url.js');
  const { queueBackend } = await import('../dse/queue/coordinator.js');
  const target = parseQueueUrl(typeof f.queue === 'string' ? f.queue : String(resumeQueue!.url), f.queue ? '--queue' : '--resume');
  const run = typeof resumeQueue?.run === 'string' ? resumeQueue.run : undefined;
  return { backend: (cfg) => queueBackend(cfg, { target, run, name: basename(out) }), url: redactedUrl(target) };
}

/** Options that define the search; with --resume they come from the earlier run's dse.json. */
const SEARCH_FLAGS = ['model', 'part', 'design', 'space', 'objectives', 'constraints', 'derive', 'strategy', 'seed', 'population', 'calibLayers', 'calibWeights'];

function printSummary(s: DseSummary, cfg: RunConfig, queue?: string): void {
  const w = (line: string): boolean => process.stdout.write(line + '\n');
  const part = getPart(String(cfg.eval.space.base.part));
  const where = s.backend === 'workers' ? `${s.jobs} worker threads` : s.backend === 'queue' ? `up to ${s.jobs} worker thread${s.jobs === 1 ? '' : 's'} via ${queue}` : 'in-process';
  w(`dse: ${String(cfg.eval.space.base.model)} on ${part.board}, ${cfg.strategy} (seed ${cfg.seed}), ${cfg.eval.space.dims.length} parameters, ${cfg.eval.space.size} points in the space`);
  w(`  ${s.status === 'interrupted' ? 'INTERRUPTED after' : 'evaluated'} ${s.evaluated} points in ${s.seconds.toFixed(1)} s ` +
    `(${Math.round(s.pointsPerSecond)} points/s, ${where}${s.reused ? `, ${s.reused} reused from the earlier run` : ''})`);
  w(`  feasible ${s.counts.ok ?? 0}, invalid ${s.counts.invalid ?? 0}, do not fit ${s.counts.nofit ?? 0}, violate constraints ${s.counts.constraint ?? 0}`);
  for (const [why, n] of s.reasons.slice(0, 8)) w(`    ${String(n).padStart(6)}  ${why}`);
  w(`  Pareto front: ${s.paretoIds.length} points (pareto.csv)`);
  if (!s.base) w('  base design: not drawn by this strategy (nsga2 always evaluates it first)');
  else if (!s.base.feasible) w(`  base design (point ${s.base.id}): infeasible (see points.csv)`);
  else w(`  base design (point ${s.base.id}): ${s.base.dominatedBy === 0 ? 'on the Pareto front' : `dominated by ${s.base.dominatedBy} feasible points in every objective`}`);
  for (const o of cfg.objectives) {
    const b = s.best[o.label];
    w(b ? `  best ${o.label}: ${+b.value.toPrecision(5)} (point ${b.id}) -> best-${o.label}.yaml` : `  best ${o.label}: no feasible point`);
  }
  w(`  wrote ${s.out}`);
  if (s.status === 'interrupted') w(`  continue with: vitforge dse --resume ${s.out}`);
}

export function registerDse(program: Command): void {
  program
    .command('dse')
    .description('design-space exploration: evaluate many design points, write points.csv, pareto.csv, best-<objective>.yaml and a report')
    .option('--model <ref>', 'model preset or file (default: the base design\'s, m3vit-tiny)')
    .option('--part <id>', 'FPGA part (default: the base design\'s, zcu102)')
    .option('--design <file>', 'base design: values of every parameter not searched (default: built-in Edge-MoE point)')
    .option('--space <file>', 'space file (YAML/JSON) narrowing or widening the default space; see docs/dse.md')
    .option('--objectives <list>', `comma-separated objectives, max:/min: prefix to set the direction (default ${DEFAULT_OBJECTIVES})`)
    .option('--constraints <expr>', 'mathjs condition every feasible point meets, e.g. "dsp <= 0.9 * part.dsp and latency_ms < 30" (repeatable)', collect, [])
    .option('--derive <name=expr>', 'derived quantity usable in constraints/objectives, e.g. "dsp_eff=gops/dsp" (repeatable)', collect, [])
    .option('--strategy <name>', 'grid | random | nsga2 (default nsga2)')
    .option('--budget <n>', 'points to evaluate (default 2000; grid: the whole grid)')
    .option('--seed <n>', 'seed of the random and NSGA-II strategies (default 1)')
    .option('--population <n>', 'NSGA-II population size (default 100)')
    .option('--jobs <n>', 'worker threads (default: available cores; 1 = in-process)')
    .option('--queue <url>', 'coordinate a run on this Redis (redis://[:PASSWORD@]HOST:PORT[/DB], rediss:// for TLS): `vitforge worker` processes evaluate (docs/dse.md §6)')
    .option('--no-queue', 'resume a --queue run on this machine instead')
    .option('--calib-layers <n>', 'blocks run by the accuracy objective\'s calibration (default 2)')
    .option('--calib-weights <dir>', 'weight folder of the accuracy calibration, e.g. the real weights (repeatable, overlaid; default: seeded synthetic)', collect, [])
    .option('--out <dir>', 'output folder (replaced when the run ends)')
    .option('--resume <dir>', 'continue an interrupted or finished run (same search; --budget may grow)')
    .option('--no-report', 'skip the HTML/Markdown report')
    .option('--no-progress', 'no progress bar even on a terminal')
    .action(async (f: DseFlags, cmd: Command) => {
      const jobs = intFlag('--jobs', f.jobs, 1);
      const budget = intFlag('--budget', f.budget, 1);
      let cfg: RunConfig;
      let previous;
      let out: string;
      let stored: Readonly<Record<string, unknown>> | undefined;
      let leftovers: readonly string[] = [];
      if (f.resume !== undefined) {
        const given = SEARCH_FLAGS.filter((k) => cmd.getOptionValueSource(k) === 'cli');
        if (given.length > 0) throw new UserError('--resume', `the search is fixed by the earlier run; drop --${given.map(kebab).join(', --')}`, '--budget, --jobs, --queue, --out, --no-report, --no-progress');
        const loaded = loadRun(f.resume);
        cfg = budget === undefined ? loaded.cfg : { ...loaded.cfg, budget };
        previous = loaded.previous;
        stored = loaded.backend;
        leftovers = loaded.leftovers;
        out = f.out ?? f.resume;
      } else {
        if (f.out === undefined) throw new UserError('--out', 'an output folder is required (or --resume DIR)');
        cfg = await resolveRunConfig({
          model: f.model, part: f.part, design: f.design, space: f.space, objectives: f.objectives,
          constraints: f.constraints, derive: f.derive, strategy: f.strategy, budget,
          seed: intFlag('--seed', f.seed, -(2 ** 31)), population: intFlag('--population', f.population, 4),
          calibLayers: intFlag('--calib-layers', f.calibLayers, 1), calibWeights: f.calibWeights,
        });
        out = f.out;
      }
      const queue = await queueExec(f, out, stored);
      if (queue && jobs !== undefined) throw new UserError('--jobs', 'sets the local worker threads; with a queue give each `vitforge worker` its --jobs (or --no-queue to run here)');
      // First Ctrl-C: finish cleanly with every evaluated point; a second one exits at once.
      const stop = new AbortController();
      const onSigint = (): void => {
        if (stop.signal.aborted) process.exit(130);
        process.stderr.write('\nvitforge: interrupted, writing the finished points (Ctrl-C again to quit now)\n');
        stop.abort();
      };
      process.on('SIGINT', onSigint);
      try {
        const summary = await runDse(cfg, out, {
          jobs, signal: stop.signal, previous, report: f.report, progress: f.progress ? undefined : false, backend: queue?.backend,
        });
        // Runs killed before they could write DIR left their points in temporary folders: now in DIR.
        for (const d of leftovers) rmSync(d, { recursive: true, force: true });
        printSummary(summary, cfg, queue?.url);
        // The launcher sets the exit code from main()'s return value (0); an interrupted run still
        // exits like an interrupted process (128 + SIGINT) so scripts can tell.
        if (summary.status === 'interrupted') process.once('exit', () => { process.exitCode = 130; });
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}

function kebab(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
