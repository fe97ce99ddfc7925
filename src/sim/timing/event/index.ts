/**
 * The event engine (`vitforge simulate --engine event`): a discrete-event execution of the
 * plan for one image. The schedule's calls run one after another, as the kernel's top function
 * makes them; each distinct call shape is simulated once (call.ts) and placed on the image's
 * timeline. Output: total and per-stage cycles, per unit and process busy / stalled on memory /
 * stalled on a FIFO / idle cycles, per-port utilisation over time, the timeline of every call's
 * processes (report Gantt chart) and, on request, a Chrome trace (trace.ts).
 * docs/performance-model.md, "Two engines".
 */
import type { DesignPoint } from '../../../design/types.js';
import { getPart } from '../../../hw/parts.js';
import { AXI } from '../../../plan/streams.js';
import type { UnitCall } from '../../../plan/index.js';
import { scheduleImage } from '../index.js';
import { callCost } from '../plan-cost.js';
import type { RoutingStats } from '../report.js';
import { simulateCall, type CallResult } from './call.js';
import type { MemoryConfig } from './memory.js';
import type { Segment } from './process.js';

export interface UnitActivity {
  readonly unit: string;
  readonly busy: number;
  readonly memory: number;
  readonly fifo: number;
  readonly idle: number;
}

export interface TimelineSpan {
  readonly block: number;
  readonly stage: string;
  readonly unit: string;
  /** Process (C++ function) of the span, e.g. `linear_unit.compute`. */
  readonly process: string;
  /** Cycles from the start of the image. */
  readonly start: number;
  readonly end: number;
  /** Cycles of the span stalled on memory / on a FIFO. */
  readonly memory: number;
  readonly fifo: number;
}

export interface PortActivity {
  readonly port: number;
  readonly bundles: readonly string[];
  readonly readBytes: number;
  readonly writeBytes: number;
  /** Bytes moved / (image cycles × port bytes per cycle in each direction × 2). */
  readonly utilisation: number;
  /** Utilisation of the port's busier direction capacity per bin of `binCycles`. */
  readonly series: readonly number[];
}

export interface EventReport {
  readonly engine: 'event';
  readonly design: string;
  readonly clockMHz: number;
  readonly cycles: number;
  readonly latencyMs: number;
  readonly routingSource: string;
  readonly stages: readonly { readonly block: number; readonly stage: string; readonly unit: string; readonly cycles: number }[];
  readonly units: readonly UnitActivity[];
  readonly processes: readonly { readonly name: string; readonly unit: string; readonly busy: number; readonly memory: number; readonly fifo: number }[];
  readonly ports: readonly PortActivity[];
  readonly binCycles: number;
  readonly timeline: readonly TimelineSpan[];
  readonly warnings: readonly string[];
  /** Events run (all distinct calls) and distinct call shapes simulated. */
  readonly events: number;
  readonly distinctCalls: number;
  readonly memory: MemoryConfig;
  /** Per call (index into the schedule): its start and the simulated shape's result (trace.ts). */
  readonly calls: readonly { readonly call: UnitCall; readonly start: number; readonly result: CallResult }[];
}

export interface EventOptions {
  /** Keep loop entries per process (trace detail); costs memory. */
  readonly loops?: boolean;
  /** Bins of the per-port utilisation series (default 200). */
  readonly bins?: number;
}

export function memoryConfig(design: DesignPoint, binCycles: number): MemoryConfig {
  const m = getPart(design.part).memory;
  const f = design.clockMHz;
  const beatBytes = design.axiBits / 8;
  return {
    beatBytes,
    portBytes: Math.min(beatBytes, (m.portBits / 8) * Math.min(1, m.portMaxMHz / f) * m.portEfficiency),
    aggregateBytes: (m.practicalGBps * 1000) / f,
    latency: Math.ceil((m.latencyNs * f) / 1000),
    ports: m.ports,
    duplex: m.ports > m.channels,
    burstBeats: AXI.maxBurstBeats, readOutstanding: AXI.readOutstanding, writeOutstanding: AXI.writeOutstanding,
    binCycles,
  };
}

/** Cycles by state of one unit over one call: busy if any process works, else memory, else FIFO stall. */
function classify(processes: CallResult['processes'], cycles: number): { busy: number; memory: number; fifo: number } {
  const marks: [number, number, Segment['kind']][] = [];
  for (const p of processes) for (const s of p.segments) { marks.push([s.start, 1, s.kind], [s.end, -1, s.kind]); }
  marks.sort((a, b) => a[0] - b[0]);
  const open = { busy: 0, memory: 0, fifo: 0 };
  const out = { busy: 0, memory: 0, fifo: 0 };
  let t = 0;
  for (const [at, d, kind] of marks) {
    const dt = Math.min(at, cycles) - t;
    if (dt > 0) {
      if (open.busy > 0) out.busy += dt;
      else if (open.memory > 0) out.memory += dt;
      else if (open.fifo > 0) out.fifo += dt;
      t += dt;
    }
    open[kind] += d;
  }
  return out;
}

