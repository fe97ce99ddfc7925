/**
 * Trace folders: every intermediate of a forward pass on disk, for comparison between the float
 * reference, the fixed-point simulator and external goldens. Generic over who produces it.
 *
 * Layout of a trace folder:
 * - `<name>.f64.bin`: little-endian float64, rows×cols row-major (e.g. `x_embed.f64.bin`,
 *   `l0.post_attn.f64.bin`);
 * - `l{i}.routing.json`: `{"top":[[e0,e1],…],"weights":[[w0,w1],…]}`, one row per token, rank order;
 * - `index.json`: `{ format, meta, tensors: [{name, file, rows, cols}], routing: [{block, file, tokens, k}] }`.
 *
 * The folder is written under a temporary sibling and renamed into place by `finish()`, so a
 * failed run never leaves a half-written trace. An existing folder is replaced only if it is a
 * previous trace (holds index.json) or empty.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { endianness } from 'node:os';
import { UserError } from '../errors.js';
import type { TraceSink } from './forward.js';

export const TRACE_FORMAT = 'vitforge-trace/1';

export interface TraceTensorEntry { readonly name: string; readonly file: string; readonly rows: number; readonly cols: number }
export interface TraceRoutingEntry { readonly block: number; readonly file: string; readonly tokens: number; readonly k: number }
export interface TraceIndex {
  readonly format: string;
  readonly meta: Record<string, unknown>;
  readonly tensors: TraceTensorEntry[];
  readonly routing: TraceRoutingEntry[];
}

/** Little-endian bytes of a float64 array (a copy only on big-endian hosts). */
export function float64LeBytes(data: Float64Array): Uint8Array {
  if (endianness() === 'LE') return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat64(8 * i, data[i]!, true);
  return out;
}

/** Refuse to replace anything that is not an earlier output of ours (or empty). */
export function checkReplaceable(dir: string, marker: string, field: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UserError(field, `${dir} exists and is not a directory`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes(marker)) {
    throw new UserError(field, `${dir} exists and is not a previous vitforge output (no ${marker}); choose another folder or remove it`);
  }
}

export class DirectoryTrace implements TraceSink {
  readonly dir: string;
  private readonly tmp: string;
  private readonly index: TraceIndex;
  private done = false;

  constructor(dir: string, meta: Record<string, unknown> = {}) {
    this.dir = resolve(dir);
    checkReplaceable(this.dir, 'index.json', 'trace');
    const parent = dirname(this.dir);
    if (!existsSync(parent)) throw new UserError('trace', `parent folder does not exist: ${parent}`);
    this.tmp = join(parent, `.${basename(this.dir)}.tmp-${process.pid}`);
    rmSync(this.tmp, { recursive: true, force: true });
    mkdirSync(this.tmp);
    this.index = { format: TRACE_FORMAT, meta, tensors: [], routing: [] };
  }

  tensor(name: string, data: Float64Array, rows: number, cols: number): void {
    if (data.length !== rows * cols) throw new RangeError(`trace ${name}: ${data.length} values for ${rows}x${cols}`);
    const file = `${name}.f64.bin`;
    writeFileSync(join(this.tmp, file), float64LeBytes(data));
    this.index.tensors.push({ name, file, rows, cols });
  }

  routing(block: number, top: Int32Array, weights: Float64Array, k: number): void {
    const tokens = top.length / k;
    const rows = <T>(a: ArrayLike<T>): T[][] => Array.from({ length: tokens }, (_, t) => Array.from({ length: k }, (_, r) => a[t * k + r]!));
    const file = `l${block}.routing.json`;
    writeFileSync(join(this.tmp, file), JSON.stringify({ top: rows(top), weights: rows(weights) }) + '\n');
    this.index.routing.push({ block, file, tokens, k });
  }

  /** Write index.json and move the folder into place. */
  finish(): void {
    if (this.done) return;
    writeFileSync(join(this.tmp, 'index.json'), JSON.stringify(this.index, null, 2) + '\n');
    rmSync(this.dir, { recursive: true, force: true });
    renameSync(this.tmp, this.dir);
    this.done = true;
  }

  /** Drop the temporary folder (after a failure). */
  abort(): void {
    if (!this.done) rmSync(this.tmp, { recursive: true, force: true });
    this.done = true;
  }
}

export interface LoadedTrace {
  readonly index: TraceIndex;
  tensor(name: string): { data: Float64Array; rows: number; cols: number };
  routing(block: number): { top: number[][]; weights: number[][] };
}

/** Read a trace folder written by DirectoryTrace. */
export function readTrace(dir: string): LoadedTrace {
  const indexPath = join(dir, 'index.json');
  if (!existsSync(indexPath)) throw new UserError('trace', `${dir} is not a trace folder (no index.json)`);
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as TraceIndex;
  if (index.format !== TRACE_FORMAT) throw new UserError('trace', `${indexPath}: unknown format '${index.format}'`, TRACE_FORMAT);
  return {
    index,
    tensor(name) {
      const e = index.tensors.find((t) => t.name === name);
      if (!e) throw new UserError('trace', `${dir} has no tensor '${name}'`);
      const buf = readFileSync(join(dir, e.file));
      const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      const data = new Float64Array(e.rows * e.cols);
      if (buf.byteLength !== data.length * 8) throw new UserError(e.file, `expected ${data.length * 8} bytes, found ${buf.byteLength}`);
      for (let i = 0; i < data.length; i++) data[i] = view.getFloat64(8 * i, true);
      return { data, rows: e.rows, cols: e.cols };
    },
    routing(block) {
      const e = index.routing.find((r) => r.block === block);
      if (!e) throw new UserError('trace', `${dir} has no routing for block ${block}`);
      return JSON.parse(readFileSync(join(dir, e.file), 'utf8')) as { top: number[][]; weights: number[][] };
    },
  };
}
