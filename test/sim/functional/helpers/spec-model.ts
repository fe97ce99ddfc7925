/**
 * A deliberately plain interpreter of docs/datapath.md in BigInt arithmetic, written from the
 * spec text and independent of src/sim/functional (no tiling tricks, no fast paths, no double
 * arithmetic on raws). Every `q(...)` is one Q_T of an exact value. The math units (EXP, RECIP,
 * RSQRT, GELU table) are the math library's functions, used as black boxes: their bits are
 * defined by docs/math.md and tested in test/fixed/math.
 *
 * Slow: for tiny models only.
 */
import type { DesignPoint } from '../../../../src/design/types.js';
import type { FixedType } from '../../../../src/fixed/type.js';
import { parseFixedType } from '../../../../src/fixed/type.js';
import { buildGeluTable, expHw, geluHw, recipHw, rsqrtHw } from '../../../../src/fixed/math/index.js';
import { geluExact } from '../../../../src/kernels/erf.js';
import { modelDims } from '../../../../src/model/ir.js';
import type { WeightSet } from '../../../../src/model/weights.js';
import { align, qDouble, qRef } from './bigref.js';

type B = bigint;
const num = (v: B): number => Number(v);

export interface SpecResult {
  readonly out: B[]; // tokens × D fm raws
  readonly tops: Map<number, number[][]>; // block → per token top-k experts (rank order)
}

