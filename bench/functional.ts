/**
 * Bit-accurate fixed-point forward pass of m3vit-tiny (Edge-MoE design point) next to the float64
 * reference forward, same run, same synthetic weights and image. Every ratio printed is between two
 * figures measured in this run: a published figure from another machine (Edge-MoE's C-simulation,
 * 7.3 s per image) is not a ratio this bench can measure, so it is quoted in docs only.
 */
import { loadDesign } from '../src/design/load.js';
import { forwardReference } from '../src/kernels/forward.js';
import { syntheticImage } from '../src/model/image.js';
import { lowerModel, totalMacs } from '../src/model/ops.js';
import { syntheticWeights } from '../src/model/weights.js';
import { forwardFixed, quantizeWeights } from '../src/sim/functional/index.js';
import { timeMs, type BenchModule, type BenchRow } from './table.js';

export default {
  title: 'functional simulator (m3vit-tiny, Edge-MoE types, single thread)',
  async run(): Promise<BenchRow[]> {
    const design = loadDesign();
    const model = design.model;
    const weights = syntheticWeights(model, 0);
    const image = syntheticImage(model, 0);
    const macs = totalMacs(lowerModel(model));
    let qw = quantizeWeights(design, weights);
    const quantMs = timeMs(() => { qw = quantizeWeights(design, weights); }, 2);
    // Interleaved medians of 5, so that a change of machine load hits both alike.
    const floatTimes: number[] = [];
    const fixedTimes: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      floatTimes.push(timeMs(() => { forwardReference(model, weights, image); }, 1));
      fixedTimes.push(timeMs(() => { forwardFixed(design, qw, image); }, 1));
    }
    const median = (a: number[]): number => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    const floatMs = median(floatTimes);
    const fixedMs = median(fixedTimes);
    const fixedRate = macs / (fixedMs / 1e3);
    return [
      { name: 'MACs per image (top-2 experts, gate, attention)', value: macs, unit: 'MAC' },
      { name: 'float64 reference forward', value: floatMs, unit: 'ms', note: `${(macs / floatMs / 1e6).toFixed(2)} GMAC/s` },
      { name: 'fixed-point forward (bit-accurate)', value: fixedMs, unit: 'ms', ratio: fixedMs / floatMs, note: 'ratio = time / float64 forward (target ≤ 3)' },
      { name: 'fixed-point MAC rate', value: fixedRate, unit: 'MAC/s', ratio: fixedRate / (macs / (floatMs / 1e3)), note: 'ratio to the float64 forward\'s MAC rate, this run' },
      { name: 'weight quantisation (once per weight set)', value: quantMs, unit: 'ms' },
    ];
  },
} satisfies BenchModule;
