/**
 * One reference run as the `run` command does it: resolve model, weights (folders or seeded
 * synthetic), image (file, `image.float32.bin` of a weight folder, or seeded synthetic), run the
 * float64 forward pass, optionally trace and dump. Kept out of the CLI so tests and other
 * commands can call it.
 */
import { endianness } from 'node:os';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { resolveModel } from '../model/file.js';
import type { ModelSpec } from '../model/ir.js';
import { resolveInputs, type InputOptions, type ModelInputs } from '../model/inputs.js';
import type { WeightSet } from '../model/weights.js';
import { classify, forwardReference, resolveForwardOptions } from './forward.js';
import { DirectoryTrace } from './trace-writer.js';

export interface RunOptions extends InputOptions {
  readonly model?: string;
  readonly layers?: number;
  readonly task?: number;
  readonly trace?: string;
  readonly dump?: string;
}

export interface RunResult {
  readonly model: ModelSpec;
  readonly weights: WeightSet;
  readonly inputs: ModelInputs;
  /** Path of the image file, or "synthetic (seed N)". */
  readonly image: string;
  readonly layers: number;
  readonly task: number;
  /** Final residual stream (tokens×D). */
  readonly output: Float64Array;
  /** Logits (classes) when the model has a head and every block ran. */
  readonly logits: Float64Array | undefined;
  readonly ms: number;
}

export function runReference(o: RunOptions): RunResult {
  const model = resolveModel(o.model ?? 'm3vit-tiny');
  const seed = o.seed ?? 0;
  const { layers, task } = resolveForwardOptions(model, { layers: o.layers, task: o.task });
  if (o.dump) checkOutputFile(o.dump, 'dump');
  const inputs = resolveInputs(model, o);
  const { weights, image, imageLabel } = inputs;
  const trace = o.trace
    ? new DirectoryTrace(o.trace, { model: model.name, weights: weights.provenance, synthetic: weights.syntheticNames, image: imageLabel, seed, layers, task })
    : undefined;
  // Generate lazily made synthetic tensors now, so the timing covers the forward pass only.
  for (const t of weights.tensors.values()) {
    const m = /^l(\d+)_/.exec(t.name);
    if (!m || Number(m[1]) < layers) void t.data.length;
  }
  let output: Float64Array;
  let logits: Float64Array | undefined;
  const t0 = process.hrtime.bigint();
  try {
    output = forwardReference(model, weights, image, { layers, task, trace });
    if (model.head && layers === model.depth) logits = classify(model, weights, output, trace);
    trace?.finish();
  } catch (e) {
    trace?.abort();
    throw e;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // The final output: logits when there is a head (and all blocks ran), else the residual stream.
  if (o.dump) writeFloat32Atomic(o.dump, logits ?? output);
  return { model, weights, inputs, image: imageLabel, layers, task, output, logits, ms };
}

/** Write values as raw little-endian float32 via a temporary sibling, renamed on success. */
export function writeFloat32Atomic(path: string, values: Float64Array): void {
  const f = Float32Array.from(values);
  let bytes = new Uint8Array(f.buffer);
  if (endianness() !== 'LE') {
    bytes = new Uint8Array(f.length * 4);
    const v = new DataView(bytes.buffer);
    for (let i = 0; i < f.length; i++) v.setFloat32(4 * i, f[i]!, true);
  }
  writeFileAtomic(path, bytes, 'dump');
}

export interface Stats { mean: number; std: number; min: number; max: number; l2: number; finite: boolean }

export function stats(a: Float64Array): Stats {
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  let finite = true;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!Number.isFinite(v)) finite = false;
    s += v;
    s2 += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(Math.max(0, s2 / a.length - mean * mean)), min, max, l2: Math.sqrt(s2), finite };
}
