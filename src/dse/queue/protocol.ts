/**
 * What a DSE coordinator and its workers exchange through Redis: key names, job data, results and
 * the run manifest. All of it is plain JSON, checked on arrival by the validators below: a job
 * names points by their value indices, never carries code, and a worker evaluates nothing it has
 * not validated (a Redis others can write to can still make workers burn CPU: protect it, see
 * docs/dse.md §6).
 *
 * Keys (one run = one id; two runs on one Redis share nothing but the `runs` index):
 *   vitforge:runs                    ZSET  open run ids, by start time
 *   vitforge:run:ID                  HASH  version, state (open | ended), manifest (blob hash), created
 *   vitforge:run:ID:blob:SHA256      STR   content-addressed inputs (manifest, model/part files, weights)
 *   vitforge:run:ID:acc              HASH  accuracy per type set (accuracyKey → WireAccuracy JSON)
 *   vitforge:run:ID:workers          HASH  worker id → WorkerInfo JSON (heartbeat)
 *   vitforge:run:ID:notices          LIST  messages for the coordinator (e.g. a worker refusing the run)
 *   vitforge:run:ID:alive            STR   refreshed every second by the coordinator (expires: see ALIVE_TTL_MS)
 *   vitforge:bull:ID:*                     the run's BullMQ queue (named after the run)
 */
import { UserError } from '../../errors.js';
import type { AccuracyResult } from '../metrics.js';
import type { EvalConfig, PointRecord, PointStatus } from '../evaluate.js';
import type { Space } from '../space.js';

export const PREFIX = 'vitforge';
/** BullMQ key prefix: the queue of run ID lives under `vitforge:bull:ID:`. */
export const BULL_PREFIX = `${PREFIX}:bull`;

export const keys = {
  runs: `${PREFIX}:runs`,
  meta: (run: string): string => `${PREFIX}:run:${run}`,
  blob: (run: string, sha: string): string => `${PREFIX}:run:${run}:blob:${sha}`,
  acc: (run: string): string => `${PREFIX}:run:${run}:acc`,
  workers: (run: string): string => `${PREFIX}:run:${run}:workers`,
  notices: (run: string): string => `${PREFIX}:run:${run}:notices`,
  alive: (run: string): string => `${PREFIX}:run:${run}:alive`,
  /** SCAN pattern of every key of the run except its BullMQ queue. */
  pattern: (run: string): string => `${PREFIX}:run:${run}:*`,
};

/** Lifetime of the coordinator's `alive` key (refreshed every second). */
export const ALIVE_TTL_MS = 120_000;
/**
 * A run whose coordinator has been silent this long (killed, or cut off from Redis) is left by
 * its workers and skipped by workers looking for a run; `dse --resume` brings it back.
 */
export const SILENT_MS = 60_000;

export const RUN_ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const SHA_RE = /^[0-9a-f]{64}$/;
const FILE_NAME_RE = /^(?!\.{1,2}$)[A-Za-z0-9_.-]{1,200}$/;
/** Points per job at most, and value indices per point at most (bounds what a job can ask for). */
const MAX_POINTS = 4096;
const MAX_DIMS = 4096;

/** Coordinator → worker: evaluate these points (ids and value indices). */
export interface PointsJob {
  readonly v: string;
  readonly run: string;
  readonly kind: 'points';
  readonly ids: readonly number[];
  readonly idx: readonly (readonly number[])[];
}

/** Coordinator → worker: measure the accuracy of one type set, given by one point that has it. */
export interface AccuracyJob {
  readonly v: string;
  readonly run: string;
  readonly kind: 'accuracy';
  readonly key: string;
  readonly idx: readonly number[];
}

export type JobData = PointsJob | AccuracyJob;

/** A number as JSON: non-finite values and -0 as strings, so records cross Redis bit-exactly. */
export type WireNum = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

export interface WireRecord {
  readonly id: number;
  readonly idx: readonly number[];
  readonly status: PointStatus;
  readonly reasons: readonly string[];
  readonly detail: string;
  readonly metrics: readonly WireNum[] | null;
  readonly objectives: readonly WireNum[] | null;
  readonly violation: WireNum;
}

