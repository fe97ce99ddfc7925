/**
 * Per-stage mapping of the datapath (docs/datapath.md) onto the timing primitives: each hardware
 * stage is a dataflow region of streaming processes (m_axi readers, a pipelined compute loop,
 * m_axi writers). Formulas: docs/performance-model.md §3; the Edge-MoE code structure they follow
 * is described there too.
 */
import type { DesignPoint, DesignTypes } from '../../design/types.js';
import { mathUnitCost } from '../../fixed/math/costs.js';
import type { Part } from '../../hw/parts.js';
import { modelDims, type ModelDims } from '../../model/ir.js';
import { dataflow, pipelinedLoop, recurrenceII } from './pipeline.js';
import { memoryModel, rowBytes, streamCycles, transferCycles, type MemoryModel } from './memory.js';

/**
 * Operator latencies in cycles at 200–400 MHz on UltraScale+ (what Vitis HLS schedules for these
 * widths; docs/performance-model.md §3 gives the reasoning). The math units' latencies come
 * from their operator counts (`mathUnitCost`, src/fixed/math/costs.ts), per design types.
 */
export const LATENCY = {
  /** DSP48E2 multiply of ≤ 32-bit operands (cascaded slices, pipeline registers). */
  mul: 3,
  add: 1,
  /** BRAM read with output register. */
  bramRead: 2,
  /**
   * Loop-carried latency of a running softmax sum (compare, select, multiply-add on the
   * 32-bit softmax type). Edge-MoE's gate softmax loop closes timing at exactly II = 3.
   */
  softmaxRecurrence: 3,
} as const;

export interface MathLatency {
  readonly exp: number;
  readonly recip: number;
  readonly rsqrt: number;
  readonly gelu: number;
}

const MATH_LAT = new WeakMap<DesignTypes, MathLatency>();

/** Latencies of the EXP (fm → softmax), RECIP (softmax), RSQRT (lnStat) and GELU (fm) units. */
export function mathLatency(d: DesignPoint): MathLatency {
  let l = MATH_LAT.get(d.types);
  if (!l) {
    const t = d.types;
    l = {
      exp: mathUnitCost('exp', t.fm, t.softmax).latency,
      recip: mathUnitCost('recip', t.softmax, t.softmax).latency,
      rsqrt: mathUnitCost('rsqrt', t.lnStat, t.lnStat).latency,
      gelu: mathUnitCost('gelu', t.fm, t.fm, geluOptions(d)).latency,
    };
    MATH_LAT.set(d.types, l);
  }
  return l;
}

/** The GELU table's shape for `mathUnitCost`. */
export function geluOptions(d: DesignPoint): { tableEntries: number; tableType: DesignTypes['geluTable']; stepLog2Inv: number } {
  return { tableEntries: Math.round(d.gelu.range / d.gelu.step) + 1, tableType: d.types.geluTable, stepLog2Inv: Math.round(-Math.log2(d.gelu.step)) };
}

export interface WeightLoad {
  readonly cycles: number;
  readonly bytes: number;
}

/** One hardware stage before scheduling (weight loads are placed by schedule.ts). */
export interface StageCost {
  readonly block: number;
  readonly stage: string;
  readonly unit: string;
  /** Cycles of the stage's dataflow region, its weight load excluded. */
  readonly cycles: number;
  /** Cycles of the slowest compute process alone (memory taken as free). */
  readonly computeCycles: number;
  /** Cycles of the slowest memory process alone (its weight load excluded). */
  readonly memoryCycles: number;
  /** Off-chip bytes of the region's streams (weight load excluded). */
  readonly bytes: number;
  readonly macs: number;
  /** Multipliers of the unit, for utilisation. */
  readonly multipliers: number;
  readonly weights?: WeightLoad;
}

export interface StageContext {
  readonly d: DesignPoint;
  readonly dims: ModelDims;
  readonly mem: MemoryModel;
  readonly fmW: number;
  readonly lat: MathLatency;
}

export function stageContext(d: DesignPoint, part: Part): StageContext {
  return { d, dims: modelDims(d.model), mem: memoryModel(d, part), fmW: d.types.fm.W, lat: mathLatency(d) };
}

const log2c = (n: number): number => Math.ceil(Math.log2(Math.max(1, n)));
const pow2 = (n: number): number => 2 ** log2c(n);

