/**
 * The design point: the single source of truth for one accelerator. The functional simulator,
 * timing model, resource/power model, HLS templates and testbench all read this object; none of
 * them re-derives a parameter on its own.
 */
import type { FixedType } from '../fixed/type.js';
import type { ModelSpec } from '../model/ir.js';

/** Tensor classes, each with its own fixed-point type (see docs/datapath.md for where each is used). */
export const TENSOR_CLASSES = [
  'fm', 'linearWeight', 'attnBias', 'bias', 'norm', 'patchWeight', 'pixel',
  'accum', 'softmax', 'lnStat', 'geluTable',
] as const;
export type TensorClass = (typeof TENSOR_CLASSES)[number];
export type DesignTypes = Readonly<Record<TensorClass, FixedType>>;

/** Approximation switches; `exact` evaluates the float64 function and quantises the result (ablation only). */
export interface Approximations {
  readonly exp: 'hw' | 'exact';
  readonly recip: 'hw' | 'exact';
  readonly rsqrt: 'hw' | 'exact';
  readonly gelu: 'table' | 'exact';
}

/** How the timing model learns MoE routing when the functional simulator is not run. */
export type RoutingAssumption =
  | { readonly kind: 'simulate' }
  | { readonly kind: 'uniform' }
  /** Tokens routed to each expert (length = experts); used for every MoE layer. */
  | { readonly kind: 'histogram'; readonly counts: readonly number[] };

export interface DesignPoint {
  readonly name: string;
  /** Preset name or model-file path, as written in the design file. */
  readonly modelRef: string;
  readonly model: ModelSpec;
  /** Part id from the parts database, e.g. `zcu102`. */
  readonly part: string;
  readonly clockMHz: number;
  /** Data width of each AXI master port, bits. */
  readonly axiBits: number;
  /** Unified linear unit: `tileIn` inputs × `tileOut` outputs multiplied per cycle. */
  readonly linear: { readonly tileIn: number; readonly tileOut: number };
  /**
   * Attention engine: `parallel` query rows share each streamed K/V row (Edge-MoE reordering);
   * `dotTile` features are multiplied per cycle per query row in Q·Kᵀ and ·V.
   */
  readonly attention: { readonly parallel: number; readonly dotTile: number };
  readonly types: DesignTypes;
  readonly approx: Approximations;
  /** GELU delta table: step (a power of two) and range (|x| below which δ is tabulated). */
  readonly gelu: { readonly step: number; readonly range: number };
  readonly moe: { readonly task: number; readonly routing: RoutingAssumption };
  /** Weight buffers: `pingpong` overlaps the next layer's weight load with compute. */
  readonly buffers: { readonly weights: 'pingpong' | 'single' };
}

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
