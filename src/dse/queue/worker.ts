/**
 * `vitforge worker`: joins a DSE run on a Redis (the oldest open one, or `--run ID`), fetches its
 * inputs into the local cache, and takes the run's jobs from its BullMQ queue with `--jobs N`
 * evaluation threads until the run ends. The main thread only talks to Redis (so BullMQ keeps
 * renewing job locks however long a job runs); a worker killed mid-job leaves a job whose lock
 * expires, and BullMQ's stalled-job check in the other workers puts it back on the queue.
 */
import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker as Thread } from 'node:worker_threads';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { VERSION } from '../../version.js';
import { accuracyKey } from '../accuracy.js';
import type { EvalConfig } from '../evaluate.js';
import { pointObject, type Space } from '../space.js';
import { connectRedis, watchConnection } from './connect.js';
import { createJobHandler, type ThreadReply, type ThreadRequest } from './handler.js';
import { BlobCache } from './inputs.js';
import {
  ALIVE_TTL_MS, BULL_PREFIX, jobHeader, keys, parseJob, ProtocolError, RUN_ID_RE, SILENT_MS, type PointsResult, type WorkerInfo,
} from './protocol.js';
import { redactedUrl, type QueueTarget } from './url.js';

/** Prefix of a failed job's reason when the failure is a user mistake (the coordinator prints it as one). */
export const USER_ERROR_TAG = 'vitforge-user-error:';

export interface WorkerRunOptions {
  readonly target: QueueTarget;
  /** Evaluation threads (and BullMQ concurrency). */
  readonly jobs: number;
  /** Serve only this run. */
  readonly run?: string;
  readonly cacheDir: string;
  /** After a run ends, wait for the next one instead of returning. */
  readonly forever?: boolean;
  /** BullMQ lock duration: a killed worker's job is retried elsewhere after about this long. */
  readonly lockSeconds?: number;
  /** One line per job started and done. */
  readonly verbose?: boolean;
  readonly log: (line: string) => void;
  /** Stop taking jobs, finish the ones running, return. */
  readonly signal?: AbortSignal;
}

export interface WorkerSummary {
  readonly runs: number;
  readonly jobs: number;
  /** Set when the worker refused a run (another vitforge version). */
  readonly refused?: string;
}

interface Lane {
  call(req: ThreadRequest): Promise<ThreadReply>;
  close(): Promise<void>;
}

/** The compiled thread script, or undefined when running from the TypeScript sources. */
function threadScript(): string | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const path = fileURLToPath(new URL('./thread.js', import.meta.url));
  return existsSync(path) ? path : undefined;
}

async function threadLane(script: string, cfg: EvalConfig): Promise<Lane> {
  const t = new Thread(script, { workerData: { config: cfg } });
  let crash: Error | undefined;
  let current: ((e: Error) => void) | undefined;
  t.on('error', (e: Error) => { crash = e; current?.(e); });
  t.on('exit', (code) => { crash ??= new Error(`evaluation thread exited (code ${code})`); current?.(crash); });
  return {
    call: (req) => new Promise((resolve, reject) => {
      if (crash) return reject(crash);
      current = reject;
      t.once('message', (m: ThreadReply) => { current = undefined; resolve(m); });
      t.postMessage(req);
    }),
    close: async () => { await t.terminate(); },
  };
}

/** Threads handed out one job at a time (`jobs` of them, replaced when one dies). */
class Lanes {
  private readonly idle: Lane[] = [];
  private readonly waiting: ((l: Lane) => void)[] = [];
  private readonly all = new Set<Lane>();
  private closed = false;
  constructor(private readonly make: () => Promise<Lane>) {}

  static async create(cfg: EvalConfig, n: number): Promise<Lanes> {
    const script = threadScript();
    const make = script
      ? () => threadLane(script, cfg)
      : async (): Promise<Lane> => {
        // From the TypeScript sources (tests): evaluate on the main thread.
        const handle = await createJobHandler(cfg);
        return { call: handle, close: async () => {} };
      };
    const lanes = new Lanes(make);
    for (let i = 0; i < n; i++) lanes.release(await lanes.add());
    return lanes;
  }

  private async add(): Promise<Lane> {
    const l = await this.make();
    this.all.add(l);
    return l;
  }

  private release(l: Lane): void {
    const w = this.waiting.shift();
    if (w) w(l);
    else this.idle.push(l);
  }

  async run(req: ThreadRequest): Promise<ThreadReply> {
    const lane = this.idle.pop() ?? (await new Promise<Lane>((r) => this.waiting.push(r)));
    try {
      const reply = await lane.call(req);
      this.release(lane);
      return reply;
    } catch (e) {
      // The thread died (out of memory, …): replace it; the job fails and BullMQ retries it.
      this.all.delete(lane);
      void lane.close();
      if (!this.closed) this.release(await this.add());
      throw e;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((l) => l.close()));
  }
}

