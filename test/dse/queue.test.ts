/**
 * `vitforge dse --queue` and `vitforge worker` against a real redis-server (test/helpers/redis.ts:
 * a free port, a temporary folder, AOF persistence, a password) with real processes of the built
 * CLI: the same seed gives byte-identical outputs to a local run with two workers, with a worker
 * killed mid-job, with the coordinator killed and resumed, and across a Redis restart; two runs
 * on one Redis stay apart; a worker of another version refuses; rediss:// works.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { designFromObject } from '../../src/design/load.js';
import { resolveRunConfig } from '../../src/dse/config.js';
import { BlobCache, sha256, uploadInputs } from '../../src/dse/queue/inputs.js';
import { createEvaluator } from '../../src/dse/evaluate.js';
import { RandomStrategy } from '../../src/dse/strategies.js';
import { Rng } from '../../src/rng.js';
import { ALIVE_TTL_MS, BULL_PREFIX, keys } from '../../src/dse/queue/protocol.js';
import { runDse } from '../../src/dse/run.js';
import { syntheticWeights } from '../../src/model/weights.js';
import { getPart } from '../../src/hw/parts.js';
import { VERSION } from '../../src/version.js';
import { ensureBuilt, runCliProcess, spawnCli, type Proc } from '../helpers/cli.js';
import { makeTlsFiles, requireRedis, startRedis, type RedisServer } from '../helpers/redis.js';

const HAVE_REDIS = requireRedis();
const tmp = mkdtempSync(join(tmpdir(), 'vf-dse-queue-'));
const PASSWORD = 'vf test/pw';
let redis: RedisServer;
const procs: Proc[] = [];
let n = 0;

// M3ViT-tiny written as a model file and ZCU102 with fewer DSPs as a part file (so both travel
// with the run, and reasons name the part file), calibrated on one block of seeded weights
// written to a folder (so the calibration data travels too).
const MODEL = `name: m3vit-file
image: { height: 128, width: 256, channels: 3 }
patchSize: 16
classToken: pos-embed
dim: 192
depth: 12
heads: 3
mlpHidden: 768
moe: { experts: 16, topK: 2, hidden: 384, tasks: 2, layers: odd }
`;
const modelPath = join(tmp, 'm3vit-file.yaml');
const partPath = join(tmp, 'zcu102-cut.json');
const weightsDir = join(tmp, 'calib');
const common = (): string[] => [
  'dse', '--model', modelPath, '--part', partPath, '--objectives', 'latency,error,dsp', '--calib-layers', '1', '--calib-weights', weightsDir,
  '--strategy', 'nsga2', '--budget', '200', '--population', '40', '--seed', '5', '--no-report',
];
const FILES = ['points.csv', 'pareto.csv', 'points.jsonl', 'best-latency.yaml', 'best-error.yaml', 'best-dsp.yaml'];
const ref = join(tmp, 'ref');

function worker(extra: string[] = []): Proc {
  const p = spawnCli(['worker', '--queue', redis.url, '--jobs', '1', '--cache', join(tmp, `cache-${n++}`), '--lock-seconds', '2', ...extra]);
  procs.push(p);
  return p;
}

function coordinator(out: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Proc {
  const p = spawnCli([...common(), '--queue', redis.url, '--out', out, ...extra], env);
  procs.push(p);
  return p;
}

function expectSameOutputs(out: string, reference = ref, files = FILES): void {
  for (const f of files) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(reference, f), 'utf8'));
}

function jsonlIds(path: string): number[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { id: number }).id);
}

/** The temporary folder a running coordinator writes for `out`. */
function tempOf(out: string, pid: number): string {
  return join(tmp, `.${out.split('/').pop()}.tmp-${pid}`);
}

async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const TINY = 'name: tiny\nimage: { height: 32, width: 32, channels: 3 }\npatchSize: 16\nclassToken: pos-embed\ndim: 32\ndepth: 2\nheads: 2\nmlpHidden: 64\n';

const linesIn = (path: string): number => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).length : 0);