/** Worker → coordinator, result of a points job. `pending`: points whose type set has no accuracy yet. */
export interface PointsResult {
  readonly records: readonly WireRecord[];
  readonly pending: readonly { readonly id: number; readonly key: string }[];
}

/** A user mistake, as data (rebuilt as a UserError on the other side). */
export interface WireUserError {
  readonly field: string;
  readonly message: string;
  readonly allowed?: string;
}

/** The accuracy of a type set, or the UserError the functional simulator raised for it. */
export type WireAccuracy = { readonly relL2: WireNum; readonly sqnrDb: WireNum } | { readonly user: WireUserError };

export interface WorkerInfo {
  readonly host: string;
  readonly pid: number;
  readonly jobs: number;
  readonly version: string;
  /** Last heartbeat, ms since the epoch. */
  readonly seen: number;
}

/** Inputs of a run, stored once in Redis (content-addressed) and cached by every worker. */
export interface RunManifest {
  readonly version: string;
  readonly eval: EvalConfig;
  /** Model and part files named by the configuration: original absolute path → file. */
  readonly files: Readonly<Record<string, { readonly name: string; readonly sha: string }>>;
  /** Calibration weight folders: original absolute path → file name → blob hash. */
  readonly dirs: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export function toWire(v: number): WireNum {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0';
  return v;
}

export function fromWire(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === '-0') return -0;
  throw new ProtocolError(`${field}: not a number: ${JSON.stringify(v)?.slice(0, 40)}`);
}

export function recordToWire(r: PointRecord): WireRecord {
  return {
    id: r.id, idx: r.idx, status: r.status, reasons: r.reasons, detail: r.detail,
    metrics: r.metrics ? r.metrics.map(toWire) : null,
    objectives: r.objectives ? r.objectives.map(toWire) : null,
    violation: toWire(r.violation),
  };
}

/** Malformed data read from Redis (a bug, or someone else writing to the run's keys). */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function safeInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

function str(v: unknown, field: string, max = 10_000): string {
  if (typeof v !== 'string' || v.length > max) throw new ProtocolError(`${field}: not a string`);
  return v;
}

function numList(v: unknown, field: string, max: number): WireNum[] {
  if (!Array.isArray(v) || v.length > max) throw new ProtocolError(`${field}: not a list`);
  return v.map((x, i) => toWire(fromWire(x, `${field}[${i}]`)));
}

/** Value indices of one point of `space`. */
export function checkIdx(v: unknown, space: Space, field: string): number[] {
  if (!Array.isArray(v) || v.length !== space.dims.length) throw new ProtocolError(`${field}: expected ${space.dims.length} value indices`);
  v.forEach((k, i) => {
    if (!safeInt(k, 0, space.dims[i]!.values.length - 1)) throw new ProtocolError(`${field}[${i}]: not a value index of ${space.dims[i]!.name}`);
  });
  return v as number[];
}

/** The version and run a job claims (checked before anything else, so a mismatch reads clearly). */
export function jobHeader(data: unknown): { v: string; run: string } {
  if (!isObj(data)) throw new ProtocolError('job data is not an object');
  return { v: str(data.v, 'v', 100), run: str(data.run, 'run', 100) };
}

/** Validate a job of run `run` on `space` (its header has been checked). */
export function parseJob(data: unknown, run: string, space: Space): JobData {
  if (!isObj(data)) throw new ProtocolError('job data is not an object');
  const { v } = jobHeader(data);
  if (data.run !== run) throw new ProtocolError(`job of run ${String(data.run)} on the queue of run ${run}`);
  if (data.kind === 'points') {
    const ids = data.ids, idx = data.idx;
    if (!Array.isArray(ids) || !Array.isArray(idx) || ids.length !== idx.length || ids.length === 0 || ids.length > MAX_POINTS) {
      throw new ProtocolError('points job: ids and idx must be lists of equal length 1..4096');
    }
    ids.forEach((id, i) => { if (!safeInt(id, 0, 2 ** 40)) throw new ProtocolError(`points job: ids[${i}] is not a point id`); });
    idx.forEach((p, i) => checkIdx(p, space, `points job: idx[${i}]`));
    return { v, run, kind: 'points', ids: ids as number[], idx: idx as number[][] };
  }
  if (data.kind === 'accuracy') {
    return { v, run, kind: 'accuracy', key: str(data.key, 'accuracy job: key', 100_000), idx: checkIdx(data.idx, space, 'accuracy job: idx') };
  }
  throw new ProtocolError(`unknown job kind ${JSON.stringify(data.kind)}`);
}

