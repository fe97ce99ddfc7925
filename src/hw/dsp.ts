/**
 * Resource arithmetic of the primitives: DSP slices per multiplier (DSP48E1 / DSP48E2 / DSP58 by
 * part family), BRAM36/URAM blocks per buffer, LUT/FF of adders and registers
 * (docs/performance-model.md §3).
 */
import { DSP_PORTS, type DspPrimitive } from '../parts/fabric.js';

/**
 * Operand pieces when a w-bit signed operand is split for a p-bit signed port: the top piece
 * keeps the sign (p bits), every lower piece is unsigned and so uses p − 1 bits.
 */
function pieces(w: number, p: number): number {
  return w <= p ? 1 : 1 + Math.ceil((w - p) / (p - 1));
}

/**
 * DSP slices for one wa × wb multiplier (both operands signed or zero-extended, so an unsigned
 * w-bit operand counts as w + 1) on `primitive` (default DSP48E2, 27×18). Partial products tile
 * the operands over the multiplier, in the cheaper orientation: on a DSP48E2 32×16 → 2, 32×32 → 4
 * (Vivado sometimes uses 3 by moving the small high×high product into LUTs), 18×18 → 1; on a
 * DSP48E1 (25×18) 26×18 → 2; on a DSP58 (27×24) 24×24 and 27×24 → 1 (2 on a DSP48E2), 32×32 → 4.
 * Two products of ≤ 8-bit operands sharing one operand pack into one DSP48E2 or DSP58 slice
 * (WP487: one operand shifted by 18 bits in the 27-bit port), counted as 0.5; the DSP48E1's
 * 25-bit port cannot hold 8 + 18 bits, so there each small product takes a slice.
 */
export function dspPerMultiplier(wa: number, wb: number, primitive: DspPrimitive = 'DSP48E2'): number {
  const { a, b } = DSP_PORTS[primitive];
  if (wa <= 8 && wb <= 8 && a >= 8 + 18) return 0.5;
  return Math.min(pieces(wa, a) * pieces(wb, b), pieces(wb, a) * pieces(wa, b));
}

export { operandBits } from '../plan/operands.js';

/** Aspect ratios (depth × width) of one BRAM18 in simple-dual-port mode (UG573). */
const BRAM18_MODES: readonly (readonly [number, number])[] = [
  [16384, 1], [8192, 2], [4096, 4], [2048, 9], [1024, 18], [512, 36],
];

/**
 * BRAM36 blocks for a memory of `depth` words of `width` bits read/written one word per cycle:
 * the cheapest tiling over BRAM18 aspect ratios, in BRAM36 units (a BRAM18 counts 0.5, as
 * Vivado reports it). Capacity alone is not the bound: a 4096-bit word needs ≥ 114 BRAM18 side
 * by side. Memories under SMALL_MEMORY_BITS go to LUTRAM (0 here; their LUTs are in the unit).
 */
export function bram36For(width: number, depth: number): number {
  if (width <= 0 || depth <= 0 || width * depth < SMALL_MEMORY_BITS) return 0;
  let best = Infinity;
  for (const [d, w] of BRAM18_MODES) best = Math.min(best, Math.ceil(width / w) * Math.ceil(depth / d));
  return best / 2;
}

/** URAM288 blocks (4096 × 72) for a memory of `depth` × `width` bits (UG573). */
export function uramFor(width: number, depth: number): number {
  if (width <= 0 || depth <= 0) return 0;
  return Math.ceil(width / 72) * Math.ceil(depth / 4096);
}

/**
 * Below this many bits a buffer is mapped to LUTRAM/registers by Vivado HLS rather than a BRAM
 * (the tool's default threshold for `array` → `ram_1p/2p` auto binding is on the order of 1 Kb).
 */
export const SMALL_MEMORY_BITS = 1024;

/** LUT/FF of a w-bit pipelined adder: one LUT per bit (carry chain) and one register per bit. */
export function adderCost(w: number): { lut: number; ff: number } {
  return { lut: w, ff: w };
}

/** Adder tree reducing n w-bit products: n − 1 adders, widths growing by one bit per level. */
export function adderTreeCost(n: number, w: number): { lut: number; ff: number } {
  let lut = 0;
  let ff = 0;
  let width = w;
  for (let k = n; k > 1; k = Math.ceil(k / 2)) {
    const adders = Math.floor(k / 2);
    lut += adders * width;
    ff += adders * width;
    width++;
  }
  return { lut, ff };
}
