/**
 * IEEE binary16 and bfloat16 to number, for weight files that store reduced-precision tensors
 * (safetensors F16/BF16, ONNX FLOAT16/BFLOAT16 initialisers). Both convert exactly: every half
 * and every bfloat16 is a float32 (and a double).
 */

/** binary16 bits (1 sign, 5 exponent, 10 fraction) → value; subnormals, ±∞ and NaN included. */
export function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

const BF16 = new Float32Array(1);
const BF16_BITS = new Uint32Array(BF16.buffer);

/** bfloat16 bits (the top 16 bits of a float32) → value. */
export function bfloat16ToNumber(b: number): number {
  BF16_BITS[0] = (b & 0xffff) << 16;
  return BF16[0]!;
}
