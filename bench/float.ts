/**
 * Float64 reference speed: the m3vit-tiny forward pass on seeded synthetic weights (the baseline
 * other benchmarks compare to), its MAC count from lowerModel, and the kernels that dominate it.
 */
import { geluExact } from '../src/kernels/erf.js';
import { forwardReference } from '../src/kernels/forward.js';
import { linear } from '../src/kernels/linear.js';
import { syntheticImage } from '../src/model/image.js';
import { lowerModel, totalMacs } from '../src/model/ops.js';
import { presetModel } from '../src/model/presets.js';
import { syntheticWeights } from '../src/model/weights.js';
import { Rng } from '../src/rng.js';
import { timeMs, type BenchModule, type BenchRow } from './table.js';

export default {
  title: 'float64 reference (m3vit-tiny, synthetic weights)',
  async run(): Promise<BenchRow[]> {
    const model = presetModel('m3vit-tiny');
    const weights = syntheticWeights(model, 0);
    const image = syntheticImage(model, 0);
    for (const t of weights.tensors.values()) void t.data.length; // generate before timing
    const macs = totalMacs(lowerModel(model));
    let sink = 0;
    const fwdMs = timeMs(() => {
      sink += forwardReference(model, weights, image)[0]!;
    }, 5);
    // CPU time is less sensitive than wall time to other processes sharing the cores.
    const cpu0 = process.cpuUsage();
    for (let r = 0; r < 3; r++) sink += forwardReference(model, weights, image)[0]!;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1e3 / 3;

    // The dominant kernel alone: fc1 of one block, 129×192 · [768][192].
    const rng = new Rng(1, 'bench');
    const x = Float64Array.from({ length: 129 * 192 }, () => rng.normal());
    const w = Float32Array.from({ length: 768 * 192 }, () => rng.normal() * 0.02);
    const out = new Float64Array(129 * 768);
    const linMs = timeMs(() => {
      for (let r = 0; r < 10; r++) linear(x, 129, 192, w, null, 768, out);
    }, 5) / 10;
    const linMacs = 129 * 192 * 768;

    const zs = Float64Array.from({ length: 100_000 }, () => rng.normal() * 2);
    const geluMs = timeMs(() => {
      for (let i = 0; i < zs.length; i++) sink += geluExact(zs[i]!);
    }, 5);
    if (Number.isNaN(sink)) throw new Error('unreachable: keeps results live');

    const fwdRate = macs / (fwdMs / 1e3);
    return [
      { name: 'forward pass, 12 blocks', value: fwdMs, unit: 'ms', note: 'median of 5 after 1 warm-up' },
      { name: 'forward pass, CPU time', value: cpuMs, unit: 'ms', ratio: cpuMs / fwdMs, note: 'mean of 3; ratio to wall time' },
      { name: 'MACs counted (lowerModel, top-2 experts + gate)', value: macs, unit: 'MAC' },
      { name: 'forward throughput', value: fwdRate, unit: 'MAC/s' },
      { name: 'linear kernel 129x192·[768][192]', value: linMacs / (linMs / 1e3), unit: 'MAC/s', ratio: linMacs / (linMs / 1e3) / fwdRate, note: 'ratio to forward throughput' },
      { name: 'exact GELU (erf) evaluations', value: zs.length / (geluMs / 1e3), unit: '/s', note: 'z ~ N(0, 4)' },
    ];
  },
} satisfies BenchModule;
