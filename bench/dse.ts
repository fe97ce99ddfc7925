/**
 * DSE throughput: design points evaluated per second (timing + resource + power model, design
 * validation, metrics) in-process on one core and on the worker pool, the worker start-up cost,
 * one accuracy measurement (functional simulator, 2 blocks), and a whole default run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveRunConfig } from '../src/dse/config.js';
import { AccuracyOracle } from '../src/dse/accuracy.js';
import { inProcessBackend, workerBackend, workerScript, type Job } from '../src/dse/pool.js';
import { runDse } from '../src/dse/run.js';
import { pointObject } from '../src/dse/space.js';
import { designFromObject } from '../src/design/load.js';
import { evaluatePerformance } from '../src/sim/timing/index.js';
import { RandomStrategy } from '../src/dse/strategies.js';
import { Rng } from '../src/rng.js';
import type { BenchModule, BenchRow } from './table.js';

const N = 2000;

async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cfg = await resolveRunConfig({ strategy: 'random', budget: N, seed: 1 });
  const pts = new RandomStrategy(cfg.eval.space, new Rng(1));
  const jobs: Job[] = [];
  while (jobs.length < N) for (const idx of pts.ask(N - jobs.length)) jobs.push({ id: jobs.length, idx });

  // The analytic model alone on the same points: lower the plan, schedule the image, cost every
  // call, resources and power (the designs are built first, outside the timing).
  const designs = jobs.map((j) => designFromObject(pointObject(cfg.eval.space, Array.from(j.idx))));
  for (const d of designs.slice(0, 200)) evaluatePerformance(d); // warm-up (JIT)
  let tm = process.hrtime.bigint();
  for (const d of designs) evaluatePerformance(d);
  const analytic = N / (Number(process.hrtime.bigint() - tm) / 1e9);
  rows.push({ name: 'analytic model of the plan (1 core)', value: analytic, unit: ' points/s', note: `evaluatePerformance on the same ${N} designs; target ≥ 5000` });

  const local = await inProcessBackend(cfg.eval);
  await local.evaluate(jobs.slice(0, 200)); // warm-up (JIT)
  let t0 = process.hrtime.bigint();
  await local.evaluate(jobs);
  const perCore = N / (Number(process.hrtime.bigint() - t0) / 1e9);
  rows.push({ name: 'points evaluated, in-process (1 core)', value: perCore, unit: ' points/s', note: `${N} random points of the default m3vit-tiny/zcu102 space; target ≥ 1000` });

  const script = workerScript();
  const cores = Math.max(2, availableParallelism());
  if (script) {
    t0 = process.hrtime.bigint();
    const pool = await workerBackend(cfg.eval, cores, script);
    await pool.evaluate(jobs.slice(0, cores));
    rows.push({ name: `worker start-up (${cores} workers)`, value: Number(process.hrtime.bigint() - t0) / 1e6, unit: ' ms' });
    await pool.evaluate(jobs.slice(0, 400)); // warm-up
    const cpu0 = process.resourceUsage();
    t0 = process.hrtime.bigint();
    await pool.evaluate(jobs);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu1 = process.resourceUsage();
    const pooled = N / wall;
    rows.push({ name: `points evaluated, ${cores} worker threads`, value: pooled, unit: ' points/s', ratio: pooled / perCore, note: 'ratio: vs in-process' });
    // CPU time of all threads of this process over the wall time: ≈ the cores actually obtained
    // (a shared machine can give the pool less than one core, which no pool can beat).
    const cpu = (cpu1.userCPUTime - cpu0.userCPUTime + cpu1.systemCPUTime - cpu0.systemCPUTime) / 1e6;
    rows.push({ name: 'cores obtained during the pooled run', value: cpu / wall, unit: '', note: 'process CPU time / wall time' });
    await pool.close();
  } else {
    rows.push({ name: 'worker pool', value: 0, unit: '', note: 'skipped: run from dist/ (npm run bench)' });
  }

  const accCfg = await resolveRunConfig({ objectives: 'latency,error', strategy: 'random', budget: 1 });
  t0 = process.hrtime.bigint();
  const oracle = await AccuracyOracle.create(accCfg.eval.space.base as Record<string, unknown>, accCfg.eval.accuracy!);
  const setup = Number(process.hrtime.bigint() - t0) / 1e6;
  t0 = process.hrtime.bigint();
  oracle.measure(accCfg.eval.space.base as Record<string, unknown>);
  rows.push({ name: 'accuracy of one type set (m3vit-tiny, 2 blocks)', value: Number(process.hrtime.bigint() - t0) / 1e6, unit: ' ms', note: `once per type set; + ${setup.toFixed(0)} ms setup (float reference)` });

  const dir = mkdtempSync(join(tmpdir(), 'vf-bench-dse-'));
  try {
    const full = await resolveRunConfig({ budget: N, seed: 1 });
    t0 = process.hrtime.bigint();
    const s = await runDse(full, join(dir, 'out'), { progress: false, report: false, jobs: cores });
    rows.push({ name: `vitforge dse --budget ${N} (nsga2, ${s.backend})`, value: Number(process.hrtime.bigint() - t0) / 1e9, unit: ' s', note: 'whole run incl. start-up and output files, no report' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export default { title: 'Design-space exploration', run } satisfies BenchModule;