export interface LinearOptions {
  readonly gelu?: boolean;
  /** Bias width in bits; 0 for no bias (the MoE gate). */
  readonly biasBits: number;
  /** Output is read-modify-written (MoE: out[t] += p·y), doubling the output traffic. */
  readonly accumulate?: boolean;
}

/**
 * Unified linear unit on `rows` tokens: reader (K features per token), compute loop of
 * rows·⌈K/TI⌉·⌈N/TO⌉ iterations at II = 1 (the TO accumulators are registers), writer.
 */
export function linearStage(
  c: StageContext, block: number, stage: string, unit: string, rows: number, K: number, N: number, o: LinearOptions,
): StageCost {
  const { d, mem, fmW } = c;
  const kb = Math.ceil(K / d.linear.tileIn);
  const nb = Math.ceil(N / d.linear.tileOut);
  const depth = LATENCY.mul + log2c(d.linear.tileIn) + LATENCY.add + 1 + (o.gelu ? c.lat.gelu : 0);
  const compute = pipelinedLoop(rows * kb * nb, 1, depth);
  const inB = rows * rowBytes(mem, K, fmW);
  const outB = rows * rowBytes(mem, N, fmW);
  const streams = o.accumulate ? 3 : 2;
  const read = transferCycles(mem, inB, streams);
  const write = streamCycles(mem, outB, streams) + mem.latency;
  const cycles = rows === 0 ? 0 : dataflow([
    { cycles: read, fill: mem.latency + 1 },
    { cycles: compute, fill: kb + depth },
    { cycles: write, fill: mem.latency },
  ]);
  const wBytes = rowBytes(mem, N * K, d.types.linearWeight.W);
  const bBytes = o.biasBits > 0 ? rowBytes(mem, N, o.biasBits) : 0;
  const weights = { cycles: transferCycles(mem, wBytes, 1) + transferCycles(mem, bBytes, 1), bytes: wBytes + bBytes };
  return {
    block, stage, unit, cycles, computeCycles: compute, memoryCycles: rows === 0 ? 0 : Math.max(read, write),
    bytes: inB + outB * (o.accumulate ? 2 : 1), macs: rows * K * N, multipliers: d.linear.tileIn * d.linear.tileOut, weights,
  };
}

/** Bytes of the score matrix and softmax statistics that Q·Kᵀ writes and ·V reads back. */
function scoreTraffic(c: StageContext): { scores: number; info: number; qBlocks: number } {
  const { d, dims, mem, fmW } = c;
  const P = d.attention.parallel;
  const qBlocks = Math.ceil(dims.tokens / P);
  const H = c.d.model.heads;
  // One score entry holds all heads of a (query, key) pair, padded to a power of two (hls::vector).
  const scores = Math.ceil((qBlocks * dims.tokens * P * pow2(H) * fmW) / 8 / mem.beatBytes) * mem.beatBytes;
  const info = dims.tokens * rowBytes(mem, pow2(2 * H), fmW);
  return { scores, info, qBlocks };
}

/**
 * Finaliser lanes: one lane takes the P scores of a key row one per cycle, so it keeps pace with
 * the matmul (one key row every ⌈D/B⌉ cycles) while P ≤ ⌈D/B⌉; beyond that the finaliser (and
 * ·V's probability unpacker) is replicated (resources.ts counts the extra EXP/RECIP units).
 */
export function finaliserLanes(P: number, dIters: number): number {
  return Math.ceil(P / Math.max(1, dIters));
}

/**
 * Q·Kᵀ with softmax statistics: for each block of P query rows every K row is streamed again
 * (the reordering), `dotTile` features per cycle; the finaliser updates the running max/sum of
 * each row (loop-carried, distance P), the writer stores scores and statistics off-chip.
 */
export function qkStage(c: StageContext, block: number): StageCost {
  const { d, dims, mem, fmW } = c;
  const T = dims.tokens;
  const D = d.model.dim;
  const { parallel: P, dotTile: B } = d.attention;
  const { scores, info, qBlocks } = scoreTraffic(c);
  const dIters = Math.ceil(D / B);
  const depth = 2 * LATENCY.mul + log2c(B) + LATENCY.add + 1;
  const compute = pipelinedLoop(qBlocks * T * dIters, 1, depth);
  const finDepth = c.lat.exp + c.lat.recip + LATENCY.mul + 2;
  const lanes = finaliserLanes(P, dIters);
  const finalize = pipelinedLoop(qBlocks * T * Math.ceil(P / lanes), recurrenceII(LATENCY.softmaxRecurrence, Math.ceil(P / lanes)), finDepth);
  const row = rowBytes(mem, D, fmW);
  const readK = transferCycles(mem, qBlocks * T * row, 2);
  const readQ = transferCycles(mem, T * row, 1);
  const write = streamCycles(mem, scores + info, 2) + mem.latency;
  const cycles = dataflow([
    { cycles: Math.max(readK, readQ), fill: mem.latency + 1 },
    { cycles: compute, fill: dIters + depth },
    { cycles: finalize, fill: finDepth },
    { cycles: write, fill: mem.latency },
  ]);
  return {
    block, stage: 'qk_softmax', unit: 'attention', cycles, computeCycles: Math.max(compute, finalize),
    memoryCycles: Math.max(readK, readQ, write), bytes: (qBlocks + 1) * T * row + scores + info,
    macs: d.model.heads * T * T * dims.headDim, multipliers: P * B,
  };
}

