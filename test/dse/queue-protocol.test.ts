/**
 * The data a DSE coordinator and its workers exchange (src/dse/queue/protocol.ts) and the queue
 * URL (url.ts), without a Redis: records cross bit-exactly, jobs and manifests are validated as
 * data (nothing in them can reach an object prototype or the expression language's internals).
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import type { PointRecord } from '../../src/dse/evaluate.js';
import { resolveRunConfig } from '../../src/dse/config.js';
import {
  accuracyToWire, fromWire, parseAccuracy, parseJob, parseManifest, parsePointsResult, recordToWire, ProtocolError, toWire,
} from '../../src/dse/queue/protocol.js';
import { parseQueueUrl, redactedUrl, redisOptions } from '../../src/dse/queue/url.js';
import { userError } from '../user-error.js';

describe('queue URL', () => {
  it('accepts redis:// and rediss:// with user, password, port and database', () => {
    expect(parseQueueUrl('redis://h')).toEqual({ tls: false, host: 'h', port: 6379, db: 0, username: undefined, password: undefined });
    const t = parseQueueUrl('rediss://bob:p%40ss%2Fw@cache.example:6380/3');
    expect(t).toEqual({ tls: true, host: 'cache.example', port: 6380, db: 3, username: 'bob', password: 'p@ss/w' });
    expect(redactedUrl(t)).toBe('rediss://bob@cache.example:6380/3');
    const o = redisOptions(t, 'x');
    expect(o.tls).toEqual({ servername: 'cache.example' });
    expect([o.password, o.username, o.db, o.maxRetriesPerRequest]).toEqual(['p@ss/w', 'bob', 3, null]);
    expect(redisOptions(parseQueueUrl('rediss://127.0.0.1'), 'x').tls).toEqual({});
    expect(redactedUrl(parseQueueUrl('redis://[::1]:7000'))).toBe('redis://[::1]:7000');
  });

  it('takes the password from VITFORGE_REDIS_PASSWORD when the URL has none', () => {
    expect(parseQueueUrl('redis://h', '--queue', { VITFORGE_REDIS_PASSWORD: 'env' }).password).toBe('env');
    expect(parseQueueUrl('redis://:url@h', '--queue', { VITFORGE_REDIS_PASSWORD: 'env' }).password).toBe('url');
  });

  it.each([
    ['http://h', /unsupported scheme 'http:'/],
    ['redis://', /not a URL|no host/],
    ['h:6379', /unsupported scheme|not a URL/],
    ['redis://h:99999', /not a URL|invalid port/],
    ['redis://h/x', /invalid database/],
    ['redis://h?tls=1', /query strings/],
  ])('rejects %s', (url, re) => {
    const e = userError(() => parseQueueUrl(url));
    expect(e.field).toBe('--queue');
    expect(e.message).toMatch(re);
  });

  it('never shows the password in its errors', () => {
    expect(userError(() => parseQueueUrl('redis://:secret@/x')).oneLine()).not.toContain('secret');
    expect(userError(() => parseQueueUrl('redis://:secret@h/x')).oneLine()).not.toContain('secret');
  });
});

describe('records and accuracies through Redis', () => {
  it('a record crosses bit-exactly, NaN, ±Infinity and -0 included', () => {
    const r: PointRecord = {
      id: 7, idx: [1, 0, 2], status: 'constraint', reasons: ['constraint: dsp < 3'], detail: 'violates dsp < 3',
      metrics: [1.5, NaN, Infinity, -Infinity, -0, 0.1 + 0.2], objectives: [-0, 3e-300], violation: Infinity,
    };
    const wire = JSON.parse(JSON.stringify({ records: [recordToWire(r)], pending: [{ id: 8, key: 'k' }] }));
    const back = parsePointsResult(wire, 6, 2);
    expect(back.pending).toEqual([{ id: 8, key: 'k' }]);
    const got = back.records[0]!;
    expect(got.metrics!.map((v) => Object.is(v, -0) ? '-0' : String(v))).toEqual(['1.5', 'NaN', 'Infinity', '-Infinity', '-0', String(0.1 + 0.2)]);
    expect(Object.is(got.objectives![0], -0)).toBe(true);
    expect(got).toEqual(r);
    expect(() => parsePointsResult({ records: [{ ...recordToWire(r), status: 'great' }], pending: [] }, 6, 2)).toThrow(ProtocolError);
    expect(() => parsePointsResult({ records: [recordToWire(r)], pending: [] }, 5, 2)).toThrow(/metrics/);
    expect(() => fromWire('1e3', 'x')).toThrow(ProtocolError);
    expect(toWire(NaN)).toBe('NaN');
  });

  it('an accuracy is a result or the UserError every point with those types gets', () => {
    expect(parseAccuracy(JSON.stringify(accuracyToWire({ relL2: 0, sqnrDb: Infinity })))).toEqual({ relL2: 0, sqnrDb: Infinity });
    const e = parseAccuracy(JSON.stringify({ user: { field: 'types.fm', message: 'cannot simulate', allowed: 'x' } }));
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).oneLine()).toBe('types.fm: cannot simulate (allowed: x)');
  });
});

describe('jobs and manifests are validated data', async () => {
  const cfg = await resolveRunConfig({ strategy: 'random', budget: 10, objectives: 'latency,error' });
  const space = cfg.eval.space;
  const zero = Array(space.dims.length).fill(0);

  it('a points job names points of the run\'s space by value indices', () => {
    const ok = { v: '0.1.0', run: 'r1', kind: 'points', ids: [3, 4], idx: [zero, zero.map((_, i) => space.dims[i]!.values.length - 1)] };
    expect(parseJob(ok, 'r1', space).kind).toBe('points');
    expect(() => parseJob({ ...ok, run: 'r2' }, 'r1', space)).toThrow(/job of run r2 on the queue of run r1/);
    expect(() => parseJob({ ...ok, idx: [zero, zero.map((_, i) => space.dims[i]!.values.length)] }, 'r1', space)).toThrow(/not a value index/);
    expect(() => parseJob({ ...ok, idx: [zero.slice(1), zero] }, 'r1', space)).toThrow(/value indices/);
    expect(() => parseJob({ ...ok, ids: [-1, 4] }, 'r1', space)).toThrow(/not a point id/);
    expect(() => parseJob({ ...ok, kind: 'eval', code: 'process.exit()' }, 'r1', space)).toThrow(/unknown job kind/);
    expect(() => parseJob('x', 'r1', space)).toThrow(ProtocolError);
    expect(parseJob({ v: '0.1.0', run: 'r1', kind: 'accuracy', key: 'k', idx: zero }, 'r1', space).kind).toBe('accuracy');
  });

  it('a manifest cannot reach a prototype, a mathjs internal or a path outside the cache', () => {
    const m = { version: '0.1.0', eval: structuredClone(cfg.eval), files: {}, dirs: {} };
    expect(parseManifest(JSON.parse(JSON.stringify(m)))).toBeTruthy();
    const bad = (f: (x: typeof m) => void): unknown => {
      const x = JSON.parse(JSON.stringify(m)) as typeof m;
      f(x);
      return x;
    };
    expect(() => parseManifest(bad((x) => { (x.eval.space.dims as unknown as { name: string }[])[0]!.name = '__proto__.polluted'; }))).toThrow(/invalid name/);
    expect(() => parseManifest(JSON.parse('{"version":"0.1.0","eval":{"space":{"base":{"__proto__":{"x":1}},"dims":[],"size":1},"objectives":[],"constraints":[],"derived":[]},"files":{},"dirs":{}}'))).toThrow(/forbidden key/);
    expect(() => parseManifest(bad((x) => { (x.eval as unknown as { constraints: string[] }).constraints = ['import({}, {override: true}) and dsp < 1']; }))).toThrow(/calls a function workers do not run/);
    expect(() => parseManifest(bad((x) => { (x as { files: unknown }).files = { '/m.yaml': { name: '../../etc/passwd', sha: 'a'.repeat(64) } }; }))).toThrow(/manifest file/);
    expect(() => parseManifest(bad((x) => { (x as { dirs: unknown }).dirs = { '/w': { '..': 'a'.repeat(64) } }; }))).toThrow(/manifest folder/);
  });
});
