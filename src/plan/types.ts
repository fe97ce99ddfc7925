/**
 * The microarchitecture plan: plain typed data naming every hardware unit instance of the
 * generated kernel, its loop nests (label, II, depth, what each iteration multiplies and moves),
 * its buffers, the AXI bundles, and the schedule of calls for one image. The plan says *how the
 * hardware is built*; the design point says *what* it is. Timing (src/sim/timing), resources
 * (src/hw) and the HLS templates (src/hls, templates/hls) all read this one description.
 * docs/plan.md explains every field.
 */
import type { MathFn } from '../fixed/math/costs.js';

/** The hardware units of the kernel; each is one C++ function (`function`) with INLINE off. */
export type UnitId = 'kernel' | 'patch-embed' | 'linear' | 'attention' | 'layernorm' | 'residual' | 'moe-router';

/** AXI master bundles of the kernel (m_axi `bundle=` names). */
export type BundleId = 'gmem_w' | 'gmem_p' | 'gmem_a' | 'gmem_b' | 'gmem_c';

export interface BundleSpec {
  readonly id: BundleId;
  readonly direction: 'read' | 'write';
  /** What travels on it. */
  readonly holds: string;
}

/** Multipliers one iteration of a loop uses: `count` products of wa × wb operand bits. */
export interface MulSite {
  readonly count: number;
  readonly wa: number;
  readonly wb: number;
  readonly what: string;
}

/** Math units (src/fixed/math) one iteration uses. */
export interface MathSite {
  readonly fn: MathFn;
  readonly count: number;
}

/** Adder trees one iteration uses: `count` trees reducing `inputs` values of `width` bits. */
export interface TreeSite {
  readonly count: number;
  readonly inputs: number;
  readonly width: number;
}

/** One AXI stream a loop drives: one beat on `bundle` per iteration. */
export interface AxiSite {
  readonly bundle: BundleId;
  readonly dir: 'read' | 'write';
}

export interface LoopSpec {
  /** Global index in Plan.loops (the order of the emitted C++ and of loops.json). */
  readonly index: number;
  /** `unit.name`, e.g. `linear.macs`. */
  readonly id: string;
  /** C++ label (Vitis reports name loops by it), e.g. `linear_macs`. */
  readonly label: string;
  readonly unit: UnitId;
  /** Enclosing loop id (undefined: a top-level loop of its unit function). */
  readonly parent?: string;
  /** Dataflow process the loop belongs to (units with a DATAFLOW region). */
  readonly process?: string;
  /** C++ expression of the trip count as the template writes it. */
  readonly bound: string;
  /** What one iteration does (docs, `vitforge plan`). */
  readonly doc: string;
  /** Initiation interval of a pipelined loop; null for a loop that is not pipelined. */
  readonly ii: number | null;
  /**
   * Pipelined: cycles from an iteration's start to its end (the fill). Not pipelined: control
   * overhead cycles per iteration, besides its inner loops and `bodyLatency`.
   */
  readonly depth: number;
  /** Not pipelined: latency of the straight-line work of one iteration (e.g. RSQRT), cycles. */
  readonly bodyLatency: number;
  /** Loop-carried dependence distance declared to HLS (DEPENDENCE pragma), when there is one. */
  readonly dependence?: { readonly variable: string; readonly distance: number };
  readonly axi: readonly AxiSite[];
  /** Each entry starts new AXI bursts: the request latency is paid per entry. */
  readonly muls: readonly MulSite[];
  readonly math: readonly MathSite[];
  readonly trees: readonly TreeSite[];
  /** Trip-count bounds over every call of the image (LOOP_TRIPCOUNT). */
  tripMin: number;
  tripMax: number;
}

export type Storage = 'bram' | 'uram' | 'lutram' | 'registers';

export interface BufferSpec {
  readonly id: string;
  readonly unit: UnitId;
  /** C++ variable name. */
  readonly name: string;
  /** Bits of one element (an AXI word for word buffers). */
  readonly elemBits: number;
  /** Array shape, outermost first. */
  readonly shape: readonly number[];
  /** Banks the array is split into by its ARRAY_PARTITION pragmas (product over dims). */
  readonly banks: number;
  /** Partition pragmas, as the template writes them. */
  readonly partition: readonly { readonly dim: number; readonly kind: 'complete' | 'cyclic'; readonly factor?: number }[];
  readonly storage: Storage;
  /** Copies (2 for ping-pong). */
  readonly copies: number;
  readonly doc: string;
}

export interface UnitSpec {
  readonly id: UnitId;
  /** The C++ function that is this unit (INLINE off: one RTL instance). */
  readonly function: string;
  readonly doc: string;
  /** Dataflow region: processes in chain order (FIFO-connected), and independent processes. */
  readonly dataflow?: { readonly chain: readonly string[]; readonly independent: readonly string[] };
  readonly loops: readonly LoopSpec[];
  readonly buffers: readonly BufferSpec[];
}

/** Iterations and entries of one loop in one call. */
export interface LoopTrips {
  readonly loop: number;
  readonly iterations: number;
  /** Times the loop was entered with at least one iteration. */
  readonly entries: number;
}

/** One call of a unit in the schedule of an image. */
export interface UnitCall {
  readonly unit: UnitId;
  /** Block index, -1 for the patch embedding. */
  readonly block: number;
  /** Reported stage (qkv, qk_softmax, …); calls of one block with the same stage are summed. */
  readonly stage: string;
  readonly trips: readonly LoopTrips[];
  readonly macs: number;
  /** Key of the call's shape: calls with equal keys cost the same. */
  readonly key: string;
}

export interface Plan {
  readonly design: string;
  readonly clockMHz: number;
  readonly axiBits: number;
  readonly units: readonly UnitSpec[];
  /** Every loop of every unit, in emission order. */
  readonly loops: readonly LoopSpec[];
  readonly bundles: readonly BundleSpec[];
  readonly constants: Readonly<Record<string, number>>;
}
