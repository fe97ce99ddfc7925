/**
 * The analytic timing model: evaluates the plan's loops for one call (docs/performance-model.md
 * §1–3). A pipelined loop costs (iterations − entries)·II + entries·(depth + AXI latency), with
 * II raised to what its AXI streams can sustain; a loop that is not pipelined costs its inner
 * loops plus control and straight-line latency per iteration; a unit with a DATAFLOW region
 * costs the chain of its FIFO-connected processes (pipeline.ts `dataflow`) or its slowest
 * independent process. Nothing here knows a stage by name: structure comes from the plan only.
 */
import type { LoopSpec, LoweredPlan, UnitCall, UnitSpec } from '../../plan/index.js';
import { LATENCY } from '../../plan/latency.js';
import { AXI } from '../../plan/streams.js';
import { dataflow } from './pipeline.js';
import { streamRate, type MemoryModel } from './memory.js';

export interface CallCost {
  readonly cycles: number;
  /** Cycles with memory taken as free (AXI at one beat per cycle, no request latency). */
  readonly computeCycles: number;
  /** Cycles of the AXI streams alone (beats at the sustained rate plus request latencies). */
  readonly memoryCycles: number;
  readonly bytes: number;
}

interface UnitShape {
  readonly unit: UnitSpec;
  readonly children: ReadonlyMap<string, readonly LoopSpec[]>;
  readonly top: readonly LoopSpec[];
}

// Keyed by the units array: plans of one structure share it (src/plan/index.ts).
const SHAPES = new WeakMap<readonly UnitSpec[], Map<string, UnitShape>>();
// Per structure (units array) and memory figures: designs that differ only in name reuse costs.
const COSTS = new WeakMap<readonly UnitSpec[], Map<string, Map<string, CallCost>>>();
const MEM_KEYS = new WeakMap<MemoryModel, string>();

function costMemo(plan: LoweredPlan, mem: MemoryModel): Map<string, CallCost> {
  let byMem = COSTS.get(plan.units);
  if (!byMem) COSTS.set(plan.units, (byMem = new Map()));
  let key = MEM_KEYS.get(mem);
  if (key === undefined) MEM_KEYS.set(mem, (key = `${mem.beatBytes}:${mem.portBytesPerCycle}:${mem.aggregateBytesPerCycle}:${mem.latency}`));
  let memo = byMem.get(key);
  if (!memo) {
    if (byMem.size > 64) byMem.clear();
    byMem.set(key, (memo = new Map()));
  }
  return memo;
}

function shapes(plan: LoweredPlan): Map<string, UnitShape> {
  let s = SHAPES.get(plan.units);
  if (s) return s;
  s = new Map();
  for (const unit of plan.units) {
    const children = new Map<string, LoopSpec[]>();
    const top: LoopSpec[] = [];
    for (const l of unit.loops) {
      if (l.parent) children.set(l.parent, [...(children.get(l.parent) ?? []), l]);
      else top.push(l);
    }
    s.set(unit.id, { unit, children, top });
  }
  SHAPES.set(plan.units, s);
  return s;
}

/** Cycles per iteration the loop's AXI streams allow, when `concurrency` streams share the memory. */
export function axiII(l: LoopSpec, mem: MemoryModel, concurrency: number): number {
  if (l.axi.length === 0) return 0;
  const beats = new Map<string, number>();
  for (const a of l.axi) beats.set(a.bundle, (beats.get(a.bundle) ?? 0) + 1);
  const rate = streamRate(mem, concurrency);
  let ii = 0;
  for (const n of beats.values()) ii = Math.max(ii, (n * mem.beatBytes) / rate);
  return ii;
}

/** Beats of the last burst of a sequential transfer of `n` beats (bursts of AXI.maxBurstBeats). */
function lastBurst(n: number): number {
  const b = AXI.maxBurstBeats;
  return n - b * Math.floor((Math.ceil(n) - 1) / b);
}

interface Acc { cycles: number; compute: number; memory: number; bytes: number }