export function specForward(design: DesignPoint, weights: WeightSet, image: ArrayLike<number>, layers: number): SpecResult {
  const m = design.model;
  const dims = modelDims(m);
  const T = design.types;
  const fm = T.fm;
  const acc = T.accum;
  const sm = T.softmax;
  const ln = T.lnStat;
  const D = m.dim;
  const N = dims.tokens;
  const dh = dims.headDim;
  const q = (v: B, F: number, t: FixedType): B => qRef(v, F, t);
  const add = (a: B, aF: number, b: B, bF: number, t: FixedType): B => {
    const F = Math.max(aF, bF);
    return q(align(a, aF, F) + align(b, bF, F), F, t);
  };
  // Tensor classes, from the table in docs/datapath.md.
  const classOf = (name: string): FixedType => {
    if (name === 'patch_embed_weight') return T.patchWeight;
    if (name === 'pos_embed' || name === 'cls_token') return fm;
    if (name.endsWith('norm1_weight') || name.endsWith('norm1_bias') || name.endsWith('norm2_weight') || name.endsWith('norm2_bias')) return T.norm;
    if (name.endsWith('qkv_bias') || name.endsWith('attn_proj_bias')) return T.attnBias;
    if (name.endsWith('_weight') || name.includes('w_gate_T')) return T.linearWeight;
    return T.bias; // patch_embed_bias, fc*/htoh4/h4toh biases
  };
  const W = (name: string): { v: B[]; F: number } => {
    const t = classOf(name);
    return { v: Array.from(weights.get(name).data, (x) => qDouble(x, t)), F: t.F };
  };
  const approx = design.approx;
  const table = approx.gelu === 'table' ? buildGeluTable(design.gelu.step, design.gelu.range, T.geluTable) : null;
  const gelu = (y: B): B => (table ? BigInt(geluHw(num(y), fm, table)) : qDouble(geluExact(num(y) * 2 ** -fm.F), fm));
  const EXP = (d: B, dF: number): B => (approx.exp === 'hw' ? BigInt(expHw(num(d), dF, sm)) : qDouble(Math.exp(num(d) * 2 ** -dF), sm));
  const RECIP = (s: B): B => (approx.recip === 'hw' ? BigInt(recipHw(num(s), sm, sm)) : qDouble(1 / (num(s) * 2 ** -sm.F), sm));
  const RSQRT = (x: B): B => (approx.rsqrt === 'hw' ? BigInt(rsqrtHw(num(x), ln, ln)) : qDouble(1 / Math.sqrt(num(x) * 2 ** -ln.F), ln));

  const TI = design.linear.tileIn;
  /** LIN over one input vector. */
  const LIN = (x: B[], xF: number, w: { v: B[]; F: number }, wOff: number, K: number, Nout: number,
    b: { v: B[]; F: number } | null, bOff: number, act: boolean): B[] => {
    const y: B[] = [];
    const pF = xF + w.F;
    for (let o = 0; o < Nout; o++) {
      let a = 0n;
      for (let blk = 0; blk < K / TI; blk++) {
        let p = 0n;
        for (let i = blk * TI; i < blk * TI + TI; i++) p += x[i]! * w.v[wOff + o * K + i]!;
        a = add(a, acc.F, p, pF, acc);
      }
      let r = b ? add(a, acc.F, b.v[bOff + o]!, b.F, fm) : q(a, acc.F, fm);
      if (act) r = gelu(r);
      y.push(r);
    }
    return y;
  };

  // Constants.
  const INV_D_T = parseFixedType('ap_ufixed<32,0,AP_RND>');
  const invD = (2n ** 33n + BigInt(D)) / (2n * BigInt(D)); // round-half-up of 2^32/D (D ≥ 2)
  const EPS = qDouble(m.lnEps, ln);
  const SCALE = qDouble(1 / Math.sqrt(dh), fm);

  const LN = (v: B[], g: { v: B[]; F: number }, be: { v: B[]; F: number }): B[] => {
    let s1 = 0n;
    let s2 = 0n;
    for (let d = 0; d < D; d++) {
      s1 = add(s1, ln.F, v[d]!, fm.F, ln);
      s2 = add(s2, ln.F, q(v[d]! * v[d]!, 2 * fm.F, ln), ln.F, ln);
    }
    const mean = q(s1 * invD, ln.F + INV_D_T.F, ln);
    const ex2 = q(s2 * invD, ln.F + INV_D_T.F, ln);
    let vr = add(ex2, ln.F, -(mean * mean), 2 * ln.F, ln);
    if (vr < 0n) vr = 0n;
    const r = RSQRT(add(vr, ln.F, EPS, ln.F, ln));
    const F = Math.max(fm.F, ln.F);
    return v.map((x, d) => {
      const n = q((align(x, fm.F, F) - align(mean, ln.F, F)) * r, F + ln.F, fm);
      return add(n * g.v[d]!, fm.F + g.F, be.v[d]!, be.F, fm);
    });
  };

  /** Single-pass softmax statistics of fm raws xs (spec text, written out again). */
  const stats = (xs: B[]): { m: B; R: B } => {
    let mx = xs[0]!;
    let S = qDouble(1, sm);
    for (let j = 1; j < xs.length; j++) {
      if (xs[j]! > mx) {
        S = add(q(S * EXP(mx - xs[j]!, fm.F), 2 * sm.F, sm), sm.F, 1n, 0, sm);
        mx = xs[j]!;
      } else {
        S = add(S, sm.F, EXP(xs[j]! - mx, fm.F), sm.F, sm);
      }
    }
    return { m: mx, R: RECIP(S) };
  };
  const prob = (x: B, st: { m: B; R: B }): B => q(EXP(x - st.m, fm.F) * st.R, 2 * sm.F, fm);

  // Embedding.
  const pix = Array.from(image, (x) => qDouble(x, T.pixel));
  const pw = W('patch_embed_weight');
  const pb = W('patch_embed_bias');
  const pos = W('pos_embed');
  const P = m.patchSize;
  const x: B[][] = [];
  const first = m.classToken === 'none' ? 0 : 1;
  if (m.classToken === 'pos-embed') x.push(pos.v.slice(0, D).map((p) => q(p, pos.F, fm)));
  if (m.classToken === 'parameter') {
    const cls = W('cls_token');
    x.push(cls.v.map((c, d) => add(c, cls.F, pos.v[d]!, pos.F, fm)));
  }
  for (let p = 0; p < dims.patches; p++) {
    const py = Math.floor(p / dims.patchesX);
    const px = p % dims.patchesX;
    const vec: B[] = [];
    for (let c = 0; c < m.channels; c++) {
      for (let ky = 0; ky < P; ky++) {
        for (let kx = 0; kx < P; kx++) vec.push(pix[(c * m.imageHeight + py * P + ky) * m.imageWidth + px * P + kx]!);
      }
    }
    const tok = LIN(vec, T.pixel.F, pw, 0, dims.patchK, D, pb, 0, false);
    const t = p + first;
    x.push(tok.map((v, d) => add(v, fm.F, pos.v[t * D + d]!, pos.F, fm)));
  }

  const tops = new Map<number, number[][]>();
  for (let l = 0; l < layers; l++) {
    const L = (s: string): { v: B[]; F: number } => W(`l${l}_${s}`);
    const u = x.map((row) => LN(row, L('norm1_weight'), L('norm1_bias')));
    const qkvW = L('qkv_weight');
    const qkvB = L('qkv_bias');
    const qkv = u.map((row) => LIN(row, fm.F, qkvW, 0, D, 3 * D, qkvB, 0, false));
    const o: B[][] = Array.from({ length: N }, () => new Array<B>(D).fill(0n));
    const Bt = design.attention.dotTile;
    for (let h = 0; h < m.heads; h++) {
      for (let i = 0; i < N; i++) {
        const scores: B[] = [];
        for (let j = 0; j < N; j++) {
          let s = 0n;
          for (let blk = 0; blk < dh / Bt; blk++) {
            let p = 0n;
            for (let c = blk * Bt; c < blk * Bt + Bt; c++) p += qkv[i]![h * dh + c]! * qkv[j]![D + h * dh + c]!;
            s = add(s, acc.F, p, 2 * fm.F, acc);
          }
          scores.push(q(s * SCALE, acc.F + fm.F, fm));
        }
        const st = stats(scores);
        const a = scores.map((sc) => prob(sc, st));
        for (let c = 0; c < dh; c++) {
          let ac = 0n;
          for (let j = 0; j < N; j++) ac = add(ac, acc.F, a[j]! * qkv[j]![2 * D + h * dh + c]!, 2 * fm.F, acc);
          o[i]![h * dh + c] = q(ac, acc.F, fm);
        }
      }
    }
    const pwW = L('attn_proj_weight');
    const pbB = L('attn_proj_bias');
    for (let t = 0; t < N; t++) {
      const y = LIN(o[t]!, fm.F, pwW, 0, D, D, pbB, 0, false);
      x[t] = x[t]!.map((v, d) => add(v, fm.F, y[d]!, fm.F, fm));
    }
    const u2 = x.map((row) => LN(row, L('norm2_weight'), L('norm2_bias')));
    const ffn = m.blocks[l]!;
    if (ffn.kind === 'mlp') {
      const w1 = L('fc1_weight'), b1 = L('fc1_bias'), w2 = L('fc2_weight'), b2 = L('fc2_bias');
      for (let t = 0; t < N; t++) {
        const hdn = LIN(u2[t]!, fm.F, w1, 0, D, ffn.hidden, b1, 0, true);
        const y = LIN(hdn, fm.F, w2, 0, ffn.hidden, D, b2, 0, false);
        x[t] = x[t]!.map((v, d) => add(v, fm.F, y[d]!, fm.F, fm));
      }
    } else {
      const G = L(`w_gate_T_task${design.moe.task}`);
      const A = L('htoh4_weight'), a = L('htoh4_bias'), Bw = L('h4toh_weight'), c = L('h4toh_bias');
      const E = ffn.experts, k = ffn.topK, Hd = ffn.hidden;
      const blockTops: number[][] = [];
      const probs: Map<number, B>[] = [];
      for (let t = 0; t < N; t++) {
        const g = LIN(u2[t]!, fm.F, G, 0, D, E, null, 0, false);
        const st = stats(g);
        // Top-k: largest logits, equal logits ordered by lower index (same as insertion rule).
        const order = Array.from({ length: E }, (_, e) => e).sort((p1, p2) => (g[p2]! > g[p1]! ? 1 : g[p2]! < g[p1]! ? -1 : p1 - p2));
        const top = order.slice(0, k);
        blockTops.push(top);
        probs.push(new Map(top.map((e) => [e, prob(g[e]!, st)])));
      }
      tops.set(l, blockTops);
      const out: B[][] = Array.from({ length: N }, () => new Array<B>(D).fill(0n));
      for (let e = 0; e < E; e++) {
        for (let t = 0; t < N; t++) {
          const p = probs[t]!.get(e);
          if (p === undefined) continue;
          const hdn = LIN(u2[t]!, fm.F, A, e * Hd * D, D, Hd, a, e * Hd, true);
          const y = LIN(hdn, fm.F, Bw, e * D * Hd, Hd, D, c, e * D, false);
          for (let d = 0; d < D; d++) out[t]![d] = add(out[t]![d]!, fm.F, q(p * y[d]!, 2 * fm.F, fm), fm.F, fm);
        }
      }
      for (let t = 0; t < N; t++) x[t] = x[t]!.map((v, d) => add(v, fm.F, out[t]![d]!, fm.F, fm));
    }
  }
  return { out: x.flat(), tops };
}
