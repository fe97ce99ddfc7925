/**
 * Defaults: the Edge-MoE design point (ICCAD 2023, ZCU102): its ap_fixed types from its
 * datatypes header, 16×16 linear tile (2 × 256-bit AXI beat of 32-bit features), attention
 * parallelism 4, 300 MHz. Types Edge-MoE does not name (LayerNorm statistics, GELU table entries)
 * are ours and explained in docs/datapath.md.
 */
export const DEFAULT_DESIGN = {
  name: 'edge-moe-zcu102',
  model: 'm3vit-tiny',
  part: 'zcu102',
  clockMHz: 300,
  axiBits: 256,
  linear: { tileIn: 16, tileOut: 16 },
  attention: { parallel: 4, dotTile: 8 },
  types: {
    fm: 'ap_fixed<32,10>',
    linearWeight: 'ap_fixed<16,2>',
    attnBias: 'ap_fixed<16,7>',
    bias: 'ap_fixed<16,5>',
    norm: 'ap_fixed<16,5>',
    patchWeight: 'ap_fixed<16,0>',
    pixel: 'ap_ufixed<8,0>',
    accum: 'ap_fixed<32,10>',
    softmax: 'ap_fixed<32,10>',
    lnStat: 'ap_fixed<48,24>',
    geluTable: 'ap_ufixed<16,-2>',
  },
  approx: { exp: 'hw', recip: 'hw', rsqrt: 'hw', gelu: 'table' },
  gelu: { step: 1 / 32, range: 4 },
  moe: { task: 0, routing: 'simulate' },
  buffers: { weights: 'pingpong' },
} as const;
