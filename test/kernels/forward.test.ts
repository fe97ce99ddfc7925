/**
 * The reference forward pass against the plain re-implementation in naive-forward.ts, on small
 * models with weights of realistic trained magnitude (so GELU, softmax and routing are exercised
 * in their non-linear ranges), plus trace output and option handling.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forwardReference, type TraceSink } from '../../src/kernels/forward.js';
import { DirectoryTrace, readTrace } from '../../src/kernels/trace-writer.js';
import { modelFromObject } from '../../src/model/file.js';
import { syntheticImage } from '../../src/model/image.js';
import type { ModelSpec } from '../../src/model/ir.js';
import { makeWeightSet, syntheticWeights, tensorSize, tensorSpecs, type WeightSet } from '../../src/model/weights.js';
import { Rng } from '../../src/rng.js';
import { UserError } from '../../src/errors.js';
import { naiveForward, relL2 } from './naive-forward.js';

const tmp = mkdtempSync(join(tmpdir(), 'vitforge-fwd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Uniform weights of magnitude ~ trained ones (|w| ≤ 0.4, LN γ around 1). */
function loudWeights(model: ModelSpec, seed: number): WeightSet {
  const rng = new Rng(seed, 'loud');
  const tensors = tensorSpecs(model).map((s) => {
    const data = new Float32Array(tensorSize(s.shape));
    const gamma = /norm\d_weight$/.test(s.name);
    for (let i = 0; i < data.length; i++) data[i] = gamma ? 0.5 + rng.uniform() : (rng.uniform() * 2 - 1) * 0.4;
    return { ...s, data, origin: 'synthetic' as const };
  });
  return makeWeightSet(model, tensors, 'test');
}

const MOE_MODEL = modelFromObject({
  name: 'tiny-moe', image: { height: 16, width: 24, channels: 3 }, patchSize: 8, classToken: 'parameter',
  dim: 12, depth: 4, heads: 3, mlpHidden: 20, moe: { experts: 4, topK: 2, hidden: 10, tasks: 2, layers: 'odd' },
});
const NOCLS_MODEL = modelFromObject({
  name: 'nocls', image: { height: 8, width: 8, channels: 2 }, patchSize: 4, classToken: 'none',
  dim: 8, depth: 2, heads: 2, moe: { experts: 3, topK: 1, hidden: 6, layers: 'all' },
});

class MemoryTrace implements TraceSink {
  tensors = new Map<string, { data: Float64Array; rows: number; cols: number }>();
  routes = new Map<number, { top: Int32Array; weights: Float64Array; k: number }>();
  tensor(name: string, data: Float64Array, rows: number, cols: number): void {
    this.tensors.set(name, { data, rows, cols });
  }
  routing(block: number, top: Int32Array, weights: Float64Array, k: number): void {
    this.routes.set(block, { top, weights, k });
  }
}

function compareWithNaive(model: ModelSpec, w: WeightSet, image: Float32Array, layers: number, task: number, tol: number): MemoryTrace {
  const trace = new MemoryTrace();
  const out = forwardReference(model, w, image, { layers, task, trace });
  const ref = naiveForward(model, w, image, layers, task);
  expect(relL2(trace.tensors.get('x_embed')!.data, ref.embed.flat())).toBeLessThanOrEqual(tol);
  for (let l = 0; l < layers; l++) {
    expect(relL2(trace.tensors.get(`l${l}.post_attn`)!.data, ref.postAttn[l]!.flat()), `l${l}.post_attn`).toBeLessThanOrEqual(tol);
    expect(relL2(trace.tensors.get(`l${l}.post_ffn`)!.data, ref.postFfn[l]!.flat()), `l${l}.post_ffn`).toBeLessThanOrEqual(tol);
    const r = ref.routing[l];
    if (r) {
      const got = trace.routes.get(l)!;
      expect(Array.from(got.top)).toEqual(r.top.flat());
      expect(relL2(got.weights, r.weights.flat())).toBeLessThanOrEqual(tol);
    }
  }
  expect(relL2(out, (layers ? ref.postFfn[layers - 1]! : ref.embed).flat())).toBeLessThanOrEqual(tol);
  return trace;
}

