/**
 * Chrome trace (the JSON Trace Event Format that Perfetto and chrome://tracing open) of an
 * event-engine run: one thread per process of each unit (pid 1), a complete event (`ph: X`) per
 * call of that process, nested stall events where it waited on memory or on a FIFO, an instant
 * event (`ph: i`) where a ping-pong weight buffer is handed over, and one counter track (`ph: C`,
 * pid 2) per memory port with its utilisation. Times are µs at the design clock.
 */
import type { EventReport } from './index.js';

export interface TraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'i' | 'C' | 'M';
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly s?: 't';
  readonly args?: Record<string, number | string>;
}

export interface ChromeTrace {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: 'ns';
  readonly otherData: Record<string, string | number>;
}

/** Stalls shorter than this many cycles are left out of the trace (they stay in the totals). */
const MIN_STALL = 4;

export function chromeTrace(r: EventReport): ChromeTrace {
  const us = (c: number): number => +(c / r.clockMHz).toFixed(4);
  const ev: TraceEvent[] = [
    { name: 'process_name', ph: 'M', ts: 0, pid: 1, tid: 0, args: { name: `kernel ${r.design}` } },
    { name: 'process_name', ph: 'M', ts: 0, pid: 2, tid: 0, args: { name: 'memory ports' } },
  ];
  const tids = new Map<string, number>();
  const tid = (name: string): number => {
    let t = tids.get(name);
    if (t === undefined) {
      tids.set(name, (t = tids.size + 1));
      ev.push({ name: 'thread_name', ph: 'M', ts: 0, pid: 1, tid: t, args: { name } });
    }
    return t;
  };
  for (const { call, start, result } of r.calls) {
    for (const p of result.processes) {
      if (p.end <= p.start) continue;
      const t = tid(p.name);
      ev.push({
        name: call.stage, cat: call.unit, ph: 'X', ts: us(start + p.start), dur: us(p.end - p.start), pid: 1, tid: t,
        args: { block: call.block, busyCycles: Math.round(p.busy), memoryStallCycles: Math.round(p.memory), fifoStallCycles: Math.round(p.fifo) },
      });
      for (const s of p.segments) {
        if (s.kind === 'busy' || s.end - s.start < MIN_STALL) continue;
        ev.push({ name: `stall: ${s.kind}`, cat: 'stall', ph: 'X', ts: us(start + s.start), dur: us(s.end - s.start), pid: 1, tid: t });
      }
      // The loader filled the idle buffer; at the end of the call it becomes the compute buffer.
      if (p.name.endsWith('.load')) ev.push({ name: 'weights handover (ping-pong swap)', ph: 'i', s: 't', ts: us(start + result.cycles), pid: 1, tid: t });
    }
  }
  for (const p of r.ports) {
    const name = `port ${p.port} (${p.bundles.join(', ')})`;
    p.series.forEach((u, i) => ev.push({ name, ph: 'C', ts: us(i * r.binCycles), pid: 2, tid: 0, args: { utilisation: +u.toFixed(4) } }));
  }
  return { traceEvents: ev, displayTimeUnit: 'ns', otherData: { design: r.design, clockMHz: r.clockMHz, cycles: r.cycles, engine: 'vitforge event engine' } };
}
