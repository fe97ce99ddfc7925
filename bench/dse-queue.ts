/**
 * DSE across processes: points per second with the accuracy objective (each new type set costs a
 * functional simulation) for one run configuration, on the local worker-thread pool, then through
 * Redis with 1 and with 2 `vitforge worker` processes (one evaluation thread each) — the same
 * seed, so the same points and the same type sets every time; ratios only between these rows.
 * Needs redis-server (started on a free port for the measurement, like the tests do) and dist/.
 * The machine may be shared: each queue configuration runs twice (interleaved) and keeps its
 * faster run, and the load average and the CPU the workers obtained are printed too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveRunConfig } from '../src/dse/config.js';
import { runDse, type DseSummary } from '../src/dse/run.js';
import { workerScript } from '../src/dse/pool.js';
import { REDIS_SERVER, startRedis } from '../test/helpers/redis.js';
import type { BenchModule, BenchRow } from './table.js';

const BUDGET = 400;
// 5 × 5 × 2 = 50 type sets: accuracy work enough (≈ 15 s on one core) that the fixed start-up of
// each worker (thread, module loading, float reference: ≈ 1 s, in parallel) matters little.
const SPACE = `params:
  types.fm: { widths: [16, 20, 24, 28, 32] }
  types.linearWeight: { widths: [8, 10, 12, 14, 16] }
  types.accum: { widths: [24, 32] }
`;

/** user+system CPU seconds of a process so far (Linux /proc), or undefined. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return undefined;
  }
}

async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  if (!workerScript()) return [{ name: 'queue bench', value: 0, unit: '', note: 'skipped: run from dist/ (npm run bench)' }];
  if (!REDIS_SERVER) return [{ name: 'queue bench', value: 0, unit: '', note: 'skipped: redis-server not installed (apt-get install redis-server)' }];
  const dir = mkdtempSync(join(tmpdir(), 'vf-bench-queue-'));
  const bin = fileURLToPath(new URL('../../bin/vitforge.js', import.meta.url));
  const space = join(dir, 'space.yaml');
  writeFileSync(space, SPACE);
  const cfg = await resolveRunConfig({ objectives: 'latency,error,dsp', space, strategy: 'random', budget: BUDGET, seed: 1 });
  const redis = await startRedis();
  const { parseQueueUrl } = await import('../src/dse/queue/url.js');
  const { queueBackend } = await import('../src/dse/queue/coordinator.js');
  const load0 = loadavg()[0]!;
  const children: ChildProcess[] = [];
  try {
    const cores = Math.max(2, availableParallelism());
    const local = await runDse(cfg, join(dir, 'local'), { jobs: cores, progress: false, report: false });
    rows.push({
      name: `local pool, ${cores} worker threads`, value: local.pointsPerSecond, unit: ' points/s',
      note: `${BUDGET} random points of m3vit-tiny/zcu102, objectives latency,error,dsp, 50 type sets (2-block calibration)`,
    });

    const viaQueue = async (workers: number): Promise<{ s: DseSummary; cpu: number }> => {
      const procs = Array.from({ length: workers }, (_, k) => spawn(process.execPath, [bin, 'worker', '--queue', redis.url, '--jobs', '1', '--cache', join(dir, `cache-${k}`)], { stdio: 'ignore' }));
      children.push(...procs);
      // Workers are started (and waiting) before the run; their start-up is not measured.
      await new Promise((r) => setTimeout(r, 1500));
      const cpu0 = procs.map((p) => cpuSeconds(p.pid!) ?? 0);
      const last = [...cpu0];
      const poll = setInterval(() => procs.forEach((p, k) => { last[k] = cpuSeconds(p.pid!) ?? last[k]!; }), 100);
      try {
        const s = await runDse(cfg, join(dir, `queue-${workers}`), {
          progress: false, report: false, backend: (c) => queueBackend(c, { target: parseQueueUrl(redis.url), name: `bench-${workers}`, log: () => {} }),
        });
        await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
        return { s, cpu: last.reduce((a, x, k) => a + x - cpu0[k]!, 0) };
      } finally {
        clearInterval(poll);
      }
    };
    const best = (a: { s: DseSummary; cpu: number }, b: { s: DseSummary; cpu: number }) => (a.s.seconds <= b.s.seconds ? a : b);
    let one = await viaQueue(1);
    let two = await viaQueue(2);
    one = best(one, await viaQueue(1));
    two = best(two, await viaQueue(2));
    rows.push({ name: '1 worker process via Redis', value: one.s.pointsPerSecond, unit: ' points/s', ratio: one.s.pointsPerSecond / local.pointsPerSecond, note: 'ratio: vs local pool' });
    rows.push({ name: '2 worker processes via Redis', value: two.s.pointsPerSecond, unit: ' points/s', ratio: two.s.pointsPerSecond / one.s.pointsPerSecond, note: 'ratio: vs 1 worker process (target ≥ 1.7 on 2 cores)' });
    const cores1 = one.cpu / one.s.seconds;
    const cores2 = two.cpu / two.s.seconds;
    rows.push({ name: 'cores the 2 workers obtained', value: cores2, unit: '', note: `worker CPU time / run wall time (1 worker: ${cores1.toFixed(2)})` });
    rows.push({
      name: 'points per worker CPU second, 2 workers', value: BUDGET / two.cpu, unit: '', ratio: (BUDGET / two.cpu) / (BUDGET / one.cpu),
      note: 'ratio: vs 1 worker (1.00: a second worker costs no extra CPU); speed-up = this × cores obtained by 2 / by 1',
    });
    const same = ['points.csv', 'pareto.csv'].every((f) => existsSync(join(dir, 'queue-2', f)) &&
      readFileSync(join(dir, 'queue-2', f), 'utf8') === readFileSync(join(dir, 'local', f), 'utf8'));
    rows.push({ name: 'load average (1 min) before / after', value: load0, unit: '', note: `${loadavg()[0]!.toFixed(2)} after; queue outputs ${same ? 'identical to' : 'DIFFER from'} the local run's` });
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export default { title: 'Design-space exploration on a queue (BullMQ/Redis)', run } satisfies BenchModule;
