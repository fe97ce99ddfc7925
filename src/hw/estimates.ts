/** Result types of the resource and power models (part of every PerformanceReport). */

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

