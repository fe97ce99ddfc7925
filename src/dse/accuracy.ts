/**
 * Accuracy objective: fixed-point error of a datatype configuration, measured by the bit-accurate
 * functional simulator against the float64 reference on a small calibration input (the first
 * `layers` blocks, on weight folders when given — e.g. the real M3ViT weights — else on seeded
 * synthetic weights and image). The result depends only on the types,
 * the approximation switches and the GELU table, so it is cached per such configuration and
 * computed once per type set. Tile sizes (`linear.tileIn`, `attention.dotTile`) also move
 * accumulator rounding points; the oracle measures every type set at the BASE design's tiles,
 * which docs/dse.md states as the approximation it is.
 */
import { designFromObject } from '../design/load.js';
import type { DesignPoint } from '../design/types.js';
import type { AccuracyResult } from './metrics.js';

type Obj = Record<string, unknown>;

/** Fields that change the numbers the datapath computes, apart from the tile sizes. */
const VALUE_FIELDS = ['types', 'approx', 'gelu'] as const;

export function accuracyKey(designObj: Obj): string {
  return JSON.stringify(VALUE_FIELDS.map((f) => designObj[f]));
}

/** Relative L2 and SQNR of `approx` against `ref` (same length). */
export function compareOutputs(ref: ArrayLike<number>, approx: ArrayLike<number>): AccuracyResult {
  let sig = 0;
  let err = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = approx[i]! - ref[i]!;
    sig += ref[i]! * ref[i]!;
    err += d * d;
  }
  return { relL2: Math.sqrt(err / sig), sqnrDb: err === 0 ? Infinity : 10 * Math.log10(sig / err) };
}

export interface CalibrationOptions {
  /** Blocks run (the first `layers`). */
  readonly layers: number;
  /** Seed of the synthetic weights and image. */
  readonly seed: number;
  /** Weight folders (absolute paths, overlaid in order; image from the first that has one). */
  readonly weights?: readonly string[];
}

export class AccuracyOracle {
  private readonly cache = new Map<string, AccuracyResult>();
  private constructor(
    private readonly base: Obj,
    private readonly run: (d: DesignPoint) => AccuracyResult,
  ) {}

  /** Builds the calibration input and the float64 reference once. */
  static async create(baseDesignObj: Obj, opts: CalibrationOptions): Promise<AccuracyOracle> {
    const [{ resolveInputs }, { forwardReference }, fixed] = await Promise.all([
      import('../model/inputs.js'), import('../kernels/forward.js'), import('../sim/functional/index.js'),
    ]);
    const baseDesign = designFromObject(baseDesignObj);
    const full = baseDesign.model;
    const layers = Math.min(opts.layers, full.depth);
    // The calibration network is the model cut after `layers` blocks: quantising the weights of
    // blocks that never run would cost more than the forward pass itself.
    const model = { ...full, depth: layers, blocks: full.blocks.slice(0, layers) };
    const { weights, image } = resolveInputs(model, { weights: opts.weights ?? [], seed: opts.seed });
    const ref = forwardReference(model, weights, image, { layers, task: baseDesign.moe.task });
    const run = (d: DesignPoint): AccuracyResult => {
      const cut: DesignPoint = { ...d, model };
      const qw = fixed.quantizeWeights(cut, weights);
      return compareOutputs(ref, fixed.forwardFixed(cut, qw, image, { layers }).output);
    };
    return new AccuracyOracle(baseDesignObj, run);
  }

  /** Number of distinct type sets measured so far. */
  get measured(): number {
    return this.cache.size;
  }

  measure(designObj: Obj): AccuracyResult {
    const key = accuracyKey(designObj);
    let r = this.cache.get(key);
    if (!r) {
      const calib: Obj = { ...this.base };
      for (const f of VALUE_FIELDS) calib[f] = designObj[f];
      r = this.run(designFromObject(calib));
      this.cache.set(key, r);
    }
    return r;
  }
}
