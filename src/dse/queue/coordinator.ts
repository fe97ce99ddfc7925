/**
 * `vitforge dse --queue URL`: the evaluation backend (pool.ts `Backend`) that puts a batch's
 * points on the run's BullMQ queue as jobs of up to 64 points, hands each finished record to the
 * run loop as it arrives, and returns the batch in point-id order — the run loop (run.ts) then
 * tells the strategy, exactly as with the local pool, so the points and the front depend on the
 * seed only, never on the number of workers or the order results arrive.
 *
 * Accuracy: a points job returns the points whose type set has no accuracy yet as `pending`; the
 * coordinator queues one accuracy job per such type set (job id derived from the type set, so it
 * is measured once however many points share it), and queues those points again once it is done.
 *
 * Faults: a job's result is taken once per point id, whatever the retries (a killed worker's job
 * comes back through BullMQ's stalled-job check and may finish twice); results missed while the
 * coordinator was away (killed, Redis restarting) are found by a periodic check of the jobs still
 * awaited and, on `--resume`, by reading the finished jobs of the run left in Redis.
 */
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { UserError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { metricColumns, type EvalConfig, type PointRecord } from '../evaluate.js';
import type { Backend, Job } from '../pool.js';
import { connectRedis, watchConnection } from './connect.js';
import { sha256, uploadInputs } from './inputs.js';
import {
  ALIVE_TTL_MS, BULL_PREFIX, keys, parsePointsResult, parseWorkerInfo, ProtocolError, RUN_ID_RE,
  type AccuracyJob, type JobData, type PointsJob,
} from './protocol.js';
import { redactedUrl, type QueueTarget } from './url.js';
import { USER_ERROR_TAG } from './worker.js';

export interface QueueBackendOptions {
  readonly target: QueueTarget;
  /** Reconnect to this run (`--resume`); otherwise a new run id is made from `name`. */
  readonly run?: string;
  /** Readable part of a new run id (the output folder's name). */
  readonly name?: string;
  /** Messages for the user (stderr). */
  readonly log?: (line: string) => void;
}

/** What dse.json keeps under `backend` for `--resume`. */
export interface QueueResume {
  readonly kind: 'queue';
  /** Without the password. */
  readonly url: string;
  readonly run: string;
}

const MAX_CHUNK = 64;
/** Seconds between checks of the awaited jobs (results whose event was missed). */
const RECONCILE_MS = 3000;
const JOB_OPTIONS: JobsOptions = { attempts: 3, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false };

interface Waiter {
  readonly name: 'points' | 'accuracy';
  readonly data: JobData;
  readonly done: (value: unknown) => void;
  readonly failed: (reason: string) => void;
}

export function newRunId(name = 'dse'): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'dse';
  return `${slug}-${randomBytes(4).toString('hex')}`;
}

