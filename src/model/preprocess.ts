/**
 * Evaluation preprocessing of a photo for a ViT/DeiT classifier, as timm's eval transform does it
 * on a PIL image: Resize(floor(size / crop_pct)) of the shorter side (bicubic), CenterCrop(size),
 * ToTensor (÷255), Normalize(mean, std) → float32 [C][H][W].
 *
 * The resize is Pillow's algorithm (libImaging/Resample.c) reproduced step by step, so that the
 * 8-bit result equals PIL's: separable convolution, horizontal pass then vertical, kernel support
 * scaled by the downscale factor (antialiasing), coefficients normalised in double, converted to
 * 22-bit fixed point, accumulated from ½ ulp, clipped to uint8 after each pass.
 */
import { UserError } from '../errors.js';

export interface Preprocess {
  /** Per-channel mean and std of Normalize (RGB). */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Resize the shorter side to floor(size / cropPct), then centre-crop to size. */
  readonly cropPct: number;
  readonly interpolation: 'bicubic' | 'bilinear';
}

/** DeiT / timm ImageNet defaults (IMAGENET_DEFAULT_MEAN/STD, crop_pct 0.875, bicubic). */
export const IMAGENET_EVAL: Preprocess = Object.freeze({
  mean: Object.freeze([0.485, 0.456, 0.406]),
  std: Object.freeze([0.229, 0.224, 0.225]),
  cropPct: 0.875,
  interpolation: 'bicubic',
});

/** An 8-bit interleaved image (RGB: channels 3). */
export interface Raw8 { readonly width: number; readonly height: number; readonly channels: number; readonly data: Uint8Array }

const PRECISION_BITS = 32 - 8 - 2;

function bicubic(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

function bilinear(x: number): number {
  if (x < 0) x = -x;
  return x < 1 ? 1 - x : 0;
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis. */
function coefficients(inSize: number, outSize: number, kind: Preprocess['interpolation']): { bounds: Int32Array; kk: Int32Array; ksize: number } {
  const filter = kind === 'bicubic' ? bicubic : bilinear;
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = (kind === 'bicubic' ? 2 : 1) * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const kk = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterscale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) ww += (k[x] = filter((x + xmin - center + 0.5) * ss));
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0 ? k[x]! / ww : k[x]!;
      kk[xx * ksize + x] = Math.trunc(w < 0 ? -0.5 + w * 2 ** PRECISION_BITS : 0.5 + w * 2 ** PRECISION_BITS);
    }
    bounds[2 * xx] = xmin;
    bounds[2 * xx + 1] = xmax;
  }
  return { bounds, kk, ksize };
}

function clip8(ss: number): number {
  const v = Math.floor(ss / 2 ** PRECISION_BITS);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Pillow Image.resize((w, h), BICUBIC|BILINEAR) of an 8-bit image. */
export function resizePil(img: Raw8, width: number, height: number, kind: Preprocess['interpolation']): Raw8 {
  const C = img.channels;
  let cur = img;
  if (width !== img.width) {
    const { bounds, kk, ksize } = coefficients(img.width, width, kind);
    const out = new Uint8Array(width * img.height * C);
    for (let y = 0; y < img.height; y++) {
      for (let xx = 0; xx < width; xx++) {
        const xmin = bounds[2 * xx]!;
        const xmax = bounds[2 * xx + 1]!;
        for (let c = 0; c < C; c++) {
          let ss = 2 ** (PRECISION_BITS - 1);
          for (let x = 0; x < xmax; x++) ss += img.data[(y * img.width + x + xmin) * C + c]! * kk[xx * ksize + x]!;
          out[(y * width + xx) * C + c] = clip8(ss);
        }
      }
    }
    cur = { width, height: img.height, channels: C, data: out };
  }
  if (height !== cur.height) {
    const { bounds, kk, ksize } = coefficients(cur.height, height, kind);
    const out = new Uint8Array(width * height * C);
    for (let yy = 0; yy < height; yy++) {
      const ymin = bounds[2 * yy]!;
      const ymax = bounds[2 * yy + 1]!;
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < C; c++) {
          let ss = 2 ** (PRECISION_BITS - 1);
          for (let y = 0; y < ymax; y++) ss += cur.data[((y + ymin) * width + x) * C + c]! * kk[yy * ksize + y]!;
          out[(yy * width + x) * C + c] = clip8(ss);
        }
      }
    }
    cur = { width, height, channels: C, data: out };
  }
  return cur;
}

/** Python's round(): half to even (torchvision's CenterCrop offsets use it). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** timm eval transform up to ToTensor: resize shorter side, centre crop; 8-bit H×W×C result. */
export function resizeAndCrop(img: Raw8, height: number, width: number, p: Preprocess): Raw8 {
  let w: number, h: number;
  if (height === width) {
    // timm: Resize(floor(size / crop_pct)), an int: torchvision resizes the shorter side to it and
    // the longer side to int(scale_size · long / short).
    const scaleSize = Math.floor(height / p.cropPct);
    const short = Math.min(img.width, img.height);
    const long = Math.max(img.width, img.height);
    const newLong = Math.trunc((scaleSize * long) / short);
    [w, h] = img.width <= img.height ? [scaleSize, newLong] : [newLong, scaleSize];
  } else {
    // A non-square input size is a tuple in timm: Resize to exactly (floor(H / c), floor(W / c)).
    [w, h] = [Math.floor(width / p.cropPct), Math.floor(height / p.cropPct)];
  }
  if (w < width || h < height) throw new UserError('image', `resized to ${w}x${h}, smaller than the ${width}x${height} crop (crop_pct ${p.cropPct} > 1?)`);
  const r = resizePil(img, w, h, p.interpolation);
  const top = roundHalfEven((h - height) / 2);
  const left = roundHalfEven((w - width) / 2);
  const C = img.channels;
  const out = new Uint8Array(width * height * C);
  for (let y = 0; y < height; y++) out.set(r.data.subarray(((y + top) * w + left) * C, ((y + top) * w + left + width) * C), y * width * C);
  return { width, height, channels: C, data: out };
}

/** ToTensor + Normalize in float32 arithmetic, as torch does: [C][H][W]. */
export function normalize(img: Raw8, p: Preprocess): Float32Array {
  const { width: W, height: H, channels: C } = img;
  const out = new Float32Array(C * H * W);
  for (let c = 0; c < C; c++) {
    const m = Math.fround(p.mean[c]!);
    const s = Math.fround(p.std[c]!);
    for (let i = 0; i < H * W; i++) out[c * H * W + i] = Math.fround(Math.fround(Math.fround(img.data[i * C + c]! / 255) - m) / s);
  }
  return out;
}
