import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { intOption } from './options.js';

interface WorkerFlags {
  queue?: string; jobs?: string; run?: string; cache?: string; forever?: boolean; lockSeconds?: string; verbose?: boolean;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('evaluate the design points of `vitforge dse --queue` runs: take jobs from the run\'s queue on Redis until it ends')
    .option('--queue <url>', 'the Redis of the runs: redis://[:PASSWORD@]HOST:PORT[/DB], rediss:// for TLS (password also from VITFORGE_REDIS_PASSWORD)')
    .option('--jobs <n>', 'evaluation threads (default: available cores)')
    .option('--run <id>', 'serve this run only (default: the oldest open run)')
    .option('--forever', 'after a run ends, wait for the next one')
    .option('--cache <dir>', 'local cache of the runs\' inputs (default: ~/.cache/vitforge/queue)')
    .option('--lock-seconds <n>', 'BullMQ job lock: a killed worker\'s job is retried after about this long (default 10)')
    .option('--verbose', 'one line per job started and done (with its time)')
    .action(async (f: WorkerFlags) => {
      if (f.queue === undefined) throw new UserError('--queue', 'the Redis URL of the runs is required', 'redis://HOST:PORT');
      const { availableParallelism } = await import('node:os');
      const { resolve } = await import('node:path');
      const { parseQueueUrl } = await import('../dse/queue/url.js');
      const { defaultCacheDir } = await import('../dse/queue/inputs.js');
      const { runWorker } = await import('../dse/queue/worker.js');
      const { RUN_ID_RE } = await import('../dse/queue/protocol.js');
      const target = parseQueueUrl(f.queue);
      const jobs = intOption('--jobs', f.jobs, 1) ?? availableParallelism();
      const lockSeconds = intOption('--lock-seconds', f.lockSeconds, 1) ?? 10;
      if (f.run !== undefined && !RUN_ID_RE.test(f.run)) throw new UserError('--run', `invalid run id '${f.run}'`);
      // First Ctrl-C / SIGTERM: finish the jobs running, then leave; a second one exits at once.
      const stop = new AbortController();
      const onSignal = (): void => {
        if (stop.signal.aborted) process.exit(130);
        process.stderr.write('\nvitforge worker: stopping after the jobs running (Ctrl-C again to quit now)\n');
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const s = await runWorker({
          target, jobs, run: f.run, cacheDir: f.cache ? resolve(f.cache) : defaultCacheDir(), forever: f.forever, lockSeconds,
          verbose: f.verbose, signal: stop.signal, log: (line) => process.stderr.write(line + '\n'),
        });
        if (s.refused) throw new UserError('worker', s.refused);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