function sameIdx(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function jobFailure(jobId: string, reason: string): Error {
  if (reason.startsWith(USER_ERROR_TAG)) {
    try {
      const u = JSON.parse(reason.slice(USER_ERROR_TAG.length)) as { field: string; message: string; allowed?: string };
      return new UserError(String(u.field), String(u.message), u.allowed === undefined ? undefined : String(u.allowed));
    } catch {
      // fall through
    }
  }
  return new Error(`DSE job ${jobId} failed on a worker: ${reason}`);
}

export async function queueBackend(cfg: EvalConfig, o: QueueBackendOptions): Promise<Backend & { readonly resume: QueueResume }> {
  const log = o.log ?? ((line: string) => process.stderr.write(`vitforge: ${line}\n`));
  const url = redactedUrl(o.target);
  const field = o.run ? '--resume' : '--queue';
  if (o.run !== undefined && !RUN_ID_RE.test(o.run)) throw new UserError(field, `invalid run id '${o.run}'`);
  const redis: Redis = await connectRedis(o.target, 'vitforge-dse', '--queue');
  const columns = metricColumns(cfg).length;
  const nObjectives = cfg.objectives.length;

  // The run: a new one, or the one a killed/interrupted coordinator left (same id, same inputs).
  const run = o.run ?? newRunId(o.name);
  const meta = await redis.hgetall(keys.meta(run));
  if (meta.version && meta.version !== VERSION) {
    redis.disconnect();
    throw new UserError(field, `run ${run} on ${url} was started by vitforge ${meta.version}; this is vitforge ${VERSION}`);
  }
  const reconnect = meta.state === 'open';
  let manifest: string;
  try {
    manifest = await uploadInputs(redis, run, cfg);
  } catch (e) {
    redis.disconnect();
    throw e;
  }
  if (reconnect && meta.manifest !== manifest) {
    redis.disconnect();
    throw new UserError(field, `run ${run} on ${url} holds other inputs than this run's (model, space or calibration files changed)`);
  }
  const created = meta.created ?? String(Date.now());
  await redis.hset(keys.meta(run), { version: VERSION, state: 'open', manifest, created });
  await redis.persist(keys.meta(run));
  await redis.zadd(keys.runs, 'NX', created, run);
  const alive = (): Promise<unknown> => redis.set(keys.alive(run), String(process.pid), 'PX', ALIVE_TTL_MS);
  await alive();

  const eventsKey = `${BULL_PREFIX}:${run}:events`;
  const last = await redis.xrevrange(eventsKey, '+', '-', 'COUNT', 1);
  // BullMQ gets connections of its own (it leaves connections it is given open: closed below).
  const conns = [redis.duplicate(), redis.duplicate()];
  // Completion events carry the records: a short event stream keeps Redis small (a result whose
  // event was trimmed away unread is found by the periodic check below).
  const queue = new Queue(run, { connection: conns[0]!, prefix: BULL_PREFIX, defaultJobOptions: JOB_OPTIONS, streams: { events: { maxLen: 2000 } } });
  const events = new QueueEvents(run, { connection: conns[1]!, prefix: BULL_PREFIX, lastEventId: last[0]?.[0] ?? '0-0' });
  watchConnection(redis, 'redis', log);
  watchConnection(queue, 'queue', log);
  watchConnection(events, 'queue events', log);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);

  const outstanding = new Map<string, Waiter>();
  /** Results an earlier coordinator of this run did not collect, by point id. */
  const harvest = new Map<number, PointRecord>();
  /** Points jobs an earlier coordinator queued that are still to run: point id → job id, value indices. */
  const live = new Map<number, { jobId: string; idx: readonly number[] }>();
  /** Type sets measured (their accuracy is in the run's Redis cache). */
  const measured = new Set<string>();
  let threads = 0;
  let maxThreads = 0;

  const settle = (jobId: string, outcome: { value: unknown } | { reason: string }): void => {
    const w = outstanding.get(jobId);
    if (!w) return;
    outstanding.delete(jobId);
    if ('value' in outcome) {
      // Collected: the job is no longer needed in Redis (its records are in points.jsonl next).
      void queue.remove(jobId).catch(() => undefined);
      w.done(outcome.value);
    } else {
      w.failed(outcome.reason);
    }
  };
  events.on('completed', ({ jobId, returnvalue }) => settle(jobId, { value: returnvalue }));
  events.on('failed', ({ jobId, failedReason }) => settle(jobId, { reason: failedReason }));
  events.on('stalled', ({ jobId }) => {
    log(`job ${jobId} stalled (its worker stopped or lost Redis): BullMQ put it back on the queue for another worker`);
  });

  if (reconnect) {
    for (const id of await redis.hkeys(keys.acc(run))) measured.add(id);
    for (const job of await queue.getJobs(['completed'], 0, -1)) {
      if (!job?.id) continue;
      if ((job.data as JobData)?.kind === 'points') {
        try {
          for (const r of parsePointsResult(job.returnvalue, columns, nObjectives).records) harvest.set(r.id, r);
        } catch {
          // an unreadable result: those points are simply evaluated again
        }
      }
      await queue.remove(job.id).catch(() => undefined);
    }
    for (const job of await queue.getJobs(['failed'], 0, -1)) if (job?.id) await queue.remove(job.id).catch(() => undefined);
    for (const job of await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized'], 0, -1)) {
      const data = job?.data as JobData | undefined;
      if (job?.id && data?.kind === 'points' && Array.isArray(data.ids)) data.ids.forEach((id, i) => live.set(id, { jobId: job.id!, idx: data.idx[i]! }));
    }
    log(`reconnected to run ${run} on ${url}: ${harvest.size} results collected while away, ${live.size} points still queued`);
  } else {
    log(`run ${run} queued on ${url}; start workers with: vitforge worker --queue ${url}`);
  }

  /**
   * Workers whose heartbeat changed in the last 10 s (judged on this machine's clock only, so the
   * workers' clocks need not agree with it), with their thread counts.
   */
  const heartbeats = new Map<string, { text: string; at: number }>();
  const liveWorkers = async (): Promise<number[]> => {
    const now = Date.now();
    const live: number[] = [];
    for (const [id, text] of Object.entries(await redis.hgetall(keys.workers(run)))) {
      const prev = heartbeats.get(id);
      if (!prev || prev.text !== text) heartbeats.set(id, { text, at: now });
      const w = parseWorkerInfo(text);
      if (w && now - heartbeats.get(id)!.at < 10_000) live.push(w.jobs);
    }
    return live;
  };
  const t0 = Date.now();
  let hinted = false;
  /** Run `tick` every `ms`, skipping a beat while the last one still waits (e.g. on a Redis restart). */
  const every = (ms: number, tick: () => Promise<void>): NodeJS.Timeout => {
    let busy = false;
    return setInterval(() => {
      if (busy) return;
      busy = true;
      tick().catch(() => undefined).finally(() => { busy = false; });
    }, ms);
  };
  const watch = every(1000, async () => {
    await alive();
    for (;;) {
      const note = await redis.lpop(keys.notices(run));
      if (note === null) break;
      log(note.slice(0, 1000));
    }
    const now = Date.now();
    const n = (await liveWorkers()).reduce((a, b) => a + b, 0);
    threads = n;
    maxThreads = Math.max(maxThreads, n);
    if (n === 0 && !hinted && now - t0 > 5000 && outstanding.size > 0) {
      hinted = true;
      log(`no worker has joined run ${run} yet: start \`vitforge worker --queue ${url}\` on each host`);
    }
  });
  // Results whose event this coordinator missed, and jobs Redis lost (restarted without them).
  const reconcile = every(RECONCILE_MS, async () => {
    for (const [jobId, w] of [...outstanding]) {
      const state = await queue.getJobState(jobId);
      if (state === 'completed') settle(jobId, { value: (await queue.getJob(jobId))?.returnvalue });
      else if (state === 'failed') settle(jobId, { reason: (await queue.getJob(jobId))?.failedReason ?? 'failed' });
      else if (state === 'unknown' && outstanding.get(jobId) === w) await queue.add(w.name, w.data, { jobId });
    }
  });

  let batchNo = 0;

  const backend = {
    kind: 'queue' as const,
    get jobs(): number {
      return Math.max(1, maxThreads);
    },
    resume: { kind: 'queue', url, run } satisfies QueueResume,

    async evaluate(
      list: readonly Job[], signal?: AbortSignal, onProgress?: (done: number) => void, onRecords?: (records: readonly PointRecord[]) => void,
    ): Promise<PointRecord[]> {
      if (list.length === 0) return [];
      const batch = ++batchNo;
      const want = new Map(list.map((j) => [j.id, j]));
      const done = new Map<number, PointRecord>();
      let finish!: () => void;
      let fail!: (e: Error) => void;
      const finished = new Promise<void>((res, rej) => { finish = res; fail = rej; });
      const current = (): boolean => batch === batchNo;
      /** Points whose type set is being measured, by type set. */
      const waiting = new Map<string, number[]>();
      /** How often each point came back pending for a type set already measured. */
      const repeats = new Map<number, number>();
      const accAttempts = new Map<string, number>();

      const deliver = (records: readonly PointRecord[]): void => {
        if (!current()) return;
        const fresh: PointRecord[] = [];
        for (const r of records) {
          const j = want.get(r.id);
          if (!j || done.has(r.id) || !sameIdx(j.idx, r.idx)) continue;
          done.set(r.id, r);
          fresh.push(r);
        }
        if (fresh.length > 0) {
          onRecords?.(fresh);
          onProgress?.(fresh.length);
        }
        if (done.size === want.size) finish();
      };

      const onPoints = (value: unknown): void => {
        if (!current()) return;
        let result;
        try {
          result = parsePointsResult(value, columns, nObjectives);
        } catch (e) {
          fail(new Error(`a DSE worker sent an unreadable result: ${(e as ProtocolError).message}`));
          return;
        }
        deliver(result.records);
        for (const { id, key } of result.pending) {
          if (!want.has(id) || done.has(id)) continue;
          if (!measured.has(key)) {
            const list = waiting.get(key);
            if (list) list.push(id);
            else {
              waiting.set(key, [id]);
              requestAccuracy(key, want.get(id)!.idx);
            }
            continue;
          }
          // Measured, yet the worker did not see it: it read the cache just before the
          // measurement landed (send the point again), or Redis lost it (measure again).
          const n = (repeats.get(id) ?? 0) + 1;
          repeats.set(id, n);
          if (n <= 2) resend([id]);
          else {
            measured.delete(key);
            repeats.set(id, 0);
            waiting.set(key, [...(waiting.get(key) ?? []), id]);
            requestAccuracy(key, want.get(id)!.idx);
          }
        }
      };

      const requestAccuracy = (key: string, idx: ArrayLike<number>): void => {
        const attempt = (accAttempts.get(key) ?? 0) + 1;
        accAttempts.set(key, attempt);
        if (attempt > 3) {
          fail(new Error('the accuracy of a type set keeps disappearing from Redis; is it evicting keys? (BullMQ needs maxmemory-policy noeviction)'));
          return;
        }
        const data: AccuracyJob = { v: VERSION, run, kind: 'accuracy', key, idx: Array.from(idx) };
        const jobId = `a-${sha256(key).slice(0, 24)}${attempt > 1 ? `-${attempt}` : ''}`;
        outstanding.set(jobId, {
          name: 'accuracy', data,
          done: () => {
            measured.add(key);
            if (!current()) return;
            const ids = waiting.get(key) ?? [];
            waiting.delete(key);
            resend(ids);
          },
          failed: (reason) => { if (current()) fail(jobFailure(jobId, reason)); },
        });
        void queue.add('accuracy', data, { jobId }).catch((e: Error) => fail(e));
      };

      /** Points to queue again, gathered for a moment so that type sets measured together share jobs. */
      let again: number[] = [];
      let againTimer: NodeJS.Timeout | undefined;
      const resend = (ids: readonly number[]): void => {
        again.push(...ids);
        againTimer ??= setTimeout(() => {
          againTimer = undefined;
          const list = again.filter((id) => !done.has(id));
          again = [];
          void send([...new Set(list)].sort((a, b) => a - b).map((id) => want.get(id)!));
        }, 20);
      };

      /** Queue points as jobs of up to 64 points, about 4 jobs per worker thread. */
      const send = async (jobs: readonly Job[]): Promise<void> => {
        if (jobs.length === 0 || !current()) return;
        const size = Math.max(1, Math.min(MAX_CHUNK, Math.ceil(jobs.length / (4 * Math.max(2, threads)))));
        const entries: { name: string; data: PointsJob; opts: JobsOptions }[] = [];
        for (let i = 0; i < jobs.length; i += size) {
          const chunk = jobs.slice(i, i + size);
          const data: PointsJob = { v: VERSION, run, kind: 'points', ids: chunk.map((j) => j.id), idx: chunk.map((j) => Array.from(j.idx)) };
          // Same points, same job id: a job an earlier coordinator of this run queued is reused.
          const jobId = `p-${chunk[0]!.id}-${sha256(JSON.stringify([data.ids, data.idx])).slice(0, 16)}`;
          outstanding.set(jobId, { name: 'points', data, done: onPoints, failed: (reason) => { if (current()) fail(jobFailure(jobId, reason)); } });
          entries.push({ name: 'points', data, opts: { ...JOB_OPTIONS, jobId } });
        }
        try {
          await queue.addBulk(entries);
        } catch (e) {
          fail(e as Error);
        }
      };

      const onAbort = (): void => finish();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        // Results collected while this coordinator was away, then jobs an earlier one queued.
        deliver(list.filter((j) => harvest.has(j.id)).map((j) => harvest.get(j.id)!));
        const adopt = new Map<string, Job[]>();
        const fresh: Job[] = [];
        for (const j of list) {
          if (done.has(j.id)) continue;
          const l = live.get(j.id);
          if (l && sameIdx(l.idx, j.idx)) adopt.set(l.jobId, [...(adopt.get(l.jobId) ?? []), j]);
          else fresh.push(j);
        }
        for (const [jobId] of adopt) {
          const job = await queue.getJob(jobId);
          if (job && !outstanding.has(jobId)) {
            outstanding.set(jobId, { name: 'points', data: job.data as PointsJob, done: onPoints, failed: (reason) => { if (current()) fail(jobFailure(jobId, reason)); } });
          } else if (!job) {
            fresh.push(...adopt.get(jobId)!);
          }
        }
        await send(fresh);
        if (signal?.aborted) finish();
        await finished;
      } finally {
        signal?.removeEventListener('abort', onAbort);
        clearTimeout(againTimer);
        batchNo++;
        for (const id of want.keys()) { harvest.delete(id); live.delete(id); }
        // Jobs of this batch still awaited (after an abort) are left to the run's clean-up.
        for (const [jobId, w] of [...outstanding]) {
          if (w.data.kind === 'points' && w.data.ids.some((id) => want.has(id))) outstanding.delete(jobId);
        }
      }
      return [...done.values()].sort((a, b) => a.id - b.id);
    },

    async close(): Promise<void> {
      clearInterval(watch);
      clearInterval(reconcile);
      try {
        // End the run: workers see the state within a second and leave; then delete its keys.
        await redis.hset(keys.meta(run), 'state', 'ended');
        await redis.zrem(keys.runs, run);
        for (let t = 0; t < 30 && (await liveWorkers()).length > 0; t++) await new Promise((r) => setTimeout(r, 100));
        await queue.obliterate({ force: true }).catch(() => undefined);
        let cursor = '0';
        do {
          const [next, found] = await redis.scan(cursor, 'MATCH', keys.pattern(run), 'COUNT', 1000);
          cursor = next;
          if (found.length > 0) await redis.unlink(...found);
        } while (cursor !== '0');
        await redis.expire(keys.meta(run), 86_400);
      } finally {
        await events.close().catch(() => undefined);
        await queue.close().catch(() => undefined);
        for (const c of conns) c.disconnect();
        redis.disconnect();
      }
    },
  };
  return backend;
}