export function simulateImage(design: DesignPoint, routing?: RoutingStats, opts: EventOptions = {}): EventReport {
  const { plan, mem: analyticMem, calls, routingSource } = scheduleImage(design, routing);
  // Bin width from the analytic estimate, so the series has about `bins` points whatever the design.
  const estimate = calls.reduce((a, c) => a + callCost(plan, analyticMem, c).cycles, 0);
  const bins = opts.bins ?? 200;
  const binCycles = Math.max(1, Math.ceil(estimate / bins));
  const callBin = Math.max(1, Math.floor(binCycles / 8));
  const mcfg = memoryConfig(design, callBin);
  const memo = new Map<string, CallResult>();
  const placed: { call: UnitCall; start: number; result: CallResult }[] = [];
  let t = 0;
  let events = 0;
  const warnings = new Set<string>();
  for (const call of calls) {
    let r = memo.get(call.key + call.unit);
    if (!r) {
      r = simulateCall(plan, call, mcfg, opts.loops ?? false);
      memo.set(call.key + call.unit, r);
      events += r.events;
      for (const w of r.warnings) warnings.add(w);
    }
    placed.push({ call, start: t, result: r });
    t += r.cycles;
  }
  const cycles = Math.ceil(t);

  const stages: { block: number; stage: string; unit: string; cycles: number }[] = [];
  const unitAcc = new Map<string, { busy: number; memory: number; fifo: number }>();
  const procAcc = new Map<string, { name: string; unit: string; busy: number; memory: number; fifo: number }>();
  const classified = new Map<CallResult, ReturnType<typeof classify>>();
  const timeline: TimelineSpan[] = [];
  const nPorts = mcfg.ports < plan.bundles.length ? mcfg.ports : plan.bundles.length;
  const series = Array.from({ length: nPorts }, () => new Float64Array(Math.ceil(cycles / binCycles) + 1));
  const bytes = Array.from({ length: nPorts }, () => ({ read: 0, write: 0 }));
  for (const { call, start, result: r } of placed) {
    const last = stages[stages.length - 1];
    if (last && last.block === call.block && last.stage === call.stage) last.cycles += r.cycles;
    else stages.push({ block: call.block, stage: call.stage, unit: call.unit, cycles: r.cycles });
    let c = classified.get(r);
    if (!c) classified.set(r, (c = classify(r.processes, r.cycles)));
    const u = unitAcc.get(call.unit) ?? { busy: 0, memory: 0, fifo: 0 };
    u.busy += c.busy; u.memory += c.memory; u.fifo += c.fifo;
    unitAcc.set(call.unit, u);
    for (const p of r.processes) {
      const a = procAcc.get(p.name) ?? { name: p.name, unit: call.unit, busy: 0, memory: 0, fifo: 0 };
      a.busy += p.busy; a.memory += p.memory; a.fifo += p.fifo;
      procAcc.set(p.name, a);
      if (p.end > p.start) timeline.push({ block: call.block, stage: call.stage, unit: call.unit, process: p.name, start: start + p.start, end: start + p.end, memory: p.memory, fifo: p.fifo });
    }
    r.portBins.forEach((pb, port) => {
      bytes[port]!.read += r.portBytes[port]!.read;
      bytes[port]!.write += r.portBytes[port]!.write;
      // A call bin [a, a + w) lands in at most two image bins.
      pb.forEach((v, b) => {
        if (!v) return;
        const a = start + b * callBin;
        const g = Math.floor(a / binCycles);
        const cut = Math.min(1, ((g + 1) * binCycles - a) / callBin);
        series[port]![g]! += v * cut;
        if (cut < 1) series[port]![g + 1]! += v * (1 - cut);
      });
    });
  }
  const units: UnitActivity[] = plan.units.filter((u) => unitAcc.has(u.id)).map((u) => {
    const a = unitAcc.get(u.id)!;
    return { unit: u.id, busy: a.busy, memory: a.memory, fifo: a.fifo, idle: Math.max(0, cycles - a.busy - a.memory - a.fifo) };
  });
  const cap = mcfg.portBytes;
  const ports: PortActivity[] = series.map((s, p) => ({
    port: p, bundles: plan.bundles.map((b) => b.id).filter((_, i) => i % nPorts === p), readBytes: bytes[p]!.read, writeBytes: bytes[p]!.write,
    utilisation: cycles > 0 ? (bytes[p]!.read + bytes[p]!.write) / (cycles * cap) : 0,
    // Call bins are spread over image bins assuming a uniform rate within each: clamp the overshoot.
    series: Array.from(s, (v) => Math.min(1, v / (binCycles * cap))),
  }));
  return {
    engine: 'event', design: design.name, clockMHz: design.clockMHz, cycles, latencyMs: cycles / (design.clockMHz * 1e3), routingSource,
    stages, units, processes: [...procAcc.values()], ports, binCycles, timeline, warnings: [...warnings], events, distinctCalls: memo.size,
    memory: mcfg, calls: placed,
  };
}
