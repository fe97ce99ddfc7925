/**
 * Resource model: DSP/BRAM/URAM/LUT/FF of each hardware unit of the design, from its
 * parallelism, operand widths and buffer shapes (docs/performance-model.md §4, with the expected
 * error of each figure). Pure and fast: the DSE calls it for every design point.
 */
import type { DesignPoint } from '../design/types.js';
import { modelDims } from '../model/ir.js';
import type { ResourceEstimate } from '../sim/timing/report.js';
import { BUNDLES } from '../sim/timing/memory.js';
import { finaliserLanes, geluOptions } from '../sim/timing/stages.js';
import { mathUnitCost } from '../fixed/math/costs.js';
import { adderTreeCost, bram36For, dspPerMultiplier, operandBits, uramFor } from './dsp.js';
import type { Part } from './parts.js';

export interface UnitResources {
  unit: string;
  dsp: number;
  bram36: number;
  uram: number;
  lut: number;
  ff: number;
}

type MathKind = 'exp' | 'recip' | 'rsqrt' | 'gelu';

/**
 * One pipelined math unit of the design's types (src/fixed/math/costs.ts `mathUnitCost`, counted
 * from its operators): EXP fm → softmax, RECIP on softmax, RSQRT on lnStat, GELU on fm.
 */
function mathCost(design: DesignPoint, kind: MathKind): { dsp: number; bram36: number; lut: number; ff: number } {
  const t = design.types;
  switch (kind) {
    case 'exp': return mathUnitCost('exp', t.fm, t.softmax);
    case 'recip': return mathUnitCost('recip', t.softmax, t.softmax);
    case 'rsqrt': return mathUnitCost('rsqrt', t.lnStat, t.lnStat);
    case 'gelu': return mathUnitCost('gelu', t.fm, t.fm, geluOptions(design));
  }
}

/**
 * Per m_axi bundle: the HLS adapter (address generation, burst counters, read/write data
 * FIFOs) plus the interconnect that width-converts it to the memory port (SmartConnect on
 * MPSoC, the platform's interconnect on Alveo). Scales with the data width.
 */
function axiBundle(bits: number): { lut: number; ff: number; bram36: number } {
  return { lut: 1_500 + 8 * bits, ff: 2_000 + 12 * bits, bram36: bits >= 256 ? 2 : 1 };
}

/** Kernel control: s_axilite registers, ap_ctrl and dataflow handshakes, loop FSMs. */
const CONTROL = { lut: 6_000, ff: 8_000 };

function unit(name: string): UnitResources {
  return { unit: name, dsp: 0, bram36: 0, uram: 0, lut: 0, ff: 0 };
}

function addMath(u: UnitResources, design: DesignPoint, kind: MathKind, n: number): void {
  const m = mathCost(design, kind);
  u.dsp += n * m.dsp;
  u.lut += n * m.lut;
  u.ff += n * m.ff;
  u.bram36 += n * m.bram36;
}

/** Multipliers with the adder trees that reduce them, `trees` trees of `n` products each. */
function addMacArray(u: UnitResources, trees: number, n: number, wa: number, wb: number, accW: number): void {
  u.dsp += trees * n * dspPerMultiplier(wa, wb);
  const tree = adderTreeCost(n, accW);
  u.lut += trees * (tree.lut + accW);
  u.ff += trees * (tree.ff + accW);
}

/** Put a buffer in BRAM, or in URAM when the part has URAM and the buffer is deep (≥ 4K words). */
function addBuffer(u: UnitResources, part: Part, width: number, depth: number): void {
  if (part.uram > 0 && depth >= 4096) u.uram += uramFor(width, depth);
  else u.bram36 += bram36For(width, depth);
}