describe('forwardReference on small models', () => {
  it('matches the naive implementation (class-token parameter, dense + MoE, both tasks)', () => {
    const w = loudWeights(MOE_MODEL, 1);
    const img = syntheticImage(MOE_MODEL, 1);
    const t0 = compareWithNaive(MOE_MODEL, w, img, 4, 0, 1e-13);
    const t1 = compareWithNaive(MOE_MODEL, w, img, 4, 1, 1e-13);
    // The task only changes the gates: the first (dense) block is identical, routing is not.
    expect(t1.tensors.get('l0.post_ffn')!.data).toEqual(t0.tensors.get('l0.post_ffn')!.data);
    expect(Array.from(t1.routes.get(1)!.top)).not.toEqual(Array.from(t0.routes.get(1)!.top));
  });

  it('matches the naive implementation without a class token, top-1 MoE in every block', () => {
    compareWithNaive(NOCLS_MODEL, loudWeights(NOCLS_MODEL, 2), syntheticImage(NOCLS_MODEL, 2), 2, 0, 1e-13);
  });

  it('emits every documented trace tensor with its shape', () => {
    const trace = new MemoryTrace();
    forwardReference(MOE_MODEL, loudWeights(MOE_MODEL, 3), syntheticImage(MOE_MODEL, 3), { trace });
    const N = 7, D = 12;
    const shapes: Record<string, [number, number]> = { x_embed: [N, D] };
    for (let l = 0; l < 4; l++) {
      Object.assign(shapes, {
        [`l${l}.ln1`]: [N, D], [`l${l}.qkv`]: [N, 3 * D], [`l${l}.attn`]: [N, D], [`l${l}.proj`]: [N, D],
        [`l${l}.post_attn`]: [N, D], [`l${l}.ln2`]: [N, D], [`l${l}.ffn`]: [N, D], [`l${l}.post_ffn`]: [N, D],
        ...(l % 2 ? { [`l${l}.gate_logits`]: [N, 4] } : { [`l${l}.mlp_hidden`]: [N, 20] }),
      });
    }
    expect(new Set(trace.tensors.keys())).toEqual(new Set(Object.keys(shapes)));
    for (const [name, [rows, cols]] of Object.entries(shapes)) {
      const t = trace.tensors.get(name)!;
      expect([t.rows, t.cols, t.data.length], name).toEqual([rows, cols, rows * cols]);
    }
    expect([...trace.routes.keys()]).toEqual([1, 3]);
  });

  it('--layers K stops after K blocks; 0 gives the embedding', () => {
    const w = loudWeights(MOE_MODEL, 4);
    const img = syntheticImage(MOE_MODEL, 4);
    const trace = new MemoryTrace();
    forwardReference(MOE_MODEL, w, img, { trace });
    expect(forwardReference(MOE_MODEL, w, img, { layers: 2 })).toEqual(trace.tensors.get('l1.post_ffn')!.data);
    expect(forwardReference(MOE_MODEL, w, img, { layers: 0 })).toEqual(trace.tensors.get('x_embed')!.data);
  });

  it('is deterministic for a given seed and differs across seeds', () => {
    const run = (s: number): Float64Array => forwardReference(MOE_MODEL, syntheticWeights(MOE_MODEL, s), syntheticImage(MOE_MODEL, s));
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('rejects bad options and mismatched inputs with UserError', () => {
    const w = syntheticWeights(MOE_MODEL, 0);
    const img = syntheticImage(MOE_MODEL, 0);
    expect(() => forwardReference(MOE_MODEL, w, img, { task: 2 })).toThrow(UserError);
    expect(() => forwardReference(MOE_MODEL, w, img, { layers: 5 })).toThrow(/layers|0\.\.4/);
    expect(() => forwardReference(MOE_MODEL, w, img.subarray(1))).toThrow(/1151 values, tiny-moe expects 1152/);
    expect(() => forwardReference(NOCLS_MODEL, w, syntheticImage(NOCLS_MODEL, 0))).toThrow(/made for model tiny-moe/);
    // task only matters if a MoE block runs
    expect(() => forwardReference(MOE_MODEL, w, img, { task: 5, layers: 1 })).not.toThrow();
  });
});

describe('DirectoryTrace', () => {
  it('round-trips tensors and routing and leaves no temporary folder', () => {
    const dir = join(tmp, 'trace1');
    const w = loudWeights(MOE_MODEL, 8);
    const img = syntheticImage(MOE_MODEL, 8);
    const mem = new MemoryTrace();
    const out = forwardReference(MOE_MODEL, w, img, { trace: mem });
    const sink = new DirectoryTrace(dir, { model: MOE_MODEL.name });
    forwardReference(MOE_MODEL, w, img, { trace: sink });
    sink.finish();
    expect(readdirSync(tmp).filter((f) => f.includes('tmp'))).toEqual([]);
    const t = readTrace(dir);
    expect(t.index.meta).toEqual({ model: 'tiny-moe' });
    expect(t.index.tensors.length).toBe(mem.tensors.size);
    for (const [name, m] of mem.tensors) expect(t.tensor(name).data).toEqual(m.data);
    expect(t.tensor('l3.post_ffn').data).toEqual(out);
    const r = t.routing(3);
    const ref = mem.routes.get(3)!;
    expect(r.top.flat()).toEqual(Array.from(ref.top));
    expect(r.weights.flat()).toEqual(Array.from(ref.weights)); // JSON keeps doubles exactly
    expect(r.top.length).toBe(7);
  });

  it('replaces a previous trace, refuses a foreign non-empty folder, and abort leaves nothing', () => {
    const dir = join(tmp, 'trace2');
    for (let i = 0; i < 2; i++) {
      const s = new DirectoryTrace(dir);
      s.tensor('a', Float64Array.from([i]), 1, 1);
      s.finish();
    }
    expect(readTrace(dir).tensor('a').data[0]).toBe(1);
    const foreign = join(tmp, 'foreign');
    const s = new DirectoryTrace(foreign);
    s.tensor('x', new Float64Array(1), 1, 1);
    s.abort();
    expect(readdirSync(tmp).filter((f) => f.includes('foreign'))).toEqual([]);
    rmSync(join(dir, 'index.json'));
    expect(() => new DirectoryTrace(dir)).toThrow(/not a previous vitforge output/);
  });
});
