/** MoE routing in the event engine: queue lengths come from the routing, empty experts are skipped. */
import { describe, expect, it } from 'vitest';
import { designFromObject } from '../../../../src/design/load.js';
import { compareEngines } from '../../../../src/sim/timing/event/compare.js';
import { simulateImage } from '../../../../src/sim/timing/event/index.js';
import { evaluatePerformance } from '../../../../src/sim/timing/index.js';
import { tinyModelFile } from '../fixtures.js';

describe('an MoE block where every token picks the same two experts', () => {
  // tiny model: 32×64 image, 16×16 patches → 8 patches + class token = 9 tokens; D = 32, 4 experts
  // of hidden 32, top-2, block 1 is MoE. Default tiles 16×16, 256-bit AXI, 16-bit weights.
  const d = designFromObject({ model: tinyModelFile(), moe: { routing: 'uniform' } });
  const T = 9;
  const skewed = { source: 'test: tokens all on experts 0 and 1', blocks: [{ block: 1, counts: [T, T, 0, 0] }] };
  // One expert layer (K = N = 32): ⌈32/16⌉² = 4 tiles of 16·16 weights = 16 words of 16 lanes
  // each → 64 beats of 32 B = 2048 B on gmem_w.
  const layerBytes = 4 * 16 * 32;
  const wBytes = (r: ReturnType<typeof simulateImage>): number => r.calls
    .filter((c) => c.call.stage === 'experts')
    .reduce((a, c) => a + c.result.portBytes[0]!.read, 0);

  it('loads only the two chosen experts\' weights (2 experts × 2 layers), the uniform routing all four', () => {
    expect(wBytes(simulateImage(d, skewed))).toBe(2 * 2 * layerBytes);
    expect(wBytes(simulateImage(d))).toBe(4 * 2 * layerBytes);
  });

  it('runs each chosen expert on all 9 tokens: 4 calls with rows, 9 rows each', () => {
    const e = simulateImage(d, skewed);
    const withRows = e.calls.filter((c) => c.call.stage === 'experts' && c.call.macs > 0);
    expect(withRows).toHaveLength(4);
    for (const c of withRows) expect(c.call.macs).toBe(T * 32 * 32);
    expect(e.routingSource).toBe(skewed.source);
  });

  it('the engines agree on it', () => {
    const c = compareEngines(evaluatePerformance(d, skewed), simulateImage(d, skewed));
    expect(Math.abs(c.diff)).toBeLessThan(0.03);
  });
});