export function unitResources(design: DesignPoint, part: Part): UnitResources[] {
  const m = design.model;
  const dims = modelDims(m);
  const t = design.types;
  const fmW = t.fm.W;
  const fm = operandBits(t.fm);
  const featsPerBeat = Math.max(1, Math.floor(design.axiBits / fmW));
  const { tileIn: TI, tileOut: TO } = design.linear;
  const { parallel: P, dotTile: B } = design.attention;

  // Unified linear unit: TO trees of TI multipliers, TO GELU units, weight buffers (ping/pong).
  const lin = unit('linear');
  addMacArray(lin, TO, TI, fm, operandBits(t.linearWeight), t.accum.W);
  addMath(lin, design, 'gelu', TO);
  const linears: [number, number][] = [[m.dim, 3 * m.dim], [m.dim, m.dim]];
  let maxN = 3 * m.dim;
  let maxK = m.dim;
  for (const b of m.blocks) {
    linears.push([m.dim, b.hidden], [b.hidden, m.dim]);
    if (b.kind === 'moe') linears.push([m.dim, b.experts]);
    maxN = Math.max(maxN, b.hidden);
    maxK = Math.max(maxK, b.hidden);
  }
  const maxKN = Math.max(...linears.map(([k, n]) => k * n));
  const buffers = design.buffers.weights === 'pingpong' ? 2 : 1;
  for (let i = 0; i < buffers; i++) {
    addBuffer(lin, part, TI * TO * t.linearWeight.W, Math.ceil(maxKN / (TI * TO)));
    lin.bram36 += bram36For(TO * Math.max(t.bias.W, t.attnBias.W), Math.ceil(maxN / TO));
  }
  lin.bram36 += bram36For(TI * fmW, Math.ceil(maxK / TI)); // one token's input tiles, reused for every output tile

  // Attention engine: Q·Kᵀ (P×B products + P scale multipliers), finaliser (per head EXP, RECIP,
  // sum multiply), ·V (P×B products, P·H probabilities = EXP × RECIP), Q and accumulator buffers.
  const att = unit('attention');
  addMacArray(att, P, B, fm, fm, t.accum.W);
  att.dsp += P * dspPerMultiplier(fm, fm);
  const dIters = Math.ceil(m.dim / B);
  const lanes = finaliserLanes(P, dIters);
  addMath(att, design, 'exp', lanes * m.heads);
  addMath(att, design, 'recip', lanes * m.heads);
  att.dsp += lanes * m.heads * dspPerMultiplier(operandBits(t.softmax), operandBits(t.softmax));
  addMacArray(att, P, B, fm, fm, t.accum.W);
  addMath(att, design, 'exp', P * m.heads);
  att.dsp += P * m.heads * dspPerMultiplier(fm, operandBits(t.softmax));
  for (let i = 0; i < P; i++) att.bram36 += bram36For(B * fmW, dIters); // P query rows
  // P accumulator rows: BRAM, or registers when a row has fewer words than the read-add latency.
  if (dIters < 3) att.ff += P * dIters * B * t.accum.W;
  else for (let i = 0; i < P; i++) att.bram36 += bram36For(B * t.accum.W, dIters);
  att.ff += 4 * P * m.heads * Math.max(fmW, t.softmax.W); // running max/sum registers

  // LayerNorm: one beat of features per cycle through the statistics and the output pass.
  const ln = unit('layernorm');
  ln.dsp += featsPerBeat * 2 * dspPerMultiplier(fm, fm);
  ln.dsp += featsPerBeat * (dspPerMultiplier(fm, operandBits(t.lnStat)) + dspPerMultiplier(fm, operandBits(t.norm)));
  const lnTree = adderTreeCost(featsPerBeat, t.lnStat.W);
  ln.lut += 2 * lnTree.lut + featsPerBeat * 3 * fmW;
  ln.ff += 2 * lnTree.ff + featsPerBeat * 3 * fmW;
  addMath(ln, design, 'rsqrt', 1);
  ln.bram36 += bram36For(featsPerBeat * fmW, Math.ceil(m.dim / featsPerBeat)); // the token row between passes
  ln.bram36 += 4 * bram36For(featsPerBeat * t.norm.W, Math.ceil(m.dim / featsPerBeat)); // γ, β of two LayerNorms

  // Patch embedding: pixels-per-beat × features-per-beat multipliers; weights resident on chip.
  const pe = unit('patch-embed');
  const pixelsPerBeat = Math.max(1, Math.floor(design.axiBits / t.pixel.W));
  const kx = Math.min(pixelsPerBeat, m.patchSize);
  addMacArray(pe, Math.ceil(pixelsPerBeat / kx) * featsPerBeat, kx, operandBits(t.pixel), operandBits(t.patchWeight), t.accum.W);
  addBuffer(pe, part, featsPerBeat * m.patchSize * t.patchWeight.W, Math.ceil(m.dim / featsPerBeat) * m.channels * m.patchSize);
  const perBeatPatches = Math.max(1, Math.floor(pixelsPerBeat / m.patchSize));
  pe.bram36 += bram36For(perBeatPatches * featsPerBeat * fmW, Math.ceil(dims.patchesX / perBeatPatches) * Math.ceil(m.dim / featsPerBeat));

  const units = [lin, att, ln, pe];

  // MoE router: softmax over experts, top-k, token queues; output weighting p·y.
  const moe = m.blocks.find((b) => b.kind === 'moe');
  if (moe && moe.kind === 'moe') {
    const r = unit('moe-router');
    addMath(r, design, 'exp', 1);
    addMath(r, design, 'recip', 1);
    r.dsp += dspPerMultiplier(operandBits(t.softmax), operandBits(t.softmax));
    r.lut += moe.topK * (2 * fmW + 8);
    r.ff += moe.topK * (fmW + 8);
    r.dsp += featsPerBeat * dspPerMultiplier(fm, fm);
    for (let e = 0; e < moe.experts; e++) r.bram36 += bram36For(32, dims.tokens) + bram36For(fmW, dims.tokens);
    units.push(r);
  }

  const io = unit('axi+control');
  const bundle = axiBundle(design.axiBits);
  io.lut += BUNDLES * bundle.lut + CONTROL.lut;
  io.ff += BUNDLES * bundle.ff + CONTROL.ff;
  io.bram36 += BUNDLES * bundle.bram36;
  units.push(io);

  // Glue not itemised above (operand muxes, quantisation, bounds, stream FIFOs): 15 % of each
  // datapath unit's LUT/FF, and one LUT + FF per 4 DSP-mapped multiplier output bits.
  for (const u of units) {
    if (u === io) continue;
    u.lut = Math.round(u.lut * 1.15 + u.dsp * 12);
    u.ff = Math.round(u.ff * 1.15 + u.dsp * 12);
  }
  return units;
}

