/**
 * Evaluation backends: in-process (tests, --jobs 1, or when running from TypeScript sources) and
 * a node:worker_threads pool running the compiled `worker.js`. Both return records for the
 * points they finished; after an abort, points still in flight are simply absent, so the caller
 * keeps every finished point and nothing half-done.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { accuracyKey } from './accuracy.js';
import { createEvaluator, type EvalConfig, type EvalDeps, type PointRecord } from './evaluate.js';
import { pointObject } from './space.js';

/** FNV-1a of a string (stable across runs and processes). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export interface Job {
  readonly id: number;
  readonly idx: Int32Array;
}

export interface Backend {
  /** 'queue': a BullMQ queue on Redis served by `vitforge worker` processes (queue/coordinator.ts). */
  readonly kind: 'in-process' | 'workers' | 'queue';
  readonly jobs: number;
  /** What `--resume` needs to reconnect to this backend (stored in dse.json as `backend`). */
  readonly resume?: Readonly<Record<string, unknown>>;
  /**
   * Records of the finished jobs, in id order. Stops early (partial result) once `signal` aborts.
   * A backend may hand records to `onRecords` as they finish (each record once, in any order).
   */
  evaluate(
    jobs: readonly Job[], signal?: AbortSignal, onProgress?: (done: number) => void, onRecords?: (records: readonly PointRecord[]) => void,
  ): Promise<PointRecord[]>;
  close(): Promise<void>;
}

/** Yield to the event loop every CHUNK points so Ctrl-C is handled during in-process runs. */
const CHUNK = 64;
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

export async function inProcessBackend(cfg: EvalConfig, deps?: EvalDeps): Promise<Backend> {
  const evaluate = await createEvaluator(cfg, deps);
  return {
    kind: 'in-process',
    jobs: 1,
    async evaluate(jobs, signal, onProgress) {
      const out: PointRecord[] = [];
      let reported = 0;
      for (let i = 0; i < jobs.length; i++) {
        if (i > 0 && i % CHUNK === 0) {
          onProgress?.(i - reported);
          reported = i;
          await tick();
        }
        if (signal?.aborted) break;
        out.push(evaluate(jobs[i]!.idx, jobs[i]!.id));
      }
      onProgress?.(out.length - reported);
      return out;
    },
    async close() {},
  };
}

/**
 * The compiled worker script next to this module, or undefined when this module runs from the
 * TypeScript sources (vitest): workers only run compiled JavaScript.
 */
export function workerScript(): string | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const path = fileURLToPath(new URL('./worker.js', import.meta.url));
  return existsSync(path) ? path : undefined;
}

interface WorkerReply {
  readonly type: 'result' | 'fatal';
  readonly records?: PointRecord[];
  readonly message?: string;
  /** Set when the failure is a user mistake (rebuilt as a UserError here). */
  readonly user?: { field: string; message: string; allowed?: string };
}

/**
 * `affinity` (optional) pins each point to one worker (affinity % jobs): with the accuracy
 * objective every datatype configuration then lives in one worker's cache and is simulated once.
 */
export async function workerBackend(cfg: EvalConfig, jobs: number, script: string, affinity?: (idx: Int32Array) => number): Promise<Backend> {
  const workers = Array.from({ length: jobs }, () => new Worker(script, { workerData: { config: cfg } }));
  let failure: Error | undefined;
  const fail = (e: Error): void => { failure ??= e; };
  for (const w of workers) w.on('error', fail);

  /** Send one chunk to a worker; resolves with its records. */
  const run = (w: Worker, chunk: readonly Job[]): Promise<PointRecord[]> =>
    new Promise((resolve, reject) => {
      const onMsg = (m: WorkerReply): void => {
        cleanup();
        if (m.type === 'fatal') reject(m.user ? new UserError(m.user.field, m.user.message, m.user.allowed) : new Error(`DSE worker failed: ${m.message}`));
        else resolve(m.records!);
      };
      const onErr = (e: Error): void => { cleanup(); reject(e); };
      const cleanup = (): void => { w.off('message', onMsg); w.off('error', onErr); };
      w.on('message', onMsg);
      w.on('error', onErr);
      w.postMessage({ ids: chunk.map((j) => j.id), idx: chunk.map((j) => j.idx) });
    });

  return {
    kind: 'workers',
    jobs,
    async evaluate(list, signal, onProgress) {
      // Small chunks keep both workers busy to the end of a batch and bound the loss on Ctrl-C.
      const size = Math.max(1, Math.min(CHUNK, Math.ceil(list.length / (jobs * 4))));
      const chunked = (js: readonly Job[]): Job[][] => {
        const out: Job[][] = [];
        for (let i = 0; i < js.length; i += size) out.push(js.slice(i, i + size));
        return out;
      };
      // One shared queue, or one queue per worker when points are pinned.
      const queues: Job[][][] = affinity
        ? workers.map((_, w) => chunked(list.filter((j) => affinity(j.idx) % jobs === w)))
        : [chunked(list)];
      const done: PointRecord[][] = [];
      const lane = async (w: Worker, k: number): Promise<void> => {
        const queue = queues[affinity ? k : 0]!;
        while (queue.length > 0 && !signal?.aborted && !failure) {
          const recs = await run(w, queue.shift()!);
          if (signal?.aborted) return; // finished after the abort: dropped like any in-flight work
          done.push(recs);
          onProgress?.(recs.length);
        }
      };
      let onAbort = (): void => {};
      const aborted = new Promise<void>((resolve) => { onAbort = resolve; });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await Promise.race([Promise.all(workers.map((w, k) => lane(w, k))), aborted]);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
      if (failure) throw failure;
      return done.flat().sort((a, b) => a.id - b.id);
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Workers when more than one job is asked for and the compiled worker exists; else in-process. */
export async function createBackend(cfg: EvalConfig, jobs: number, deps?: EvalDeps): Promise<Backend> {
  const script = workerScript();
  if (jobs > 1 && script && !deps) {
    const affinity = cfg.accuracy ? (idx: Int32Array): number => hash(accuracyKey(pointObject(cfg.space, idx))) : undefined;
    return workerBackend(cfg, jobs, script, affinity);
  }
  return inProcessBackend(cfg, deps);
}
