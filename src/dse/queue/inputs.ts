/**
 * Inputs travel with the run: the coordinator stores the evaluation config, the model and part
 * files it names and the calibration weight folders in Redis once per run, each blob under its
 * SHA-256; a worker downloads what it lacks into its local cache (checking every hash), and
 * evaluates on a copy of the config whose paths point into that cache. No shared filesystem.
 */
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import type { Redis } from 'ioredis';
import { UserError } from '../../errors.js';
import { isPartPath } from '../../hw/parts.js';
import { isPreset } from '../../model/presets.js';
import { WEIGHT_FILE_SUFFIX } from '../../model/weights.js';
import { VERSION } from '../../version.js';
import type { EvalConfig } from '../evaluate.js';
import { isSafeFileName, keys, parseManifest, ProtocolError, type RunManifest } from './protocol.js';

type Obj = Record<string, unknown>;

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Whether a `model:` value names a file (else a preset, which every worker has). */
function isModelFile(ref: string): boolean {
  return !isPreset(ref) && /\.(ya?ml|json)$/i.test(ref);
}

/** The files of a weight folder a calibration reads: tensors and the image. */
function weightFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new UserError('--calib-weights', `not a readable folder: ${dir}`);
  }
  return names.filter((n) => n.endsWith(WEIGHT_FILE_SUFFIX) && isSafeFileName(n) && statSync(join(dir, n)).isFile()).sort();
}

async function putBlob(redis: Redis, run: string, data: Buffer): Promise<string> {
  const sha = sha256(data);
  // NX: stored once, whatever the number of files or runs that share the content.
  await redis.set(keys.blob(run, sha), data, 'NX');
  return sha;
}

/** Store the run's inputs; returns the manifest's hash (the run's `manifest` field). */
export async function uploadInputs(redis: Redis, run: string, cfg: EvalConfig): Promise<string> {
  const base = cfg.space.base as Obj;
  const files: Record<string, { name: string; sha: string }> = {};
  const addFile = async (path: string, field: string): Promise<void> => {
    if (files[path]) return;
    if (!existsSync(path)) throw new UserError(field, `file not found: ${path}`);
    files[path] = { name: safeName(basename(path)), sha: await putBlob(redis, run, readFileSync(path)) };
  };
  if (typeof base.model === 'string' && isModelFile(base.model)) await addFile(base.model, 'model');
  if (typeof base.part === 'string' && isPartPath(base.part)) await addFile(base.part, 'part');
  const dirs: Record<string, Record<string, string>> = {};
  for (const dir of cfg.accuracy?.weights ?? []) {
    const listing: Record<string, string> = {};
    for (const name of weightFiles(dir)) listing[name] = await putBlob(redis, run, readFileSync(join(dir, name)));
    dirs[dir] = listing;
  }
  const manifest: RunManifest = { version: VERSION, eval: cfg, files, dirs };
  return putBlob(redis, run, Buffer.from(JSON.stringify(manifest)));
}

/** A file name kept readable in the cache (the model loader needs the .yaml/.json suffix). */
function safeName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_');
  return isSafeFileName(clean) ? clean : 'file';
}

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'vitforge', 'queue');
}

/** Worker-side content-addressed cache of a run's blobs (kept across runs: same hash, same bytes). */
export class BlobCache {
  constructor(private readonly dir: string) {}

  private blobPath(sha: string): string {
    return join(this.dir, 'blobs', sha);
  }

  /** The blob's local path, downloaded and verified when missing. */
  async fetch(redis: Redis, run: string, sha: string): Promise<string> {
    const path = this.blobPath(sha);
    if (existsSync(path)) return path;
    const data = await redis.getBuffer(keys.blob(run, sha));
    if (!data) throw new ProtocolError(`input ${sha.slice(0, 12)} of run ${run} is missing from Redis`);
    if (sha256(data) !== sha) throw new ProtocolError(`input ${sha.slice(0, 12)} of run ${run} does not match its hash`);
    mkdirSync(join(this.dir, 'blobs'), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, data);
    renameSync(tmp, path);
    return path;
  }

  /** `name` inside a folder of the cache, linked to (or copied from) the blob. */
  private place(folder: string, name: string, blob: string): string {
    mkdirSync(folder, { recursive: true });
    const path = join(folder, name);
    if (!existsSync(path)) {
      const tmp = `${path}.tmp-${process.pid}`;
      try {
        linkSync(blob, tmp);
      } catch {
        copyFileSync(blob, tmp);
      }
      renameSync(tmp, path);
    }
    return path;
  }

  /**
   * Read and validate the run's manifest, fetch its inputs; returns the manifest, a config on
   * local paths, and `restore`, which puts the coordinator's paths back into a text (a record's
   * reason may name the part file: points.csv must read as in a local run).
   */
  async load(redis: Redis, run: string, manifestSha: string): Promise<{ manifest: RunManifest; local: EvalConfig; restore: (text: string) => string }> {
    let manifest: RunManifest;
    try {
      manifest = parseManifest(JSON.parse(readFileSync(await this.fetch(redis, run, manifestSha), 'utf8')));
    } catch (e) {
      if (e instanceof SyntaxError) throw new ProtocolError(`manifest of run ${run} is not JSON`);
      throw e;
    }
    const local = new Map<string, string>();
    for (const [path, f] of Object.entries(manifest.files)) {
      local.set(path, this.place(join(this.dir, 'files', f.sha), f.name, await this.fetch(redis, run, f.sha)));
    }
    const dirs = new Map<string, string>();
    for (const [path, listing] of Object.entries(manifest.dirs)) {
      const folder = join(this.dir, 'dirs', sha256(JSON.stringify(Object.entries(listing))));
      for (const [name, sha] of Object.entries(listing)) this.place(folder, name, await this.fetch(redis, run, sha));
      dirs.set(path, folder);
    }
    const cfg = structuredClone(manifest.eval) as EvalConfig;
    const base = cfg.space.base as Obj;
    for (const field of ['model', 'part'] as const) {
      const v = base[field];
      if (typeof v === 'string' && local.has(v)) base[field] = local.get(v);
    }
    const accuracy = cfg.accuracy && {
      ...cfg.accuracy,
      weights: (cfg.accuracy.weights ?? []).map((d) => {
        const l = dirs.get(d);
        if (!l) throw new ProtocolError(`manifest of run ${run} lacks the calibration folder ${d}`);
        return l;
      }),
    };
    const pairs = [...local, ...dirs].map(([orig, path]) => [path, orig] as const).filter(([path, orig]) => path !== orig);
    const restore = (text: string): string => pairs.reduce((t, [path, orig]) => (t.includes(path) ? t.split(path).join(orig) : t), text);
    return { manifest, local: { ...cfg, accuracy }, restore };
  }
}