describe.skipIf(!HAVE_REDIS)('dse --queue with worker processes on a real Redis', () => {
  beforeAll(async () => {
    ensureBuilt();
    redis = await startRedis({ password: PASSWORD });
    writeFileSync(modelPath, MODEL);
    writeFileSync(partPath, JSON.stringify({ ...getPart('zcu102'), id: 'zcu102-cut', dsp: 1800 }));
    const model = designFromObject({ model: modelPath }).model;
    mkdirSync(weightsDir);
    const cut = { ...model, depth: 1, blocks: model.blocks.slice(0, 1) };
    for (const t of syntheticWeights(cut, 3).tensors.values()) {
      writeFileSync(join(weightsDir, `${t.name}.float32.bin`), new Uint8Array(Float32Array.from(t.data).buffer));
    }
    const local = await runCliProcess([...common(), '--jobs', '2', '--out', ref]);
    expect(local.err).toBe('');
    expect(local.code).toBe(0);
    expect(readFileSync(join(ref, 'points.csv'), 'utf8')).toContain(`does not fit ${partPath}`);
  }, 240_000);

  afterEach(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  });

  afterAll(async () => {
    await redis?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('two worker processes give byte-identical outputs to the local run; the workers leave when it ends', async () => {
    const w1 = worker();
    const w2 = worker();
    const out = join(tmp, 'two');
    const c = coordinator(out);
    expect(await c.exited).toBe(0);
    expect(c.out()).toMatch(/evaluated 200 points .*worker threads via redis:\/\/127\.0\.0\.1:\d+\)/);
    expect(c.out()).not.toContain(PASSWORD);
    expect(c.err()).toMatch(/run two-[0-9a-f]{8} queued on redis:\/\/127\.0\.0\.1:\d+; start workers with: vitforge worker --queue/);
    expectSameOutputs(out);
    expect(await w1.exited).toBe(0);
    expect(await w2.exited).toBe(0);
    // Both took part (each ran jobs), and the run left nothing in Redis but its ended state.
    for (const w of [w1, w2]) expect(w.err()).toMatch(/run two-\w+ ended: [1-9]\d* jobs? done here/);
    const saved = JSON.parse(readFileSync(join(out, 'dse.json'), 'utf8')) as { backend: { kind: string; url: string; run: string } };
    expect(saved.backend.kind).toBe('queue');
    expect(saved.backend.url).not.toContain(PASSWORD.split('/')[0]);
    const r = new Redis(redis.url);
    try {
      const left = (await r.keys('vitforge:*')).filter((k) => k.includes(saved.backend.run));
      expect(left).toEqual([keys.meta(saved.backend.run)]);
      expect(await r.hget(keys.meta(saved.backend.run), 'state')).toBe('ended');
      expect(await r.zrange(keys.runs, 0, -1)).not.toContain(saved.backend.run);
    } finally {
      r.disconnect();
    }
  });

  it('a worker killed mid-job: its job is retried on the other worker, no point lost or duplicated', async () => {
    const w1 = worker(['--verbose']);
    const w2 = worker();
    const out = join(tmp, 'killw');
    const c = coordinator(out);
    // Kill w1 the moment it starts measuring a type set (≈ 0.1 s of work in its thread).
    await w1.waitFor(/accuracy job \S+ started/);
    w1.child.kill('SIGKILL');
    let maxLines = 0;
    const temp = tempOf(out, c.child.pid!);
    const poll = setInterval(() => {
      if (existsSync(join(temp, 'points.jsonl'))) {
        const ids = jsonlIds(join(temp, 'points.jsonl'));
        expect(new Set(ids).size).toBe(ids.length); // never a point twice, also while running
        maxLines = Math.max(maxLines, ids.length);
      }
    }, 50);
    try {
      expect(await c.exited).toBe(0);
    } finally {
      clearInterval(poll);
    }
    expect(c.err()).toMatch(/job a-\w+ stalled \(its worker stopped or lost Redis\): BullMQ put it back on the queue/);
    expect(await w2.exited).toBe(0);
    expect(maxLines).toBeGreaterThan(0);
    expect(jsonlIds(join(out, 'points.jsonl'))).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expectSameOutputs(out);
  });

  it('a killed coordinator: `dse --resume DIR` reconnects to the run and ends with the same files', async () => {
    const w1 = worker();
    const w2 = worker();
    const out = join(tmp, 'killc');
    const c = coordinator(out);
    const temp = tempOf(out, c.child.pid!);
    await until(() => linesIn(join(temp, 'points.jsonl')) >= 1);
    c.child.kill('SIGKILL');
    await c.exited;
    expect(existsSync(out)).toBe(false); // killed before the end: only the temporary folder exists
    const ids = jsonlIds(join(temp, 'points.jsonl'));
    expect(ids.length).toBeLessThan(200);
    expect(new Set(ids).size).toBe(ids.length);
    // dse.json keeps the URL without its password: it comes from the environment on resume.
    const r = await runCliProcess(['dse', '--resume', out], { VITFORGE_REDIS_PASSWORD: PASSWORD });
    expect(r.err).toMatch(/reconnected to run killc-\w+ on redis:\/\/127\.0\.0\.1:\d+/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/evaluated 200 points .*, \d+ reused from the earlier run\)/);
    expectSameOutputs(out);
    expect(readdirSync(tmp).filter((f) => f.startsWith('.killc.'))).toEqual([]);
    expect(await w1.exited).toBe(0);
    expect(await w2.exited).toBe(0);
  });

  it('Ctrl-C on the coordinator: finished points kept, the run ended (workers leave), --resume completes it', async () => {
    const w1 = worker();
    const w2 = worker();
    const out = join(tmp, 'sigint');
    const c = coordinator(out);
    await until(() => linesIn(join(tempOf(out, c.child.pid!), 'points.jsonl')) >= 1);
    c.child.kill('SIGINT');
    expect(await c.exited).toBe(130);
    expect(c.out()).toMatch(/INTERRUPTED after \d+ points/);
    // The run is over for the workers: they leave even with jobs still queued.
    expect(await w1.exited).toBe(0);
    expect(await w2.exited).toBe(0);
    const w3 = worker();
    const r = await runCliProcess(['dse', '--resume', out], { VITFORGE_REDIS_PASSWORD: PASSWORD });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/evaluated 200 points/);
    expectSameOutputs(out);
    expect(await w3.exited).toBe(0);
  });

  it('Redis stopped and started again mid-run (AOF persistence): the run continues to the same files', async () => {
    const w1 = worker();
    const w2 = worker();
    const out = join(tmp, 'restart');
    const c = coordinator(out);
    await until(() => linesIn(join(tempOf(out, c.child.pid!), 'points.jsonl')) >= 1);
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1000));
    await redis.start();
    expect(await c.exited).toBe(0);
    expect(c.err()).toMatch(/lost the connection to Redis/);
    expect(c.err()).toMatch(/connected to Redis again/);
    expectSameOutputs(out);
    expect(await w1.exited).toBe(0);
    expect(await w2.exited).toBe(0);
  });

  it('inputs travel with the run: a worker evaluates from its cache with the originals gone, hashes checked', async () => {
    const dir = join(tmp, 'inputs');
    mkdirSync(dir);
    const model = join(dir, 'tiny.yaml');
    const part = join(dir, 'part.yaml');
    const weights = join(dir, 'w');
    writeFileSync(model, TINY);
    writeFileSync(part, JSON.stringify({ ...getPart('zcu102'), id: 'small', dsp: 300 }));
    mkdirSync(weights);
    for (const t of syntheticWeights(designFromObject({ model }).model, 4).tensors.values()) {
      writeFileSync(join(weights, `${t.name}.float32.bin`), new Uint8Array(Float32Array.from(t.data).buffer));
    }
    const cfg = await resolveRunConfig({ model, part, objectives: 'latency,error', calibWeights: [weights], strategy: 'random', budget: 40 });
    const r = new Redis(redis.url);
    try {
      const sha = await uploadInputs(r, 'inputs-run', cfg.eval);
      expect(await uploadInputs(r, 'inputs-run', cfg.eval)).toBe(sha);
      // The manifest, the model, the part and each distinct weight file (equal tensors are stored once).
      const distinct = new Set(readdirSync(weights).map((f) => sha256(readFileSync(join(weights, f))))).size;
      expect(distinct).toBeLessThan(readdirSync(weights).length);
      expect((await r.keys(keys.blob('inputs-run', '*'))).length).toBe(3 + distinct);
      const pts: Int32Array[] = new RandomStrategy(cfg.eval.space, new Rng(2)).ask(40);
      const want = await createEvaluator(cfg.eval).then((ev) => pts.map((p, i) => ev(p, i)));
      expect(want.some((x) => x.detail.includes(`does not fit ${part}`))).toBe(true);
      renameSync(dir, `${dir}-gone`);
      const cache = join(tmp, 'blobcache');
      const { local, restore } = await new BlobCache(cache).load(r, 'inputs-run', sha);
      for (const p of [local.space.base.model, local.space.base.part, ...local.accuracy!.weights!]) expect(String(p).startsWith(cache)).toBe(true);
      const got = await createEvaluator(local).then((ev) => pts.map((p, i) => ev(p, i)));
      expect(got.map((x) => ({ ...x, detail: restore(x.detail) }))).toEqual(want);
      // A blob that does not match its hash is refused.
      const modelSha = Object.values(JSON.parse((await r.get(keys.blob('inputs-run', sha)))!).files as Record<string, { sha: string }>)[0]!.sha;
      await r.set(keys.blob('inputs-run', modelSha), 'name: evil');
      await expect(new BlobCache(join(tmp, 'blobcache2')).load(r, 'inputs-run', sha)).rejects.toThrow(/does not match its hash/);
    } finally {
      for (const k of await r.keys('vitforge:run:inputs-run*')) await r.del(k);
      r.disconnect();
    }
  });

  it('wrong password: a one-line error, nothing written', async () => {
    const url = redis.url.replace(encodeURIComponent(PASSWORD), 'wrong');
    const out = join(tmp, 'wrongpw');
    const r = await runCliProcess([...common(), '--queue', url, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^vitforge: error: --queue: redis:\/\/127\.0\.0\.1:\d+: authentication failed/);
    expect(r.err).not.toContain('wrong');
    expect(existsSync(out)).toBe(false);
  });

  it('two runs on one Redis do not see each other\'s jobs', async () => {
    // A small model and random search: both runs at once, served by two workers that go on to the next run.
    const tiny = join(tmp, 'tiny.yaml');
    writeFileSync(tiny, TINY);
    const args = (seed: number, out: string): string[] => ['dse', '--model', tiny, '--objectives', 'latency,error', '--strategy', 'random',
      '--budget', '150', '--seed', String(seed), '--no-report', '--queue', redis.url, '--out', out];
    const a = spawnCli(args(1, join(tmp, 'runA')));
    const b = spawnCli(args(2, join(tmp, 'runB')));
    procs.push(a, b);
    const w1 = worker(['--forever']);
    const w2 = worker(['--forever']);
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    for (const [seed, name] of [[1, 'runA'], [2, 'runB']] as const) {
      const cfg = await resolveRunConfig({ model: tiny, objectives: 'latency,error', strategy: 'random', budget: 150, seed });
      await runDse(cfg, join(tmp, `${name}-local`), { jobs: 1, progress: false, report: false });
      expectSameOutputs(join(tmp, name), join(tmp, `${name}-local`), ['points.csv', 'pareto.csv', 'points.jsonl']);
    }
    // --forever workers wait for the next run; SIGTERM makes them leave cleanly.
    w1.child.kill('SIGTERM');
    w2.child.kill('SIGTERM');
    expect(await w1.exited).toBe(0);
    expect(await w2.exited).toBe(0);
  });

  it('a worker of another vitforge version refuses the job with a clear message and leaves it queued', async () => {
    const r = new Redis(redis.url);
    const conns = [r.duplicate(), r.duplicate()];
    const q1 = new Queue('other-version-run', { connection: conns[0]!, prefix: BULL_PREFIX });
    const q2 = new Queue('mixed-run', { connection: conns[1]!, prefix: BULL_PREFIX });
    try {
      // 1. A run started by another version: the worker refuses it at once.
      await r.hset(keys.meta('other-version-run'), { version: '0.0.9', state: 'open', manifest: '0'.repeat(64), created: '1' });
      await r.zadd(keys.runs, 1, 'other-version-run');
      await r.set(keys.alive('other-version-run'), '1', 'PX', ALIVE_TTL_MS);
      await q1.add('points', { v: '0.0.9', run: 'other-version-run', kind: 'points', ids: [0], idx: [[0]] }, { jobId: 'j1' });
      const w = worker();
      expect(await w.exited).toBe(1);
      expect(w.err()).toMatch(new RegExp(`vitforge: error: worker: refusing the jobs of run other-version-run: it was started by vitforge 0\\.0\\.9, this worker is vitforge ${VERSION.replace(/\./g, '\\.')}; run the same vitforge version`));
      expect(await q1.getJobState('j1')).toBe('waiting');
      expect(await r.lrange(keys.notices('other-version-run'), 0, -1)).toEqual([expect.stringMatching(/refusing the jobs of run other-version-run/)]);
      await r.del(keys.meta('other-version-run'), keys.alive('other-version-run'), keys.notices('other-version-run'));
      await r.zrem(keys.runs, 'other-version-run');

      // 2. A run of this version holding a job of another version: handed back untouched.
      const cfg = await resolveRunConfig({ strategy: 'random', budget: 10 });
      const manifest = await uploadInputs(r, 'mixed-run', cfg.eval);
      await r.hset(keys.meta('mixed-run'), { version: VERSION, state: 'open', manifest, created: '2' });
      await r.set(keys.alive('mixed-run'), '1', 'PX', ALIVE_TTL_MS);
      await q2.add('points', { v: '9.9.9', run: 'mixed-run', kind: 'points', ids: [0], idx: [Array(cfg.eval.space.dims.length).fill(0)] }, { jobId: 'j2' });
      const w2 = worker(['--run', 'mixed-run']);
      expect(await w2.exited).toBe(1);
      expect(w2.err()).toMatch(/vitforge: error: worker: refusing job j2 of run mixed-run: it was queued by vitforge 9\.9\.9, this worker is vitforge/);
      expect(await q2.getJobState('j2')).toBe('waiting');
    } finally {
      await q1.obliterate({ force: true });
      await q2.obliterate({ force: true });
      await q1.close();
      await q2.close();
      for (const k of await r.keys('vitforge:run:mixed-run*')) await r.del(k);
      for (const c of [r, ...conns]) c.disconnect();
    }
  });
});

