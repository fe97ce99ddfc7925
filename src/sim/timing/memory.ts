/**
 * The off-chip memory as the kernel's m_axi ports see it, in kernel-clock units
 * (docs/performance-model.md §2). One stream = one sequential burst sequence on one bundle.
 */
import type { DesignPoint } from '../../design/types.js';
import type { Part } from '../../parts/parts.js';
import { transfer, type MemoryPath } from './pipeline.js';

export interface MemoryModel {
  /** Bytes of one kernel AXI beat (axiBits / 8). */
  readonly beatBytes: number;
  /** Sustained bytes per kernel cycle of one port on its own (port width × clock ratio × efficiency). */
  readonly portBytesPerCycle: number;
  /** Sustained bytes per kernel cycle of the whole memory system. */
  readonly aggregateBytesPerCycle: number;
  /** Cycles from a read request to its first beat (also charged once for a write response). */
  readonly latency: number;
}

/** The memory as seen by a kernel with `bundles` m_axi bundles (the plan's), each on its own PL port when the part has enough. */
export function memoryModel(design: DesignPoint, part: Part, bundles: number): MemoryModel {
  const f = design.clockMHz;
  const m = part.memory;
  const beatBytes = design.axiBits / 8;
  // A port narrower than the kernel's bus is fed through a width converter; a port slower than
  // the kernel clock crosses clock domains: either way it moves portBits × min(f, fmax) per second.
  const portRaw = (m.portBits / 8) * Math.min(1, m.portMaxMHz / f) * m.portEfficiency;
  // Fewer ports than bundles: bundles share ports evenly.
  const share = Math.min(1, m.ports / bundles);
  return {
    beatBytes,
    portBytesPerCycle: Math.min(beatBytes, portRaw) * share,
    aggregateBytesPerCycle: (m.practicalGBps * 1000) / f,
    latency: Math.ceil((m.latencyNs * f) / 1000),
  };
}

/** Bytes per cycle one stream gets while `concurrent` streams (≥ 1) run at once. */
export function streamRate(mem: MemoryModel, concurrent: number): number {
  return Math.min(mem.portBytesPerCycle, mem.aggregateBytesPerCycle / Math.max(1, concurrent));
}

/** Bytes moved for a row of `elems` values of `bits` each: whole beats (the bus moves full beats). */
export function rowBytes(mem: MemoryModel, elems: number, bits: number): number {
  return Math.ceil((elems * bits) / 8 / mem.beatBytes) * mem.beatBytes;
}

/** The path one of `concurrent` streams sees (pipeline.ts `MemoryPath`); `withLatency` false for a stream already running. */
export function pathFor(mem: MemoryModel, concurrent: number, withLatency = true): MemoryPath {
  return { portBytes: mem.beatBytes, bytesPerCycle: streamRate(mem, concurrent), latency: withLatency ? mem.latency : 0 };
}

/** Cycles to stream `bytes` at the rate of one of `concurrent` streams, no request latency. */
export function streamCycles(mem: MemoryModel, bytes: number, concurrent: number): number {
  return transfer(bytes, pathFor(mem, concurrent, false));
}

/** A whole transfer: request latency, then the bytes at the stream rate. */
export function transferCycles(mem: MemoryModel, bytes: number, concurrent: number): number {
  return transfer(bytes, pathFor(mem, concurrent));
}