export function estimateResources(design: DesignPoint, part: Part): ResourceEstimate {
  const units = unitResources(design, part);
  const sum = (k: 'dsp' | 'bram36' | 'uram' | 'lut' | 'ff'): number => units.reduce((a, u) => a + u[k], 0);
  const dsp = Math.ceil(sum('dsp'));
  const bram36 = Math.ceil(sum('bram36'));
  const uram = Math.ceil(sum('uram'));
  const lut = Math.round(sum('lut'));
  const ff = Math.round(sum('ff'));
  const frac = (v: number, cap: number): number => (cap > 0 ? v / cap : v > 0 ? Infinity : 0);
  const util = { dsp: frac(dsp, part.dsp), bram36: frac(bram36, part.bram36), uram: frac(uram, part.uram), lut: frac(lut, part.lut), ff: frac(ff, part.ff) };
  const violations: string[] = [];
  const check = (name: string, v: number, cap: number): void => {
    if (v > cap) violations.push(`${name} ${v} > ${cap}`);
  };
  check('dsp', dsp, part.dsp);
  check('bram36', bram36, part.bram36);
  check('uram', uram, part.uram);
  check('lut', lut, part.lut);
  check('ff', ff, part.ff);
  return {
    dsp, bram36, uram, lut, ff, util, fits: violations.length === 0, violations,
    units: units.map((u) => ({ unit: u.unit, dsp: Math.ceil(u.dsp), bram36: Math.ceil(u.bram36), uram: u.uram, lut: Math.round(u.lut), ff: Math.round(u.ff) })),
  };
}