describe.skipIf(!HAVE_REDIS)('rediss:// (TLS)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vf-dse-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a run over TLS, the server checked against NODE_EXTRA_CA_CERTS; an unknown CA is a one-line error', async (ctx) => {
    const tls = makeTlsFiles(dir);
    if (!tls) {
      console.warn('openssl not found: skipping the TLS test');
      ctx.skip();
      return;
    }
    ensureBuilt();
    const server = await startRedis({ tls, password: 'tls-pw' });
    try {
      const args = (out: string): string[] => ['dse', '--strategy', 'random', '--budget', '300', '--seed', '9', '--no-report', '--queue', server.url, '--out', out];
      const bad = await runCliProcess(args(join(dir, 'bad')));
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/^vitforge: error: --queue: cannot reach Redis at rediss:\/\/localhost:\d+: .*(self.signed|certificate)/i);
      const env = { NODE_EXTRA_CA_CERTS: tls.ca };
      const w = spawnCli(['worker', '--queue', server.url, '--jobs', '1', '--cache', join(dir, 'cache')], env);
      try {
        const c = await runCliProcess(args(join(dir, 'out')), env);
        expect(c.code).toBe(0);
        expect(c.out).toMatch(/via rediss:\/\/localhost:\d+/);
        expect(await w.exited).toBe(0);
      } finally {
        if (w.child.exitCode === null) w.child.kill('SIGKILL');
      }
      const cfg = await resolveRunConfig({ strategy: 'random', budget: 300, seed: 9 });
      await runDse(cfg, join(dir, 'local'), { jobs: 1, progress: false, report: false });
      expectSameOutputs(join(dir, 'out'), join(dir, 'local'), ['points.csv', 'pareto.csv']);
    } finally {
      await server.dispose();
    }
  });
});
