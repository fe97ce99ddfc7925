/**
 * Result types of the performance model (timing + resources + power). CONTRACT shared by
 * `vitforge simulate`, the DSE and the reports: extend, do not break.
 */

/** Tokens routed to each expert of one MoE block (length = experts). */
export interface BlockRouting {
  readonly block: number;
  readonly counts: readonly number[];
}
/** Routing of every MoE block of one image, e.g. from the functional simulator. */
export interface RoutingStats {
  readonly source: string;
  readonly blocks: readonly BlockRouting[];
}

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

export interface ResourceEstimate {
  readonly dsp: number;
  readonly bram36: number;
  readonly uram: number;
  readonly lut: number;
  readonly ff: number;
  /** Utilisation fraction of the part per resource. */
  readonly util: { readonly dsp: number; readonly bram36: number; readonly uram: number; readonly lut: number; readonly ff: number };
  readonly fits: boolean;
  /** Why it does not fit, e.g. `dsp 3100 > 2520`. */
  readonly violations: readonly string[];
  /** Per-unit breakdown, same fields. */
  readonly units: readonly { readonly unit: string; readonly dsp: number; readonly bram36: number; readonly uram: number; readonly lut: number; readonly ff: number }[];
}

/**
 * What a power figure covers (docs/performance-model.md §6): `chip` the FPGA/MPSoC package
 * (device static + PS + PL dynamic), `rails` chip + its DRAM (what summing the FPGA and memory
 * supply monitors gives), `board` the whole board at its input connector (rails through the
 * regulators + peripherals, fan, clocks).
 */
export type PowerScope = 'chip' | 'rails' | 'board';

export interface PowerEstimate {
  /** Device static power (PL + PS leakage), W. */
  readonly staticW: number;
  /** totalW − staticW: every other term of `breakdown` at the reported scope (board terms included), W. */
  readonly dynamicW: number;
  readonly totalW: number;
  /**
   * Power by source, W; staticW + Σ breakdown = totalW. Chip: dsp, bram, logic, clock, host;
   * rails adds offchip (DRAM); board adds regulators (conversion loss) and peripherals.
   */
  readonly breakdown: Readonly<Record<string, number>>;
  /** Scope of totalW (absent in estimates made before scopes existed: then `rails`). */
  readonly scope?: PowerScope;
  /** Total at every scope, W; `board` absent when the part has no board data. */
  readonly scopes?: { readonly chip: number; readonly rails: number; readonly board?: number };
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