/**
 * ·V: scores and statistics read back, probabilities formed (EXP × RECIP), V streamed again for
 * every query block; the P output rows accumulate in BRAM (distance ⌈D/B⌉ between updates of
 * one word, hence II = ⌈(read + add) / distance⌉).
 */
export function avStage(c: StageContext, block: number): StageCost {
  const { d, dims, mem, fmW } = c;
  const T = dims.tokens;
  const D = d.model.dim;
  const { parallel: P, dotTile: B } = d.attention;
  const { scores, info, qBlocks } = scoreTraffic(c);
  const dIters = Math.ceil(D / B);
  // Fewer accumulator words per row than the read-add latency: the array is small enough to be
  // partitioned into registers, which removes the BRAM read from the recurrence.
  const rmw = LATENCY.bramRead + LATENCY.add;
  const ii = dIters < rmw ? 1 : recurrenceII(rmw, dIters);
  const depth = c.lat.exp + 2 * LATENCY.mul + LATENCY.bramRead + LATENCY.add + 1;
  const compute = pipelinedLoop(qBlocks * T * dIters, ii, depth);
  const prepare = pipelinedLoop(qBlocks * T * Math.ceil(P / finaliserLanes(P, dIters)), 1, 2);
  const row = rowBytes(mem, D, fmW);
  const readV = transferCycles(mem, qBlocks * T * row, 2);
  const readS = transferCycles(mem, scores + info, 2);
  const write = streamCycles(mem, T * row, 2) + mem.latency;
  const cycles = dataflow([
    { cycles: Math.max(readV, readS), fill: mem.latency + 1 },
    { cycles: prepare, fill: P + 2 },
    { cycles: compute, fill: T * dIters * ii + depth },
    { cycles: write, fill: mem.latency },
  ]);
  return {
    block, stage: 'attn_v', unit: 'attention', cycles, computeCycles: Math.max(compute, prepare),
    memoryCycles: Math.max(readV, readS, write), bytes: qBlocks * T * row + scores + info + T * row,
    macs: d.model.heads * T * T * dims.headDim, multipliers: P * B,
  };
}

/**
 * One-pass LayerNorm, token by token: read the row while summing x and x² (one beat per
 * iteration), RSQRT of the variance, then normalise and write the row. Statistics must be final
 * before the output pass, so the two passes and their m_axi latencies are sequential per token.
 * `loads` γ/β vectors are fetched first (norm weights, two per LayerNorm).
 */
export function layerNormStage(c: StageContext, block: number, stage: string, loads: number): StageCost {
  const { d, dims, mem, fmW } = c;
  const T = dims.tokens;
  const row = rowBytes(mem, d.model.dim, fmW);
  const beats = row / mem.beatBytes;
  const accDepth = LATENCY.mul + LATENCY.add + 1;
  const outDepth = 2 * LATENCY.mul + LATENCY.add + 1;
  const readT = mem.latency + streamCycles(mem, row, 1);
  const writeT = streamCycles(mem, row, 1) + mem.latency;
  const perToken = readT + accDepth + c.lat.rsqrt + writeT + outDepth;
  const normBytes = rowBytes(mem, d.model.dim, d.types.norm.W);
  const loadT = loads * transferCycles(mem, normBytes, 1);
  return {
    block, stage, unit: 'layernorm', cycles: T * perToken + loadT,
    computeCycles: T * (2 * beats + accDepth + c.lat.rsqrt + outDepth),
    memoryCycles: T * (readT + writeT) + loadT, bytes: 2 * T * row + loads * normBytes, macs: 0,
    multipliers: 2 * Math.max(1, Math.floor(mem.beatBytes * 8 / fmW)),
  };
}

