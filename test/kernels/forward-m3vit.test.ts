/**
 * M3ViT-tiny end to end: on the real shared weights (+ stand-in experts) when present, and on
 * seeded synthetic weights always, so the same checks run on a fresh clone.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardReference, type TraceSink } from '../../src/kernels/forward.js';
import { loadImage, syntheticImage } from '../../src/model/image.js';
import { presetModel } from '../../src/model/presets.js';
import { m3vitDirs } from '../../src/model/shared.js';
import { loadWeights, syntheticWeights, type WeightSet } from '../../src/model/weights.js';
import { naiveForward, relL2 } from './naive-forward.js';
import { sameValues } from '../model/arrays.js';

const model = presetModel('m3vit-tiny');
const dirs = m3vitDirs();

class MemoryTrace implements TraceSink {
  tensors = new Map<string, Float64Array>();
  routes = new Map<number, { top: Int32Array; weights: Float64Array }>();
  tensor(name: string, data: Float64Array): void {
    this.tensors.set(name, data);
  }
  routing(block: number, top: Int32Array, weights: Float64Array): void {
    this.routes.set(block, { top, weights });
  }
}

const cases: { name: string; skip: boolean; tasks: number[]; load: () => { w: WeightSet; img: Float32Array } }[] = [
  { name: 'synthetic (seed 11)', skip: false, tasks: [0], load: () => ({ w: syntheticWeights(model, 11), img: syntheticImage(model, 11) }) },
  {
    name: 'real shared weights',
    skip: !dirs,
    tasks: [0, 1],
    load: () => ({ w: loadWeights(model, { dirs: dirs! }), img: loadImage(join(dirs![0]!, 'image.float32.bin'), model) }),
  },
];

for (const c of cases) {
  describe.skipIf(c.skip)(`m3vit-tiny, ${c.name}`, () => {
    // Loaded in beforeAll: a skipped describe body still runs at collection time.
    let w: WeightSet;
    let img: Float32Array;
    beforeAll(() => {
      ({ w, img } = c.load());
    });

    it('embedding and blocks 0-1 (dense, MoE) match the naive README implementation', () => {
      const trace = new MemoryTrace();
      forwardReference(model, w, img, { layers: 2, trace });
      const ref = naiveForward(model, w, img, 2);
      expect(relL2(trace.tensors.get('x_embed')!, ref.embed.flat())).toBeLessThanOrEqual(1e-13);
      for (let l = 0; l < 2; l++) {
        expect(relL2(trace.tensors.get(`l${l}.post_attn`)!, ref.postAttn[l]!.flat())).toBeLessThanOrEqual(1e-13);
        expect(relL2(trace.tensors.get(`l${l}.post_ffn`)!, ref.postFfn[l]!.flat())).toBeLessThanOrEqual(1e-13);
      }
      expect(Array.from(trace.routes.get(1)!.top)).toEqual(ref.routing[1]!.top.flat());
      // class token = pos_embed[0] exactly, nothing added
      expect(sameValues(trace.tensors.get('x_embed')!.subarray(0, 192), w.get('pos_embed').data.subarray(0, 192))).toBe(true);
    });

    it(`full 12 blocks: finite, routing invariants hold (tasks ${c.tasks.join(', ')})`, () => {
      for (const task of c.tasks) {
        const trace = new MemoryTrace();
        const out = forwardReference(model, w, img, { task, trace });
        expect(sameValues(out, trace.tensors.get('l11.post_ffn')!)).toBe(true);
        expect(out.every(Number.isFinite)).toBe(true);
        expect([...trace.routes.keys()]).toEqual([1, 3, 5, 7, 9, 11]);
        for (const [l, { top, weights }] of trace.routes) {
          const logits = trace.tensors.get(`l${l}.gate_logits`)!;
          for (let t = 0; t < 129; t++) {
            const g = logits.subarray(t * 16, t * 16 + 16);
            const [e0, e1] = [top[2 * t]!, top[2 * t + 1]!];
            expect(e0).not.toBe(e1);
            // e0 holds the maximum logit (lowest index among equals); e1 the best of the rest.
            for (let e = 0; e < 16; e++) {
              expect(g[e]! <= g[e0]! && (g[e]! < g[e0]! || e >= e0)).toBe(true);
              if (e !== e0) expect(g[e]! <= g[e1]! && (g[e]! < g[e1]! || e >= e1)).toBe(true);
            }
            const max = Math.max(...g);
            const z = g.reduce((s, v) => s + Math.exp(v - max), 0);
            expect(weights[2 * t]).toBeCloseTo(Math.exp(g[e0]! - max) / z, 14);
            expect(weights[2 * t + 1]).toBeCloseTo(Math.exp(g[e1]! - max) / z, 14);
            // not renormalised: at most 1 (trained gates are often so peaked that p1 + p2 rounds to 1)
            expect(weights[2 * t]! + weights[2 * t + 1]!).toBeLessThanOrEqual(1);
          }
        }
      }
    });
  });
}

describe.skipIf(!dirs)('real M3ViT files', () => {
  it('the image holds exact multiples of 1/256 in [0, 255/256]', () => {
    const img = loadImage(join(dirs![0]!, 'image.float32.bin'), model);
    expect(img.every((v) => v >= 0 && v <= 255 / 256 && Number.isInteger(v * 256))).toBe(true);
  });
});
