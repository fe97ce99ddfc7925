/**
 * A deliberately plain re-implementation of the forward pass of ../shared/m3vit/README.md, on
 * nested JS arrays with textbook loops, written from the README and not from src/kernels. Tests
 * compare the optimised reference against it.
 */
import { erf } from '../../src/kernels/erf.js';
import type { ModelSpec } from '../../src/model/ir.js';
import type { WeightSet } from '../../src/model/weights.js';

type Mat = number[][];

export interface NaiveResult {
  embed: Mat;
  postAttn: Mat[];
  postFfn: Mat[];
  routing: { top: number[][]; weights: number[][] }[];
}

const gelu = (z: number): number => z * 0.5 * (1 + erf(z / Math.SQRT2));

function mat(data: Float32Array, rows: number, cols: number): Mat {
  const m: Mat = [];
  for (let r = 0; r < rows; r++) m.push(Array.from(data.subarray(r * cols, (r + 1) * cols)));
  return m;
}

function lin(x: number[], W: Mat, b: number[] | null): number[] {
  return W.map((row, o) => {
    let s = 0;
    for (let i = 0; i < row.length; i++) s += row[i]! * x[i]!;
    return (b ? b[o]! : 0) + s;
  });
}

function ln(v: number[], g: number[], b: number[], eps: number): number[] {
  const mu = v.reduce((a, c) => a + c, 0) / v.length;
  const varr = v.reduce((a, c) => a + (c - mu) * (c - mu), 0) / v.length;
  return v.map((c, d) => ((c - mu) / Math.sqrt(varr + eps)) * g[d]! + b[d]!);
}

function softmax(v: number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const z = e.reduce((a, c) => a + c, 0);
  return e.map((x) => x / z);
}

