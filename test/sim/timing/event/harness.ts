/** Small harness for hand-worked event-engine cases: processes with synthetic loop entries on a chosen memory. */
import type { LoopSpec } from '../../../../src/plan/index.js';
import { Fifo } from '../../../../src/sim/timing/event/fifo.js';
import { MemorySystem, type MemoryConfig } from '../../../../src/sim/timing/event/memory.js';
import { Process, type Op } from '../../../../src/sim/timing/event/process.js';
import { EventQueue } from '../../../../src/sim/timing/event/queue.js';

export { Fifo };

export function memConfig(over: Partial<MemoryConfig> = {}): MemoryConfig {
  return {
    beatBytes: 16, portBytes: 16, aggregateBytes: 1e9, latency: 0, ports: 8, duplex: true,
    burstBeats: 64, readOutstanding: 16, writeOutstanding: 16, binCycles: 1000, ...over,
  };
}

const loop = (label: string): LoopSpec => ({
  index: 0, id: label, label, unit: 'linear', bound: '', doc: '', ii: 1, depth: 1, bodyLatency: 0, axi: [], muls: [], math: [], trees: [], tripMin: 0, tripMax: 0,
});

/** A pipelined loop entry of n iterations. */
export function op(n: number, o: Partial<Omit<Op, 'loop' | 'n'>> & { label?: string } = {}): Op {
  return { loop: loop(o.label ?? 'l'), n, ii: o.ii ?? 1, depth: o.depth ?? 1, ins: o.ins ?? [], outs: o.outs ?? [], axiR: o.axiR ?? [], axiW: o.axiW ?? [] };
}

export interface Run {
  readonly q: EventQueue;
  readonly mem: MemorySystem;
  /** Cycle at which each process finished. */
  readonly end: number[];
  readonly procs: Process[];
}

/** Run processes (each a list of ops) from cycle 0 until no event is left. */
export function run(programs: Op[][], cfg: MemoryConfig = memConfig()): Run {
  const q = new EventQueue();
  const mem = new MemorySystem(q, cfg, ['gmem_w', 'gmem_p', 'gmem_a', 'gmem_b', 'gmem_c']);
  const end: number[] = programs.map(() => NaN);
  const procs = programs.map((ops, i) => {
    const p = new Process(`p${i}`, 'linear', ops[Symbol.iterator](), q, mem, false);
    p.onDone = () => { end[i] = q.now; };
    return p;
  });
  for (const p of procs) p.start(0);
  while (q.step()) { /* run */ }
  return { q, mem, end, procs };
}