const STATUSES: readonly PointStatus[] = ['ok', 'invalid', 'nofit', 'constraint'];

function parseRecord(v: unknown, columns: number, nObjectives: number, field: string): PointRecord {
  if (!isObj(v)) throw new ProtocolError(`${field}: not a record`);
  if (!safeInt(v.id, 0, 2 ** 40)) throw new ProtocolError(`${field}.id: not a point id`);
  if (!STATUSES.includes(v.status as PointStatus)) throw new ProtocolError(`${field}.status: ${JSON.stringify(v.status)}`);
  if (!Array.isArray(v.idx) || v.idx.length > MAX_DIMS || !v.idx.every((k) => safeInt(k, 0, 2 ** 31))) throw new ProtocolError(`${field}.idx`);
  if (!Array.isArray(v.reasons) || v.reasons.length > 1000) throw new ProtocolError(`${field}.reasons`);
  const metrics = v.metrics === null ? null : numList(v.metrics, `${field}.metrics`, columns).map((x) => fromWire(x, 'metric'));
  const objectives = v.objectives === null ? null : numList(v.objectives, `${field}.objectives`, nObjectives).map((x) => fromWire(x, 'objective'));
  if (metrics && metrics.length !== columns) throw new ProtocolError(`${field}.metrics: expected ${columns} values`);
  if (objectives && objectives.length !== nObjectives) throw new ProtocolError(`${field}.objectives: expected ${nObjectives} values`);
  return {
    id: v.id, idx: v.idx as number[], status: v.status as PointStatus,
    reasons: v.reasons.map((r, i) => str(r, `${field}.reasons[${i}]`)), detail: str(v.detail, `${field}.detail`, 100_000),
    metrics, objectives, violation: fromWire(v.violation, `${field}.violation`),
  };
}

/** Validate and decode a points job's result (`columns` metric columns, `nObjectives` objectives). */
export function parsePointsResult(v: unknown, columns: number, nObjectives: number): { records: PointRecord[]; pending: { id: number; key: string }[] } {
  if (!isObj(v) || !Array.isArray(v.records) || !Array.isArray(v.pending)) throw new ProtocolError('points result: not { records, pending }');
  const records = v.records.map((r, i) => parseRecord(r, columns, nObjectives, `records[${i}]`));
  const pending = v.pending.map((p, i) => {
    if (!isObj(p) || !safeInt(p.id, 0, 2 ** 40)) throw new ProtocolError(`pending[${i}]: not { id, key }`);
    return { id: p.id, key: str(p.key, `pending[${i}].key`, 100_000) };
  });
  return { records, pending };
}

export function accuracyToWire(r: AccuracyResult): WireAccuracy {
  return { relL2: toWire(r.relL2), sqnrDb: toWire(r.sqnrDb) };
}

/** Decode a stored accuracy: the result, or the UserError to raise for every point with those types. */
export function parseAccuracy(text: string): AccuracyResult | UserError {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ProtocolError('accuracy entry is not JSON');
  }
  if (isObj(v) && isObj(v.user)) {
    const u = v.user;
    return new UserError(str(u.field, 'user.field'), str(u.message, 'user.message'), u.allowed === undefined ? undefined : str(u.allowed, 'user.allowed'));
  }
  if (!isObj(v)) throw new ProtocolError('accuracy entry is not an object');
  return { relL2: fromWire(v.relL2, 'relL2'), sqnrDb: fromWire(v.sqnrDb, 'sqnrDb') };
}

export function parseWorkerInfo(text: string): WorkerInfo | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    if (isObj(v) && typeof v.host === 'string' && safeInt(v.pid, 0, 2 ** 32) && safeInt(v.jobs, 1, 4096) && typeof v.version === 'string' && typeof v.seen === 'number') {
      return { host: v.host.slice(0, 200), pid: v.pid, jobs: v.jobs, version: v.version.slice(0, 100), seen: v.seen };
    }
  } catch {
    // not a worker entry
  }
  return undefined;
}

