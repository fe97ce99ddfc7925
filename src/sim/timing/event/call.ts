/**
 * One unit call in the event engine: the call's loops become the ops of its processes (the
 * dataflow processes of the unit, or one process for a unit without a DATAFLOW region; loops
 * outside the region run first), FIFOs get their declared depths (src/plan/streams.ts), and the
 * call runs on a fresh memory system until every process has finished and every write is
 * acknowledged. Calls of the kernel's top function run one after another, so nothing crosses a
 * call boundary and calls of equal shape take equal time (index.ts runs each shape once).
 */
import type { LoopSpec, LoweredPlan, UnitCall, UnitSpec } from '../../../plan/index.js';
import { LATENCY } from '../../../plan/latency.js';
import { dataflowStreams, PROCESS_ORDER, type StreamSpec } from '../../../plan/streams.js';
import { Fifo } from './fifo.js';
import { MemorySystem, type MemoryConfig } from './memory.js';
import { Process, type Op, type Segment } from './process.js';
import { EventQueue } from './queue.js';

export interface ProcessResult {
  readonly name: string;
  readonly busy: number;
  readonly memory: number;
  readonly fifo: number;
  readonly start: number;
  readonly end: number;
  readonly segments: readonly Segment[];
  readonly entries: readonly { label: string; start: number; end: number }[];
}

export interface CallResult {
  readonly cycles: number;
  readonly processes: readonly ProcessResult[];
  /** Bytes per port per bin of `binCycles`, from the call's start. */
  readonly portBins: readonly number[][];
  readonly portBytes: readonly { read: number; write: number }[];
  readonly events: number;
  readonly warnings: readonly string[];
}

interface Shape {
  readonly children: Map<string, LoopSpec[]>;
  readonly top: LoopSpec[];
  readonly processOf: Map<string, string>;
}

const SHAPES = new WeakMap<UnitSpec, Shape>();
function shapeOf(unit: UnitSpec): Shape {
  let s = SHAPES.get(unit);
  if (s) return s;
  const children = new Map<string, LoopSpec[]>();
  const top: LoopSpec[] = [];
  for (const l of unit.loops) {
    if (l.parent) children.set(l.parent, [...(children.get(l.parent) ?? []), l]);
    else top.push(l);
  }
  const processOf = new Map<string, string>();
  const visit = (l: LoopSpec, p: string): void => {
    processOf.set(l.id, p);
    for (const c of children.get(l.id) ?? []) visit(c, p);
  };
  for (const l of top) visit(l, unit.dataflow && l.process ? l.process : 'main');
  SHAPES.set(unit, (s = { children, top, processOf }));
  return s;
}

/** Entry k of a loop with I iterations over E entries gets ⌊(k+1)·I/E⌋ − ⌊k·I/E⌋ of them. */
const share = (total: number, parts: number, k: number): number => Math.floor(((k + 1) * total) / parts) - Math.floor((k * total) / parts);

