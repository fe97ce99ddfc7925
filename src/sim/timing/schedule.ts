/**
 * Sequencing of one transformer block: stages run one after another on the datapath, while a
 * single weight loader (the weight m_axi bundle) fills the linear unit's weight buffers. With
 * `pingpong` buffers a load may start as soon as its buffer's previous user has finished and the
 * loader is free, so it overlaps earlier stages; with `single` it can only start after the
 * previous linear layer finished (docs/performance-model.md §3.8).
 */
import type { StageCost } from './stages.js';

export interface ScheduleItem {
  readonly cost: StageCost;
  /** Name of the reported stage this item is summed into (experts of one block form one stage). */
  readonly report: string;
  /** The item's weights are only known once the block's routing is (MoE experts: after the gate). */
  readonly afterRouting?: boolean;
  /** This item makes the routing known when it ends (the gate). */
  readonly routing?: boolean;
}

export interface ScheduledStage {
  readonly report: string;
  readonly unit: string;
  /** Cycles from the end of the previous reported stage to the end of this one (waits included). */
  readonly cycles: number;
  readonly computeCycles: number;
  readonly memoryCycles: number;
  /** Cycles spent waiting for a weight load that compute could not hide. */
  readonly exposedLoad: number;
  readonly bytes: number;
  readonly macs: number;
  readonly multipliers: number;
}

/** Schedule one block's items in order; consecutive items with the same `report` are merged. */
export function scheduleBlock(items: readonly ScheduleItem[], pingpong: boolean): ScheduledStage[] {
  const out: ScheduledStage[] = [];
  let t = 0;
  let loaderFree = 0;
  const bufFree = [0, 0];
  let nextBuf = 0;
  let routingKnown = 0;
  let groupStart = 0;
  let acc: { report: string; unit: string; compute: number; memory: number; exposed: number; bytes: number; macs: number; mult: number } | undefined;
  const flush = (): void => {
    if (!acc) return;
    out.push({
      report: acc.report, unit: acc.unit, cycles: t - groupStart, computeCycles: acc.compute, memoryCycles: acc.memory,
      exposedLoad: acc.exposed, bytes: acc.bytes, macs: acc.macs, multipliers: acc.mult,
    });
    acc = undefined;
  };
  for (const it of items) {
    const c = it.cost;
    if (!acc || acc.report !== it.report) {
      flush();
      groupStart = t;
      acc = { report: it.report, unit: c.unit, compute: 0, memory: 0, exposed: 0, bytes: 0, macs: 0, mult: c.multipliers };
    }
    let start = t;
    let memory = c.memoryCycles;
    if (c.weights) {
      const b = pingpong ? nextBuf : 0;
      nextBuf ^= 1;
      const loadStart = Math.max(loaderFree, bufFree[b]!, it.afterRouting ? routingKnown : 0);
      const loadEnd = loadStart + c.weights.cycles;
      loaderFree = loadEnd;
      start = Math.max(t, loadEnd);
      memory = Math.max(memory, c.weights.cycles);
      acc.bytes += c.weights.bytes;
      bufFree[b] = start + c.cycles;
    }
    acc.exposed += start - t;
    t = start + c.cycles;
    if (it.routing) routingKnown = t;
    acc.compute += c.computeCycles;
    acc.memory += memory;
    acc.bytes += c.bytes;
    acc.macs += c.macs;
  }
  flush();
  return out;
}
