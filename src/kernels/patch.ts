/**
 * Patch embedding: a P×P convolution with stride P and no padding, i.e. each patch flattened in
 * (channel, ky, kx) order times the [D][C·P·P] weight matrix, plus bias. Patch (py, px) becomes
 * patch row py·(W/P) + px (row-major over the patch grid).
 */
import { linear, type Vec } from './linear.js';

export interface PatchGeometry {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly patch: number;
}

/** The image [C][H][W] rearranged as a patches×(C·P·P) matrix in (c, ky, kx) order. */
export function im2patches(image: Vec, g: PatchGeometry): Float64Array {
  const { channels: C, height: H, width: W, patch: P } = g;
  const py = H / P;
  const px = W / P;
  const K = C * P * P;
  const out = new Float64Array(py * px * K);
  for (let y = 0; y < py; y++) {
    for (let x = 0; x < px; x++) {
      let o = (y * px + x) * K;
      for (let c = 0; c < C; c++) {
        for (let ky = 0; ky < P; ky++) {
          const src = (c * H + y * P + ky) * W + x * P;
          for (let kx = 0; kx < P; kx++) out[o++] = image[src + kx]!;
        }
      }
    }
  }
  return out;
}

/** tok[p][d] = bias[d] + Σ_k weight[d][k]·patch_p[k]; returns patches×dim. */
export function patchEmbed(image: Vec, g: PatchGeometry, weight: Vec, bias: Vec, dim: number): Float64Array {
  const patches = (g.height / g.patch) * (g.width / g.patch);
  return linear(im2patches(image, g), patches, g.channels * g.patch * g.patch, weight, bias, dim);
}