export function simulateCall(plan: LoweredPlan, call: UnitCall, mcfg: MemoryConfig, traceEntries = false): CallResult {
  const unit = plan.units.find((u) => u.id === call.unit)!;
  const shape = shapeOf(unit);
  const trips = new Map<string, { I: number; E: number }>();
  for (const t of call.trips) trips.set(plan.loops[t.loop]!.id, { I: t.iterations, E: t.entries });
  const q = new EventQueue();
  const mem = new MemorySystem(q, mcfg, plan.bundles.map((b) => b.id));
  const warnings: string[] = [];

  // FIFOs of the region, with the words this call moves through each.
  const ins = new Map<string, { fifo: Fifo; perIter: number }[]>();
  const outs = new Map<string, Fifo[]>();
  const fifos: Fifo[] = [];
  const streams: StreamSpec[] = unit.dataflow ? dataflowStreams(plan.geometry).filter((s) => s.unit === unit.id) : [];
  for (const s of streams) {
    const words = s.producers.reduce((a, p) => a + (trips.get(p)?.I ?? 0), 0);
    if (words === 0) continue;
    const fifo = new Fifo(s.name, s.depth, words);
    fifos.push(fifo);
    for (const p of s.producers) outs.set(p, [...(outs.get(p) ?? []), fifo]);
    const reads = s.consumers.reduce((a, c) => a + (trips.get(c)?.I ?? 0), 0);
    for (const c of s.consumers) if (trips.get(c)?.I) ins.set(c, [...(ins.get(c) ?? []), { fifo, perIter: words / reads }]);
  }

  const done = new Map<string, number>();
  function* entriesOf(l: LoopSpec, count: number): Generator<Op> {
    const t = trips.get(l.id);
    if (!t || t.I === 0) return;
    for (let e = 0; e < count; e++) {
      const k = done.get(l.id) ?? 0;
      done.set(l.id, k + 1);
      const n = share(t.I, t.E, k);
      if (n === 0) continue;
      const lin = (ins.get(l.id) ?? []).map((x) => ({ fifo: x.fifo, words: Math.round(x.perIter * n) }));
      if (l.ii !== null) {
        yield { loop: l, n, ii: l.ii, depth: l.depth, ins: lin, outs: outs.get(l.id) ?? [], axiR: l.axi.filter((a) => a.dir === 'read').map((a) => a.bundle), axiW: l.axi.filter((a) => a.dir === 'write').map((a) => a.bundle) };
        continue;
      }
      // Not pipelined: control cycles per iteration (reading its stream word, if any), the first
      // inner loop, the straight-line work that needs its result (e.g. RSQRT of the sums), the rest.
      const kids = shape.children.get(l.id) ?? [];
      const base = (done.get(`${l.id}#it`) ?? 0);
      done.set(`${l.id}#it`, base + n);
      const control = (cycles: number, words: Op['ins']): Op => ({ loop: l, n: 1, ii: Math.max(1, cycles), depth: cycles, ins: words, outs: [], axiR: [], axiW: [] });
      for (let i = 0; i < n; i++) {
        const words = lin.map((x) => ({ fifo: x.fifo, words: share(x.words, n, i) }));
        if (l.depth > 0 || words.some((w) => w.words > 0)) yield control(l.depth, words);
        if (kids.length === 0 && l.bodyLatency > 0) yield control(l.bodyLatency, []);
        for (const [ci, c] of kids.entries()) {
          const ct = trips.get(c.id);
          if (ct && ct.E > 0) yield* entriesOf(c, share(ct.E, t.I, base + i));
          if (ci === 0 && l.bodyLatency > 0) yield control(l.bodyLatency, []);
        }
      }
    }
  }
  const opsOf = function* (loops: LoopSpec[]): Generator<Op> {
    for (const l of loops) yield* entriesOf(l, trips.get(l.id)?.E ?? 0);
  };

  const df = unit.dataflow;
  const pre = shape.top.filter((l) => !df || !l.process);
  const names = df ? [...df.chain, ...df.independent] : [];
  const procs: Process[] = [];
  const preProc = new Process(df ? `${unit.function}` : unit.function, unit.id, opsOf(pre), q, mem, traceEntries);
  procs.push(preProc);
  const ordered = (p: string): LoopSpec[] => {
    const loops = shape.top.filter((l) => l.process === p);
    const order = PROCESS_ORDER[`${unit.id}.${p}`];
    if (!order) return loops;
    const rank = (l: LoopSpec): number => (order.includes(l.id) ? order.indexOf(l.id) : order.length);
    return [...loops].sort((a, b) => rank(a) - rank(b));
  };
  const region = names.map((p) => new Process(`${unit.function}.${p}`, unit.id, opsOf(ordered(p)), q, mem, traceEntries));
  procs.push(...region);
  let end = 0;
  const finished = (): void => {
    end = Math.max(end, q.now);
  };
  preProc.onDone = () => {
    finished();
    for (const p of region) { p.onDone = finished; p.start(q.now); }
  };
  preProc.start(0);
  for (;;) {
    while (q.step()) { /* run */ }
    if (procs.every((p) => p.done)) break;
    // Deadlock: a producer blocked on a full FIFO whose consumer waits elsewhere. The kernel as
    // generated would hang; say so, and continue as if that FIFO were deep enough.
    const stuck = procs.find((p) => !p.done && p.waitingOn?.kind === 'full');
    if (!stuck) throw new Error(`event engine: ${unit.id} call stalled with no event pending (${procs.filter((p) => !p.done).map((p) => `${p.name}: ${p.waitingOn?.kind ?? 'running'}`).join(', ')})`);
    const sw = stuck.waitingOn as { fifo: Fifo };
    const f = sw.fifo;
    const waits = procs.filter((p) => !p.done && p !== stuck).map((p) => `${p.name} waits on ${(p.waitingOn && 'fifo' in p.waitingOn ? p.waitingOn.fifo.name : p.waitingOn?.kind ?? '?')}`);
    warnings.push(`deadlock in ${unit.function}: ${stuck.name} blocks writing ${f.name} (depth ${f.depth}) while ${waits.join(', ')}; simulated as if ${f.name} were deep enough`);
    f.unbounded = true;
    stuck.wake();
  }
  const cycles = end + LATENCY.call;
  return {
    cycles,
    processes: procs.filter((p) => p.segments.length > 0 || p.entries.length > 0).map((p) => ({
      name: p.name, busy: p.totals.busy, memory: p.totals.memory, fifo: p.totals.fifo,
      start: p.segments[0]?.start ?? 0, end: p.segments.at(-1)?.end ?? 0, segments: p.segments, entries: p.entries,
    })),
    portBins: mem.ports.map((p) => p.bins), portBytes: mem.ports.map((p) => ({ read: p.readBytes, write: p.writeBytes })),
    events: q.count, warnings,
  };
}