function jobError(reply: Extract<ThreadReply, { type: 'fatal' }>, restore: (t: string) => string): Error {
  // A user mistake fails the same way everywhere: no retry, the coordinator prints it.
  if (reply.user) return new UnrecoverableError(USER_ERROR_TAG + JSON.stringify({ ...reply.user, message: restore(reply.user.message) }));
  return new Error(`DSE evaluation failed: ${restore(reply.message)}`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How long the run's coordinator has been silent (Redis' clock: the key's remaining lifetime). */
async function silentMs(redis: Redis, run: string): Promise<number> {
  const ttl = await redis.pttl(keys.alive(run));
  return ttl < 0 ? Infinity : ALIVE_TTL_MS - ttl;
}

/** Message for a run (or one job of it) this worker's version cannot serve. */
function refusal(run: string, theirs: string | undefined, job?: string): string {
  const what = job ? `job ${job} of run ${run}: it was queued by` : `the jobs of run ${run}: it was started by`;
  return `refusing ${what} vitforge ${theirs ?? '(unknown version)'}, ` +
    `this worker is vitforge ${VERSION}; run the same vitforge version on the coordinator and every worker`;
}

export async function runWorker(o: WorkerRunOptions): Promise<WorkerSummary> {
  const url = redactedUrl(o.target);
  const me = `${hostname()}:${process.pid}`;
  const log = (line: string): void => o.log(`vitforge worker ${me}: ${line}`);
  // A worker may start before its Redis (compose, systemd): wait for it up to a minute.
  const redis = await connectRedis(o.target, 'vitforge-worker', '--queue', 60_000);
  watchConnection(redis, 'redis', log);
  const cache = new BlobCache(o.cacheDir);
  let runs = 0;
  let jobs = 0;
  const refusedRuns = new Set<string>();
  try {
    for (;;) {
      const run = await waitForRun(redis, o, url, log, refusedRuns);
      if (run === undefined) break; // stopped
      if ('refused' in run) return { runs, jobs, refused: run.refused };
      let served;
      try {
        served = await serveRun(redis, run.id, run.manifest, cache, o, log);
      } catch (e) {
        // Inputs that fail validation (a hash mismatch, a malformed manifest): say so, and stop.
        if (!(e instanceof ProtocolError)) throw e;
        const msg = `cannot serve run ${run.id}: ${e.message}`;
        await redis.rpush(keys.notices(run.id), `worker ${me} (vitforge ${VERSION}) ${msg}`).catch(() => undefined);
        return { runs, jobs, refused: msg };
      }
      runs++;
      jobs += served.done;
      if (served.refused) return { runs, jobs, refused: served.refused };
      if (!o.forever || o.signal?.aborted) break;
    }
  } finally {
    redis.disconnect();
  }
  return { runs, jobs };
}

/** The run to serve next; undefined once `signal` aborts; `refused` when only runs of another version are open. */
async function waitForRun(
  redis: Redis, o: WorkerRunOptions, url: string, log: (l: string) => void, refusedRuns: Set<string>,
): Promise<{ id: string; manifest: string } | { refused: string } | undefined> {
  let said = false;
  while (!o.signal?.aborted) {
    const ids = o.run ? [o.run] : await redis.zrange(keys.runs, 0, -1);
    let incompatible: string | undefined;
    for (const id of ids) {
      if (!RUN_ID_RE.test(id)) continue;
      const meta = await redis.hgetall(keys.meta(id));
      if (meta.state !== 'open') continue;
      // A run whose coordinator is gone (until `dse --resume`) must not hold up the next one.
      if (!o.run && (await silentMs(redis, id)) > SILENT_MS) continue;
      if (meta.version !== VERSION) {
        const msg = refusal(id, meta.version);
        if (!refusedRuns.has(id)) {
          refusedRuns.add(id);
          log(msg);
          await redis.rpush(keys.notices(id), `worker ${hostname()}:${process.pid} (vitforge ${VERSION}) ${msg}`);
        }
        incompatible ??= msg;
        continue;
      }
      if (!meta.manifest) continue;
      return { id, manifest: meta.manifest };
    }
    if (incompatible && !o.forever) return { refused: incompatible };
    if (!said) {
      log(o.run ? `waiting for run ${o.run} on ${url}` : `waiting for a DSE run on ${url}`);
      said = true;
    }
    await sleep(200);
  }
  return undefined;
}

/** Take the jobs of one run until it ends (or `signal` aborts, or a job of another version comes). */
async function serveRun(
  redis: Redis, run: string, manifestSha: string, cache: BlobCache, o: WorkerRunOptions, log: (l: string) => void,
): Promise<{ done: number; refused?: string }> {
  const { local, restore } = await cache.load(redis, run, manifestSha);
  const space: Space = local.space;
  const lanes = await Lanes.create(local, o.jobs);
  const accCache = new Map<string, string>();
  const lockMs = Math.round((o.lockSeconds ?? 10) * 1000);
  let done = 0;
  let refusedJob: string | undefined;
  log(`joined run ${run} (${o.jobs} evaluation thread${o.jobs > 1 ? 's' : ''})`);

  const processor = async (job: Job, token?: string): Promise<unknown> => {
    const t0 = Date.now();
    const result = await take(job, token);
    if (o.verbose) log(`job ${job.id} done in ${Date.now() - t0} ms`);
    return result;
  };
  const take = async (job: Job, token?: string): Promise<unknown> => {
    let header;
    try {
      header = jobHeader(job.data);
    } catch (e) {
      throw new UnrecoverableError(`malformed job ${job.id}: ${(e as Error).message}`);
    }
    if (header.v !== VERSION) {
      // Hand the job back untouched for a worker of the right version, and leave the run.
      refusedJob ??= refusal(run, header.v, job.id);
      await job.moveToWait(token);
      void worker.pause(true);
      throw new WaitingError();
    }
    let data;
    try {
      data = parseJob(job.data, run, space);
    } catch (e) {
      if (e instanceof ProtocolError) throw new UnrecoverableError(`invalid job ${job.id}: ${e.message}`);
      throw e;
    }
    if (o.verbose) log(`${data.kind} job ${job.id} started${data.kind === 'points' ? ` (${data.ids.length} points)` : ''}`);
    if (data.kind === 'accuracy') {
      if (await redis.hexists(keys.acc(run), data.key)) return { key: data.key };
      if (accuracyKey(pointObject(space, data.idx)) !== data.key) throw new UnrecoverableError(`invalid job ${job.id}: its point does not have the type set it names`);
      const reply = await lanes.run({ type: 'accuracy', idx: data.idx });
      if (reply.type === 'fatal') throw jobError(reply, restore);
      if (reply.type !== 'accuracy') throw new Error('unexpected thread reply');
      const result = 'user' in reply.result ? { user: { ...reply.result.user, message: restore(reply.result.user.message) } } : reply.result;
      await redis.hset(keys.acc(run), data.key, JSON.stringify(result));
      done++;
      return { key: data.key };
    }
    let acc: [string, string][] = [];
    if (local.accuracy) {
      const need = [...new Set(data.idx.map((idx) => accuracyKey(pointObject(space, idx))))];
      const missing = need.filter((k) => !accCache.has(k));
      if (missing.length > 0) {
        const got = await redis.hmget(keys.acc(run), ...missing);
        missing.forEach((k, i) => { if (got[i] !== null) accCache.set(k, got[i]!); });
      }
      acc = need.filter((k) => accCache.has(k)).map((k) => [k, accCache.get(k)!]);
    }
    const reply = await lanes.run({ type: 'points', ids: data.ids, idx: data.idx, acc });
    if (reply.type === 'fatal') throw jobError(reply, restore);
    if (reply.type !== 'points') throw new Error('unexpected thread reply');
    done++;
    const records = reply.result.records.map((r) => ({ ...r, detail: restore(r.detail), reasons: r.reasons.map(restore) }));
    return { records, pending: reply.result.pending } satisfies PointsResult;
  };

  const conn = redis.duplicate();
  const worker: Worker = new Worker(run, processor, {
    connection: conn,
    prefix: BULL_PREFIX,
    concurrency: o.jobs,
    lockDuration: lockMs,
    stalledInterval: Math.max(500, Math.round(lockMs / 2)),
    // A job whose worker died is retried; one that kills every worker it lands on fails the run.
    maxStalledCount: 5,
    drainDelay: 1,
  });
  watchConnection(worker, 'queue', log);
  worker.on('failed', (job, err) => {
    if (err instanceof WaitingError || err?.name === 'WaitingError') return;
    log(`job ${job?.id} failed: ${err?.message.replace(USER_ERROR_TAG, '')}`);
  });

  const info = (): string => JSON.stringify({ host: hostname(), pid: process.pid, jobs: o.jobs, version: VERSION, seen: Date.now() } satisfies WorkerInfo);
  const me = `${hostname()}:${process.pid}`;
  let ended = false;
  let left = false;
  try {
    for (;;) {
      await redis.hset(keys.workers(run), me, info());
      if (refusedJob) {
        log(refusedJob);
        await redis.rpush(keys.notices(run), `worker ${me} (vitforge ${VERSION}) ${refusedJob}`);
        break;
      }
      const state = await redis.hget(keys.meta(run), 'state');
      ended = state !== 'open';
      if (ended || o.signal?.aborted) break;
      if ((await silentMs(redis, run)) > SILENT_MS) {
        log(`the coordinator of run ${run} has been silent for a minute: leaving the run (\`vitforge dse --resume DIR\` brings it back)`);
        left = true;
        break;
      }
      await sleep(1000);
    }
  } finally {
    // The run ended: drop what is running (nobody wants it). Stopped (Ctrl-C): finish it first.
    await worker.close(ended);
    conn.disconnect();
    await lanes.close();
    await redis.hdel(keys.workers(run), me).catch(() => undefined);
  }
  if (!refusedJob && !left) log(`run ${run} ended: ${done} job${done === 1 ? '' : 's'} done here`);
  return { done, refused: refusedJob };
}
