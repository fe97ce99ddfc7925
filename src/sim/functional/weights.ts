/**
 * Weights in the datapath's fixed-point types: every float32 tensor converted ONCE to raw
 * integers (held in a Float64Array, row-major as in the weight file) of its tensor class's type,
 * with that type's quantisation and overflow modes — the `T(double)` conversion the generated
 * testbench performs on the same float32 values.
 */
import { UserError } from '../../errors.js';
import { fromDouble } from '../../fixed/quantize.js';
import { rawRange, type FixedType } from '../../fixed/type.js';
import type { DesignPoint, DesignTypes, TensorClass } from '../../design/types.js';
import type { ModelSpec } from '../../model/ir.js';
import type { WeightSet } from '../../model/weights.js';
import { checkSimulatable } from './context.js';

export interface QTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly cls: TensorClass;
  readonly type: FixedType;
  /** Raw integers of `type`, row-major. */
  readonly raw: Float64Array;
  /** max |raw| over the tensor (bounds the exact double fast paths). */
  readonly maxAbs: number;
}

export interface QuantizedWeights {
  readonly model: ModelSpec;
  readonly types: DesignTypes;
  readonly tensors: ReadonlyMap<string, QTensor>;
  /** The tensor; throws UserError naming it when absent. */
  get(name: string): QTensor;
  /** Names of tensors that were seeded synthetic values rather than file contents. */
  readonly syntheticNames: readonly string[];
}

/**
 * The tensor class (hence fixed-point type) of a weight tensor, by name (docs/datapath.md):
 * linear/gate/expert matrices → linearWeight, qkv/projection biases → attnBias, MLP and expert
 * biases and the patch-embedding bias → bias, LayerNorm γ/β → norm, patch kernel → patchWeight,
 * positional embedding and class token → fm; the classifier head's final LayerNorm → norm, its
 * matrix → linearWeight and bias → bias (it runs on the linear unit like fc1/fc2).
 */
export function tensorClass(name: string): TensorClass {
  if (name === 'patch_embed_weight') return 'patchWeight';
  if (name === 'patch_embed_bias') return 'bias';
  if (name === 'pos_embed' || name === 'cls_token') return 'fm';
  if (name === 'norm_weight' || name === 'norm_bias') return 'norm';
  if (name === 'head_weight') return 'linearWeight';
  if (name === 'head_bias') return 'bias';
  const m = /^l\d+_(.+)$/.exec(name);
  const s = m ? m[1]! : '';
  if (/^norm[12]_(weight|bias)$/.test(s)) return 'norm';
  if (s === 'qkv_bias' || s === 'attn_proj_bias') return 'attnBias';
  if (/^(qkv|attn_proj|fc1|fc2|htoh4|h4toh)_weight$/.test(s) || /^w_gate_T_task\d+$/.test(s)) return 'linearWeight';
  if (/^(fc1|fc2|htoh4|h4toh)_bias$/.test(s)) return 'bias';
  throw new UserError(name, 'no fixed-point tensor class for this weight tensor');
}

/** Convert float values to raws of `t` (the `T(double)` conversion); returns the raws and max |raw|. */
export function quantizeTensorData(data: ArrayLike<number>, t: FixedType): { raw: Float64Array; maxAbs: number } {
  const raw = new Float64Array(data.length);
  let maxAbs = 0;
  // AP_TRN (not AP_SAT_SYM): an in-range result is ⌊x·2^F⌋, exact for a float32 x; anything
  // else takes the general conversion.
  const trn = t.q === 'AP_TRN' && t.o !== 'AP_SAT_SYM';
  const sc = 2 ** t.F;
  const { min, max } = rawRange(t);
  for (let i = 0; i < data.length; i++) {
    let r = trn ? Math.floor(data[i]! * sc) : NaN;
    if (!(r >= min && r <= max)) r = fromDouble(data[i]!, t);
    raw[i] = r + 0; // never −0 (a −0.0 weight): raws are integers
    const a = r < 0 ? -r : r;
    if (a > maxAbs) maxAbs = a;
  }
  return { raw, maxAbs };
}

export function quantizeWeights(design: DesignPoint, weights: WeightSet): QuantizedWeights {
  checkSimulatable(design);
  if (weights.model !== design.model && JSON.stringify(weights.model) !== JSON.stringify(design.model)) {
    throw new UserError('weights', `weights are for model '${weights.model.name}', the design uses '${design.model.name}'`);
  }
  const tensors = new Map<string, QTensor>();
  for (const [name, t] of weights.tensors) {
    const cls = tensorClass(name);
    const type = design.types[cls];
    const { raw, maxAbs } = quantizeTensorData(t.data, type);
    tensors.set(name, Object.freeze({ name, shape: t.shape, cls, type, raw, maxAbs }));
  }
  return Object.freeze({
    model: design.model,
    types: design.types,
    tensors,
    syntheticNames: weights.syntheticNames,
    get(name: string): QTensor {
      const t = tensors.get(name);
      if (!t) throw new UserError(name, 'tensor missing from the quantised weight set');
      return t;
    },
  });
}