/** Residual add x + y → x: two readers and a writer, one beat each per iteration. */
export function residualStage(c: StageContext, block: number, stage: string): StageCost {
  const { d, dims, mem, fmW } = c;
  const bytes = dims.tokens * rowBytes(mem, d.model.dim, fmW);
  const stream = streamCycles(mem, bytes, 3);
  const cycles = mem.latency + stream + mem.latency;
  return {
    block, stage, unit: 'residual', cycles, computeCycles: pipelinedLoop(bytes / mem.beatBytes, 1, 2),
    memoryCycles: cycles, bytes: 3 * bytes, macs: 0, multipliers: 0,
  };
}

/**
 * Patch embedding (Edge-MoE conv unit): per row of patches, each image beat (axiBits / pixel bits
 * pixels) is multiplied with one block of features-per-beat output channels per cycle, then
 * the row of patch tokens gets the positional embedding and is written. The class-token row is
 * the positional row (classToken pos-embed) or cls + pos. Patch weights are loaded once per
 * bitstream (not per image) and stay on chip.
 */
export function patchEmbedStage(c: StageContext): StageCost {
  const { d, dims, mem, fmW } = c;
  const m = d.model;
  const pixelsPerBeat = Math.max(1, Math.floor(d.axiBits / d.types.pixel.W));
  const featsPerIter = Math.max(1, Math.floor(d.axiBits / fmW));
  const dBlocks = Math.ceil(m.dim / featsPerIter);
  const colBeats = Math.ceil(m.imageWidth / pixelsPerBeat);
  const trip = m.channels * m.patchSize * colBeats * dBlocks;
  const depth = LATENCY.mul + log2c(Math.min(pixelsPerBeat, m.patchSize)) + LATENCY.add + 1;
  const compute = pipelinedLoop(trip, 1, depth);
  const imgBytes = m.channels * m.patchSize * colBeats * mem.beatBytes;
  const read = transferCycles(mem, imgBytes, 1);
  const accumulate = dataflow([{ cycles: read, fill: mem.latency + 1 }, { cycles: compute, fill: depth }]);
  const row = rowBytes(mem, m.dim, fmW);
  // Output: read pos row, add, write token row: two streams, one beat each per iteration.
  const out = mem.latency + streamCycles(mem, dims.patchesX * row, 2) + mem.latency;
  const cls = m.classToken === 'none' ? 0 : 2 * mem.latency + streamCycles(mem, row, 2);
  const memPerRow = read + out;
  return {
    block: -1, stage: 'patch_embed', unit: 'patch-embed', cycles: dims.patchesY * (accumulate + out) + cls,
    computeCycles: dims.patchesY * compute, memoryCycles: dims.patchesY * memPerRow + cls,
    bytes: dims.patchesY * (imgBytes + 2 * dims.patchesX * row) + (cls > 0 ? 2 * row : 0),
    macs: dims.patches * dims.patchK * m.dim, multipliers: pixelsPerBeat * featsPerIter,
  };
}

/**
 * MoE gate and router: gate logits on the linear unit (N = experts, no bias), then per token a
 * single-pass softmax over the experts (running-sum recurrence), top-k insertion, the k
 * probabilities (EXP × RECIP) and the queue append, streamed behind the logits.
 */
export function gateStage(c: StageContext, block: number, experts: number, topK: number): StageCost {
  const lin = linearStage(c, block, 'gate', 'moe-router', c.dims.tokens, c.d.model.dim, experts, { biasBits: 0 });
  const perToken = pipelinedLoop(experts, LATENCY.softmaxRecurrence, c.lat.exp + 2)
    + pipelinedLoop(experts, 1, topK + 2) + c.lat.exp + c.lat.recip + LATENCY.mul;
  const router = c.dims.tokens * perToken;
  const cycles = dataflow([{ cycles: lin.cycles, fill: Math.ceil(lin.cycles / c.dims.tokens) }, { cycles: router, fill: perToken }]);
  return { ...lin, cycles, computeCycles: Math.max(lin.computeCycles, router) };
}

/** Zeroing of the MoE output accumulator (tokens × D) before the experts add into it. */
export function zeroOutputCycles(c: StageContext): { cycles: number; bytes: number } {
  const bytes = c.dims.tokens * rowBytes(c.mem, c.d.model.dim, c.fmW);
  return { cycles: transferCycles(c.mem, bytes, 1) + c.mem.latency, bytes };
}