export function naiveForward(model: ModelSpec, w: WeightSet, image: Float32Array, layers: number, task = 0): NaiveResult {
  const D = model.dim, P = model.patchSize, C = model.channels, H = model.imageHeight, Wd = model.imageWidth;
  const vec = (n: string): number[] => Array.from(w.get(n).data);
  const pe = w.get('patch_embed_weight').data; // [D][C][P][P]
  const peb = vec('patch_embed_bias');
  const pos = mat(w.get('pos_embed').data, w.get('pos_embed').shape[0]!, D);
  const x: Mat = [];
  if (model.classToken === 'pos-embed') x.push([...pos[0]!]);
  if (model.classToken === 'parameter') x.push(vec('cls_token').map((c, d) => c + pos[0]![d]!));
  const first = x.length;
  for (let py = 0; py < H / P; py++) {
    for (let px = 0; px < Wd / P; px++) {
      const t = x.length;
      const row: number[] = [];
      for (let d = 0; d < D; d++) {
        let s = peb[d]!;
        for (let c = 0; c < C; c++) {
          for (let ky = 0; ky < P; ky++) {
            for (let kx = 0; kx < P; kx++) {
              s += pe[((d * C + c) * P + ky) * P + kx]! * image[(c * H + py * P + ky) * Wd + px * P + kx]!;
            }
          }
        }
        row.push(s + pos[t]![d]!);
      }
      x.push(row);
    }
  }
  void first;
  const res: NaiveResult = { embed: x.map((r) => [...r]), postAttn: [], postFfn: [], routing: [] };
  const N = x.length;
  const heads = model.heads, dh = D / heads;
  for (let l = 0; l < layers; l++) {
    const p = `l${l}_`;
    const qkvW = mat(w.get(`${p}qkv_weight`).data, 3 * D, D);
    const qkvB = vec(`${p}qkv_bias`);
    const u = x.map((r) => ln(r, vec(`${p}norm1_weight`), vec(`${p}norm1_bias`), model.lnEps));
    const q = u.map((r) => lin(r, qkvW.slice(0, D), qkvB.slice(0, D)));
    const k = u.map((r) => lin(r, qkvW.slice(D, 2 * D), qkvB.slice(D, 2 * D)));
    const v = u.map((r) => lin(r, qkvW.slice(2 * D), qkvB.slice(2 * D)));
    const o: Mat = Array.from({ length: N }, () => new Array<number>(D).fill(0));
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < N; i++) {
        const s: number[] = [];
        for (let j = 0; j < N; j++) {
          let dotv = 0;
          for (let c = 0; c < dh; c++) dotv += q[i]![h * dh + c]! * k[j]![h * dh + c]!;
          s.push(dotv / Math.sqrt(dh));
        }
        const a = softmax(s);
        for (let c = 0; c < dh; c++) {
          let acc = 0;
          for (let j = 0; j < N; j++) acc += a[j]! * v[j]![h * dh + c]!;
          o[i]![h * dh + c] = acc;
        }
      }
    }
    const Wo = mat(w.get(`${p}attn_proj_weight`).data, D, D);
    const bo = vec(`${p}attn_proj_bias`);
    for (let i = 0; i < N; i++) {
      const y = lin(o[i]!, Wo, bo);
      for (let d = 0; d < D; d++) x[i]![d]! += y[d]!;
    }
    res.postAttn.push(x.map((r) => [...r]));
    const u2 = x.map((r) => ln(r, vec(`${p}norm2_weight`), vec(`${p}norm2_bias`), model.lnEps));
    const ffn = model.blocks[l]!;
    if (ffn.kind === 'mlp') {
      const W1 = mat(w.get(`${p}fc1_weight`).data, ffn.hidden, D), b1 = vec(`${p}fc1_bias`);
      const W2 = mat(w.get(`${p}fc2_weight`).data, D, ffn.hidden), b2 = vec(`${p}fc2_bias`);
      for (let i = 0; i < N; i++) {
        const y = lin(lin(u2[i]!, W1, b1).map(gelu), W2, b2);
        for (let d = 0; d < D; d++) x[i]![d]! += y[d]!;
      }
    } else {
      const E = ffn.experts, Fh = ffn.hidden;
      const G = mat(w.get(`${p}w_gate_T_task${task}`).data, E, D);
      const A = w.get(`${p}htoh4_weight`).data, a = w.get(`${p}htoh4_bias`).data;
      const B = w.get(`${p}h4toh_weight`).data, cb = w.get(`${p}h4toh_bias`).data;
      const route = { top: [] as number[][], weights: [] as number[][] };
      const expertMats = new Map<number, [Mat, Mat]>();
      const expert = (e: number): [Mat, Mat] => {
        if (!expertMats.has(e)) {
          expertMats.set(e, [mat(A.subarray(e * Fh * D, (e + 1) * Fh * D), Fh, D), mat(B.subarray(e * D * Fh, (e + 1) * D * Fh), D, Fh)]);
        }
        return expertMats.get(e)!;
      };
      for (let i = 0; i < N; i++) {
        const g = lin(u2[i]!, G, null);
        const pr = softmax(g);
        // README tie rule: scanning upward, a later expert displaces only if strictly larger.
        const chosen: number[] = [];
        for (let r = 0; r < ffn.topK; r++) {
          let best = -1;
          for (let e = 0; e < E; e++) if (!chosen.includes(e) && (best < 0 || g[e]! > g[best]!)) best = e;
          chosen.push(best);
        }
        route.top.push(chosen);
        route.weights.push(chosen.map((e) => pr[e]!));
        const add = new Array<number>(D).fill(0);
        for (const e of chosen) {
          const [Ae, Be] = expert(e);
          const y = lin(lin(u2[i]!, Ae, Array.from(a.subarray(e * Fh, (e + 1) * Fh))).map(gelu), Be, Array.from(cb.subarray(e * D, (e + 1) * D)));
          for (let d = 0; d < D; d++) add[d]! += pr[e]! * y[d]!;
        }
        for (let d = 0; d < D; d++) x[i]![d]! += add[d]!;
      }
      res.routing[l] = route;
    }
    res.postFfn.push(x.map((r) => [...r]));
  }
  return res;
}

/** Relative L2 distance ‖a − b‖ / ‖b‖. */
export function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}