/** Path segments a dimension name may have (`setPath` must never reach an object's prototype). */
const SEGMENT_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);
/**
 * mathjs functions that read or change the expression language itself. The constraints of a run
 * are mathjs (no JavaScript can run), but a worker does not let a run's expressions reach these.
 */
const FORBIDDEN_FUNCTIONS = /\b(import|createUnit|evaluate|parse|compile|simplify|derivative|resolve|reviver|replacer|config|typed|chain)\s*\(/;

function jsonValue(v: unknown, depth: number, field: string): void {
  if (depth > 32) throw new ProtocolError(`${field}: nested too deeply`);
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => jsonValue(x, depth + 1, `${field}[${i}]`));
    return;
  }
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (FORBIDDEN_SEGMENTS.has(k)) throw new ProtocolError(`${field}: forbidden key ${k}`);
      jsonValue(x, depth + 1, `${field}.${k}`);
    }
    return;
  }
  throw new ProtocolError(`${field}: not JSON data`);
}

/** Validate a run manifest read from Redis (the evaluator validates the design contents itself). */
export function parseManifest(v: unknown): RunManifest {
  if (!isObj(v)) throw new ProtocolError('manifest: not an object');
  jsonValue(v, 0, 'manifest');
  str(v.version, 'manifest.version', 100);
  const ev = v.eval;
  if (!isObj(ev) || !isObj(ev.space) || !isObj(ev.space.base) || !Array.isArray(ev.space.dims)) throw new ProtocolError('manifest.eval: not an EvalConfig');
  if (ev.space.dims.length > MAX_DIMS) throw new ProtocolError('manifest.eval.space: too many dimensions');
  ev.space.dims.forEach((d, i) => {
    if (!isObj(d) || typeof d.name !== 'string' || !Array.isArray(d.values) || d.values.length < 1) throw new ProtocolError(`manifest dimension ${i}: not { name, values }`);
    const segs = d.name.split('.');
    if (!segs.every((s) => SEGMENT_RE.test(s) && !FORBIDDEN_SEGMENTS.has(s))) throw new ProtocolError(`manifest dimension ${i}: invalid name ${JSON.stringify(d.name)}`);
    if (!d.values.every((x) => typeof x === 'number' || typeof x === 'string')) throw new ProtocolError(`manifest dimension ${d.name}: values must be numbers or text`);
  });
  if (typeof ev.space.size !== 'number') throw new ProtocolError('manifest.eval.space.size');
  if (!Array.isArray(ev.objectives) || !Array.isArray(ev.constraints) || !Array.isArray(ev.derived)) throw new ProtocolError('manifest.eval: objectives, constraints, derived');
  const exprs = [...ev.constraints, ...ev.derived.map((d) => (Array.isArray(d) ? d[1] : undefined))];
  for (const e of exprs) {
    if (typeof e !== 'string') throw new ProtocolError('manifest.eval: an expression is not text');
    if (FORBIDDEN_FUNCTIONS.test(e)) throw new ProtocolError(`manifest.eval: expression '${e.slice(0, 80)}' calls a function workers do not run`);
  }
  if (!isObj(v.files) || !isObj(v.dirs)) throw new ProtocolError('manifest: files, dirs');
  for (const [p, f] of Object.entries(v.files)) {
    if (!isObj(f) || typeof f.name !== 'string' || !FILE_NAME_RE.test(f.name) || typeof f.sha !== 'string' || !SHA_RE.test(f.sha)) throw new ProtocolError(`manifest file ${p}`);
  }
  for (const [p, d] of Object.entries(v.dirs)) {
    if (!isObj(d)) throw new ProtocolError(`manifest folder ${p}`);
    for (const [n, sha] of Object.entries(d)) if (!FILE_NAME_RE.test(n) || typeof sha !== 'string' || !SHA_RE.test(sha)) throw new ProtocolError(`manifest folder ${p}: file ${n}`);
  }
  return v as unknown as RunManifest;
}

export function isSafeFileName(name: string): boolean {
  return FILE_NAME_RE.test(name);
}
