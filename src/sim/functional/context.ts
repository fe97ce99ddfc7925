/**
 * Per-design constants of the datapath and its math units (docs/datapath.md): the types, the
 * constants INV_D, EPS and SCALE, the GELU delta table, and the exp/recip/rsqrt/GELU units with
 * their approximation switches (`design.approx.*`: `hw` = vitforge's math library, `exact` =
 * float64 function of the exact input, quantised to the output type; ablation only).
 */
import { UserError } from '../../errors.js';
import { fromDouble } from '../../fixed/quantize.js';
import { parseFixedType, rawRange, type FixedType } from '../../fixed/type.js';
import { expHw, recipHw, rsqrtHw, buildGeluTable, geluHw, type GeluTable } from '../../fixed/math/index.js';
import { geluExact } from '../../kernels/erf.js';
import { Quantizer, TWO53 } from './exact.js';
import { TENSOR_CLASSES, type DesignPoint, type DesignTypes } from '../../design/types.js';
import { modelDims, type ModelDims, type ModelSpec } from '../../model/ir.js';

/** Widest type the simulator holds: raws live in doubles, exact up to 2^53. */
export const SIM_MAX_WIDTH = 53;

/** The type of the LayerNorm constant 1/D (docs/datapath.md). */
export const INV_D_TYPE: FixedType = parseFixedType('ap_ufixed<32,0,AP_RND>');

/** Reject design points the double-based simulator cannot run exactly. */
export function checkSimulatable(design: DesignPoint): void {
  for (const c of TENSOR_CLASSES) {
    const t = design.types[c];
    if (t.W > SIM_MAX_WIDTH) {
      throw new UserError(`types.${c}`, `W=${t.W} is wider than the functional simulator supports`, `W ≤ ${SIM_MAX_WIDTH}`);
    }
  }
}

/**
 * The GELU unit: exactly `geluHw` (docs/math.md), with the per-design constants hoisted out of
 * the per-element call (it runs ~1.2 M times per m3vit-tiny image). Falls back to `geluHw` itself
 * where the exact-double argument does not hold (step finer than fm, or sums ≥ 2^53).
 * test/sim/functional/units.test.ts checks bit-equality with geluHw over a dense sweep.
 */
export class GeluUnit {
  private readonly fast: boolean;
  private readonly inv: number;
  private readonly stepRaw: number;
  private readonly up: number;
  private readonly upD: number;
  private readonly last: number;
  private readonly e: Float64Array;
  private readonly q: Quantizer;

  constructor(private readonly fm: FixedType, private readonly table: GeluTable) {
    const k = -Math.log2(table.step);
    const sh = fm.F - k; // fraction bits of |x|/step
    const dF = table.type.F + sh;
    const vF = Math.max(fm.F, dF);
    this.e = table.entries;
    this.last = table.entries.length - 1;
    this.inv = 2 ** -sh;
    this.stepRaw = 2 ** sh;
    this.up = 2 ** (vF - fm.F);
    this.upD = 2 ** (vF - dF);
    this.q = new Quantizer(vF, fm);
    let eMax = 0;
    for (let i = 0; i < this.e.length; i++) eMax = Math.max(eMax, this.e[i]!);
    // |x| < range on the table path: |max(x,0)·up| ≤ range·2^vF, |δ̃·upD| ≤ 2·eMax·2^sh·upD.
    this.fast = sh > 0 && table.range * 2 ** vF + 2 * eMax * this.stepRaw * this.upD < TWO53;
  }

  apply(xRaw: number): number {
    if (!this.fast) return geluHw(xRaw, this.fm, this.table);
    const a = xRaw < 0 ? -xRaw : xRaw;
    const xpos = xRaw > 0 ? xRaw : 0;
    const n = Math.floor(a * this.inv);
    if (n >= this.last) return xpos; // δ = 0 beyond the table: Q_fm(max(x, 0)) = max(x, 0)
    const t0 = this.e[n]!;
    const d = t0 * this.stepRaw + (this.e[n + 1]! - t0) * (a - n * this.stepRaw);
    return this.q.q(xpos * this.up - d * this.upD);
  }
}

export class MathUnits {
  private readonly expExact: boolean;
  private readonly recipExact: boolean;
  private readonly rsqrtExact: boolean;
  private readonly geluExactMode: boolean;
  private readonly softT: FixedType;
  private readonly lnT: FixedType;
  private readonly fmT: FixedType;
  private readonly softMax: number;
  private readonly lnMax: number;
  readonly geluTable: GeluTable | null;
  private readonly geluUnit: GeluUnit | null;

  constructor(design: DesignPoint) {
    this.expExact = design.approx.exp === 'exact';
    this.recipExact = design.approx.recip === 'exact';
    this.rsqrtExact = design.approx.rsqrt === 'exact';
    this.geluExactMode = design.approx.gelu === 'exact';
    this.softT = design.types.softmax;
    this.lnT = design.types.lnStat;
    this.fmT = design.types.fm;
    this.softMax = rawRange(this.softT).max;
    this.lnMax = rawRange(this.lnT).max;
    this.geluTable = this.geluExactMode ? null : buildGeluTable(design.gelu.step, design.gelu.range, design.types.geluTable);
    this.geluUnit = this.geluTable ? new GeluUnit(this.fmT, this.geluTable) : null;
  }

  /** EXP(d) for the exact d = dRaw·2^-dF ≤ 0, in the softmax type. */
  exp(dRaw: number, dF: number): number {
    if (!this.expExact) return expHw(dRaw, dF, this.softT);
    const d = dRaw * 2 ** -dF;
    return fromDouble(Math.exp(d > 0 ? 0 : d), this.softT);
  }

  /** RECIP(x) for x of type xT, in the softmax type. */
  recip(xRaw: number, xT: FixedType): number {
    if (!this.recipExact) return recipHw(xRaw, xT, this.softT);
    if (xRaw <= 0) return this.softMax;
    return fromDouble(1 / (xRaw * 2 ** -xT.F), this.softT);
  }

  /** RSQRT(x) for x in lnStat, in lnStat. */
  rsqrt(xRaw: number): number {
    if (!this.rsqrtExact) return rsqrtHw(xRaw, this.lnT, this.lnT);
    if (xRaw <= 0) return this.lnMax;
    return fromDouble(1 / Math.sqrt(xRaw * 2 ** -this.lnT.F), this.lnT);
  }

  /** GELU(x) for x in fm, in fm. */
  gelu(xRaw: number): number {
    if (this.geluUnit) return this.geluUnit.apply(xRaw);
    return fromDouble(geluExact(xRaw * 2 ** -this.fmT.F), this.fmT);
  }
}

export interface FixedContext {
  readonly design: DesignPoint;
  readonly model: ModelSpec;
  readonly dims: ModelDims;
  readonly T: DesignTypes;
  /** 1/D rounded into INV_D_TYPE (raw). */
  readonly invD: number;
  /** Q_lnStat(lnEps) (raw). */
  readonly eps: number;
  /** Q_fm(1/√dh) (raw). */
  readonly scale: number;
  readonly math: MathUnits;
}

export function buildContext(design: DesignPoint): FixedContext {
  checkSimulatable(design);
  const model = design.model;
  const dims = modelDims(model);
  const T = design.types;
  return Object.freeze({
    design, model, dims, T,
    invD: fromDouble(1 / model.dim, INV_D_TYPE),
    eps: fromDouble(model.lnEps, T.lnStat),
    scale: fromDouble(1 / Math.sqrt(dims.headDim), T.fm),
    math: new MathUnits(design),
  });
}
