/** Small models, design points and weight sets for the functional-simulator tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { stringify } from 'yaml';
import { designFromObject } from '../../../../src/design/load.js';
import type { DesignPoint } from '../../../../src/design/types.js';
import type { ModelSpec } from '../../../../src/model/ir.js';
import { syntheticWeights, type Tensor, type WeightSet } from '../../../../src/model/weights.js';

export interface TinyModel {
  classToken?: 'parameter' | 'pos-embed' | 'none';
  dim?: number;
  heads?: number;
  depth?: number;
  /** Image H×W (channels 2, patch 4 unless given). */
  image?: [number, number];
  channels?: number;
  patchSize?: number;
  mlpHidden?: number;
  moe?: { experts: number; topK: number; hidden: number; tasks?: number; layers?: unknown } | null;
}

let dir: string | undefined;
let counter = 0;
// Registered in the importing test file: its model files go when the file's tests are done.
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Write a model file for `o` into a temp folder; returns its path. */
export function tinyModelFile(o: TinyModel = {}): string {
  dir ??= mkdtempSync(join(tmpdir(), 'vf-func-'));
  const [h, w] = o.image ?? [8, 12];
  const obj: Record<string, unknown> = {
    name: `tiny${counter}`,
    image: { height: h, width: w, channels: o.channels ?? 2 },
    patchSize: o.patchSize ?? 4,
    classToken: o.classToken ?? 'pos-embed',
    dim: o.dim ?? 16,
    depth: o.depth ?? 2,
    heads: o.heads ?? 2,
    mlpHidden: o.mlpHidden ?? 32,
  };
  if (o.moe !== null) obj.moe = o.moe ?? { experts: 4, topK: 2, hidden: 16, tasks: 2, layers: 'odd' };
  const path = join(dir, `model-${counter++}.yaml`);
  writeFileSync(path, stringify(obj));
  return path;
}

/** A validated design point on a tiny model; `extra` overrides design fields. */
export function tinyDesign(model: TinyModel = {}, extra: Record<string, unknown> = {}): DesignPoint {
  return designFromObject({
    name: 'tiny', model: tinyModelFile(model), linear: { tileIn: 4, tileOut: 4 }, attention: { parallel: 2, dotTile: 4 },
    ...extra,
  });
}

/**
 * Seeded synthetic weights with every tensor multiplied by `scale` (LayerNorm γ, 1 in the synthetic
 * set, becomes 1 + 0.25·sin(1.7i + 0.3) so that it is not trivial): trained weights are larger than the std-0.02 initialisation, and tests
 * want activations that reach the GELU knee, several experts and sizeable scores.
 */
export function scaledWeights(model: ModelSpec, seed: number, scale: number): WeightSet {
  const base = syntheticWeights(model, seed);
  const tensors = new Map<string, Tensor>();
  for (const [name, t] of base.tensors) {
    const isGamma = /norm[12]_weight$/.test(name);
    const data = Float32Array.from(t.data, (v, i) => (isGamma ? 1 + 0.25 * Math.sin(1.7 * i + 0.3) : v * scale));
    tensors.set(name, { ...t, data });
  }
  return {
    model, tensors, syntheticNames: base.syntheticNames, provenance: `${base.provenance} ×${scale}`,
    get: (n) => tensors.get(n) ?? base.get(n), has: (n) => tensors.has(n),
  };
}

/** A seeded image of k/256 values (exact pixels). */
export function tinyImage(model: ModelSpec, seed: number): Float32Array {
  const n = model.channels * model.imageHeight * model.imageWidth;
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 24) / 256;
  }
  return out;
}
