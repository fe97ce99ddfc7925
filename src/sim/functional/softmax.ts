/**
 * Single-pass softmax (docs/datapath.md), written once over an abstract arithmetic so the same
 * algorithm runs in fixed point (the datapath) and in float64 (to test it against the textbook
 * two-pass softmax).
 *
 * Visiting x_0..x_{n-1} once, keep the running maximum m ("bias") and the running sum S of
 * exp(x_j − m); when a new maximum arrives the old sum is rescaled by exp(m_old − m_new) and the
 * new element contributes exp(0) = 1. At the end R = 1/S, and each probability is formed at use
 * as exp(x_j − m)·R. No score is stored twice and no second pass over the inputs is needed for
 * the statistics.
 */
import type { FixedType } from '../../fixed/type.js';
import { fromDouble } from '../../fixed/quantize.js';
import type { MathUnits } from './context.js';
import { addQ, mulQ, Quantizer, TWO53 } from './exact.js';

export interface SoftmaxArith {
  /** EXP(a − b) for a ≤ b. */
  expDiff(a: number, b: number): number;
  /** The rescale step when a new maximum arrives: S·e + 1 (with the arithmetic's rounding). */
  scaleAddOne(S: number, e: number): number;
  /** S + e. */
  add(S: number, e: number): number;
  /** The sum's starting value, 1 (the first element's exp(0)). */
  readonly one: number;
  recip(S: number): number;
  /** Probability exp·R. */
  prob(e: number, R: number): number;
}

/**
 * Statistics of x[off + j·stride], j = 0..n-1 (n ≥ 1): stats[0] = m (running max), stats[1] = R
 * (reciprocal of the running sum). If `memoE`/`memoM` are given, memoE[mo + j] receives the EXP
 * value computed for element j and memoM[mo + j] the maximum it was taken against (NaN where no
 * EXP was evaluated):
 * a pure memo of the same function, which lets the use pass skip EXP(x_j − m) whenever the
 * running maximum was already final at j.
 */
export function softmaxStats(x: Float64Array, off: number, stride: number, n: number,
  ar: SoftmaxArith, stats: Float64Array, memoE?: Float64Array, memoM?: Float64Array, mo = 0): void {
  let m = x[off]!;
  let S = ar.one;
  if (memoM) memoM[mo] = NaN;
  for (let j = 1; j < n; j++) {
    const s = x[off + j * stride]!;
    if (s > m) {
      S = ar.scaleAddOne(S, ar.expDiff(m, s));
      m = s;
      if (memoM) memoM[mo + j] = NaN;
    } else {
      const e = ar.expDiff(s, m);
      S = ar.add(S, e);
      if (memoE && memoM) {
        memoE[mo + j] = e;
        memoM[mo + j] = m;
      }
    }
  }
  stats[0] = m;
  stats[1] = ar.recip(S);
}

/** Probabilities of all n elements from their statistics (at use: exp(x − m)·R). */
export function softmaxProbs(x: Float64Array, off: number, stride: number, n: number,
  ar: SoftmaxArith, stats: Float64Array, out: Float64Array, outOff: number): void {
  const m = stats[0]!;
  const R = stats[1]!;
  for (let j = 0; j < n; j++) out[outOff + j] = ar.prob(ar.expDiff(x[off + j * stride]!, m), R);
}

/** Float64 instantiation (tests; the float reference itself uses its own two-pass softmax). */
export const FLOAT_SOFTMAX: SoftmaxArith = {
  expDiff: (a, b) => Math.exp(a - b),
  scaleAddOne: (S, e) => S * e + 1,
  add: (S, e) => S + e,
  one: 1,
  recip: (S) => 1 / S,
  prob: (e, R) => e * R,
};

/**
 * The datapath's instantiation: inputs are fm raws, S/exp/R are softmax raws, probabilities fm
 * raws. Every step is one Q_T of an exact value:
 *   scaleAddOne: Q_softmax(Q_softmax(S·e) + 1);  add: Q_softmax(S + e);  prob: Q_fm(e·R).
 */
export class FixedSoftmax implements SoftmaxArith {
  readonly one: number;
  private readonly xF: number;
  private readonly sF: number;
  private readonly qSum: Quantizer;
  private readonly qProb: Quantizer;

  constructor(private readonly math: MathUnits, xT: FixedType, private readonly softT: FixedType,
    private readonly fmT: FixedType) {
    this.xF = xT.F;
    this.sF = softT.F;
    this.one = fromDouble(1, softT);
    this.qSum = new Quantizer(softT.F, softT);
    this.qProb = new Quantizer(2 * softT.F, fmT);
  }

  expDiff(a: number, b: number): number {
    return this.math.exp(a - b, this.xF); // difference of two raws of one type: exact
  }

  scaleAddOne(S: number, e: number): number {
    return addQ(mulQ(S, this.sF, e, this.sF, this.softT), this.sF, 1, 0, this.softT);
  }

  add(S: number, e: number): number {
    return this.qSum.q(S + e); // two raws of one type (W ≤ 53): the sum is exact
  }

  recip(S: number): number {
    return this.math.recip(S, this.softT);
  }

  prob(e: number, R: number): number {
    const p = e * R;
    return Math.abs(p) < TWO53 ? this.qProb.q(p) : mulQ(e, this.sF, R, this.sF, this.fmT);
  }
}
