/**
 * Performance-model speed: design points evaluated per second (what bounds DSE throughput), for
 * the Edge-MoE point and a spread of parallelism/clock variants, plus its parts on their own.
 */
import { designFromObject, loadDesign } from '../src/design/load.js';
import { getPart } from '../src/parts/parts.js';
import { estimateResources } from '../src/hw/resources.js';
import { evaluatePerformance } from '../src/sim/timing/index.js';
import { simulateImage } from '../src/sim/timing/event/index.js';
import { timeMs, type BenchModule, type BenchRow } from './table.js';

export default {
  title: 'performance model (vitforge simulate)',
  async run(): Promise<BenchRow[]> {
    const base = loadDesign();
    const variants = [
      base,
      designFromObject({ linear: { tileIn: 32, tileOut: 16 }, attention: { parallel: 8, dotTile: 16 }, clockMHz: 250 }),
      designFromObject({ linear: { tileIn: 8, tileOut: 8 }, attention: { parallel: 2, dotTile: 4 }, moe: { routing: 'uniform' } }),
      designFromObject({ part: 'u280', linear: { tileIn: 64, tileOut: 32 }, attention: { parallel: 16, dotTile: 32 } }),
    ];
    const part = getPart(base.part);
    const reps = 2000;
    const one = timeMs(() => {
      for (let i = 0; i < reps; i++) evaluatePerformance(base);
    }) / reps;
    const mixed = timeMs(() => {
      for (let i = 0; i < reps; i++) evaluatePerformance(variants[i % variants.length]!);
    }) / reps;
    const res = timeMs(() => {
      for (let i = 0; i < reps; i++) estimateResources(base, part);
    }) / reps;
    const r = evaluatePerformance(base);
    // Event engine on the same design, same process: the first run includes its JIT warm-up
    // (what one `simulate --engine event` pays), the median is of 5 further runs.
    const t0 = process.hrtime.bigint();
    const ev = simulateImage(base);
    const first = Number(process.hrtime.bigint() - t0) / 1e6;
    const evMs = timeMs(() => { simulateImage(base); }, 5);
    return [
      { name: 'evaluatePerformance, Edge-MoE point', value: 1000 / one, unit: ' points/s', note: `${(one * 1000).toFixed(0)} µs each` },
      { name: 'evaluatePerformance, 4 mixed design points', value: 1000 / mixed, unit: ' points/s', ratio: one / mixed, note: 'vs Edge-MoE point' },
      { name: 'estimateResources alone', value: 1000 / res, unit: ' points/s', ratio: one / res, note: 'vs full evaluation' },
      { name: 'event engine, Edge-MoE point, one image (first run)', value: first, unit: ' ms', note: `${ev.events} events, ${ev.distinctCalls} distinct calls` },
      { name: 'event engine, Edge-MoE point, one image (median)', value: evMs, unit: ' ms', ratio: evMs / one, note: 'vs one analytic evaluation' },
      { name: 'event vs analytic latency, Edge-MoE point', value: ev.latencyMs, unit: ' ms', ratio: ev.latencyMs / r.latencyMs, note: 'event / analytic' },
      { name: 'predicted Edge-MoE latency', value: r.latencyMs, unit: ' ms', ratio: r.latencyMs / 34.64, note: 'vs 34.64 ms published (ICCAD 2023)' },
    ];
  },
} satisfies BenchModule;