export function callCost(plan: LoweredPlan, mem: MemoryModel, call: UnitCall): CallCost {
  const memo = costMemo(plan, mem);
  const hit = memo.get(call.key);
  if (hit) return hit;
  const shape = shapes(plan).get(call.unit)!;
  const iters = new Map<number, [number, number]>();
  for (const t of call.trips) iters.set(t.loop, [t.iterations, t.entries]);

  const acc: Acc = { cycles: 0, compute: 0, memory: 0, bytes: 0 };
  // Per entry of a pipelined loop: depth, request/response latency and write tail (the fill or
  // drain a dataflow neighbour sees).
  const fillOf = new Map<number, number>();
  // Read latency of read-modify-write loops, which a consumer process overlaps with its wait.
  const hiddenOf = new Map<number, number>();
  const cost = (l: LoopSpec): { cycles: number; compute: number } => {
    const [I, E] = iters.get(l.index) ?? [0, 0];
    if (I === 0) return { cycles: 0, compute: 0 };
    if (l.ii !== null) {
      // The loop's own streams run together; streams of other processes share the DRAM only
      // while they move data, which the call-level aggregate bound below accounts for.
      const a = axiII(l, mem, l.axi.length);
      const ii = Math.max(l.ii, a);
      // A read waits for its first beat, a write for its last response: a loop that reads and
      // writes (residual, MoE scatter) pays both.
      const lat = (l.axi.some((x) => x.dir === 'read') ? mem.latency : 0) + (l.axi.some((x) => x.dir === 'write') ? mem.latency : 0);
      if (l.axi.length > 0) {
        acc.memory += I * a + E * lat;
        acc.bytes += I * l.axi.length * mem.beatBytes;
      }
      // A write burst leaves the m_axi adapter once its last beat is in: writes start after the
      // first burst is written and end after the last burst crossed the port, so per entry of n
      // beats at p cycles each the writes end max(last·p, first·ii + n·(p − ii)) after the loop.
      let tail = 0;
      // Paced by a producer, bursts fill and leave as words come: only the last crosses after it.
      let drainTail = 0;
      if (l.axi.some((x) => x.dir === 'write')) {
        const n = I / E;
        const p = mem.beatBytes / streamRate(mem, l.axi.length);
        drainTail = lastBurst(n) * p;
        tail = E * Math.max(drainTail, Math.min(AXI.maxBurstBeats, n) * ii + n * (p - ii));
      }
      // Fill/drain seen by dataflow neighbours: a read-modify-write loop (MoE scatter) requests its
      // reads when it starts, so their latency hides behind waiting for its producer's words.
      const hasRead = l.axi.some((x) => x.dir === 'read');
      const hasWrite = l.axi.some((x) => x.dir === 'write');
      fillOf.set(l.index, l.depth + (hasWrite || hasRead ? mem.latency : 0) + drainTail);
      if (hasRead && hasWrite) hiddenOf.set(l.index, E * mem.latency);
      return { cycles: (I - E) * ii + E * (l.depth + lat) + tail, compute: (I - E) * l.ii + E * l.depth };
    }
    let cycles = I * (l.depth + l.bodyLatency);
    let compute = cycles;
    let hidden = 0;
    for (const c of shape.children.get(l.id) ?? []) {
      const r = cost(c);
      cycles += r.cycles;
      compute += r.compute;
      hidden += hiddenOf.get(c.index) ?? 0;
    }
    hiddenOf.set(l.index, hidden);
    return { cycles, compute };
  };

  const df = shape.unit.dataflow;
  const procCost = new Map<string, { cycles: number; compute: number; fill: number; early: number }>();
  let seq = 0;
  let seqCompute = 0;
  let regionBytes = 0;
  for (const l of shape.top) {
    const before = acc.bytes;
    const r = cost(l);
    if (df && l.process) regionBytes += acc.bytes - before;
    if (df && l.process) {
      const p = procCost.get(l.process) ?? { cycles: 0, compute: 0, fill: 0, early: 0 };
      const [I] = iters.get(l.index) ?? [0, 0];
      // First output of a process: one iteration of its first active loop.
      if (p.fill === 0 && I > 0) p.fill = l.ii !== null ? fillOf.get(l.index)! : (r.cycles - (hiddenOf.get(l.index) ?? 0)) / I;
      // One read latency of a read-modify-write loop can pass before the process's first input
      // arrives: its first request leaves at the region's start.
      const early = Math.max(p.early, (hiddenOf.get(l.index) ?? 0) > 0 ? mem.latency : 0);
      procCost.set(l.process, { cycles: p.cycles + r.cycles, compute: p.compute + r.compute, fill: p.fill, early });
    } else {
      seq += r.cycles;
      seqCompute += r.compute;
    }
  }
  let region = 0;
  let regionCompute = 0;
  if (df) {
    const chain = df.chain.map((p) => procCost.get(p) ?? { cycles: 0, compute: 0, fill: 0, early: 0 }).filter((p) => p.cycles > 0);
    let start = 0;
    region = dataflow(chain.map((p, i) => {
      if (i > 0) start += chain[i - 1]!.fill;
      return { cycles: p.cycles - Math.min(p.early, start), fill: p.fill };
    }));
    regionCompute = dataflow(chain.map((p) => ({ cycles: p.compute, fill: 0 })));
    for (const p of df.independent) {
      const c = procCost.get(p);
      if (c) {
        region = Math.max(region, c.cycles);
        regionCompute = Math.max(regionCompute, c.compute);
      }
    }
  }
  // A dataflow region cannot move its bytes faster than the DRAM's aggregate rate.
  if (df) region = Math.max(region, regionBytes / mem.aggregateBytesPerCycle);
  // A call takes whole cycles: the fractional beats of a shared port round up once per call.
  const out: CallCost = {
    cycles: Math.ceil(seq + region) + LATENCY.call, computeCycles: Math.ceil(seqCompute + regionCompute) + LATENCY.call,
    memoryCycles: Math.ceil(acc.memory), bytes: acc.bytes,
  };
  memo.set(call.key, out);
  return out;
}
