import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { resolveRunConfig, DEFAULT_MAX_ERROR, DEFAULT_OBJECTIVES, type RunConfig } from '../dse/config.js';
import { loadRun, runDse, type DseSummary, type ExecOptions } from '../dse/run.js';
import { LIMITS } from '../dse/binding.js';
import { CLOCK_UNCERTAINTY } from '../hw/clock.js';
import { getPart } from '../parts/parts.js';

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

/** `--max-error 0.02` → 0.02, `none` → null (no bound), absent → undefined (the default rule). */
function maxErrorFlag(v: string | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  if (v.trim().toLowerCase() === 'none') return null;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x <= 0) throw new UserError('--max-error', `must be a positive number or 'none', got '${v}'`);
  return x;
}

interface DseFlags {
  model?: string; part?: string; design?: string; space?: string; objectives?: string; constraints: string[];
  derive: string[]; strategy?: string; budget?: string; seed?: string; population?: string; jobs?: string;
  calibLayers?: string; calibWeights: string[]; maxError?: string; out?: string; resume?: string; report: boolean; progress: boolean;
  optimisticClock?: boolean; verifyTop?: string;
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
const SEARCH_FLAGS = ['model', 'part', 'design', 'space', 'objectives', 'constraints', 'derive', 'strategy', 'seed', 'population', 'calibLayers', 'calibWeights', 'maxError', 'optimisticClock'];

/** Signals that stop a run cleanly, with the numbers POSIX gives them (exit code 128 + n). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = typeof STOP_SIGNALS[number];
const SIGNAL_NUMBERS: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

function printSummary(s: DseSummary, cfg: RunConfig, queue?: string): void {
  const w = (line: string): boolean => process.stdout.write(line + '\n');
  const part = getPart(String(cfg.eval.space.base.part));
  const where = s.backend === 'workers' ? `${s.jobs} worker threads` : s.backend === 'queue' ? `up to ${s.jobs} worker thread${s.jobs === 1 ? '' : 's'} via ${queue}` : 'in-process';
  w(`dse: ${String(cfg.eval.space.base.model)} on ${part.board}, ${cfg.strategy} (seed ${cfg.seed}), ${cfg.eval.space.dims.length} parameters, ${cfg.eval.space.size} points in the space`);
  w(`  ${s.status === 'interrupted' ? 'INTERRUPTED after' : 'evaluated'} ${s.evaluated} points in ${s.seconds.toFixed(1)} s ` +
    `(${Math.round(s.pointsPerSecond)} points/s, ${where}${s.reused ? `, ${s.reused} reused from the earlier run` : ''})`);
  if (cfg.accuracyConstraint) w(`  accuracy bound: ${cfg.accuracyConstraint} (default with an accuracy objective; --max-error X or none to change)`);
  w(`  feasible ${s.counts.ok ?? 0}, invalid ${s.counts.invalid ?? 0}, do not fit ${s.counts.nofit ?? 0}, violate constraints ${s.counts.constraint ?? 0}`);
  for (const [why, n] of s.reasons.slice(0, 8)) w(`    ${String(n).padStart(6)}  ${why}`);
  if (s.byLimit) {
    const hit = LIMITS.filter((l) => s.byLimit![l] > 0);
    w(`  rejected by limit: ${hit.length ? hit.map((l) => `${l} ${s.byLimit![l]}`).join(', ') : 'none'}` +
      (cfg.eval.optimisticClock ? ' (clock not checked: --optimistic-clock)' : ` (clock: attainable-clock model ±${Math.round(CLOCK_UNCERTAINTY * 100)} %, docs/clock.md)`));
  }
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
    .option('--max-error <x|none>', `with an error/sqnr objective: constraint error <= x (default ${DEFAULT_MAX_ERROR} unless a constraint names error or sqnr_db; none = no bound)`)
    .option('--optimistic-clock', 'accept clocks above the attainable-clock model and search the part\'s whole clock range (docs/clock.md)')
    .option('--out <dir>', 'output folder (replaced when the run ends)')
    .option('--resume <dir>', 'continue an interrupted or finished run (same search; --budget may grow)')
    .option('--verify-top <k>', 're-run the K best designs in the event engine; both latencies and their disagreement go into points.csv and the report')
    .option('--no-report', 'skip the HTML/Markdown report')
    .option('--no-progress', 'no progress bar even on a terminal')
    .action(async (f: DseFlags, cmd: Command) => {
      const jobs = intFlag('--jobs', f.jobs, 1);
      const verifyK = intFlag('--verify-top', f.verifyTop, 1);
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
          maxError: maxErrorFlag(f.maxError), optimisticClock: f.optimisticClock === true,
        });
        out = f.out;
      }
      const queue = await queueExec(f, out, stored);
      if (queue && jobs !== undefined) throw new UserError('--jobs', 'sets the local worker threads; with a queue give each `vitforge worker` its --jobs (or --no-queue to run here)');
      // First Ctrl-C, `kill` (SIGTERM) or a closed terminal (SIGHUP): finish cleanly with every
      // evaluated point, so the output folder is complete and resumable; a second signal exits
      // at once. A batch scheduler's SIGTERM must not leave only the hidden temporary folder.
      const stop = new AbortController();
      let caught: StopSignal | undefined;
      const onSignal = (sig: StopSignal): void => {
        if (stop.signal.aborted) process.exit(128 + SIGNAL_NUMBERS[sig]);
        caught = sig;
        if (sig === 'SIGHUP') {
          // The terminal is gone: writes to it fail (EIO); the files are what matters now.
          for (const s of [process.stdout, process.stderr]) s.on('error', () => {});
        }
        const how = sig === 'SIGINT' ? 'interrupted' : `${sig} received`;
        process.stderr.write(`\nvitforge: ${how}, writing the finished points (${sig === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again to quit now)\n`);
        stop.abort();
      };
      const handlers = STOP_SIGNALS.map((sig) => [sig, (): void => onSignal(sig)] as const);
      for (const [sig, h] of handlers) process.on(sig, h);
      try {
        const summary = await runDse(cfg, out, {
          jobs, signal: stop.signal, previous, report: f.report, progress: f.progress ? undefined : false, backend: queue?.backend,
        });
        // Runs killed before they could write DIR left their points in temporary folders: now in DIR.
        for (const d of leftovers) rmSync(d, { recursive: true, force: true });
        printSummary(summary, cfg, queue?.url);
        if (verifyK !== undefined && summary.status === 'complete') {
          const { verifyTop } = await import('../dse/verify.js');
          const verified = verifyTop(summary.out, verifyK);
          for (const v of verified) {
            process.stdout.write(`verify     point ${v.id}: analytic ${v.analyticMs.toFixed(3)} ms, event ${v.eventMs.toFixed(3)} ms (${v.disagreement >= 0 ? '+' : ''}${(100 * v.disagreement).toFixed(2)}%; largest stage difference ${v.worstStage} ${(100 * v.worstStageDiff).toFixed(1)}%)\n`);
          }
          if (f.report) {
            const { writeDseReport } = await import('../dse/report/dse-report.js');
            await writeDseReport(summary.out, join(summary.out, 'report'));
          }
        }
        // The launcher sets the exit code from main()'s return value (0); an interrupted run still
        // exits like a process killed by that signal (128 + its number) so scripts can tell.
        if (summary.status === 'interrupted') {
          const code = 128 + SIGNAL_NUMBERS[caught ?? 'SIGINT'];
          process.once('exit', () => { process.exitCode = code; });
        }
      } finally {
        for (const [sig, h] of handlers) process.off(sig, h);
      }
    });
}

function kebab(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
