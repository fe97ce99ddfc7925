/**
 * Result types of the performance model (timing + resources + power). CONTRACT shared by
 * `vitforge simulate`, the DSE and the reports: extend, do not break.
 */

export type { BlockRouting, RoutingStats } from '../../design/types.js';
import type { ResourceEstimate, PowerEstimate } from '../../hw/estimates.js';
export type { PowerEstimate, PowerScope, ResourceEstimate } from '../../hw/estimates.js';

export type Bound = 'compute' | 'memory';

export interface StageResult {
  /** Block index, or -1 for the patch embedding. */
  readonly block: number;
  /** Stage name, e.g. `ln1`, `qkv`, `qk_softmax`, `attn_v`, `proj`, `ln2`, `fc1`, `fc2`, `gate`, `experts`. */
  readonly stage: string;
  /** Hardware unit that runs it: `linear`, `attention`, `layernorm`, `moe-router`, `patch-embed`, `residual`. */
  readonly unit: string;
  readonly cycles: number;
  readonly computeCycles: number;
  readonly memoryCycles: number;
  readonly bound: Bound;
  /** Off-chip bytes moved by the stage. */
  readonly bytes: number;
  /** Bytes / stage time, GB/s. */
  readonly achievedGBps: number;
  readonly macs: number;
  /** Fraction of the unit's multipliers busy over the stage, 0..1. */
  readonly dspUtil: number;
}

export interface LayerResult {
  readonly block: number;
  readonly cycles: number;
  readonly ms: number;
  /** Operations of the layer (same counting as `gops`) per second of the layer, 1e9. */
  readonly gops?: number;
}

export interface PerformanceReport {
  readonly design: string;
  readonly part: string;
  readonly clockMHz: number;
  readonly cycles: number;
  readonly latencyMs: number;
  /** Operations (2 per MAC plus element-wise ops counted in docs) per second, 1e9. */
  readonly gops: number;
  readonly macs: number;
  readonly stages: readonly StageResult[];
  readonly layers: readonly LayerResult[];
  readonly resources: ResourceEstimate;
  readonly power: PowerEstimate;
  readonly energyMJ: number;
  readonly gopsPerW: number;
  /** Cycles of memory-bound stages over all cycles. */
  readonly memoryBoundFraction: number;
  readonly routingSource: string;
}
